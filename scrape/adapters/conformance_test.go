package adapters_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/threadlens/threadlens/scrape"
	"github.com/threadlens/threadlens/scrape/adapters"
	"github.com/threadlens/threadlens/scrape/scrapetest"
)

// conformanceCases lists every page the adapters must pass on: the shared
// corpus (corpus: true, relative to scrapetest.CorpusDir) and each
// adapter's own fixtures (relative to the repository root). minFiles
// guards against a glob that silently matches nothing.
var conformanceCases = []struct {
	glob     string
	corpus   bool
	adapter  string
	minFiles int
	reason   string
}{
	{"reddit/*.json", true, "reddit", 4, "recorded reddit thread JSON (full threads and permalink slices)"},
	{"scrape/reddit/testdata/thread-*.json", false, "reddit", 2, "reddit fixtures: raw_json=1 and HTML-escaped shapes"},
	{"hackernews/*.html", true, "hackernews", 1, "a 2023 HN item page"},
	{"scrape/hackernews/testdata/*.json", false, "hackernews", 2, "Algolia and Firebase item fixtures"},
	{"scrape/hackernews/testdata/*.html", false, "hackernews", 2, "older and newer HN item markup fixtures"},
	{"other/discourse-*.json", true, "discourse", 2, "Discourse topic and posts JSON"},
	{"scrape/discourse/testdata/*.json", false, "discourse", 2, "Discourse fixtures"},
	{"wordpress/*.html", true, "wordpress", 10, "WordPress post pages"},
	{"scrape/wordpress/testdata/paged/*.html", false, "wordpress", 3, "paginated WordPress comment pages"},
	{"scrape/textdump/testdata/*.txt", false, "textdump", 4, "textdump fixtures"},
	{"datasets/samples/*.txt", false, "textdump", 2, "bundled textdump samples"},
}

var (
	leftoverTag    = regexp.MustCompile(`</?(a|p|div|span|br|i|b|em|strong|blockquote|li|ul|ol|pre|code|img|table|tr|td|font|aside|h[1-6])(\s[^<>]*)?/?>`)
	leftoverEntity = regexp.MustCompile(`&(amp|lt|gt|quot|apos|nbsp|mdash|ndash|#[0-9]+|#x[0-9a-fA-F]+);`)
)

// literalMarkup lists comments whose authors typed markup or entities
// literally, so the text rightly keeps them: "corpus-relative path#comment ID".
var literalMarkup = map[string]string{
	"reddit/reddit-funny-3hahrw-ba_dum_tsss.json#cu5wwkd": "a pasted URL with a literal &amp; (body has &amp;, body_html &amp;amp;)",
}

type conformancePage struct {
	path, rel, adapter, reason string
}

func conformancePages(t *testing.T) []conformancePage {
	t.Helper()
	root := scrapetest.RepoRoot(t)
	corpus := scrapetest.CorpusDir(t)
	var pages []conformancePage
	for _, tc := range conformanceCases {
		base := root
		if tc.corpus {
			base = corpus
		}
		matches, err := filepath.Glob(filepath.Join(base, filepath.FromSlash(tc.glob)))
		if err != nil {
			t.Fatal(err)
		}
		if len(matches) < tc.minFiles {
			t.Errorf("%s: %d files, want at least %d (%s)", tc.glob, len(matches), tc.minFiles, tc.reason)
		}
		for _, m := range matches {
			rel, _ := filepath.Rel(base, m)
			pages = append(pages, conformancePage{path: m, rel: filepath.ToSlash(rel), adapter: tc.adapter, reason: tc.reason})
		}
	}
	return pages
}

