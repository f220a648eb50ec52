package fetch_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/threadlens/threadlens/scrape"
	"github.com/threadlens/threadlens/scrape/fetch"
	"github.com/threadlens/threadlens/scrape/fixtureserver"
	"github.com/threadlens/threadlens/scrape/scrapetest"
	"github.com/threadlens/threadlens/scrape/wordpress"
)

// TestCorpusOverHTTPAndWARC serves every WordPress corpus page from the
// fixture server, fetches it with --warc-out, and checks that (1) the
// fetched body is byte-identical to the file read locally and parses to
// the same comments, and (2) reading the WARC back gives pages that parse
// to identical threads (identity, source, URL, fetch time, comments).
func TestCorpusOverHTTPAndWARC(t *testing.T) {
	t.Parallel()
	corpus := scrapetest.CorpusDir(t)
	files, err := filepath.Glob(filepath.Join(corpus, "wordpress", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus pages: %v", err)
	}
	srv := fixtureserver.New(t, corpus)
	warcPath := filepath.Join(t.TempDir(), "run.warc.gz")
	f := newFetcher(t, srv, func(c *fetch.Config) { c.WARCOut = warcPath })
	adapter := wordpress.New()
	ctx := context.Background()

	fetched := map[string]*scrape.Thread{}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			local, err := scrape.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			page, err := f.Fetch(ctx, srv.URL+"/corpus/wordpress/"+name)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(page.Body, local.Body) {
				t.Fatalf("body over HTTP (%d bytes) differs from the file (%d bytes)", len(page.Body), len(local.Body))
			}
			th, errHTTP := adapter.Parse(ctx, page, scrape.Env{})
			lt, errFile := adapter.Parse(ctx, local, scrape.Env{})
			if (errHTTP == nil) != (errFile == nil) {
				t.Fatalf("parse errors differ: http %v, file %v", errHTTP, errFile)
			}
			if th == nil || lt == nil {
				t.Skipf("adapter gave no thread: %v", errHTTP)
			}
			if !reflect.DeepEqual(th.Comments, lt.Comments) {
				t.Errorf("comments over HTTP differ from the file's (%d vs %d)", len(th.Comments), len(lt.Comments))
			}
			fetched[page.URL] = th
		})
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	st := f.Stats()
	t.Logf("fetched %d pages, %d bytes, %d requests", st.Pages, st.Bytes, st.Requests)

	r, err := scrape.OpenWARC(warcPath)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n := 0
	for r.Next() {
		p := r.Page()
		want, ok := fetched[p.URL]
		if !ok {
			t.Errorf("WARC page %s was not fetched", p.URL)
			continue
		}
		n++
		got, _ := adapter.Parse(ctx, p, scrape.Env{})
		if got == nil {
			t.Errorf("%s: no thread from the WARC", p.URL)
			continue
		}
		if got.ID != want.ID || got.Source != want.Source || got.URL != want.URL || !got.FetchedAt.Equal(want.FetchedAt) {
			t.Errorf("%s: WARC thread %q/%q/%q/%v, fetched %q/%q/%q/%v", p.URL,
				got.ID, got.Source, got.URL, got.FetchedAt, want.ID, want.Source, want.URL, want.FetchedAt)
		}
		if !reflect.DeepEqual(got.Comments, want.Comments) || got.Title != want.Title || got.Body != want.Body {
			t.Errorf("%s: WARC thread content differs from the fetched one", p.URL)
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(fetched) {
		t.Errorf("WARC held %d of %d fetched pages", n, len(fetched))
	}
	t.Logf("WARC: %d records, %d pages, skipped %v", r.Records(), n, r.Skipped())
	if info, err := os.Stat(warcPath); err == nil {
		t.Logf("WARC size %d bytes", info.Size())
	}
}

// BenchmarkFetch measures requests/s against one local host through the
// whole chain (robots gate, limiter, deadline) on the real clock: at the
// default rate of 1/s it is the limiter's pace; at 1000/s the chain's
// overhead shows. Run with a short -benchtime, e.g. 5x.
func BenchmarkFetch(b *testing.B) {
	for _, bc := range []struct {
		name string
		rate float64
	}{{"default-1rps", 0}, {"1000rps", 1000}} {
		b.Run(bc.name, func(b *testing.B) {
			srv := fixtureserver.New(b, "")
			f, err := fetch.New(fetch.Config{Version: "bench", Rate: bc.rate})
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			ctx := context.Background()
			if _, err := f.Fetch(ctx, srv.URL+"/page/warm"); err != nil { // robots.txt + first slot
				b.Fatal(err)
			}
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if _, err := f.Fetch(ctx, srv.URL+"/page/bench"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
		})
	}
}
