package wordpress

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/threadlens/threadlens/scrape"
	"github.com/threadlens/threadlens/scrape/scrapetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenThread is the canonical JSON form of a parsed thread. For corpus
// pages the words are replaced by hashes and lengths (corpus text is not
// copied into the repository); fixtures written by us keep them.
type goldenThread struct {
	ID               string          `json:"id"`
	URL              string          `json:"url"`
	Title            string          `json:"title"`
	Author           string          `json:"author"`
	PublishedAt      string          `json:"published_at"`
	Body             string          `json:"body"`
	DeclaredComments *int            `json:"declared_comments"`
	Repairs          scrape.Repairs  `json:"repairs"`
	Comments         []goldenComment `json:"comments"`
}

type goldenComment struct {
	ID        string `json:"id"`
	ParentID  string `json:"parent_id"`
	Depth     int    `json:"depth"`
	Position  int    `json:"position"`
	DocOrder  int    `json:"doc_order"`
	Author    string `json:"author"`
	IsOP      bool   `json:"is_op"`
	PostedAt  string `json:"posted_at"`
	PostedRaw string `json:"posted_raw"`
	Text      string `json:"text"`
}

// digest stands in for corpus text: length in code points and a short hash.
func digest(s string) string {
	if s == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(s))
	return "runes=" + strconv.Itoa(utf8.RuneCountInString(s)) + " sha256=" + hex.EncodeToString(sum[:6])
}

func timeString(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// goldenOf converts th; hashed replaces words by digests; base, when not
// empty, is replaced by {{BASE}} (the httptest server's address).
func goldenOf(th *scrape.Thread, hashed bool, base string) goldenThread {
	words := func(s string) string {
		if hashed {
			return digest(s)
		}
		return s
	}
	host := strings.TrimPrefix(base, "http://")
	unbase := func(s string) string {
		if base == "" {
			return s
		}
		return strings.ReplaceAll(strings.ReplaceAll(s, base, "{{BASE}}"), host, "{{HOST}}")
	}
	g := goldenThread{
		ID:               unbase(th.ID),
		URL:              unbase(th.URL),
		Title:            words(th.Title),
		Author:           words(th.Author),
		PublishedAt:      timeString(th.PublishedAt),
		Body:             words(th.Body),
		DeclaredComments: th.DeclaredComments,
		Repairs:          th.Repairs,
	}
	for _, c := range th.Comments {
		g.Comments = append(g.Comments, goldenComment{
			ID: c.ID, ParentID: c.ParentID, Depth: c.Depth, Position: c.Position, DocOrder: c.DocOrder,
			Author: words(c.Author), IsOP: c.IsOP, PostedAt: timeString(c.PostedAt), PostedRaw: c.PostedRaw,
			Text: words(c.Text),
		})
	}
	return g
}

// checkGolden compares got with testdata/golden/NAME.json, rewriting it
// under -update. A mismatch reports the differing lines.
func checkGolden(t *testing.T, name string, got goldenThread) {
	t.Helper()
	data, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	scrapetest.Golden(t, filepath.Join("testdata", "golden", name+".json"), data, *update)
}

func TestGoldenCorpus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, reason string
	}{
		{"bigbrandsystem", "wordpress/bigbrandsystem-business-focus.html", "html5 core markup, zoned times"},
		{"wordpresscom", "wordpress/wordpresscom-diverse-contributor-community.html", "broken nesting repaired by depth classes"},
		{"whizzy", "wordpress/whizzy-cisco-7941-asterisk-and-sip.html", "mangled liclass tags, relative canonical, dates without zone"},
		{"moritz-meyer", "wordpress/moritz-meyer-vreni-frost-abmahnung.html", "Avada, bare-text dates, pingbacks left out"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			th, _ := parseCorpus(t, tc.file)
			checkGolden(t, tc.name, goldenOf(th, true, ""))
		})
	}
}