func TestConformance(t *testing.T) {
	t.Parallel()
	reg := adapters.Default()
	for _, pg := range conformancePages(t) {
		t.Run(pg.rel, func(t *testing.T) {
			t.Parallel()
			if !slices.Contains(reg.Names(), pg.adapter) {
				// TODO(lead): every adapter must be registered in
				// adapters.Default(); this skip exists only while the
				// adapter packages are written in parallel.
				t.Skipf("adapter %q is not registered in adapters.Default() yet", pg.adapter)
			}
			body, err := os.ReadFile(pg.path)
			if err != nil {
				t.Fatal(err)
			}
			page := &scrape.Page{Source: pg.path, Body: body}
			a, err := reg.Detect(page)
			if err != nil || a.Name() != pg.adapter {
				name := ""
				if a != nil {
					name = a.Name()
				}
				t.Fatalf("detected %q (%v), want %q (%s)", name, err, pg.adapter, pg.reason)
			}
			th := parseOK(t, reg, page)
			checkInvariants(t, th)
			if th.Site != pg.adapter || !strings.HasPrefix(th.ID, pg.adapter+":") || len(th.ID) == len(pg.adapter)+1 {
				t.Errorf("thread ID %q / site %q: want a non-empty %q ID", th.ID, th.Site, pg.adapter+":")
			}
			// Determinism, and an ID independent of where the file was read.
			moved := &scrape.Page{Source: filepath.Join(t.TempDir(), "elsewhere", "renamed.page"), Body: body}
			again := parseOK(t, reg, moved)
			if again.ID != th.ID {
				t.Errorf("thread ID depends on the file path: %q vs %q", th.ID, again.ID)
			}
			again.Source = th.Source
			if !reflect.DeepEqual(th, again) {
				t.Errorf("parsing twice gives different threads")
			}
			if strings.Contains(th.ID, filepath.Base(pg.path)) || strings.Contains(th.ID, strings.TrimSuffix(filepath.Base(pg.path), filepath.Ext(pg.path))) {
				t.Errorf("thread ID %q contains the file name", th.ID)
			}
			checkText(t, "title", th.Title)
			checkText(t, "body", th.Body)
			for _, c := range th.Comments {
				if _, literal := literalMarkup[pg.rel+"#"+c.ID]; !literal {
					checkText(t, "comment "+c.ID, c.Text)
				}
			}
		})
	}
}

// parseOK parses page through the registry. A thread returned with an
// error (a partial parse) is accepted and logged.
func parseOK(t *testing.T, reg *scrape.Registry, page *scrape.Page) *scrape.Thread {
	t.Helper()
	th, err := reg.Parse(context.Background(), page, "", scrape.Env{})
	if th == nil {
		t.Fatalf("no thread: %v", err)
	}
	if err != nil {
		t.Logf("partial parse: %v", err)
	}
	return th
}

// checkInvariants verifies the reply tree: unique IDs, parents that exist,
// depth = parent depth + 1, positions 1..n per parent in document order,
// doc_order 1..N in slice order.
func checkInvariants(t *testing.T, th *scrape.Thread) {
	t.Helper()
	depth := make(map[string]int, len(th.Comments))
	for _, c := range th.Comments {
		if c.ID == "" {
			t.Errorf("comment at doc_order %d has no ID", c.DocOrder)
		}
		if _, dup := depth[c.ID]; dup {
			t.Errorf("duplicate comment ID %q", c.ID)
		}
		depth[c.ID] = c.Depth
	}
	nextPos := make(map[string]int)
	for i, c := range th.Comments {
		if c.DocOrder != i+1 {
			t.Errorf("comment %s: doc_order %d at index %d", c.ID, c.DocOrder, i)
		}
		want := 1
		if c.ParentID != "" {
			d, ok := depth[c.ParentID]
			if !ok {
				t.Errorf("comment %s: parent %s does not exist", c.ID, c.ParentID)
				continue
			}
			want = d + 1
		}
		if c.Depth != want {
			t.Errorf("comment %s: depth %d, want parent depth + 1 = %d", c.ID, c.Depth, want)
		}
		nextPos[c.ParentID]++
		if c.Position != nextPos[c.ParentID] {
			t.Errorf("comment %s: position %d, want %d among its siblings", c.ID, c.Position, nextPos[c.ParentID])
		}
	}
}

