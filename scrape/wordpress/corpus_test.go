package wordpress

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/threadlens/threadlens/scrape"
	"github.com/threadlens/threadlens/scrape/scrapetest"
)

// corpusCase is one WordPress page of the shared corpus with what
// SOURCES.md and a reading of the HTML say it holds.
type corpusCase struct {
	name     string
	file     string
	comments int // SOURCES.md
	depth    int // SOURCES.md
	declared int // the page's own count; -1 for none
	// mode picks the independent scan: "depth" reads depth-N tokens from
	// the raw start tags, "divs" tracks <div> nesting (no depth classes).
	mode string
	// authors are spot checks read from the HTML by hand: comment ID →
	// author as displayed.
	authors map[string]string
	reason  string
}

var corpusCases = []corpusCase{
	{
		name: "bigbrandsystem", file: "wordpress/bigbrandsystem-business-focus.html",
		comments: 10, depth: 2, declared: 10, mode: "depth",
		authors: map[string]string{"5334": "Gaye", "5335": "Pamela Wilson"},
		reason:  "html5 core markup in an Elementor layout, cite.fn > a.url, noscript avatars",
	},
	{
		name: "blisterreview", file: "wordpress/blisterreview-line-outline.html",
		comments: 22, depth: 3, declared: 22, mode: "depth",
		authors: map[string]string{"341163": "Luke Koppa", "340606": "toddball"},
		reason:  "html5 core markup, GeneratePress child theme, re-serialized page",
	},
	{
		name: "thepoliticalinsider", file: "wordpress/thepoliticalinsider-faithless-electors.html",
		comments: 14, depth: 2, declared: 14, mode: "depth",
		authors: map[string]string{"135665": "Marilyn", "135656": "enoch68"},
		reason:  "classic markup: body paragraphs directly in div.comment-body, says and div.reply",
	},
	{
		name: "netzpolitik", file: "wordpress/netzpolitik-cider-connection-abmahnungen.html",
		comments: 74, depth: 5, declared: 91, mode: "depth",
		authors: map[string]string{"2058234": "Rafael", "2058226": "blah blubb"},
		reason:  "replies in ol.children; the header count (91) is not the rendered count (74)",
	},
	{
		name: "lemire", file: "wordpress/lemire-json-parsing-simdjson.html",
		comments: 5, depth: 2, declared: 5, mode: "depth",
		authors: map[string]string{"421882": "degski", "422230": "Daniel Lemire"},
		reason:  "twentyfifteen, b.fn + says:, /comment-page-1/ permalinks on a single page",
	},
	{
		name: "wordpresscom", file: "wordpress/wordpresscom-diverse-contributor-community.html",
		comments: 13, depth: 3, declared: 13, mode: "depth",
		authors: map[string]string{"411811": "JanBeek", "411829": "Andrea Middleton"},
		reason:  "</li> before ul.children: the DOM shows every comment at depth 1; depth classes give the tree",
	},
	{
		name: "killsixbilliondemons", file: "wordpress/killsixbilliondemons-king-of-swords-10-141.html",
		comments: 217, depth: 10, declared: 217, mode: "depth",
		authors: map[string]string{"297861": "Meelock", "297870": "12 Horrible Goose Steals Bell From Village"},
		reason:  "theme quirk: plain cite, div.comment-text inside div.comment-content, no comment-body",
	},
	{
		name: "moritz-meyer", file: "wordpress/moritz-meyer-vreni-frost-abmahnung.html",
		comments: 20, depth: 4, declared: 36, mode: "depth",
		authors: map[string]string{"114": "Ben", "115": "MoritzMeyer"},
		reason:  "Avada: author in strong, date a bare text node, 16 pingbacks mixed into the list",
	},
	{
		name: "wptavern", file: "wordpress/wptavern-stack-overflow-jobs-reactjs.html",
		comments: 13, depth: 4, declared: 13, mode: "divs",
		authors: map[string]string{"215114": "Rarst", "215219": "Ammon"},
		reason:  "non-core nested div#comment-N[data-comment-id]; an inner span repeats the id",
	},
	{
		name: "whizzy", file: "wordpress/whizzy-cisco-7941-asterisk-and-sip.html",
		comments: 38, depth: 3, declared: 38, mode: "depth",
		authors: map[string]string{"136": "Adan", "137": "Will Cooke"},
		reason:  "mangled <liclass … depth-N …> start tags that never close; h4.fn authors",
	},
}