func TestSniff(t *testing.T) {
	t.Parallel()
	a := New()
	tests := []struct {
		name   string
		head   string
		want   bool
		reason string
	}{
		{"generator", `<!DOCTYPE html><html><head><meta name="generator" content="WordPress 6.5"></head>`, true, "the generator meta"},
		{"wp-content", `<html><head><link rel="stylesheet" href="/wp-content/themes/x/style.css">`, true, "theme assets"},
		{"liclass", "<html><body><ol><liclass even depth-1 id=\"comment-1\">", true, "a mangled static export"},
		{"block theme head", `<!DOCTYPE html><html><head><title>T</title><style id='global-styles-inline-css'>:root{}</style>`, true, "block themes inline global styles before any asset link"},
		{"body classes", `<!DOCTYPE html><html><head><title>T</title></head><body class="post-template-default single single-post postid-9 wp-embed-responsive">`, true, "a head without asset links (inlined CSS, emoji script off)"},
		{"rest link", `<html><head><link rel="https://api.w.org/" href="https://x.example/?rest_route=/" />`, true, "the REST API discovery link"},
		{"plain html", `<!DOCTYPE html><html><head><title>Hello</title></head><body>hi</body></html>`, false, "no WordPress marker"},
		{"json", `{"kind": "Listing", "data": {"url": "https://x.org/wp-content/a.png"}}`, false, "a marker but not HTML"},
		{"text", "My boss yells\n\nI saw wp-content once.\n", false, "plain text mentioning a marker"},
		{"rss", `<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title><generator>https://wordpress.org/?v=5.7</generator><item><description>&lt;img src="/wp-content/a.png"&gt;</description></item>`, false, "a WordPress feed is not a thread page"},
	}
	for _, tc := range tests {
		if got := a.Sniff("", []byte(tc.head)); got != tc.want {
			t.Errorf("%s: Sniff = %v, want %v (%s)", tc.name, got, tc.want, tc.reason)
		}
	}
}

func TestSniffCorpus(t *testing.T) {
	t.Parallel()
	a := New()
	for _, tc := range corpusCases {
		body, err := os.ReadFile(scrapetest.CorpusFile(t, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if !a.Sniff("", body[:min(len(body), scrape.SniffLen)]) {
			t.Errorf("%s: not sniffed as WordPress", tc.name)
		}
	}
}

func TestEmbeddedSelectorsValid(t *testing.T) {
	t.Parallel()
	s, err := defaultSelectors()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Variants) < 5 || len(s.Count.Patterns) == 0 || s.Pagination.Links == nil {
		t.Errorf("embedded selectors look incomplete: %d variants", len(s.Variants))
	}
}

func TestParseSelectorsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		yaml     string
		wantLine string
		reason   string
	}{
		{
			name:     "bad selector",
			yaml:     "variants:\n  - name: x\n    comment: li.comment\n    id: {pattern: 'comment-(\\d+)'}\n    content: ['div[']\n",
			wantLine: "line 5:", reason: "a selector that does not compile names its line",
		},
		{
			name:     "bad regexp",
			yaml:     "variants:\n  - name: x\n    comment: li\n    id: {pattern: 'comment-(\\d+'}\n    content: [p]\n",
			wantLine: "line 4:", reason: "a regexp that does not compile names its line",
		},
		{
			name:     "unknown key",
			yaml:     "variants:\n  - name: x\n    coment: li\n",
			wantLine: "line 3:", reason: "a typo in a key is an error, not a silently missing rule",
		},
		{
			name:     "missing comment",
			yaml:     "variants:\n  - name: x\n    id: {pattern: '(\\d+)'}\n    content: [p]\n",
			wantLine: "line 2:", reason: "a required selector that is missing names the variant's line",
		},
		{
			name:     "count pattern without n",
			yaml:     "variants:\n  - name: x\n    comment: li\n    id: {pattern: '(\\d+)'}\n    content: [p]\ncount:\n  patterns: ['(\\d+) comments']\n",
			wantLine: "line 7:", reason: "count patterns need the named group n",
		},
	}
	for _, tc := range tests {
		_, err := ParseSelectors([]byte(tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.wantLine) {
			t.Errorf("%s: err = %v, want it to mention %q (%s)", tc.name, err, tc.wantLine, tc.reason)
		}
	}
}

