package wordpress

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"github.com/threadlens/threadlens/scrape"
	"golang.org/x/net/html"
)

// MaxCommentPages bounds how many further comment pages of one thread are
// fetched when following the comments navigation.
const MaxCommentPages = 200

// Adapter parses WordPress post pages. It is safe for concurrent use.
type Adapter struct {
	sel *Selectors
	err error
}

// New returns the wordpress adapter driven by the embedded selector data.
func New() scrape.Adapter {
	sel, err := defaultSelectors()
	return &Adapter{sel: sel, err: err}
}

// NewWithSelectors returns a wordpress adapter driven by sel (see
// [ParseSelectors]), for trying out selector data for a new theme.
func NewWithSelectors(sel *Selectors) *Adapter {
	return &Adapter{sel: sel}
}

// Name returns "wordpress".
func (a *Adapter) Name() string { return scrape.SiteWordPress }

// Sniff reports whether head, the first bytes of a page, looks like an
// HTML page made by WordPress: an HTML start and one of the markers of
// the selector data (wp-content, the generator meta, comment-respond, …).
// The comments themselves are usually beyond the sniffed bytes.
func (a *Adapter) Sniff(_ string, head []byte) bool {
	if a.sel == nil {
		return false
	}
	lower := bytes.ToLower(head[:min(len(head), scrape.SniffLen)])
	if !looksHTML(lower) {
		return false
	}
	for _, m := range a.sel.Sniff {
		if bytes.Contains(lower, []byte(m)) {
			return true
		}
	}
	return false
}

// looksHTML reports whether the lower-cased head is an HTML document and
// not an XML feed or sitemap (which mention wp-content too).
func looksHTML(lower []byte) bool {
	for _, m := range []string{"<rss", "<feed", "<rdf:rdf", "<urlset", "<sitemapindex"} {
		if bytes.Contains(lower, []byte(m)) {
			return false
		}
	}
	for _, m := range []string{"<!doctype html", "<html", "<head", "<body"} {
		if bytes.Contains(lower, []byte(m)) {
			return true
		}
	}
	return false
}

// Parse parses a WordPress page into a thread. With env.Fetch set, the
// thread's other comment pages (/comment-page-N/, ?cpage=N) linked from
// the comments navigation are fetched, each once, and merged in page
// order (page 1 holds the oldest threads); comments seen on two pages are
// kept once. Without env.Fetch only p is parsed. A fetch failure keeps
// the comments gathered so far and is returned with the thread.
func (a *Adapter) Parse(ctx context.Context, p *scrape.Page, env scrape.Env) (*scrape.Thread, error) {
	if a.err != nil {
		return nil, a.parseError(p, a.err)
	}
	if a.sel == nil {
		return nil, a.parseError(p, errors.New("no selector data"))
	}
	first, err := a.parsePage(p)
	if err != nil {
		return nil, a.parseError(p, err)
	}
	t := &scrape.Thread{
		Site:      scrape.SiteWordPress,
		Source:    p.Source,
		FetchedAt: p.FetchedAt,
	}
	a.fillPost(t, first, p)
	pages := []*parsedPage{first}
	var errs []error
	if env.Fetch != nil {
		more, err := a.followPages(ctx, first, env.Fetch)
		pages = append(pages, more...)
		if err != nil {
			errs = append(errs, err)
		}
	}
	t.Comments = mergePages(pages)
	if v := first.comments.variant; v != nil {
		slog.Debug("wordpress: parsed", "source", p.Source, "variant", v.Name,
			"comments", len(t.Comments), "excluded", first.comments.excluded, "pages", len(pages))
	}
	t.Comments, t.Repairs = scrape.BuildTree(t.Comments)
	if len(errs) > 0 {
		return t, a.parseError(p, errors.Join(errs...))
	}
	return t, nil
}

func (a *Adapter) parseError(p *scrape.Page, err error) error {
	var pe *scrape.ParseError
	if errors.As(err, &pe) {
		return err
	}
	return &scrape.ParseError{Adapter: scrape.SiteWordPress, Source: p.Source, Err: err}
}

// parsedPage is one comment page of a thread.
type parsedPage struct {
	doc      *goquery.Document
	nodes    []*html.Node
	comments pageComments
	// base is the absolute URL relative links resolve against; nil when
	// the page has none (a local file without an absolute canonical).
	base *url.URL
	// key identifies the thread (canonical URL without scheme, comment
	// page, fragment or trailing slash); "" when unknown.
	key string
	// canonical is the thread's URL as found ("" when unknown) and
	// canonicalAbs whether it is absolute.
	canonical    *url.URL
	canonicalAbs bool
	// number is the comment page number, 0 when not known.
	number int
	// links are other comment pages of the same thread, absolute.
	links []*url.URL
	// source names the page in errors.
	source string
}