// expectedTree is the independent reading of a page: comment IDs in
// document order, each one's parent ("" for top level) and how many are by
// the post's author.
type expectedTree struct {
	order   []string
	parents map[string]string
	ops     int
}

var (
	scriptRE = regexp.MustCompile(`(?is)<script\b.*?</script\s*>|<!--.*?-->`)
	tagRE    = regexp.MustCompile(`(?s)<(/?)([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>`)
	idRE     = regexp.MustCompile(`\bid=["']comment-(\d+)["']`)
	depthRE  = regexp.MustCompile(`\bdepth-(\d+)\b`)
	pingRE   = regexp.MustCompile(`\b(pingback|trackback)\b`)
	opRE     = regexp.MustCompile(`\bbypostauthor\b`)
	dataIDRE = regexp.MustCompile(`\bdata-comment-id=["'](\d+)["']`)
)

// scanExpected derives the reply tree from the raw bytes with regular
// expressions and a stack, deliberately without an HTML parser or the
// adapter's selectors.
//
// mode "depth": every start tag carrying id="comment-N" and a depth-N
// token is a comment (pingbacks noted); its parent is the latest comment
// one level up. mode "divs": <div> start and end tags are counted; a div
// with data-comment-id opens a comment whose parent is the innermost open
// comment div. Pingbacks are dropped and their replies moved up.
func scanExpected(raw, mode string) expectedTree {
	raw = scriptRE.ReplaceAllString(raw, "")
	type item struct {
		id, parent string
		ping, op   bool
	}
	var items []item
	switch mode {
	case "depth":
		var last []string
		for _, m := range tagRE.FindAllStringSubmatch(raw, -1) {
			if m[1] == "/" || strings.EqualFold(m[2], "span") {
				continue
			}
			id := idRE.FindStringSubmatch(m[3])
			d := depthRE.FindStringSubmatch(m[3])
			if id == nil || d == nil {
				continue
			}
			depth := 0
			for _, ch := range d[1] {
				depth = depth*10 + int(ch-'0')
			}
			last = append(last[:depth-1], id[1])
			parent := ""
			if depth > 1 {
				parent = last[depth-2]
			}
			items = append(items, item{id: id[1], parent: parent, ping: pingRE.MatchString(m[3]), op: opRE.MatchString(m[3])})
		}
	case "divs":
		var open []string // per open div: the comment ID it opens, or ""
		for _, m := range tagRE.FindAllStringSubmatch(raw, -1) {
			if !strings.EqualFold(m[2], "div") {
				continue
			}
			if m[1] == "/" {
				if len(open) > 0 {
					open = open[:len(open)-1]
				}
				continue
			}
			id := dataIDRE.FindStringSubmatch(m[3])
			if id == nil || !idRE.MatchString(m[3]) {
				open = append(open, "")
				continue
			}
			parent := ""
			for k := len(open) - 1; k >= 0; k-- {
				if open[k] != "" {
					parent = open[k]
					break
				}
			}
			items = append(items, item{id: id[1], parent: parent, op: opRE.MatchString(m[3])})
			open = append(open, id[1])
		}
	}
	byID := map[string]item{}
	for _, it := range items {
		byID[it.id] = it
	}
	exp := expectedTree{parents: map[string]string{}}
	for _, it := range items {
		if it.ping {
			continue
		}
		p := it.parent
		for p != "" && byID[p].ping {
			p = byID[p].parent
		}
		exp.order = append(exp.order, it.id)
		exp.parents[it.id] = p
		if it.op {
			exp.ops++
		}
	}
	return exp
}

func parseCorpus(t testing.TB, rel string) (*scrape.Thread, []byte) {
	t.Helper()
	path := scrapetest.CorpusFile(t, rel)
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	th, err := New().Parse(context.Background(), &scrape.Page{Source: path, Body: body}, scrape.Env{})
	if err != nil {
		t.Fatalf("Parse(%s): %v", rel, err)
	}
	return th, body
}

