package scrape

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html/charset"
)

// DefaultMaxSitemapURLs bounds how many URLs one sitemap source (with all
// the sitemaps its indexes lead to) may yield: the sitemap protocol's own
// limit for one file.
const DefaultMaxSitemapURLs = 50000

// ErrTooManyURLs means a sitemap source led to more URLs than the bound;
// the URLs up to the bound were kept.
var ErrTooManyURLs = errors.New("too many URLs")

// Sitemap is one parsed sitemap file.
type Sitemap struct {
	// Index is true for a <sitemapindex>, whose Locs are further sitemaps;
	// false for a <urlset>, whose Locs are pages.
	Index bool
	// Locs are the <loc> values in document order, resolved to absolute
	// URLs when the sitemap's own URL is known.
	Locs []string
}

// ParseSitemap reads a sitemap or sitemap index (a gzip-compressed one
// too) with encoding/xml, keeping at most maxLocs locations (0 means
// [DefaultMaxSitemapURLs]); beyond that it returns what it kept and an
// error wrapping [ErrTooManyURLs]. base, when an absolute URL, resolves
// relative <loc> values (the protocol requires absolute ones, but sites
// get it wrong); relative locs with no base are dropped. A parse error
// midway returns the locations read so far and an error wrapping
// [ErrMalformed].
func ParseSitemap(body []byte, base string, maxLocs int) (*Sitemap, error) {
	if maxLocs <= 0 {
		maxLocs = DefaultMaxSitemapURLs
	}
	var r io.Reader = bytes.NewReader(body)
	if bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("%w: sitemap: %v", ErrMalformed, err)
		}
		r = io.LimitReader(zr, MaxFileSize)
	}
	baseURL, _ := absoluteHTTP(base)
	dec := xml.NewDecoder(r)
	dec.Strict = false
	dec.CharsetReader = charset.NewReaderLabel
	sm := &Sitemap{}
	rootSeen := false
	inLoc := false
	depth := 0
	var loc strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return sm, fmt.Errorf("%w: sitemap: %v", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if !rootSeen {
				rootSeen = true
				switch t.Name.Local {
				case "sitemapindex":
					sm.Index = true
				case "urlset":
				default:
					return nil, fmt.Errorf("%w: root element <%s> is not urlset or sitemapindex", ErrMalformed, t.Name.Local)
				}
			}
			// <loc> directly inside <url>/<sitemap> (depth 3), not
			// image:loc or video:loc deeper down.
			if t.Name.Local == "loc" && depth == 3 && t.Name.Space != "http://www.google.com/schemas/sitemap-image/1.1" {
				inLoc = true
				loc.Reset()
			}
		case xml.CharData:
			if inLoc {
				loc.Write(t)
			}
		case xml.EndElement:
			depth--
			if inLoc && t.Name.Local == "loc" {
				inLoc = false
				if u := resolveLoc(strings.TrimSpace(loc.String()), baseURL); u != "" {
					if len(sm.Locs) >= maxLocs {
						return sm, fmt.Errorf("%w: more than %d", ErrTooManyURLs, maxLocs)
					}
					sm.Locs = append(sm.Locs, u)
				}
			}
		}
	}
	if !rootSeen {
		return nil, fmt.Errorf("%w: no sitemap root element", ErrMalformed)
	}
	return sm, nil
}

func resolveLoc(loc string, base *url.URL) string {
	if loc == "" {
		return ""
	}
	ref, err := url.Parse(loc)
	if err != nil {
		return ""
	}
	if !ref.IsAbs() {
		if base == nil {
			return ""
		}
		ref = base.ResolveReference(ref)
	}
	if (ref.Scheme != "http" && ref.Scheme != "https") || ref.Host == "" {
		return ""
	}
	return ref.String()
}