func checkText(t *testing.T, what, s string) {
	t.Helper()
	if m := leftoverTag.FindString(s); m != "" {
		t.Errorf("%s: leftover HTML tag %q", what, m)
	}
	if m := leftoverEntity.FindString(s); m != "" {
		t.Errorf("%s: leftover entity %q", what, m)
	}
}

// expectedTree is an independent account of a corpus page: comment count,
// maximum depth and every comment's parent ("" for top level).
type expectedTree struct {
	count, maxDepth int
	parents         map[string]string
}

// compareTree checks the adapter's thread against an independent count and
// against the numbers SOURCES.md states.
func compareTree(t *testing.T, th *scrape.Thread, want expectedTree, sourcesCount, sourcesDepth int) {
	t.Helper()
	if want.count != sourcesCount || want.maxDepth != sourcesDepth {
		t.Errorf("independent count %d depth %d disagrees with SOURCES.md %d depth %d", want.count, want.maxDepth, sourcesCount, sourcesDepth)
	}
	got := expectedTree{count: len(th.Comments), parents: map[string]string{}}
	for _, c := range th.Comments {
		got.maxDepth = max(got.maxDepth, c.Depth)
		got.parents[c.ID] = c.ParentID
	}
	if got.count != want.count || got.maxDepth != want.maxDepth {
		t.Errorf("adapter: %d comments depth %d; independent: %d depth %d", got.count, got.maxDepth, want.count, want.maxDepth)
	}
	bad := 0
	for id, p := range want.parents {
		if gp, ok := got.parents[id]; !ok || gp != p {
			if bad++; bad <= 5 {
				t.Errorf("comment %s: parent %q, independent count says %q", id, gp, p)
			}
		}
	}
	if bad > 5 {
		t.Errorf("… %d parent links differ in all", bad)
	}
}

func parseCorpus(t *testing.T, rel string) (*scrape.Thread, []byte) {
	t.Helper()
	path := scrapetest.CorpusFile(t, rel)
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	th, err := adapters.Default().Parse(context.Background(), &scrape.Page{Source: path, Body: body}, "", scrape.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return th, body
}

// redditTree walks the JSON generically (map[string]any), following the
// "replies" nesting rather than parent_id.
func redditTree(t *testing.T, body []byte) expectedTree {
	t.Helper()
	var doc []any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	out := expectedTree{parents: map[string]string{}}
	type item struct {
		v      any
		parent string
		depth  int
	}
	children := func(listing any) []any {
		m, _ := listing.(map[string]any)
		data, _ := m["data"].(map[string]any)
		kids, _ := data["children"].([]any)
		return kids
	}
	var stack []item
	for _, k := range children(doc[1]) {
		stack = append(stack, item{k, "", 1})
	}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		m, _ := it.v.(map[string]any)
		if m["kind"] != "t1" {
			continue
		}
		data, _ := m["data"].(map[string]any)
		id, _ := data["id"].(string)
		out.count++
		out.maxDepth = max(out.maxDepth, it.depth)
		out.parents[id] = it.parent
		for _, k := range children(data["replies"]) {
			stack = append(stack, item{k, id, it.depth + 1})
		}
	}
	return out
}

func TestCorpusRedditIndependent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file         string
		count, depth int
		reason       string
	}{
		{"reddit/reddit-funny-3hahrw-ba_dum_tsss.json", 476, 10, "full thread"},
		{"reddit/reddit-announcements-n49rw-were_back.json", 485, 10, "full thread, old-style data"},
		{"reddit/reddit-askreddit-6wmniq-conspiracy-cringe-context-dma3mi5.json", 200, 7, "permalink-context slice"},
		{"reddit/reddit-iama-57dw9a-undecided-voter-context-d8r4im1.json", 145, 10, "comment-permalink slice"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			t.Parallel()
			th, body := parseCorpus(t, tt.file)
			compareTree(t, th, redditTree(t, body), tt.count, tt.depth)
		})
	}
}

var (
	hnRowRe    = regexp.MustCompile(`<tr class="athing comtr" id="(\d+)">`)
	hnIndentRe = regexp.MustCompile(`<td class="ind" indent="(\d+)">`)
)