// parsePage parses one page's HTML and reads its comments, identity and
// comment-page links.
func (a *Adapter) parsePage(p *scrape.Page) (*parsedPage, error) {
	root, err := html.Parse(bytes.NewReader(p.Body))
	if err != nil && tooDeep(err) && len(a.sel.DeepRepairs) > 0 {
		repaired := p.Body
		for _, r := range a.sel.DeepRepairs {
			repaired = r.Find.ReplaceAll(repaired, r.Replace)
		}
		if !bytes.Equal(repaired, p.Body) {
			slog.Debug("wordpress: too deep, parsing with repairs", "source", p.Source)
			root, err = html.Parse(bytes.NewReader(repaired))
		}
	}
	if err != nil {
		if tooDeep(err) {
			return nil, fmt.Errorf("%w: %v", scrape.ErrTooDeep, err)
		}
		return nil, fmt.Errorf("%w: %v", scrape.ErrMalformed, err)
	}
	pg := &parsedPage{doc: goquery.NewDocumentFromNode(root), nodes: elements(root), source: p.Source}
	pg.comments = a.sel.extractComments(pg.nodes)

	var fetched *url.URL
	if p.URL != "" {
		if u, err := url.Parse(strings.TrimSpace(p.URL)); err == nil && u.IsAbs() {
			fetched = u
		}
	}
	pg.base = fetched
	for _, rule := range a.sel.Post.URL {
		raw := firstValue(pg.doc, rule)
		if raw == "" {
			continue
		}
		u, err := url.Parse(raw)
		if err != nil {
			continue
		}
		if !u.IsAbs() && fetched != nil {
			u = fetched.ResolveReference(u)
		}
		if !u.IsAbs() && u.Path == "" {
			continue
		}
		pg.canonical, pg.canonicalAbs = u, u.IsAbs()
		break
	}
	if pg.canonical == nil && fetched != nil {
		pg.canonical, pg.canonicalAbs = fetched, true
	}
	if pg.base == nil && pg.canonicalAbs {
		pg.base = pg.canonical
	}
	if pg.canonical != nil {
		pg.key = threadKey(pg.canonical)
	}
	pg.number = a.pageNumber(pg, fetched)
	pg.links = a.pageLinks(pg)
	return pg, nil
}

// tooDeep reports whether err is the HTML parser's open-element limit.
func tooDeep(err error) bool {
	return strings.Contains(err.Error(), "open stack of elements exceeds")
}

// firstValue returns the first non-empty value rule yields in doc.
func firstValue(doc *goquery.Document, rule ValueRule) string {
	var out string
	doc.FindMatcher(rule.Select).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		var v string
		if rule.Attr != "" {
			var ok bool
			if v, ok = s.Attr(rule.Attr); !ok {
				// Re-serialized pages write <meta value=…> for content.
				v, _ = s.Attr("value")
			}
		} else {
			v = textContent(s.Get(0))
		}
		out = foldSpace(v)
		return out == ""
	})
	return out
}

// fillPost sets the thread's identity and post fields from its first page.
func (a *Adapter) fillPost(t *scrape.Thread, pg *parsedPage, p *scrape.Page) {
	for _, rule := range a.sel.Post.Title {
		if t.Title = firstValue(pg.doc, rule); t.Title != "" {
			break
		}
	}
	for _, rule := range a.sel.Post.Author {
		if t.Author = firstValue(pg.doc, rule); t.Author != "" {
			break
		}
	}
	for _, rule := range a.sel.Post.Published {
		if at, ok := parseZoned(firstValue(pg.doc, rule)); ok {
			t.PublishedAt = &at
			break
		}
	}
	t.Body = a.postBody(pg)
	t.DeclaredComments = a.declaredCount(pg.doc)
	switch {
	case pg.canonical != nil:
		t.ID = scrape.SiteWordPress + ":" + pg.key
		if pg.canonicalAbs {
			t.URL = threadURL(pg.canonical)
		}
	default:
		// A local file with no canonical, og:url, shortlink or fetch URL:
		// the identity is a slug of the title, stable across runs.
		t.ID = scrape.SiteWordPress + ":title/" + slug(t.Title)
	}
}

// postBody is the text of the post's content element, without the
// comments or what the selector data strips.
func (a *Adapter) postBody(pg *parsedPage) string {
	for _, rule := range a.sel.Post.Body {
		found := pg.doc.FindMatcher(rule.Select).Nodes
		if len(found) == 0 {
			continue
		}
		node := found[0]
		owner := pg.comments.owner
		clone := cloneFiltered(node, func(n *html.Node) bool {
			if n.Type != html.ElementNode {
				return true
			}
			if _, ok := owner[n]; ok {
				return false
			}
			return !a.sel.Post.BodyStrip.Match(n)
		})
		if text := scrape.TextFromHTML(clone); text != "" {
			return text
		}
	}
	return ""
}

