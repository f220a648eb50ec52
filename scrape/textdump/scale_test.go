package textdump_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/threadlens/threadlens/scrape"
	"github.com/threadlens/threadlens/scrape/adapters"
	"github.com/threadlens/threadlens/scrape/scrapetest"
	"github.com/threadlens/threadlens/scrape/textdump"
)

// indent returns cols columns of indentation as tabs then spaces, so that
// a 10,000-deep chain stays a few megabytes.
func indent(cols int) string {
	return strings.Repeat("\t", cols/8) + strings.Repeat(" ", cols%8)
}

func TestDeepChain(t *testing.T) {
	t.Parallel()
	const depth = 10_000
	var b strings.Builder
	b.WriteString(head)
	for d := 1; d <= depth; d++ {
		b.WriteString(indent(2*d) + "1. a" + strconv.Itoa(d) + "*\n")
		if d%1000 == 0 || d == depth {
			b.WriteString(indent(2*d+2) + "level " + strconv.Itoa(d) + "\n")
		}
	}
	th, err := parseString(t, b.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(th.Comments) != depth {
		t.Fatalf("%d comments, want %d", len(th.Comments), depth)
	}
	last := th.Comments[depth-1]
	if last.Depth != depth || last.Text != "level 10000" || last.Author != "a10000" || len(last.ID) != 2*depth-1 {
		t.Errorf("deepest comment: depth %d, text %q, author %q, id length %d", last.Depth, last.Text, last.Author, len(last.ID))
	}
	if c := th.Comments[999]; c.Text != "level 1000" || c.Depth != 1000 {
		t.Errorf("comment at depth 1000: depth %d, text %q", c.Depth, c.Text)
	}
	checkTree(t, th)
}

func TestManySiblings(t *testing.T) {
	t.Parallel()
	const n = 100_000
	var b strings.Builder
	b.WriteString(head)
	for i := 1; i <= n; i++ {
		s := strconv.Itoa(i)
		b.WriteString("  " + s + ". user" + s + "*\n    comment " + s + "\n")
		if i%2 == 0 {
			b.WriteString("    1. reply" + s + "*\n")
		}
	}
	th, err := parseString(t, b.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(th.Comments) != n+n/2 {
		t.Fatalf("%d comments, want %d", len(th.Comments), n+n/2)
	}
	last := th.Comments[len(th.Comments)-1]
	if last.ID != "100000.1" || last.ParentID != "100000" || last.Depth != 2 || last.Text != "" {
		t.Errorf("last comment %+v", last)
	}
	checkTree(t, th)
}

// TestDetectSamples runs the bundled samples through the default
// registry: no earlier adapter may claim them, and textdump must.
func TestDetectSamples(t *testing.T) {
	t.Parallel()
	reg := adapters.Default()
	if names := reg.Names(); names[len(names)-1] != textdump.Name {
		t.Errorf("textdump must be the last adapter, got %v", names)
	}
	files, _ := filepath.Glob(filepath.Join(scrapetest.RepoRoot(t), "datasets", "samples", "*.txt"))
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p := &scrape.Page{Source: "sample:" + filepath.Base(f), Body: body}
		a, err := reg.Detect(p)
		if err != nil || a.Name() != textdump.Name {
			t.Errorf("%s: detected %v, %v; want textdump", f, a, err)
			continue
		}
		th, err := reg.Parse(context.Background(), p, "", scrape.Env{})
		if err != nil || th.Site != "textdump" || th.Source != p.Source {
			t.Errorf("%s: %v (site %q, source %q)", f, err, th.Site, th.Source)
		}
	}
}

// TestCorpusNotClaimed checks that textdump's Sniff rejects every page of
// the shared corpus (HTML, JSON, XML, WARC): they belong to other adapters.
func TestCorpusNotClaimed(t *testing.T) {
	t.Parallel()
	dir := scrapetest.CorpusDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
	a := textdump.New()
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		head := body[:min(len(body), scrape.SniffLen)]
		if a.Sniff("", head) {
			t.Errorf("%s: textdump claims a corpus page", f)
		}
	}
}

func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.txt"))
	for _, s := range seeds {
		body, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	for _, s := range []string{
		head + "  1. A*\n    a\n      1. B*\n        b\n  1. C*\n",
		"T\r\n\t1. x*\r\n\t  y\r\n  2. z**\n",
		"\uFEFF\n  1. *\n",
		"T\n    1. a*\n  1. b*\n      1. c*\n",
	} {
		f.Add([]byte(s))
	}
	a := textdump.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		a.Sniff("", body[:min(len(body), scrape.SniffLen)])
		th, err := a.Parse(context.Background(), &scrape.Page{Source: "fuzz", Body: body}, scrape.Env{})
		if th == nil {
			if err == nil {
				t.Fatal("nil thread without an error")
			}
			return
		}
		checkTree(t, th)
		for _, c := range th.Comments {
			if strings.ContainsRune(c.Text, '\r') || strings.HasSuffix(c.Text, " ") || strings.Contains(c.Text, "\n\n\n") {
				t.Fatalf("comment %s: text not normalised: %q", c.ID, c.Text)
			}
		}
		if !strings.HasPrefix(th.ID, "textdump:") || len(th.ID) == len("textdump:") {
			t.Fatalf("bad thread ID %q", th.ID)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	body, err := os.ReadFile(filepath.Join(scrapetest.RepoRoot(b), "datasets", "samples", "owning-a-payroll-mistake.txt"))
	if err != nil {
		b.Fatal(err)
	}
	a := textdump.New()
	p := &scrape.Page{Source: "bench", Body: body}
	b.SetBytes(int64(len(body)))
	comments := 0
	for b.Loop() {
		th, err := a.Parse(context.Background(), p, scrape.Env{})
		if err != nil {
			b.Fatal(err)
		}
		comments += len(th.Comments)
	}
	b.ReportMetric(float64(comments)/b.Elapsed().Seconds(), "comments/s")
}