func TestCorpus(t *testing.T) {
	t.Parallel()
	for _, tc := range corpusCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			th, body := parseCorpus(t, tc.file)
			exp := scanExpected(string(body), tc.mode)
			if len(exp.order) != tc.comments {
				t.Fatalf("independent scan found %d comments, SOURCES.md says %d (%s)", len(exp.order), tc.comments, tc.reason)
			}
			if got := len(th.Comments); got != tc.comments {
				t.Errorf("comments = %d, want %d (%s)", got, tc.comments, tc.reason)
			}
			maxDepth, ops := 0, 0
			var order []string
			for _, c := range th.Comments {
				maxDepth = max(maxDepth, c.Depth)
				order = append(order, c.ID)
				if c.IsOP {
					ops++
				}
				want, ok := exp.parents[c.ID]
				if !ok {
					t.Errorf("comment %s not found by the independent scan", c.ID)
				} else if c.ParentID != want {
					t.Errorf("comment %s: parent %q, want %q (%s)", c.ID, c.ParentID, want, tc.reason)
				}
			}
			if maxDepth != tc.depth {
				t.Errorf("max depth = %d, want %d (%s)", maxDepth, tc.depth, tc.reason)
			}
			if !slices.Equal(order, exp.order) {
				t.Errorf("document order differs from the independent scan:\n got %v\nwant %v", order, exp.order)
			}
			if ops != exp.ops {
				t.Errorf("is_op count = %d, want %d (bypostauthor)", ops, exp.ops)
			}
			if th.Repairs.Total() != 0 {
				t.Errorf("repairs = %+v, want none", th.Repairs)
			}
			switch {
			case tc.declared < 0 && th.DeclaredComments != nil:
				t.Errorf("declared = %d, want none", *th.DeclaredComments)
			case tc.declared >= 0 && (th.DeclaredComments == nil || *th.DeclaredComments != tc.declared):
				t.Errorf("declared = %v, want %d", ptrString(th.DeclaredComments), tc.declared)
			}
			if !strings.HasPrefix(th.ID, "wordpress:") || strings.Contains(th.ID, "://") || strings.HasSuffix(th.ID, "/") {
				t.Errorf("thread ID %q is not wordpress:<url without scheme or trailing slash>", th.ID)
			}
			if th.Title == "" {
				t.Error("empty title")
			}
			byID := map[string]scrape.Comment{}
			for _, c := range th.Comments {
				byID[c.ID] = c
			}
			for id, author := range tc.authors {
				if got := byID[id].Author; got != author {
					t.Errorf("comment %s author = %q, want %q", id, got, author)
				}
			}
			for _, c := range th.Comments {
				checkCommentText(t, c)
			}
		})
	}
}

// checkCommentText asserts that only the comment's own words made it into
// its text: no reply link, "says:", author name or meta date.
func checkCommentText(t *testing.T, c scrape.Comment) {
	t.Helper()
	if strings.TrimSpace(c.Text) == "" {
		t.Errorf("comment %s: empty text", c.ID)
		return
	}
	for _, para := range strings.Split(c.Text, "\n\n") {
		switch strings.TrimSpace(para) {
		case "Reply", "Antworten", "- Antworten", "Like", "Report", "Flag":
			t.Errorf("comment %s: text holds the action %q", c.ID, para)
		}
	}
	for _, bad := range []string{"says:", "Reply to ", "Liked by", "Permalink"} {
		if strings.Contains(c.Text, bad) {
			t.Errorf("comment %s: text contains %q", c.ID, bad)
		}
	}
	if c.Author != "" && strings.HasPrefix(c.Text, c.Author+" ") && len(c.Author) > 3 {
		t.Errorf("comment %s: text starts with the author %q", c.ID, c.Author)
	}
	if len(c.PostedRaw) > 8 && strings.Contains(c.Text, c.PostedRaw) {
		t.Errorf("comment %s: text contains the meta date %q", c.ID, c.PostedRaw)
	}
	if c.PostedRaw == "" {
		t.Errorf("comment %s: no posted_raw", c.ID)
	}
}

func ptrString(p *int) string {
	if p == nil {
		return "nil"
	}
	return strconv.Itoa(*p)
}
