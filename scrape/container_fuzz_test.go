package scrape

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// FuzzContainers feeds arbitrary bytes to the parsers of outside input
// that source expansion uses. Properties: no panic; sitemap locations are
// absolute http(s) URLs and within the bound; decoded text is UTF-8.
func FuzzContainers(f *testing.F) {
	f.Add([]byte("\n<?xml version=\"1.0\"?><!-- c --><?pi x?><rss><channel><item><link>/a</link></item></channel></rss>"))
	f.Add([]byte(`<sitemapindex><sitemap><loc>https://e.org/s.xml</loc></sitemap></sitemapindex>`))
	f.Add([]byte("<urlset><url><loc> https://e.org/p </loc><image:image><image:loc>https://e.org/i.png</image:loc></image:image></url></urlset>"))
	f.Add([]byte("HTTP/1.1 200 OK200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n\x1f\x8b"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = sniffContainer(data)
		if sm, err := ParseSitemap(data, "https://example.org/sitemap.xml", 5); sm != nil {
			if len(sm.Locs) > 5 {
				t.Fatalf("%d locs over the bound", len(sm.Locs))
			}
			for _, u := range sm.Locs {
				if _, ok := absoluteHTTP(u); !ok {
					t.Fatalf("loc %q not absolute http(s) (err %v)", u, err)
				}
			}
		}
		_, _ = ParseFeed(data, "https://example.org/feed/")
		_, _, _, _ = readHTTPResponse(bytes.NewReader(data))
		if out := DecodeCharset(data, ""); !utf8.Valid(out) {
			t.Fatalf("DecodeCharset output not UTF-8: %q", out)
		}
	})
}
