package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/threadlens/threadlens/datasets"
	"github.com/threadlens/threadlens/scrape/scrapetest"
)

// runCLI runs the command line in-process and returns its exit code and
// output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestSamplesBuild(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "--out", out, "--log-level", "warn")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	m, err := datasets.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Threads) < 2 || m.Tables["comments"] < 40 {
		t.Errorf("samples gave %d threads, %d comments; want ≥ 2 threads, ≥ 40 comments", len(m.Threads), m.Tables["comments"])
	}
	// A second run changes nothing and says so.
	code, stdout, _ = runCLI(t, "--out", out, "--log-level", "warn")
	if code != exitOK || !strings.Contains(stdout, "0 threads written") {
		t.Errorf("re-run: exit %d, summary %q; want 0 threads written", code, stdout)
	}
}

func TestBadInputs(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := filepath.Join(scrapetest.RepoRoot(t), "datasets", "samples")
	cases := []struct {
		name, file, want, reason string
	}{
		{"empty", write("empty.html", nil), "empty", "an empty file is named as empty"},
		{"binary", write("photo.txt", []byte{0x89, 'P', 'N', 'G', 0, 0, 1, 2, 3, 0, 0}), "binary", "binary content is not a page"},
		{"unrecognised", write("recipe.html", []byte("<html><body><h1>Soup</h1><p>Boil water.</p></body></html>")), "not a recognised comment thread", "a page no adapter knows"},
		{"truncated json", write("cut.json", []byte(`[{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "abc", "title": "Hi`)), "cut.json", "a JSON file cut in half names the file"},
		{"missing", filepath.Join(dir, "nope.html"), "no such file", "a file that does not exist"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			code, stdout, stderr := runCLI(t, "--out", out, "--log-level", "error", tc.file, good)
			if code != exitSomeFailed {
				t.Fatalf("exit %d, want %d (%s)\nstderr: %s", code, exitSomeFailed, tc.reason, stderr)
			}
			var failed []string
			for _, line := range strings.Split(stderr, "\n") {
				if strings.HasPrefix(line, "FAILED: ") {
					failed = append(failed, line)
				}
			}
			if len(failed) != 1 || !strings.Contains(failed[0], tc.file) || !strings.Contains(strings.ToLower(failed[0]), tc.want) {
				t.Errorf("failure lines %q: want one naming %s and %q (%s)", failed, tc.file, tc.want, tc.reason)
			}
			// The good sources are still written.
			m, err := datasets.ReadManifest(out)
			if err != nil || len(m.Threads) < 2 {
				t.Errorf("other sources not written: %v, manifest %+v\nstdout: %s", err, m, stdout)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		reason string
	}{
		{"unknown flag", []string{"--no-such-flag"}, "bad flags are usage errors"},
		{"unknown adapter", []string{"--adapter", "myspace", "x.html"}, "an unknown adapter lists the known ones"},
		{"bad shard", []string{"--shard", "5/2"}, "K must be below N"},
		{"bad log level", []string{"--log-level", "loud"}, "levels are debug, info, warn, error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, append([]string{"--out", t.TempDir()}, tc.args...)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d (%s)\nstderr: %s", code, exitUsage, tc.reason, stderr)
			}
		})
	}
	code, _, stderr := runCLI(t, "--adapter", "myspace", "x.html")
	if code != exitUsage || !strings.Contains(stderr, "wordpress") {
		t.Errorf("unknown adapter message %q should list the known adapters", stderr)
	}
}

// TestFeedOverHTTP serves an RSS feed of WordPress posts from a local
// server: the first run builds every thread, the second downloads nothing
// (conditional GET answered 304) and says so.
func TestFeedOverHTTP(t *testing.T) {
	corpus := scrapetest.CorpusDir(t)
	posts := []string{
		"wordpress/lemire-json-parsing-simdjson.html",
		"wordpress/bigbrandsystem-business-focus.html",
		"wordpress/thepoliticalinsider-faithless-electors.html",
	}
	bodies := map[string][]byte{}
	var requests, notModified int
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/feed/", func(w http.ResponseWriter, r *http.Request) {
		requests++
		var items strings.Builder
		for i := range posts {
			fmt.Fprintf(&items, "<item><title>Post %d</title><link>%s/post/%d/</link></item>", i, srv.URL, i)
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Advice</title><link>%s/</link>%s</channel></rss>`, srv.URL, items.String())
	})
	mux.HandleFunc("/post/", func(w http.ResponseWriter, r *http.Request) {
		requests++
		var i int
		fmt.Sscanf(r.URL.Path, "/post/%d/", &i)
		if i < 0 || i >= len(posts) {
			http.NotFound(w, r)
			return
		}
		body := bodies[posts[i]]
		sum := sha256.Sum256(body)
		etag := `"` + hex.EncodeToString(sum[:8]) + `"`
		if r.Header.Get("If-None-Match") == etag {
			notModified++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(body)
	})
	for _, p := range posts {
		b, err := os.ReadFile(filepath.Join(corpus, p))
		if err != nil {
			t.Fatal(err)
		}
		bodies[p] = b
	}
	srv = httptest.NewServer(mux)
	defer srv.Close()

	out := t.TempDir()
	args := []string{"--out", out, "--log-level", "error", "--rate", "1000", srv.URL + "/feed/"}
	code, stdout, stderr := runCLI(t, args...)
	if code != exitOK {
		t.Fatalf("first run: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, fmt.Sprintf("%d threads written", len(posts))) {
		t.Errorf("first run summary %q: want %d threads written", stdout, len(posts))
	}
	first := requests
	code, stdout, stderr = runCLI(t, args...)
	if code != exitOK {
		t.Fatalf("second run: exit %d\nstderr: %s", code, stderr)
	}
	if notModified != len(posts) {
		t.Errorf("second run: %d posts answered 304, want %d", notModified, len(posts))
	}
	if !regexp.MustCompile(`\b0 downloaded\b`).MatchString(stdout) && !strings.Contains(stdout, fmt.Sprintf("%d not modified", len(posts))) {
		t.Errorf("second run summary should say nothing was downloaded again:\n%s", stdout)
	}
	if !strings.Contains(stdout, "0 threads written") {
		t.Errorf("second run summary %q: want 0 threads written (all unchanged)", stdout)
	}
	t.Logf("requests: first run %d, second run %d (%d answered 304)", first, requests-first, notModified)
}
