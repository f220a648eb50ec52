package reddit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/threadlens/threadlens/scrape"
)

// Adapter parses Reddit thread JSON. The zero value is ready to use and
// safe for concurrent use.
type Adapter struct{}

// New returns the reddit adapter.
func New() scrape.Adapter { return Adapter{} }

// Name returns "reddit".
func (Adapter) Name() string { return scrape.SiteReddit }

var (
	kindT3      = regexp.MustCompile(`"kind"\s*:\s*"t3"`)
	kindListing = regexp.MustCompile(`"kind"\s*:\s*"Listing"`)
)

// Sniff accepts a JSON array whose head holds a Listing and a t3 (post)
// thing: the shape of a thread's .json. The URL is not needed.
func (Adapter) Sniff(_ string, head []byte) bool {
	h := bytes.TrimLeft(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n")
	if len(h) == 0 || h[0] != '[' {
		return false
	}
	return kindListing.Match(h) && kindT3.Match(h)
}

// listing is a Reddit Listing: {"kind":"Listing","data":{"children":[…]}}.
type listing struct {
	Kind string `json:"kind"`
	Data struct {
		Children []thing `json:"children"`
	} `json:"data"`
}

// thing is one child of a Listing: a post (t3), a comment (t1) or a "more"
// stub. The data fields of all three share one struct.
type thing struct {
	Kind string    `json:"kind"`
	Data thingData `json:"data"`
}

type thingData struct {
	ID           string          `json:"id"`
	ParentID     string          `json:"parent_id"`
	LinkID       string          `json:"link_id"`
	Author       string          `json:"author"`
	IsSubmitter  *bool           `json:"is_submitter"`
	CreatedUTC   json.Number     `json:"created_utc"`
	Body         string          `json:"body"`
	BodyHTML     string          `json:"body_html"`
	Permalink    string          `json:"permalink"`
	Replies      json.RawMessage `json:"replies"`
	Title        string          `json:"title"`
	Selftext     string          `json:"selftext"`
	SelftextHTML string          `json:"selftext_html"`
	URL          string          `json:"url"`
	NumComments  *int            `json:"num_comments"`
	Count        int             `json:"count"`
	Children     []string        `json:"children"`
}

// Parse parses a thread's JSON. With env.RedditMore and env.Fetch it
// expands "more" stubs; a failed expansion returns the thread together
// with the error.
func (a Adapter) Parse(ctx context.Context, p *scrape.Page, env scrape.Env) (*scrape.Thread, error) {
	fail := func(err error) error {
		return &scrape.ParseError{Adapter: a.Name(), Source: p.Source, Err: err}
	}
	if err := scrape.CheckJSON(a.Name(), p.Source, p.Body); err != nil {
		return nil, err
	}
	if h := bytes.TrimLeft(bytes.TrimPrefix(p.Body, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n"); len(h) > 0 && h[0] != '[' {
		return nil, fail(fmt.Errorf("%w: JSON is not a [post, comments] array (a listing or API object?)", scrape.ErrNoThread))
	}
	var doc []listing
	if err := scrape.UnmarshalJSON(a.Name(), p.Source, p.Body, &doc); err != nil {
		return nil, err
	}
	if len(doc) == 0 {
		return nil, fail(fmt.Errorf("%w: empty array, not a thread", scrape.ErrNoThread))
	}
	var post *thingData
	for i := range doc[0].Data.Children {
		if doc[0].Data.Children[i].Kind == "t3" {
			post = &doc[0].Data.Children[i].Data
			break
		}
	}
	if post == nil {
		return nil, fail(fmt.Errorf("%w: first listing holds no post (t3)", scrape.ErrNoThread))
	}
	t := newTree(post)
	if len(doc) > 1 {
		top, err := t.addListing(doc[1].Data.Children, "", true)
		if err != nil {
			return nil, fail(err)
		}
		t.kids[""] = top
	}
	if t.postID == "" {
		return nil, fail(fmt.Errorf("%w: the post has no id", scrape.ErrMalformed))
	}
	var fetchErr error
	if env.RedditMore && env.Fetch != nil {
		fetchErr = t.expand(ctx, env.Fetch)
	}
	th := t.thread()
	if fetchErr != nil {
		return th, fail(fetchErr)
	}
	return th, nil
}

// entry is one child slot of a comment (or of the post, key ""): a comment
// ID or a stub.
type entry struct {
	id   string
	stub *stub
}

// stub is a "more" placeholder. parent is the key of the child list it
// sits in, of the comment its parent_id names (for continue-this-thread
// stubs, marked cont).
type stub struct {
	parent   string
	of       string
	count    int
	children []string
	cont     bool
}

// tree collects the thread's comments and stubs, keyed by parent, so that
// stubs can be replaced in place by what fetching them brings.
type tree struct {
	post     *thingData
	postID   string
	escaped  bool // the JSON was fetched without raw_json=1
	comments map[string]*thingData
	kids     map[string][]entry
	links    map[string]string // comment ID → permalink, for continue stubs
}

func newTree(post *thingData) *tree {
	t := &tree{
		post:     post,
		postID:   strings.TrimPrefix(post.ID, "t3_"),
		comments: make(map[string]*thingData),
		kids:     make(map[string][]entry),
		links:    make(map[string]string),
	}
	t.noteHTML(post.SelftextHTML)
	return t
}

// noteHTML records whether an HTML field came HTML-escaped.
func (t *tree) noteHTML(s string) {
	if strings.HasPrefix(strings.TrimSpace(s), "&lt;") {
		t.escaped = true
	}
}

// pending is one Listing's children waiting to be added under a parent.
type pending struct {
	children []thing
	parent   string
	top      bool
}

// addListing adds children (a Listing's things) under parent and, through
// their "replies", all their descendants, with an explicit stack. The
// listing's own children are returned as entries for the caller to place
// when top is true (the rest go straight into t.kids); comments already
// known are skipped with their replies.
func (t *tree) addListing(children []thing, parent string, top bool) ([]entry, error) {
	var topEntries []entry
	stack := []pending{{children: children, parent: parent, top: top}}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		var placed []entry
		for i := range cur.children {
			th := &cur.children[i]
			d := &th.Data
			switch th.Kind {
			case "t1":
				id := strings.TrimPrefix(d.ID, "t1_")
				if id == "" {
					continue
				}
				if _, dup := t.comments[id]; dup {
					continue
				}
				if cur.top && parent == "" {
					d.ParentID = "" // the top of the listing is the top of the thread
				} else if d.ParentID == "" {
					d.ParentID = "t1_" + cur.parent
				}
				t.comments[id] = d
				t.noteHTML(d.BodyHTML)
				if t.postID == "" {
					t.postID = strings.TrimPrefix(d.LinkID, "t3_")
				}
				if d.Permalink != "" {
					t.links[id] = d.Permalink
				}
				placed = append(placed, entry{id: id})
				if r := bytes.TrimSpace(d.Replies); len(r) > 0 && r[0] == '{' {
					var l listing
					if err := json.Unmarshal(r, &l); err != nil {
						return nil, fmt.Errorf("%w: replies of comment %s: %v", scrape.ErrMalformed, id, err)
					}
					d.Replies = nil
					stack = append(stack, pending{children: l.Data.Children, parent: id})
				}
			case "more":
				s := &stub{parent: cur.parent, of: parentKey(d.ParentID), count: d.Count, children: d.Children}
				if d.ParentID == "" {
					s.of = cur.parent
				}
				s.cont = d.ID == "_" || len(d.Children) == 0
				placed = append(placed, entry{stub: s})
			}
		}
		if cur.top {
			topEntries = append(topEntries, placed...)
		} else {
			t.kids[cur.parent] = append(t.kids[cur.parent], placed...)
		}
	}
	return topEntries, nil
}

// parentKey maps a fullname parent_id to the tree key: "t1_x" → "x", a
// post ("t3_…") or nothing → "".
func parentKey(fullname string) string {
	if id, ok := strings.CutPrefix(fullname, "t1_"); ok {
		return id
	}
	return ""
}

// thread emits the comments in document order (pre-order over t.kids) and
// builds the tree. Stubs left in place are counted.
func (t *tree) thread() *scrape.Thread {
	post := t.post
	th := &scrape.Thread{
		ID:     scrape.SiteReddit + ":" + t.postID,
		Site:   scrape.SiteReddit,
		Title:  t.plain(post.Title),
		Author: post.Author,
		URL:    t.threadURL(),
	}
	th.PublishedAt, _ = epoch(post.CreatedUTC)
	th.Body = t.text(post.SelftextHTML, post.Selftext)
	if post.NumComments != nil {
		n := *post.NumComments
		th.DeclaredComments = &n
	}
	opAuthor := post.Author
	var out []scrape.Comment
	stack := reversed(t.kids[""])
	visited := make(map[string]bool, len(t.comments))
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if e.stub != nil {
			th.MoreStubs++
			th.HiddenComments += e.stub.count
			continue
		}
		d := t.comments[e.id]
		if d == nil || visited[e.id] {
			continue
		}
		visited[e.id] = true
		c := scrape.Comment{
			ID:       e.id,
			ParentID: parentKey(d.ParentID),
			Author:   d.Author,
			Text:     t.text(d.BodyHTML, d.Body),
		}
		if d.IsSubmitter != nil {
			c.IsOP = *d.IsSubmitter
		} else {
			c.IsOP = d.Author != "" && d.Author == opAuthor && d.Author != "[deleted]"
		}
		if ts, ok := epoch(d.CreatedUTC); ok {
			c.PostedAt = ts
			c.PostedRaw = d.CreatedUTC.String()
		}
		body := strings.TrimSpace(t.plain(d.Body))
		c.Deleted = isRemoved(body) || (body == "" && isRemoved(c.Text))
		out = append(out, c)
		stack = append(stack, reversed(t.kids[e.id])...)
	}
	th.Comments, th.Repairs = scrape.BuildTree(out)
	return th
}