func TestParseZoned(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		want   string // RFC3339 UTC, "" for not parsed
		reason string
	}{
		{"2018-08-08T15:17:21-06:00", "2018-08-08T21:17:21Z", "core html5 datetime with offset"},
		{"2019-08-03T04:11:57+00:00", "2019-08-03T04:11:57Z", "UTC offset"},
		{"2019-08-03T04:11:57Z", "2019-08-03T04:11:57Z", "Z"},
		{"2019-08-03T04:11:57", "", "no zone: never guessed"},
		{"comment_date", "", "an unfilled template placeholder (wptavern)"},
		{"March 5, 2018 at 3:14 pm", "", "human wording without a zone"},
		{"", "", "empty"},
		{"1709651640", "2024-03-05T15:14:00Z", "tagDiv time[pubdate]: Unix seconds are an instant"},
		{"1709651640000", "2024-03-05T15:14:00Z", "Unix milliseconds"},
		{"20240305", "", "eight digits are a date without a zone, not seconds"},
	}
	for _, tc := range tests {
		got, ok := parseZoned(tc.in)
		s := ""
		if ok {
			s = got.Format(time.RFC3339)
		}
		if s != tc.want {
			t.Errorf("parseZoned(%q) = %q, want %q (%s)", tc.in, s, tc.want, tc.reason)
		}
	}
}

func TestDeclaredCount(t *testing.T) {
	t.Parallel()
	a := New().(*Adapter)
	tests := []struct {
		heading string
		want    int // -1: none
		reason  string
	}{
		{`<h2 class="comments-title">10 thoughts on &ldquo;Business Focus&rdquo;</h2>`, 10, "core twenty* wording"},
		{`<h2 class="comments-title">One thought on &ldquo;Post&rdquo;</h2>`, 1, "a single comment is spelled out"},
		{`<h3 class="comments-title">38 Comments</h3>`, 38, "plain count"},
		{`<span class="comments__headline"> 91 Ergänzungen </span>`, 91, "German theme wording"},
		{`<h2 class="comments-title">1,234 Responses to &ldquo;Post&rdquo;</h2>`, 1234, "thousands separator"},
		{`<h3 class="comment-count-area">There are <span>13</span> comments</h3>`, 13, "Epoch plugin wording"},
		{`<h3 id="comments">Discussion (217) &not;</h3>`, 217, "count in parentheses"},
		{`<h3 class="comments-title">Comments have moved to GitHub</h3>`, -1, "no number"},
		{`<h3 class="comments-title">Leave a Reply</h3>`, -1, "the reply form title"},
		{`<h3 class="theme-heading comments-title"><span class="text">This Post Has 12 Comments</span></h3>`, 12, "OceanWP wording"},
		{`<h3 id="comments" class="wp-block-comments-title">One response to &#8220;Post&#8221;</h3>`, 1, "block theme comments-title (inside div#comments here)"},
		{`<div class="wpd-thread-info " data-comments-count="42"><span class='wpdtc' title='42'>42</span> Comments</div>`, 42, "wpDiscuz thread head"},
		{`<h4 class="td-comments-title block-title"><span>5 COMMENTS</span></h4>`, 5, "tagDiv upper case"},
	}
	for _, tc := range tests {
		page := "<html><body><div id=\"comments\">" + tc.heading + "</div></body></html>"
		pg, err := a.parsePage(&scrape.Page{Body: []byte(page)})
		if err != nil {
			t.Fatal(err)
		}
		got := a.declaredCount(pg.doc)
		switch {
		case tc.want < 0 && got != nil:
			t.Errorf("%s: declared %d, want none (%s)", tc.heading, *got, tc.reason)
		case tc.want >= 0 && (got == nil || *got != tc.want):
			t.Errorf("%s: declared %s, want %d (%s)", tc.heading, ptrString(got), tc.want, tc.reason)
		}
	}
}