// declaredCount reads the count the page shows ("38 Comments"), nil when
// none is shown.
func (a *Adapter) declaredCount(doc *goquery.Document) *int {
	c := a.sel.Count
	for _, sel := range c.Select {
		var found *int
		doc.FindMatcher(sel).EachWithBreak(func(_ int, s *goquery.Selection) bool {
			text := foldSpace(textContent(s.Get(0)))
			if len(text) > 300 {
				return true
			}
			for _, re := range c.Patterns {
				m := re.FindStringSubmatch(text)
				if m == nil {
					continue
				}
				if n, ok := c.number(m[re.SubexpIndex("n")]); ok {
					found = &n
					return false
				}
			}
			return true
		})
		if found != nil {
			return found
		}
	}
	return nil
}

// number reads "1,234", "1.234", "1 234" or a number word.
func (c CountRules) number(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if n, ok := c.Words[strings.ToLower(s)]; ok {
		return n, true
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		if r == ',' || r == '.' || unicode.IsSpace(r) {
			return -1
		}
		return 'x'
	}, s)
	n, err := strconv.Atoi(digits)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

var (
	commentPagePath = regexp.MustCompile(`/comment-page-(\d+)(/|$)`)
	trailingSlashes = regexp.MustCompile(`/+$`)
)

// commentPageOf returns the comment page number a URL names, 0 for none.
func commentPageOf(u *url.URL) int {
	if m := commentPagePath.FindStringSubmatch(u.Path); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	if v := u.Query().Get("cpage"); v != "" {
		n, _ := strconv.Atoi(v)
		return max(n, 0)
	}
	return 0
}

// threadBase returns u without scheme-independent noise: no fragment, no
// comment page, no cpage/replytocom query, lower-case host.
func threadBase(u *url.URL) *url.URL {
	c := *u
	c.Fragment, c.RawFragment = "", ""
	c.Host = strings.ToLower(c.Host)
	c.Path = commentPagePath.ReplaceAllString(c.Path, "$2")
	c.RawPath = ""
	q := c.Query()
	for key := range q {
		if key == "cpage" || key == "replytocom" || strings.HasPrefix(key, "utm_") {
			q.Del(key)
		}
	}
	c.RawQuery = q.Encode()
	return &c
}

// threadKey is the thread identity: host + path without trailing slash
// (+ "?query" when one remains, as in a shortlink ?p=N). A URL with no
// host (a relative canonical in a static export read from disk) keys by
// its path.
func threadKey(u *url.URL) string {
	b := threadBase(u)
	key := b.Host + trailingSlashes.ReplaceAllString(b.EscapedPath(), "")
	if b.RawQuery != "" {
		key += "?" + b.RawQuery
	}
	return key
}

// threadURL is the canonical URL as stored in Thread.URL.
func threadURL(u *url.URL) string {
	return threadBase(u).String()
}

// pageNumber works out which comment page pg is: from the fetched URL,
// the canonical URL, the comment permalinks of its own comments, or the
// navigation's current page. 0 when unknown.
func (a *Adapter) pageNumber(pg *parsedPage, fetched *url.URL) int {
	if fetched != nil {
		if n := commentPageOf(fetched); n > 0 {
			return n
		}
	}
	if pg.canonical != nil {
		if n := commentPageOf(pg.canonical); n > 0 {
			return n
		}
	}
	if sel := a.sel.Pagination.Permalinks; sel != nil {
		votes := map[int]int{}
		for _, n := range pg.nodes {
			if !sel.Match(n) {
				continue
			}
			u, err := url.Parse(attr(n, "href"))
			if err != nil {
				continue
			}
			id := strings.TrimPrefix(u.Fragment, "comment-")
			if !pg.comments.ids[id] {
				continue
			}
			if k := commentPageOf(u); k > 0 {
				votes[k]++
			}
		}
		best, bestVotes := 0, 0
		for k, v := range votes {
			if v > bestVotes || (v == bestVotes && k < best) {
				best, bestVotes = k, v
			}
		}
		if best > 0 {
			return best
		}
	}
	if sel := a.sel.Pagination.Current; sel != nil {
		for _, n := range pg.nodes {
			if sel.Match(n) {
				if k, err := strconv.Atoi(foldSpace(textContent(n))); err == nil && k > 0 {
					return k
				}
			}
		}
	}
	return 0
}

