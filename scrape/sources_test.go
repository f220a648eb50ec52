package scrape_test

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/threadlens/threadlens/scrape"
	"github.com/threadlens/threadlens/scrape/adapters"
	"github.com/threadlens/threadlens/scrape/fetch"
	"github.com/threadlens/threadlens/scrape/fixtureserver"
	"github.com/threadlens/threadlens/scrape/scrapetest"
)

// newFetch returns a polite fetcher on the fixture server's fake clock.
func newFetch(t *testing.T, srv *fixtureserver.Server) scrape.FetchFunc {
	t.Helper()
	f, err := fetch.New(fetch.Config{Version: "test", Rate: 1000, Clock: srv.Clock, MaxTries: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f.Fetch
}

func collect(t *testing.T, l *scrape.Loader, sources ...string) []scrape.Item {
	t.Helper()
	return slices.Collect(l.Pages(context.Background(), sources))
}

// TestFeeds expands the corpus feeds and checks the item counts of
// SOURCES.md.
func TestFeeds(t *testing.T) {
	t.Parallel()
	corpus := scrapetest.CorpusDir(t)
	srv := fixtureserver.New(t, corpus)
	tests := []struct {
		name        string
		reason      string
		file        string
		served      bool // parse the feed as fetched from the fixture server
		wantLinks   int
		wantRelErrs int
	}{
		{name: "whizzy over HTTP", reason: "50 items, site-relative links resolved against the feed URL",
			file: "feeds/whizzy-feed.xml", served: true, wantLinks: 50},
		{name: "whizzy local", reason: "relative links and a relative channel <link>: each item a clear failure",
			file: "feeds/whizzy-feed.xml", wantRelErrs: 50},
		{name: "techcrunch local", reason: "20 items with absolute links; a newline before <?xml",
			file: "feeds/techcrunch-2011-wordpresscom-feed.xml", wantLinks: 20},
		{name: "comments feed over HTTP", reason: "38 comment permalinks of one post collapse to the post's URL",
			file: "feeds/whizzy-cisco-7941-post-comments-feed.xml", served: true, wantLinks: 1},
		{name: "discourse rss", reason: "25 posts of one topic: distinct post URLs",
			file: "other/discourse-criticalfallibilism-t2144.rss", wantLinks: 25},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body, err := os.ReadFile(scrapetest.CorpusFile(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			feedURL := ""
			if tc.served {
				feedURL = srv.URL + "/corpus/" + tc.file
				p, err := newFetch(t, srv)(context.Background(), feedURL)
				if err != nil {
					t.Fatal(err)
				}
				body = p.Body
			}
			entries, err := scrape.ParseFeed(body, feedURL)
			if err != nil {
				t.Fatal(err)
			}
			links, relErrs := 0, 0
			for _, e := range entries {
				switch {
				case e.Err == nil:
					links++
					if tc.served && !strings.HasPrefix(e.Link, srv.URL+"/") {
						t.Errorf("link %s not resolved against %s", e.Link, feedURL)
					}
				case errors.Is(e.Err, scrape.ErrRelativeLink):
					relErrs++
				default:
					t.Errorf("entry error: %v", e.Err)
				}
			}
			t.Logf("%s: %d links, %d relative-link failures", tc.name, links, relErrs)
			if links != tc.wantLinks || relErrs != tc.wantRelErrs {
				t.Errorf("links=%d relErrs=%d, want %d, %d (%s)", links, relErrs, tc.wantLinks, tc.wantRelErrs, tc.reason)
			}
		})
	}
}

// TestSitemaps parses the corpus sitemaps and expands a sitemap index
// served by the fixture server, nested indexes and loops included.
func TestSitemaps(t *testing.T) {
	t.Parallel()
	corpus := scrapetest.CorpusDir(t)
	for _, tc := range []struct {
		file      string
		wantIndex bool
		wantLocs  int
		reason    string
	}{
		{"feeds/yoast-sitemap-index.xml", true, 22, "Yoast index with an xml-stylesheet PI"},
		{"feeds/yoast-post-sitemap2.xml", false, 66, "urlset; image:loc children are not pages"},
		{"feeds/wordpress-org-sitemap-index.xml", true, 3, "comments and a PI before the root"},
	} {
		body, err := os.ReadFile(scrapetest.CorpusFile(t, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		sm, err := scrape.ParseSitemap(body, "", 0)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		t.Logf("%s: index=%v locs=%d", tc.file, sm.Index, len(sm.Locs))
		if sm.Index != tc.wantIndex || len(sm.Locs) != tc.wantLocs {
			t.Errorf("%s: index=%v locs=%d, want %v, %d (%s)", tc.file, sm.Index, len(sm.Locs), tc.wantIndex, tc.wantLocs, tc.reason)
		}
	}

	t.Run("yoast index over HTTP", func(t *testing.T) {
		srv := fixtureserver.New(t, corpus)
		l := &scrape.Loader{Fetch: newFetch(t, srv)}
		src := srv.Mirror("yoast.com", "feeds/yoast-sitemap-index.xml")
		items := collect(t, l, src)
		pages, errs := 0, 0
		for _, it := range items {
			if it.Err != nil {
				errs++
				continue
			}
			pages++
			if it.Inside != src {
				t.Errorf("page %s Inside %q, want %q", it.Page.Source, it.Inside, src)
			}
		}
		sitemapReqs := 0
		for _, name := range []string{"post-sitemap.xml", "post-sitemap2.xml", "page-sitemap.xml"} {
			sitemapReqs += srv.Count("/mirror/yoast.com/" + name)
		}
		t.Logf("yoast: %d pages, %d failed child sitemaps, stats %+v", pages, errs, l.Stats())
		// 22 child sitemaps: post-sitemap2.xml is in the corpus (66 URLs),
		// the other 21 answer 404 and are reported as failures.
		if pages != 66 || errs != 21 || sitemapReqs != 3 {
			t.Errorf("pages=%d errs=%d requests to 3 sample sitemaps=%d, want 66, 21, 3", pages, errs, sitemapReqs)
		}
	})

	t.Run("loop", func(t *testing.T) {
		srv := fixtureserver.New(t, "")
		l := &scrape.Loader{Fetch: newFetch(t, srv)}
		items := collect(t, l, srv.URL+"/sitemaps/loop.xml")
		var got []string
		for _, it := range items {
			if it.Err != nil {
				t.Errorf("unexpected error: %v", it.Err)
				continue
			}
			got = append(got, strings.TrimPrefix(it.Page.Source, srv.URL))
		}
		if !slices.Equal(got, []string{"/page/s1", "/page/s2", "/page/s3"}) {
			t.Errorf("pages %v, want s1..s3 once each", got)
		}
		for _, p := range []string{"/sitemaps/loop.xml", "/sitemaps/loop-2.xml", "/sitemaps/urls.xml"} {
			if n := srv.Count(p); n != 1 {
				t.Errorf("%s fetched %d times, want 1", p, n)
			}
		}
	})

	t.Run("bound", func(t *testing.T) {
		srv := fixtureserver.New(t, "")
		l := &scrape.Loader{Fetch: newFetch(t, srv), MaxSitemapURLs: 2}
		items := collect(t, l, srv.URL+"/sitemaps/loop.xml")
		if len(items) != 3 || items[0].Err != nil || items[1].Err != nil || !errors.Is(items[2].Err, scrape.ErrTooManyURLs) {
			t.Errorf("bounded expansion gave %d items (last err %v), want 2 pages then ErrTooManyURLs", len(items), items[len(items)-1].Err)
		}
	})
}

// TestWARC reads the corpus WARC files: record and page counts, skipped
// records by kind, de-chunking, gzip decoding, and (through the registry)
// zero threads, every page skipped as not a thread.
func TestWARC(t *testing.T) {
	t.Parallel()
	reg := adapters.Default()
	tests := []struct {
		file        string
		reason      string
		wantRecords int
		wantPage    string // target URI of the one page
		wantBody    string // the page body starts with it (after trimming space)
		wantSkipped map[string]int
	}{
		{file: "warc/node-warc-parseMe-stringjs.warc.gz",
			reason:      "browser capture: 1 HTML page; a TE: chunked header over an already de-chunked body; 'HTTP/1.1 200 OK200 OK' tolerated",
			wantRecords: 30, wantPage: "http://stringjs.com/", wantBody: "<!DOCTYPE html>",
			wantSkipped: map[string]int{"warcinfo": 1, "metadata": 1, "request": 14, scrape.WARCSkipNon200: 6, scrape.WARCSkipNotPage: 7}},
		{file: "warc/warcio-example.warc.gz", reason: "gzip content-encoding decoded; a revisit skipped",
			wantRecords: 6, wantPage: "http://example.com/", wantBody: "<!doctype html>",
			wantSkipped: map[string]int{"warcinfo": 2, "request": 2, "revisit": 1}},
		{file: "warc/warcio-example-iana-chunked.warc", reason: "uncompressed WARC, chunked payload de-chunked",
			wantRecords: 3, wantPage: "http://www.iana.org/", wantBody: "<!doctype html>",
			wantSkipped: map[string]int{"warcinfo": 1, "request": 1}},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			t.Parallel()
			path := scrapetest.CorpusFile(t, tc.file)
			l := &scrape.Loader{}
			items := collect(t, l, path)
			var pages []*scrape.Page
			for _, it := range items {
				if it.Err != nil {
					t.Fatalf("error item: %v", it.Err)
				}
				if it.Inside != path {
					t.Errorf("Inside = %q, want the WARC", it.Inside)
				}
				pages = append(pages, it.Page)
			}
			st := l.Stats()
			t.Logf("%s: %d records, %d pages, skipped %v", tc.file, st.WARCRecords, len(pages), st.WARCSkipped)
			if st.WARCRecords != tc.wantRecords || len(pages) != 1 || !maps.Equal(st.WARCSkipped, tc.wantSkipped) {
				t.Fatalf("records=%d pages=%d skipped=%v, want %d, 1, %v (%s)", st.WARCRecords, len(pages), st.WARCSkipped, tc.wantRecords, tc.wantSkipped, tc.reason)
			}
			p := pages[0]
			if p.Source != tc.wantPage || p.URL != tc.wantPage || p.FetchedAt.IsZero() {
				t.Errorf("page Source=%q URL=%q FetchedAt=%v, want %q and the WARC-Date", p.Source, p.URL, p.FetchedAt, tc.wantPage)
			}
			if body := strings.TrimSpace(string(p.Body)); !strings.HasPrefix(strings.ToLower(body), strings.ToLower(tc.wantBody)) {
				t.Errorf("body starts %q, want %q (%s)", body[:min(len(body), 40)], tc.wantBody, tc.reason)
			}
			if th, err := reg.Parse(context.Background(), p, "", scrape.Env{}); th != nil || !errors.Is(err, scrape.ErrNoThread) {
				t.Errorf("registry on %s: thread %v, err %v; want no thread (skipped as not a thread)", p.URL, th != nil, err)
			}
		})
	}
}

// TestLoaderSources mixes lists, stdin, globs, directories and URLs.
func TestLoaderSources(t *testing.T) {
	t.Parallel()
	srv := fixtureserver.New(t, "")
	dir := t.TempDir()
	write := func(rel, content string) string {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("pages/a.html", "<p>a</p>")
	write("pages/b.html", "<p>b</p>")
	write("pages/.hidden.html", "<p>hidden</p>")
	write("sub/c.html", "<p>c</p>")
	write("sub/list2.txt", "# nested list, paths relative to sub/\nc.html\n@../loop.txt\n")
	write("loop.txt", "@sub/list2.txt\n")
	list := write("list.txt", "# a comment\n\npages/a.html\n  "+srv.URL+"/page/one  \n@sub/list2.txt\n")

	l := &scrape.Loader{Fetch: newFetch(t, srv), Stdin: strings.NewReader(srv.URL + "/page/two\n# c\n" + filepath.Join(dir, "pages") + "\n")}
	items := collect(t, l, "@"+list, "-", filepath.Join(dir, "sub", "*.html"), filepath.Join(dir, "missing.html"))
	type row struct{ source, inside, err string }
	var got []row
	for _, it := range items {
		r := row{}
		if it.Err != nil {
			r.err = it.Err.Error()
		} else {
			r.source = strings.TrimPrefix(strings.TrimPrefix(it.Page.Source, dir), srv.URL)
		}
		r.inside = strings.TrimPrefix(it.Inside, dir)
		got = append(got, r)
	}
	want := []row{
		{source: "/pages/a.html"},
		{source: "/page/one"},
		{source: "/sub/c.html"},
		{err: "list already read"}, // loop.txt → list2.txt again
		{source: "/page/two"},
		{source: "/pages/a.html", inside: "/pages"},
		{source: "/pages/b.html", inside: "/pages"},
		{source: "/sub/c.html"},
		{err: "no such file"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d items, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.source != w.source || g.inside != w.inside || (w.err == "") != (g.err == "") || !strings.Contains(g.err, w.err) {
			t.Errorf("item %d = %+v, want %+v", i, g, w)
		}
	}
}

// TestLoaderRewriteAndLocalFeed checks the Rewrite hook (the page keeps
// the URL as given as Source) and a local feed expanded without a fetcher.
func TestLoaderRewriteAndLocalFeed(t *testing.T) {
	t.Parallel()
	srv := fixtureserver.New(t, "")
	l := &scrape.Loader{Fetch: newFetch(t, srv), Rewrite: func(u string) string {
		if strings.HasSuffix(u, "/thread") {
			return u + "-json"
		}
		return u
	}}
	items := collect(t, l, srv.URL+"/page/thread")
	if len(items) != 1 || items[0].Err != nil {
		t.Fatalf("items %+v", items)
	}
	if items[0].Page.Source != srv.URL+"/page/thread" || srv.Count("/page/thread-json") != 1 || srv.Count("/page/thread") != 0 {
		t.Errorf("Source %q; requests thread-json=%d thread=%d", items[0].Page.Source, srv.Count("/page/thread-json"), srv.Count("/page/thread"))
	}

	corpus := scrapetest.CorpusDir(t)
	feed := filepath.Join(corpus, "feeds", "techcrunch-2011-wordpresscom-feed.xml")
	items = collect(t, &scrape.Loader{}, feed)
	if len(items) != 20 {
		t.Fatalf("local feed gave %d items, want 20", len(items))
	}
	for _, it := range items {
		if it.Err == nil || !strings.Contains(it.Err.Error(), "fetching URLs is not available") || it.Inside != feed {
			t.Errorf("item %+v: want a fetch-unavailable error inside the feed", it)
			break
		}
	}
}

// TestDecodeCharset checks the encoding rules.
func TestDecodeCharset(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reason, contentType, body, want string
	}{
		{"header", "charset from Content-Type", "text/html; charset=windows-1252", "caf\xe9", "café"},
		{"meta", "charset from <meta>", "text/html", `<meta charset="iso-8859-1"><p>caf` + "\xe9", `<meta charset="iso-8859-1"><p>café`},
		{"utf8 beats stale meta", "valid UTF-8 kept despite a Latin-1 meta", "", `<meta charset="iso-8859-1"><p>café`, `<meta charset="iso-8859-1"><p>café`},
		{"no declaration", "invalid UTF-8 without declaration: windows-1252", "", "<p>caf\xe9 \x93q\x94", "<p>café \u201cq\u201d"},
		{"xml declaration", "XML encoding decoded and the declaration rewritten", "", `<?xml version="1.0" encoding="ISO-8859-1"?><rss>caf` + "\xe9", `<?xml version="1.0" encoding="UTF-8"?><rss>café`},
		{"json", "JSON is UTF-8 by definition", "application/json", `{"a":"caf` + "\xe9" + `"}`, `{"a":"caf` + "\xe9" + `"}`},
	}
	for _, tc := range tests {
		if got := string(scrape.DecodeCharset([]byte(tc.body), tc.contentType)); got != tc.want {
			t.Errorf("%s: got %q, want %q (%s)", tc.name, got, tc.want, tc.reason)
		}
	}
}
