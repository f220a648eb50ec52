package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/threadlens/threadlens/datasets"
	"github.com/threadlens/threadlens/scrape/scrapetest"
)

// TestWARCOutRebuildsDataset fetches threads over HTTP with --warc-out,
// then builds a second dataset from that WARC alone: both datasets hold the
// same threads and comments, field for field.
func TestWARCOutRebuildsDataset(t *testing.T) {
	corpus := scrapetest.CorpusDir(t)
	pages := map[string]string{
		"/a/": "wordpress/lemire-json-parsing-simdjson.html",
		"/b/": "wordpress/netzpolitik-cider-connection-abmahnungen.html",
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, err := os.ReadFile(filepath.Join(corpus, rel))
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b)
	}))
	defer srv.Close()

	tmp := t.TempDir()
	warc := filepath.Join(tmp, "crawl.warc.gz")
	live, fromWARC := filepath.Join(tmp, "live"), filepath.Join(tmp, "replay")
	code, stdout, stderr := runCLI(t, "--out", live, "--log-level", "error", "--rate", "1000",
		"--warc-out", warc, srv.URL+"/a/", srv.URL+"/b/")
	if code != exitOK {
		t.Fatalf("live run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	srv.Close() // the replay must not need the server
	code, stdout, stderr = runCLI(t, "--out", fromWARC, "--log-level", "error", warc)
	if code != exitOK {
		t.Fatalf("replay run: exit %d\n%s\n%s", code, stdout, stderr)
	}

	liveThreads := readSorted[datasets.ThreadRow](t, live, "threads", func(r datasets.ThreadRow) string { return r.ThreadID })
	replayThreads := readSorted[datasets.ThreadRow](t, fromWARC, "threads", func(r datasets.ThreadRow) string { return r.ThreadID })
	if len(liveThreads) != len(pages) {
		t.Fatalf("live run wrote %d threads, want %d", len(liveThreads), len(pages))
	}
	if !reflect.DeepEqual(liveThreads, replayThreads) {
		t.Errorf("threads differ between the live run and the WARC replay:\nlive   %+v\nreplay %+v", liveThreads, replayThreads)
	}
	key := func(r datasets.CommentRow) string { return r.ThreadID + "\x00" + r.CommentID }
	liveComments := readSorted[datasets.CommentRow](t, live, "comments", key)
	replayComments := readSorted[datasets.CommentRow](t, fromWARC, "comments", key)
	if len(liveComments) == 0 || !reflect.DeepEqual(liveComments, replayComments) {
		t.Errorf("comments differ: live %d rows, replay %d rows", len(liveComments), len(replayComments))
	}
}

func readSorted[T any](t *testing.T, dir, table string, key func(T) string) []T {
	t.Helper()
	rows, err := datasets.ReadTable[T](dir, table)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(rows, func(a, b T) int { return strings.Compare(key(a), key(b)) })
	return rows
}