// isRemoved reports whether a body is Reddit's placeholder for a deleted
// or removed comment.
func isRemoved(body string) bool {
	switch body {
	case "[deleted]", "[removed]":
		return true
	}
	return strings.HasPrefix(body, "[ Removed by Reddit")
}

func reversed(es []entry) []entry {
	out := make([]entry, len(es))
	for i, e := range es {
		out[len(es)-1-i] = e
	}
	return out
}

// plain undoes the legacy HTML escaping of a plain .json fetch on a
// non-HTML string field.
func (t *tree) plain(s string) string {
	if t.escaped {
		return html.UnescapeString(s)
	}
	return s
}

// text returns the plain text of an HTML field, or of the Markdown source
// when the HTML is absent.
func (t *tree) text(htmlField, markdown string) string {
	if h := strings.TrimSpace(htmlField); h != "" {
		if strings.HasPrefix(h, "&lt;") {
			h = html.UnescapeString(h)
		}
		return scrape.TextFromHTMLString(h)
	}
	if strings.TrimSpace(markdown) == "" {
		return ""
	}
	src := markdown
	if t.escaped {
		src = html.UnescapeString(src)
	}
	// Keep the Markdown's paragraphs and line breaks through the shared
	// routine: escape the text and mark them up.
	var b strings.Builder
	for para := range strings.SplitSeq(strings.ReplaceAll(src, "\r\n", "\n"), "\n\n") {
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(para), "\n", "<br>"))
		b.WriteString("</p>")
	}
	return scrape.TextFromHTMLString(b.String())
}