// pageLinks lists the links of pg's comments navigation that lead to
// another comment page of the same thread, resolved to absolute URLs.
func (a *Adapter) pageLinks(pg *parsedPage) []*url.URL {
	sel := a.sel.Pagination.Links
	if sel == nil || pg.key == "" {
		return nil
	}
	var out []*url.URL
	seen := map[string]bool{}
	for _, n := range pg.nodes {
		if !sel.Match(n) {
			continue
		}
		href := strings.TrimSpace(attr(n, "href"))
		if href == "" {
			continue
		}
		u, err := url.Parse(href)
		if err != nil {
			continue
		}
		if pg.base != nil {
			u = pg.base.ResolveReference(u)
		}
		if !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		if commentPageOf(u) == 0 || threadKey(u) != pg.key {
			continue
		}
		u.Fragment, u.RawFragment = "", ""
		if s := u.String(); !seen[s] {
			seen[s] = true
			out = append(out, u)
		}
	}
	return out
}

// visitKey identifies a fetched URL for loop prevention: scheme-less,
// without fragment or trailing slash.
func visitKey(u *url.URL) string {
	c := *u
	c.Fragment, c.RawFragment = "", ""
	return strings.ToLower(c.Host) + trailingSlashes.ReplaceAllString(c.EscapedPath(), "") + "?" + c.RawQuery
}

// followPages fetches every other comment page reachable from first's
// navigation (breadth first, each URL once, at most MaxCommentPages).
func (a *Adapter) followPages(ctx context.Context, first *parsedPage, fetch scrape.FetchFunc) ([]*parsedPage, error) {
	visited := map[string]bool{}
	byNumber := map[int]bool{}
	if first.number > 0 {
		byNumber[first.number] = true
	}
	for _, u := range []*url.URL{first.base, first.canonical} {
		if u != nil && u.IsAbs() {
			visited[visitKey(u)] = true
		}
	}
	queue := slices.Clone(first.links)
	var out []*parsedPage
	var errs []error
	fetches := 0
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		k := visitKey(u)
		if visited[k] || byNumber[commentPageOf(u)] {
			continue
		}
		visited[k] = true
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		if fetches >= MaxCommentPages {
			errs = append(errs, fmt.Errorf("comment pages: stopped after %d pages", MaxCommentPages))
			break
		}
		fetches++
		page, err := fetch(ctx, u.String())
		if err != nil {
			errs = append(errs, fmt.Errorf("comment page %s: %w", u, err))
			continue
		}
		if page == nil {
			continue
		}
		if page.URL == "" {
			page.URL = u.String()
		}
		if page.Source == "" {
			page.Source = u.String()
		}
		pg, err := a.parsePage(page)
		if err != nil {
			errs = append(errs, fmt.Errorf("comment page %s: %w", u, err))
			continue
		}
		if pg.key != first.key {
			// Redirected to another post: not this thread's page.
			slog.Debug("wordpress: comment page of another thread skipped", "url", u.String(), "key", pg.key)
			continue
		}
		if pg.number == 0 {
			pg.number = commentPageOf(u)
		}
		if pg.number > 0 {
			if byNumber[pg.number] {
				continue
			}
			byNumber[pg.number] = true
		}
		if final, err := url.Parse(page.URL); err == nil {
			visited[visitKey(final)] = true
		}
		out = append(out, pg)
		queue = append(queue, pg.links...)
	}
	return out, errors.Join(errs...)
}

// mergePages concatenates the pages' comments in page order and keeps
// each comment ID once (its first appearance). A page whose number is
// unknown (the post URL showing the default comment page) takes the
// smallest number no other page has.
func mergePages(pages []*parsedPage) []scrape.Comment {
	if len(pages) == 1 {
		return pages[0].comments.comments
	}
	used := map[int]bool{}
	for _, pg := range pages {
		if pg.number > 0 {
			used[pg.number] = true
		}
	}
	for _, pg := range pages {
		if pg.number == 0 {
			n := 1
			for used[n] {
				n++
			}
			pg.number = n
			used[n] = true
		}
	}
	sorted := slices.Clone(pages)
	slices.SortStableFunc(sorted, func(x, y *parsedPage) int { return x.number - y.number })
	var out []scrape.Comment
	seen := map[string]bool{}
	for _, pg := range sorted {
		for _, c := range pg.comments.comments {
			if c.ID != "" {
				if seen[c.ID] {
					continue
				}
				seen[c.ID] = true
			}
			out = append(out, c)
		}
	}
	return out
}

// slug makes a lower-case ASCII slug of a title ("untitled" when empty).
func slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
		if b.Len() >= 120 {
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		return "untitled"
	}
	return s
}