// hnTree pairs each comment row's id with the next indent attribute in the
// raw bytes and links parents with a stack of indents.
func hnTree(t *testing.T, body []byte) expectedTree {
	t.Helper()
	rows := hnRowRe.FindAllSubmatchIndex(body, -1)
	out := expectedTree{count: len(rows), parents: map[string]string{}}
	type open struct {
		id     string
		indent int
	}
	var stack []open
	for _, r := range rows {
		id := string(body[r[2]:r[3]])
		m := hnIndentRe.FindSubmatch(body[r[1]:])
		if m == nil {
			t.Fatalf("row %s: no indent", id)
		}
		indent, _ := strconv.Atoi(string(m[1]))
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		out.parents[id] = ""
		if len(stack) > 0 {
			out.parents[id] = stack[len(stack)-1].id
		}
		out.maxDepth = max(out.maxDepth, indent+1)
		stack = append(stack, open{id, indent})
	}
	return out
}

func TestCorpusHackerNewsIndependent(t *testing.T) {
	t.Parallel()
	th, body := parseCorpus(t, "hackernews/hn-item-36817231-ask-hn-best-papers.html")
	compareTree(t, th, hnTree(t, body), 100, 5)
	hist := map[string]int{}
	for _, m := range hnIndentRe.FindAllSubmatch(body, -1) {
		hist[string(m[1])]++
	}
	if want := map[string]int{"0": 58, "1": 26, "2": 11, "3": 3, "4": 2}; !reflect.DeepEqual(hist, want) {
		t.Errorf("indent distribution %v, SOURCES.md says %v", hist, want)
	}
}

// discourseTree reads posts generically; a post's parent is its
// reply_to_post_number unless that is missing or post 1 (the topic's
// post). chain is the longest reply chain as SOURCES.md counts it: the
// number of posts met following reply_to_post_number, post 1 included
// when a reply names it.
func discourseTree(t *testing.T, body []byte) (tree expectedTree, chain int) {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	stream, _ := doc["post_stream"].(map[string]any)
	posts, _ := stream["posts"].([]any)
	replyTo := map[int]int{}
	var numbers []int
	for _, p := range posts {
		m, _ := p.(map[string]any)
		n, _ := m["post_number"].(float64)
		r, _ := m["reply_to_post_number"].(float64)
		numbers = append(numbers, int(n))
		replyTo[int(n)] = int(r)
	}
	tree.parents = map[string]string{}
	for _, n := range numbers {
		length := 0
		for cur := n; cur != 0 && length <= len(numbers); cur = replyTo[cur] {
			length++
		}
		chain = max(chain, length)
		if n == 1 {
			continue
		}
		tree.count++
		depth := 0
		for cur := n; cur > 1 && depth <= len(numbers); cur = replyTo[cur] {
			depth++
		}
		tree.maxDepth = max(tree.maxDepth, depth)
		tree.parents[strconv.Itoa(n)] = ""
		if r := replyTo[n]; r > 1 {
			tree.parents[strconv.Itoa(n)] = strconv.Itoa(r)
		}
	}
	return tree, chain
}

func TestCorpusDiscourseIndependent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file                   string
		posts, chain           int
		comments, commentDepth int
		reason                 string
	}{
		{"other/discourse-criticalfallibilism-t2144-posts.json", 20, 5, 19, 5, "20 posts; the chain 20→19→18→15→4 never names post 1"},
		{"other/discourse-sandbox-topic57.json", 4, 2, 3, 1, "4 posts; the chain 14→1 is 2 long, so the reply is top level"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			t.Parallel()
			th, body := parseCorpus(t, tt.file)
			want, chain := discourseTree(t, body)
			if want.count+1 != tt.posts || chain != tt.chain {
				t.Errorf("%s: independent count %d posts chain %d; SOURCES.md says %d posts depth %d", tt.reason, want.count+1, chain, tt.posts, tt.chain)
			}
			compareTree(t, th, want, tt.comments, tt.commentDepth)
		})
	}
}