// threadURL is the canonical www.reddit.com URL of the thread.
func (t *tree) threadURL() string {
	pl := t.plain(t.post.Permalink)
	switch {
	case strings.HasPrefix(pl, "http://") || strings.HasPrefix(pl, "https://"):
		return pl
	case strings.HasPrefix(pl, "/"):
		return "https://www.reddit.com" + pl
	}
	return "https://www.reddit.com/comments/" + t.postID + "/"
}

// epoch converts created_utc (seconds, possibly fractional) to a UTC time.
func epoch(n json.Number) (*time.Time, bool) {
	if n == "" {
		return nil, false
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || f <= 0 || f > 1e11 {
		return nil, false
	}
	sec := int64(f)
	ts := time.Unix(sec, int64((f-float64(sec))*1e9)).UTC().Truncate(time.Second)
	return &ts, true
}

var (
	commentsPath = regexp.MustCompile(`^(/r/[^/]+)?/comments/([a-z0-9]+)(/[^/]*)?(/[a-z0-9]+)?/?$`)
	shortPath    = regexp.MustCompile(`^/([a-z0-9]+)/?$`)
)

// JSONURL maps the URL of a Reddit thread (www., old., new., np. or m.
// reddit.com; with or without the slug, a trailing slash, ".json" or a
// query; or a redd.it short link) to the URL of its JSON with raw_json=1 on
// www.reddit.com, e.g. https://www.reddit.com/r/funny/comments/3hahrw/ba_dum_tsss.json?raw_json=1.
// A comment permalink keeps its comment (the JSON is then a slice of the
// thread). ok is false when u is not a Reddit thread URL.
func JSONURL(threadURL string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(threadURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false
	}
	host := strings.ToLower(u.Hostname())
	p := strings.TrimSuffix(u.Path, ".json")
	if host == "redd.it" {
		m := shortPath.FindStringSubmatch(p)
		if m == nil {
			return "", false
		}
		return "https://www.reddit.com/comments/" + m[1] + ".json?raw_json=1", true
	}
	if host != "reddit.com" && !strings.HasSuffix(host, ".reddit.com") {
		return "", false
	}
	m := commentsPath.FindStringSubmatch(strings.ToLower(p))
	if m == nil {
		return "", false
	}
	clean := strings.TrimSuffix(u.Path, "/")
	clean = strings.TrimSuffix(clean, ".json")
	clean = strings.TrimSuffix(clean, "/")
	return "https://www.reddit.com" + clean + ".json?raw_json=1", true
}
