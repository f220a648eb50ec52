package scrape

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed"
)

// containerKind says how a source is expanded: as a page, or as a
// container of further pages.
type containerKind int

const (
	kindPage containerKind = iota
	kindFeed
	kindSitemap
	kindWARC
)

// containerSniffLen bounds how far sniffContainer looks for a root element;
// feeds can carry long stylesheet PIs and comments before it.
const containerSniffLen = 64 << 10

// sniffContainer classifies a page's bytes: an XML document whose root is
// rss, rdf:RDF or feed is a feed; urlset or sitemapindex a sitemap; a
// "WARC/" record or a gzip stream of one (checked by the caller from the
// name) a WARC; anything else a page.
func sniffContainer(body []byte) containerKind {
	switch strings.ToLower(xmlRoot(body[:min(len(body), containerSniffLen)])) {
	case "rss", "rdf", "feed":
		return kindFeed
	case "urlset", "sitemapindex":
		return kindSitemap
	}
	if bytes.HasPrefix(body, []byte("WARC/1.")) {
		return kindWARC
	}
	return kindPage
}

// xmlRoot returns the local name of the first element of an XML document,
// skipping a byte-order mark, white space, the XML declaration, processing
// instructions, comments and a DOCTYPE. It returns "" when head does not
// start like XML (an HTML page returns "html").
func xmlRoot(head []byte) string {
	s := bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	for {
		s = bytes.TrimLeft(s, " \t\r\n")
		switch {
		case bytes.HasPrefix(s, []byte("<?")):
			end := bytes.Index(s, []byte("?>"))
			if end < 0 {
				return ""
			}
			s = s[end+2:]
		case bytes.HasPrefix(s, []byte("<!--")):
			end := bytes.Index(s[4:], []byte("-->"))
			if end < 0 {
				return ""
			}
			s = s[4+end+3:]
		case bytes.HasPrefix(s, []byte("<!")):
			end := bytes.IndexByte(s, '>')
			if end < 0 {
				return ""
			}
			s = s[end+1:]
		case bytes.HasPrefix(s, []byte("<")):
			name := s[1:]
			end := bytes.IndexAny(name, " \t\r\n/>")
			if end < 0 {
				return ""
			}
			name = name[:end]
			if i := bytes.IndexByte(name, ':'); i >= 0 {
				name = name[i+1:]
			}
			return string(name)
		default:
			return ""
		}
	}
}

// ErrRelativeLink means a link in a local feed is relative and the feed
// names no absolute URL to resolve it against.
var ErrRelativeLink = errors.New("relative link with no absolute base URL")

// FeedEntry is one item of an RSS or Atom feed.
type FeedEntry struct {
	// Title is the item's title, for messages.
	Title string
	// Link is the item's link as an absolute http(s) URL without its
	// fragment; empty when Err is set.
	Link string
	// Err says why the item has no usable link (wrapping
	// [ErrRelativeLink] for a relative link that cannot be resolved).
	Err error
}

// ParseFeed parses an RSS, RDF or Atom feed (via gofeed) and returns its
// items' links in feed order. Relative links are resolved against
// feedURL when it is an absolute http(s) URL (a fetched feed), else
// against the feed's self link or channel <link> when absolute (a saved
// feed file); when none is, the entry carries an error wrapping
// [ErrRelativeLink]. Fragments are dropped (a comments feed links every
// comment of one post) and repeated links are kept once.
func ParseFeed(body []byte, feedURL string) ([]FeedEntry, error) {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: feed: %v", ErrMalformed, err)
	}
	var base *url.URL
	for _, cand := range []string{feedURL, feed.FeedLink, feed.Link} {
		if u, ok := absoluteHTTP(cand); ok {
			base = u
			break
		}
	}
	seen := make(map[string]bool, len(feed.Items))
	entries := make([]FeedEntry, 0, len(feed.Items))
	for i, item := range feed.Items {
		if item == nil {
			continue
		}
		e := FeedEntry{Title: strings.TrimSpace(item.Title)}
		link := strings.TrimSpace(item.Link)
		if link == "" && len(item.Links) > 0 {
			link = strings.TrimSpace(item.Links[0])
		}
		if link == "" {
			if _, ok := absoluteHTTP(item.GUID); ok {
				link = strings.TrimSpace(item.GUID)
			}
		}
		name := fmt.Sprintf("item %d", i+1)
		if e.Title != "" {
			name = fmt.Sprintf("item %d (%q)", i+1, e.Title)
		}
		switch ref, perr := url.Parse(link); {
		case link == "":
			e.Err = fmt.Errorf("%s: no link", name)
		case perr != nil:
			e.Err = fmt.Errorf("%s: bad link %q: %v", name, link, perr)
		case ref.IsAbs():
			e.Link = stripFragment(ref)
		case base != nil:
			e.Link = stripFragment(base.ResolveReference(ref))
		default:
			e.Err = fmt.Errorf("%s: link %q: %w (give the feed's URL instead of a saved file)", name, link, ErrRelativeLink)
		}
		if e.Link != "" {
			if u, ok := absoluteHTTP(e.Link); !ok || u.Host == "" {
				e.Err, e.Link = fmt.Errorf("%s: link %q is not an http(s) URL", name, link), ""
			}
		}
		if e.Link != "" {
			if seen[e.Link] {
				continue
			}
			seen[e.Link] = true
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// absoluteHTTP parses s and reports whether it is an absolute http(s) URL.
func absoluteHTTP(s string) (*url.URL, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, false
	}
	return u, true
}

func stripFragment(u *url.URL) string {
	c := *u
	c.Fragment, c.RawFragment = "", ""
	return c.String()
}
