package hackernews

import (
	"bytes"
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/threadlens/threadlens/scrape"
)

// Adapter parses Hacker News item pages and API JSON. The zero value is
// ready to use and safe for concurrent use.
type Adapter struct{}

// New returns the hackernews adapter.
func New() scrape.Adapter { return Adapter{} }

// Name returns "hackernews".
func (Adapter) Name() string { return scrape.SiteHackerNews }

var (
	// HTML item pages: a story or comment row class and HN's own markers.
	athingRe = regexp.MustCompile(`class=["']?athing`)
	hnMarkRe = regexp.MustCompile(`class=["']?(fatitem|comment-tree|athing comtr|hnuser)|news\.ycombinator\.com|<html[^>]*\bop=["']?item`)
	// Algolia items: nested "children" with created_at_i.
	algoliaRe = regexp.MustCompile(`"created_at_i"\s*:`)
	// Firebase items: "type" of an HN item with a numeric "time".
	firebaseTypeRe = regexp.MustCompile(`"type"\s*:\s*"(story|comment|job|poll|pollopt)"`)
	firebaseTimeRe = regexp.MustCompile(`"time"\s*:\s*\d`)
)

// Sniff accepts HN item pages (tr.athing rows together with HN markup), an
// Algolia items/<id> object, and a Firebase item/<id>.json object.
func (Adapter) Sniff(_ string, head []byte) bool {
	h := bytes.TrimLeft(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n")
	if len(h) == 0 {
		return false
	}
	if h[0] == '{' {
		if algoliaRe.Match(h) && bytes.Contains(h, []byte(`"children"`)) &&
			!bytes.Contains(h, []byte(`"_highlightResult"`)) && !bytes.Contains(h, []byte(`"post_stream"`)) {
			return true
		}
		return firebaseTypeRe.Match(h) && firebaseTimeRe.Match(h) && !bytes.Contains(h, []byte(`"created_at_i"`))
	}
	if h[0] != '<' {
		return false
	}
	return athingRe.Match(h) && hnMarkRe.Match(h)
}

// Parse parses an item page or API JSON into a thread.
func (a Adapter) Parse(ctx context.Context, p *scrape.Page, _ scrape.Env) (*scrape.Thread, error) {
	h := bytes.TrimLeft(bytes.TrimPrefix(p.Body, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n")
	if len(h) > 0 && h[0] == '{' {
		return a.parseJSON(p)
	}
	return a.parseHTML(ctx, p)
}

// itemURL is the canonical URL of an HN item.
func itemURL(id string) string { return "https://news.ycombinator.com/item?id=" + id }

// algoliaItemsURL is the Algolia API's item endpoint.
const algoliaItemsURL = "https://hn.algolia.com/api/v1/items/"

var (
	digitsRe       = regexp.MustCompile(`^[0-9]+$`)
	firebasePathRe = regexp.MustCompile(`^/v0/item/([0-9]+)\.json$`)
	algoliaPathRe  = regexp.MustCompile(`^/api/v1/items/([0-9]+)/?$`)
)

// ItemURLs maps the URL of a Hacker News item — an item page
// (news.ycombinator.com/item?id=N), a Firebase item URL
// (hacker-news.firebaseio.com/v0/item/N.json) or an Algolia items URL — to
// the Algolia API URL that returns the item with its whole comment tree
// (https://hn.algolia.com/api/v1/items/N). ok is false for any other URL.
func ItemURLs(u string) (apiURL string, ok bool) {
	pu, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") {
		return "", false
	}
	host := strings.ToLower(pu.Hostname())
	var id string
	switch {
	case host == "news.ycombinator.com" || host == "ycombinator.com" || host == "www.ycombinator.com":
		if strings.TrimSuffix(pu.Path, "/") != "/item" {
			return "", false
		}
		id = pu.Query().Get("id")
	case host == "hacker-news.firebaseio.com":
		if m := firebasePathRe.FindStringSubmatch(pu.Path); m != nil {
			id = m[1]
		}
	case host == "hn.algolia.com":
		if m := algoliaPathRe.FindStringSubmatch(pu.Path); m != nil {
			id = m[1]
		}
	}
	if !digitsRe.MatchString(id) {
		return "", false
	}
	return algoliaItemsURL + id, true
}

// isRemovedText reports whether a comment's whole text is HN's marker for
// a deleted, flagged or dead comment.
func isRemovedText(s string) bool {
	switch strings.TrimSpace(s) {
	case "[deleted]", "[flagged]", "[dead]":
		return true
	}
	return false
}

// parseAge reads span.age's title: "2023-07-21T19:51:36" (UTC) or, on newer
// pages, "2023-07-23T13:02:11 1690117331", where the epoch is used.
func parseAge(title string) (*time.Time, bool) {
	fields := strings.Fields(title)
	if len(fields) == 0 {
		return nil, false
	}
	if len(fields) > 1 {
		if sec, err := strconv.ParseInt(fields[len(fields)-1], 10, 64); err == nil && sec > 0 {
			ts := time.Unix(sec, 0).UTC()
			return &ts, true
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05", time.RFC3339, "2006-01-02T15:04:05.000Z", "2006-01-02 15:04:05"} {
		if ts, err := time.ParseInLocation(layout, fields[0], time.UTC); err == nil {
			ts = ts.UTC()
			return &ts, true
		}
	}
	return nil, false
}