func TestThreadIdentity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		head    string
		pageURL string
		wantID  string
		wantURL string
		reason  string
	}{
		{
			name: "canonical", head: `<link rel="canonical" href="https://Example.org/2020/01/post/">`,
			wantID: "wordpress:example.org/2020/01/post", wantURL: "https://example.org/2020/01/post/",
			reason: "scheme and trailing slash dropped, host lower-cased",
		},
		{
			name: "comment page canonical", head: `<link rel="canonical" href="https://example.org/2020/01/post/comment-page-2/#comments">`,
			wantID: "wordpress:example.org/2020/01/post", wantURL: "https://example.org/2020/01/post/",
			reason: "every comment page of a thread has the thread's identity",
		},
		{
			name: "og:url", head: `<meta property="og:url" content="http://example.org/a-post/">`,
			wantID: "wordpress:example.org/a-post", wantURL: "http://example.org/a-post/",
			reason: "og:url when there is no canonical link",
		},
		{
			name: "shortlink", head: `<link rel="shortlink" href="https://example.org/?p=42">`,
			wantID: "wordpress:example.org?p=42", wantURL: "https://example.org/?p=42",
			reason: "the shortlink keeps its ?p=N",
		},
		{
			name: "fetched URL", pageURL: "https://example.org/post/?replytocom=5#respond",
			wantID: "wordpress:example.org/post", wantURL: "https://example.org/post/",
			reason: "the fetched URL without reply or fragment noise",
		},
		{
			name: "relative canonical", head: `<link rel="canonical" href="/2017/02/23/post/">`,
			wantID: "wordpress:/2017/02/23/post", wantURL: "",
			reason: "a static export read from disk: the path is all there is",
		},
		{
			name: "relative canonical fetched", head: `<link rel="canonical" href="/2017/02/23/post/">`, pageURL: "https://whizzy.example/2017/02/23/post/",
			wantID: "wordpress:whizzy.example/2017/02/23/post", wantURL: "https://whizzy.example/2017/02/23/post/",
			reason: "resolved against the fetched URL",
		},
		{
			name: "title only", head: `<title>My Boss Yells: What Now?</title>`,
			wantID: "wordpress:title/my-boss-yells-what-now", wantURL: "",
			reason: "a local file with no URL at all keys by its title",
		},
	}
	for _, tc := range tests {
		page := "<!DOCTYPE html><html><head>" + tc.head + "</head><body></body></html>"
		th, err := New().Parse(context.Background(), &scrape.Page{Source: "x.html", URL: tc.pageURL, Body: []byte(page)}, scrape.Env{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if th.ID != tc.wantID || th.URL != tc.wantURL {
			t.Errorf("%s: ID %q URL %q, want %q %q (%s)", tc.name, th.ID, th.URL, tc.wantID, tc.wantURL, tc.reason)
		}
	}
}

// markupCase is a small hand-written comment list exercising one rule.
type markupCase struct {
	name    string
	html    string
	parents map[string]string // every comment: ID → parent ID
	order   []string
	// texts and ops, when set, are checked too: ID → text, IDs by the
	// post's author.
	texts  map[string]string
	ops    []string
	reason string
}

func TestMarkup(t *testing.T) {
	t.Parallel()
	c := func(id, cls, inner string) string {
		return `<li id="comment-` + id + `" class="comment ` + cls + `"><article id="div-comment-` + id + `" class="comment-body">` +
			`<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">U` + id + `</b> <span class="says">says:</span></div>` +
			`<div class="comment-metadata"><a href="#comment-` + id + `"><time datetime="2020-01-01T10:00:00+01:00">January 1, 2020 at 10:00 am</time></a></div></footer>` +
			`<div class="comment-content"><p>Text ` + id + `.</p></div><div class="reply"><a class="comment-reply-link">Reply</a></div></article>` + inner
	}
	tests := []markupCase{
		{
			name:    "dom nesting ul and ol children",
			html:    `<ol class="comment-list">` + c("1", "depth-1", `<ul class="children">`+c("2", "depth-2", `<ol class="children">`+c("3", "depth-3", "</li>")+`</ol></li>`)+`</ul></li>`) + c("4", "depth-1", "</li>") + `</ol>`,
			parents: map[string]string{"1": "", "2": "1", "3": "2", "4": ""}, order: []string{"1", "2", "3", "4"},
			reason: "children in ul.children or ol.children",
		},
		{
			name:    "li closed before children",
			html:    `<ol class="comment-list">` + c("1", "depth-1", "</li>") + `<ul class="children">` + c("2", "depth-2", "</li>") + `<ul class="children">` + c("3", "depth-3", "</li></li>") + `</ul></li></ul></li>` + c("4", "depth-1", "</li>") + `</ol>`,
			parents: map[string]string{"1": "", "2": "1", "3": "2", "4": ""}, order: []string{"1", "2", "3", "4"},
			reason: "the depth-N classes repair a </li> before the children list and stray </li>",
		},
		{
			name:    "no depth classes",
			html:    `<ol class="comment-list">` + c("1", "", `<ul class="children">`+c("2", "", "</li>")+c("3", "", "</li>")+`</ul></li>`) + c("4", "", "</li>") + `</ol>`,
			parents: map[string]string{"1": "", "2": "1", "3": "1", "4": ""}, order: []string{"1", "2", "3", "4"},
			reason: "without depth classes the DOM nesting decides",
		},
		{
			name:    "pingback with a reply",
			html:    `<ol class="comment-list">` + c("1", "depth-1", "</li>") + `<li id="comment-2" class="pingback depth-1"><div class="comment-body">Pingback: <a href="x">Other blog</a></div><ul class="children">` + c("3", "depth-2", "</li>") + `</ul></li></ol>`,
			parents: map[string]string{"1": "", "3": ""}, order: []string{"1", "3"},
			reason: "pingbacks are left out and a reply to one moves up",
		},
		{
			name: "genesis",
			html: `<ol class="comment-list"><li class="comment even thread-even depth-1" id="comment-11"><article id="article-comment-11" itemprop="comment">` +
				`<header class="comment-header"><p class="comment-author"><img class="avatar" alt=""><span class="comment-author-name"><a class="comment-author-link" href="x">Ann</a></span> <span class="says">says</span></p>` +
				`<p class="comment-meta"><time class="comment-time" datetime="2019-10-24T10:24:45-04:00"><a class="comment-time-link" href="#comment-11">October 24, 2019 at 10:24 am</a></time></p></header>` +
				`<div class="comment-content"><p>My boss yells too.</p></div><div class="comment-reply"><a class="comment-reply-link">Reply</a></div></article>` +
				`<ul class="children"><li class="comment byuser bypostauthor odd depth-2" id="comment-12"><article id="article-comment-12"><header class="comment-header"><p class="comment-author"><span class="comment-author-name">Alison</span> <span class="says">says</span></p>` +
				`<p class="comment-meta"><time class="comment-time" datetime="2019-10-24T11:00:00-04:00"><a href="#comment-12">October 24, 2019 at 11:00 am</a></time></p></header><div class="comment-content"><p>That is not okay.</p></div></article></li></ul></li></ol>`,
			parents: map[string]string{"11": "", "12": "11"}, order: []string{"11", "12"},
			reason: "Genesis framework markup: comment-author-name, time.comment-time",
		},
		{
			name: "mangled liclass",
			html: `<ol class="comment-list"><liclass even depth-1 parent id="comment-1"><div id="div-comment-1" class="comment-body"><div class="comment-content"><h4 class="fn">A</h4><div class="comment-meta commentmetadata">May 1, 2020 <span>at 1:00 pm</span></div><p>One.</p><div class="reply"></div></div></div>` +
				`<ol class="children"><liclass bypostauthor odd depth-2 id="comment-2"><div id="div-comment-2" class="comment-body"><div class="comment-content"><h4 class="fn">B</h4><div class="comment-meta commentmetadata">May 2, 2020</div><p>Two.</p></div></div></li></ol></li>` +
				`<liclass even depth-1 id="comment-3"><div id="div-comment-3" class="comment-body"><div class="comment-content"><h4 class="fn">C</h4><div class="comment-meta commentmetadata">May 3, 2020</div><p>Three.</p></div></div></li></ol>`,
			parents: map[string]string{"1": "", "2": "1", "3": ""}, order: []string{"1", "2", "3"},
			reason: "unknown liclass elements never close; depth-N attribute names give the tree",
		},
		{
			name: "wpdiscuz 5 wc- markup",
			html: `<div id="wcThreadWrapper" class="wc-thread-wrapper"><div id="wc-comm-11_0" class="wc-comment wc-blog-guest wc_comment_level-1"><div class="wc-comment-left" id="comment-11"><img class="avatar" alt=""><div class="wc-blog-guest wc-comment-label">Guest</div></div>` +
				`<div class="wc-comment-right"><div class="wc-comment-header"><div class="wc-comment-author">Jane</div><div class="wc-comment-date">2 years ago</div></div><div class="wc-comment-text"><p>Ask for a one-on-one.</p></div><div class="wc-comment-footer"><span class="wc-reply-link">Reply</span></div></div>` +
				`<div id="wc-comm-12_11" class="wc-comment wc-reply wc_comment_level-2"><div class="wc-comment-left" id="comment-12"><div class="wc-post-author wc-comment-label">Author</div></div><div class="wc-comment-right"><div class="wc-comment-header"><div class="wc-comment-author">Alison</div><div class="wc-comment-date">2 years ago</div></div><div class="wc-comment-text"><p>Agreed, and bring notes.</p></div></div></div></div>` +
				`<div id="wc-comm-13_0" class="wc-comment wc_comment_level-1"><div class="wc-comment-right"><div class="wc-comment-header"><div class="wc-comment-author">Sam</div><div class="wc-comment-date">1 year ago</div></div><div class="wc-comment-text"><p>Or email a summary afterwards.</p></div></div></div></div>`,
			parents: map[string]string{"11": "", "12": "11", "13": ""}, order: []string{"11", "12", "13"}, ops: []string{"12"},
			texts:  map[string]string{"11": "Ask for a one-on-one.", "12": "Agreed, and bring notes.", "13": "Or email a summary afterwards."},
			reason: "older wpDiscuz writes wc-comm-ID_PARENT wrappers with the replies nested inside",
		},
		{
			name: "twenty eleven",
			html: `<ol class="commentlist"><li class="comment even thread-even depth-1" id="li-comment-21"><article id="comment-21" class="comment"><footer class="comment-meta"><div class="comment-author vcard"><img class="avatar" alt=""><span class="fn"><a href="https://x.example/" class="url">Ann</a></span> on <a href="#comment-21"><time datetime="2011-06-01T10:00:00+00:00">June 1, 2011 at 10:00 am</time></a> <span class="says">said:</span></div></footer>` +
				`<div class="comment-content"><p>Keep notes of every handoff.</p></div><div class="reply"><a class="comment-reply-link" href="#">Reply <span>&darr;</span></a></div></article>` +
				`<ul class="children"><li class="comment byuser bypostauthor odd alt depth-2" id="li-comment-22"><article id="comment-22" class="comment"><footer class="comment-meta"><div class="comment-author vcard"><span class="fn">Alison</span> on <a href="#comment-22"><time datetime="2011-06-01T11:00:00+00:00">June 1, 2011 at 11:00 am</time></a> <span class="says">said:</span></div></footer><div class="comment-content"><p>Yes, dated notes.</p></div></article></li></ul></li>` +
				`<li class="pingback even thread-odd thread-alt depth-1" id="comment-23"><p>Pingback: <a href="https://y.example/">Blog</a> </p></li>` +
				`<li class="comment odd alt thread-even depth-1" id="li-comment-24"><article id="comment-24" class="comment"><footer class="comment-meta"><div class="comment-author vcard"><span class="fn">Sam</span> on <a href="#comment-24"><time datetime="2011-06-02T08:00:00+00:00">June 2, 2011 at 8:00 am</time></a></div></footer><div class="comment-content"><p>Talk to the coworker first.</p></div></article></li></ol>`,
			parents: map[string]string{"21": "", "22": "21", "24": ""}, order: []string{"21", "22", "24"}, ops: []string{"22"},
			texts:  map[string]string{"21": "Keep notes of every handoff.", "22": "Yes, dated notes.", "24": "Talk to the coworker first."},
			reason: "twentyeleven_comment: li#li-comment-N > article#comment-N.comment, span.fn, the pingback left out",
		},
		{
			name: "unknown theme",
			html: `<ul class="comments"><li id="comment-31" class="comment depth-1"><div class="cbox"><div class="chead"><span class="comment-author">Ann</span> <span class="comment-date">June 1</span></div><p>Keep notes.</p><div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></div>` +
				`<ul class="children"><li id="comment-32" class="comment depth-2"><div class="cbox"><div class="chead"><span class="comment-author">Bob</span> <span class="comment-date">June 2</span></div><p>Also ask your manager for a weekly check-in.</p></div></li></ul></li>` +
				`<li id="comment-33" class="comment depth-1"><div class="cbox"><div class="chead"><span class="comment-author">Cy</span> <span class="comment-date">June 3</span></div><p>Same here.</p></div></li></ul>`,
			parents: map[string]string{"31": "", "32": "31", "33": ""}, order: []string{"31", "32", "33"}, ops: []string{},
			texts:  map[string]string{"31": "Keep notes.", "32": "Also ask your manager for a weekly check-in.", "33": "Same here."},
			reason: "no known content class: the generic variant takes the container minus author, date, reply link and replies",
		},
	}
	for _, tc := range tests {
		page := `<!DOCTYPE html><html><head><link rel="canonical" href="https://example.org/p/"></head><body><div id="comments">` + tc.html + `</div></body></html>`
		th, err := New().Parse(context.Background(), &scrape.Page{Source: tc.name, Body: []byte(page)}, scrape.Env{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var order []string
		for _, cm := range th.Comments {
			order = append(order, cm.ID)
			if want, ok := tc.parents[cm.ID]; !ok || cm.ParentID != want {
				t.Errorf("%s: comment %s parent %q, want %q (%s)", tc.name, cm.ID, cm.ParentID, want, tc.reason)
			}
			checkCommentText(t, cm)
			if want, ok := tc.texts[cm.ID]; ok && cm.Text != want {
				t.Errorf("%s: comment %s text %q, want %q (%s)", tc.name, cm.ID, cm.Text, want, tc.reason)
			}
			if tc.ops != nil && cm.IsOP != slices.Contains(tc.ops, cm.ID) {
				t.Errorf("%s: comment %s is_op %v (%s)", tc.name, cm.ID, cm.IsOP, tc.reason)
			}
			if cm.Author == "" || strings.Contains(cm.Text, cm.Author+" ") {
				t.Errorf("%s: comment %s author %q text %q", tc.name, cm.ID, cm.Author, cm.Text)
			}
		}
		if strings.Join(order, ",") != strings.Join(tc.order, ",") {
			t.Errorf("%s: order %v, want %v (%s)", tc.name, order, tc.order, tc.reason)
		}
	}
}

func TestMangledTimesAndOP(t *testing.T) {
	t.Parallel()
	page := `<html><head><link rel="canonical" href="https://example.org/p/"></head><body><ol class="comment-list">` +
		`<liclass bypostauthor depth-1 id="comment-7"><div class="comment-body"><div class="comment-content"><h4 class="fn">Will</h4>` +
		`<div class="comment-meta commentmetadata">March 5, 2018 <span>at 3:14 pm</span></div><p>Hi.</p></div></div></ol></body></html>`
	th, err := New().Parse(context.Background(), &scrape.Page{Body: []byte(page)}, scrape.Env{})
	if err != nil {
		t.Fatal(err)
	}
	if len(th.Comments) != 1 {
		t.Fatalf("%d comments", len(th.Comments))
	}
	c := th.Comments[0]
	if !c.IsOP || c.PostedAt != nil || c.PostedRaw != "March 5, 2018 at 3:14 pm" || c.Text != "Hi." || c.Author != "Will" {
		t.Errorf("got %+v: want is_op, no posted_at, the raw wording kept, text %q", c, "Hi.")
	}
}

func TestDeepAndBroken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		body    string
		wantErr error
		reason  string
	}{
		{"deep divs", strings.Repeat("<div>", 5000) + "x", scrape.ErrTooDeep, "deeper than the HTML parser's 512 open elements: a clear error"},
		{"empty", "", nil, "a page with nothing is a thread with zero comments"},
		{"closed comments", `<html><head><meta name="generator" content="WordPress 6"></head><body><p class="nocomments">Comments are closed.</p></body></html>`, nil, "zero comments, not a failure"},
		{"garbage", "<li id=\"comment-1\" class=\"comment depth-9\"><<<>>></li></li></ul>", nil, "broken markup never crashes"},
	}
	for _, tc := range tests {
		th, err := New().Parse(context.Background(), &scrape.Page{Source: tc.name, Body: []byte(tc.body)}, scrape.Env{})
		if tc.wantErr != nil {
			var pe *scrape.ParseError
			if !errors.Is(err, tc.wantErr) || !errors.As(err, &pe) || pe.Source != tc.name {
				t.Errorf("%s: err = %v, want a ParseError naming the source wrapping %v (%s)", tc.name, err, tc.wantErr, tc.reason)
			}
			continue
		}
		if err != nil || th == nil {
			t.Errorf("%s: %v (%s)", tc.name, err, tc.reason)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`<ol class="comment-list"><li id="comment-1" class="comment depth-1"><article class="comment-body"><div class="comment-content">a</div></article><ul class="children"><li id="comment-2" class="comment depth-2"><article class="comment-body"><div class="comment-content">b</div></article></li></ul></li></ol>`))
	f.Add([]byte(`<ol class="commentlist"><liclass depth-1 id="comment-1"><div class="comment-body"><p>x</p></div><liclass depth-3 id="comment-1">`))
	f.Add([]byte(`<div id="comment-5" data-comment-id="5"><div class="epoch-child"><div id="comment-6" data-comment-id="6"><span id="comment-6"></span></div></div></div>`))
	f.Add([]byte(`<li class="comment depth-2" id="comment-9"></li><li class="comment depth-1" id="comment-9"><div class="comment-body"></div></li>`))
	for _, seed := range []string{
		filepath.Join("testdata", "paged", "comment-page-2.html"),
		filepath.Join("testdata", "themes", "neve.html"),
		filepath.Join("testdata", "themes", "wpdiscuz.html"),
	} {
		if body, err := os.ReadFile(seed); err == nil {
			f.Add(body)
		}
	}
	// Neve's sibling children lists and wpDiscuz's nested wrappers, cut.
	f.Add([]byte(`<ol><li class="comment depth-1" id="comment-item-1"><article id="comment-1" class="nv-comment-article"><div class="nv-comment-content">a</div></article></li><li class="children"><ol><li class="comment depth-3" id="comment-item-2"><article class="nv-comment-article"></article></li>`))
	f.Add([]byte(`<div id='wpd-comm-7_0' class='wpd-comment wpd_comment_level-1'><div class='wpd-comment-wrap wpd-blog-post_author'></div><div id='wpd-comm-8_7' class='wpd-comment wpd-reply wpd_comment_level-2'><div class='wpd-comment-text'>x</div>`))
	a := New()
	f.Fuzz(func(t *testing.T, body []byte) {
		th, err := a.Parse(context.Background(), &scrape.Page{Source: "fuzz", Body: body}, scrape.Env{})
		if err != nil {
			if th != nil {
				t.Fatalf("thread with a whole-page error: %v", err)
			}
			return
		}
		ids := map[string]int{}
		for i, c := range th.Comments {
			if _, dup := ids[c.ID]; dup {
				t.Fatalf("duplicate comment ID %q", c.ID)
			}
			ids[c.ID] = i
		}
		for i, c := range th.Comments {
			if c.ParentID == "" {
				if c.Depth != 1 {
					t.Fatalf("top-level comment %s at depth %d", c.ID, c.Depth)
				}
				continue
			}
			p, ok := ids[c.ParentID]
			if !ok {
				t.Fatalf("comment %s: parent %s does not exist", c.ID, c.ParentID)
			}
			if th.Comments[p].Depth+1 != c.Depth {
				t.Fatalf("comment %s: depth %d under parent depth %d", c.ID, c.Depth, th.Comments[p].Depth)
			}
			if c.DocOrder != i+1 {
				t.Fatalf("doc order %d at %d", c.DocOrder, i)
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	for _, tc := range corpusCases {
		b.Run(tc.name, func(b *testing.B) {
			body, err := os.ReadFile(scrapetest.CorpusFile(b, tc.file))
			if err != nil {
				b.Fatal(err)
			}
			a := New()
			page := &scrape.Page{Source: tc.file, Body: body}
			b.SetBytes(int64(len(body)))
			b.ResetTimer()
			comments := 0
			for b.Loop() {
				th, err := a.Parse(context.Background(), page, scrape.Env{})
				if err != nil {
					b.Fatal(err)
				}
				comments += len(th.Comments)
			}
			b.ReportMetric(float64(comments)/b.Elapsed().Seconds(), "comments/s")
		})
	}
}

func TestMangledDeepPage(t *testing.T) {
	t.Parallel()
	// 600 top-level comments with mangled start tags nest 600+ deep in an
	// HTML parser; the data's deep repairs let the page parse anyway.
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><link rel="canonical" href="/p/"></head><body><ol class="comment-list">`)
	const top = 600
	for i := 1; i <= top; i++ {
		id, reply := strconv.Itoa(2*i), strconv.Itoa(2*i+1)
		b.WriteString(`<liclass even depth-1 parent id="comment-` + id + `"><div class="comment-body"><div class="comment-content"><h4 class="fn">A</h4><p>Top ` + id + `</p></div></div>`)
		b.WriteString(`<ol class="children"><liclass odd depth-2 id="comment-` + reply + `"><div class="comment-body"><div class="comment-content"><h4 class="fn">B</h4><p>Reply ` + reply + `</p></div></div></li></ol></li>`)
	}
	b.WriteString(`</ol></body></html>`)
	th, err := New().Parse(context.Background(), &scrape.Page{Source: "deep.html", Body: []byte(b.String())}, scrape.Env{})
	if err != nil {
		t.Fatal(err)
	}
	if len(th.Comments) != 2*top {
		t.Fatalf("%d comments, want %d", len(th.Comments), 2*top)
	}
	for i, c := range th.Comments {
		n, _ := strconv.Atoi(c.ID)
		want := ""
		if n%2 == 1 {
			want = strconv.Itoa(n - 1)
		}
		if c.ParentID != want || c.Text == "" {
			t.Fatalf("comment %d (%s): parent %q text %q, want parent %q", i, c.ID, c.ParentID, c.Text, want)
		}
	}
}
