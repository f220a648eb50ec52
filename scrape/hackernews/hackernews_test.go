package hackernews_test

import (
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/threadlens/threadlens/scrape"
	"github.com/threadlens/threadlens/scrape/hackernews"
	"github.com/threadlens/threadlens/scrape/scrapetest"
)

func parse(t testing.TB, body []byte, src string) (*scrape.Thread, error) {
	t.Helper()
	return hackernews.New().Parse(context.Background(), &scrape.Page{Source: src, Body: body}, scrape.Env{})
}

func TestFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file        string
		id          string
		comments    int
		depth       int
		declared    int // -1: none
		hidden      int
		wantDeleted []string
		reason      string
	}{
		{"algolia-story.json", "hackernews:40000001", 6, 3, -1, 0, []string{"40000005"},
			"Algolia items tree: nested children, a deleted (null author/text) comment keeps its place and its reply"},
		{"firebase-story.json", "hackernews:40000001", 0, 0, 6, 6, nil,
			"Firebase item: the post only; descendants are declared and hidden"},
		{"item-2018-markup.html", "hackernews:17000001", 6, 4, 6, 0, []string{"17000004"},
			"older markup: depth from the indent image width, reply link inside the text span, [deleted] text"},
		{"item-2024-markup.html", "hackernews:41000001", 5, 3, 1204, 1199, []string{"41000004"},
			"newer markup: indent attribute, 'ISO EPOCH' age titles, div.commtext, [flagged], a More link"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			th, err := parse(t, scrapetest.ReadFile(t, filepath.Join("testdata", tt.file)), tt.file)
			if err != nil {
				t.Fatalf("%s: %v", tt.reason, err)
			}
			if th.ID != tt.id || len(th.Comments) != tt.comments || scrapetest.MaxDepth(th) != tt.depth {
				t.Errorf("%s: %s with %d comments depth %d; want %s %d depth %d", tt.reason, th.ID, len(th.Comments), scrapetest.MaxDepth(th), tt.id, tt.comments, tt.depth)
			}
			if (tt.declared < 0) != (th.DeclaredComments == nil) || (th.DeclaredComments != nil && *th.DeclaredComments != tt.declared) {
				t.Errorf("%s: declared %v, want %d", tt.reason, th.DeclaredComments, tt.declared)
			}
			if th.HiddenComments != tt.hidden {
				t.Errorf("%s: hidden %d, want %d", tt.reason, th.HiddenComments, tt.hidden)
			}
			var deleted []string
			for _, c := range th.Comments {
				if c.Deleted {
					deleted = append(deleted, c.ID)
				}
			}
			if !slices.Equal(deleted, tt.wantDeleted) {
				t.Errorf("%s: deleted %v, want %v", tt.reason, deleted, tt.wantDeleted)
			}
			checkGolden(t, strings.TrimSuffix(tt.file, filepath.Ext(tt.file)), canonical(th))
		})
	}
}

func TestCorpus(t *testing.T) {
	t.Parallel()
	path := scrapetest.CorpusFile(t, "hackernews/hn-item-36817231-ask-hn-best-papers.html")
	th, err := parse(t, scrapetest.ReadFile(t, path), path)
	if err != nil {
		t.Fatal(err)
	}
	hist := make([]int, 6)
	for _, c := range th.Comments {
		if c.Depth < len(hist) {
			hist[c.Depth]++
		}
		if c.PostedAt == nil || c.Author == "" || c.Text == "" {
			t.Errorf("comment %s: missing time, author or text", c.ID)
		}
	}
	if want := []int{0, 58, 26, 11, 3, 2}; !slices.Equal(hist, want) {
		t.Errorf("depth histogram %v, want %v (SOURCES.md indent 0–4)", hist, want)
	}
	if th.ID != "hackernews:36817231" || th.Title != "Ask HN: What are the best papers you read in your life?" || th.Author != "toombowoombo" {
		t.Errorf("thread %q %q %q", th.ID, th.Title, th.Author)
	}
	if th.DeclaredComments == nil || *th.DeclaredComments != 100 || th.PublishedAt == nil {
		t.Errorf("declared %v published %v", th.DeclaredComments, th.PublishedAt)
	}
}

func TestSniff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		head   string
		want   bool
		reason string
	}{
		{"algolia", `{"id":1,"created_at":"2006-10-09T18:21:51.000Z","created_at_i":1160418111,"type":"story","children":[]}`, true, "Algolia items object"},
		{"algolia sorted keys", `{"author":"pg","children":[{"author":"sama","children":[],"created_at_i":1160423461,"id":15}],"created_at_i":1160418111,"id":1}`, true, "key order does not matter"},
		{"firebase", `{"by":"dhouston","descendants":71,"id":8863,"kids":[9224],"score":111,"time":1175714200,"title":"My YC app","type":"story"}`, true, "Firebase item"},
		{"search hits", `{"hits":[{"created_at_i":1,"children":[2],"_highlightResult":{}}],"nbHits":1}`, false, "Algolia search results are not a thread"},
		{"reddit", `[{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"created_utc": 1}}]}}]`, false, "reddit JSON"},
		{"discourse", `{"post_stream":{"posts":[{"id":1,"created_at":"x","cooked":"<p>x</p>"}]},"id":5}`, false, "discourse JSON"},
		{"blog about HN", `<html><body><article class="post"><a href="https://news.ycombinator.com/item?id=1">discussed on HN</a></article></body></html>`, false, "a WordPress page linking to HN"},
		{"hn front page", `<html op="news"><body><table class="itemlist"><tr class="athing" id="1"><td class="title"><span class="titleline"><a href="x">t</a></span></td></tr></table></body></html>`, false, "the front page has no item"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := hackernews.New().Sniff("", []byte(tt.head)); got != tt.want {
				t.Errorf("Sniff = %v, want %v (%s)", got, tt.want, tt.reason)
			}
		})
	}
}

func TestItemURLs(t *testing.T) {
	t.Parallel()
	const want = "https://hn.algolia.com/api/v1/items/36817231"
	tests := []struct {
		in, want string
		ok       bool
		reason   string
	}{
		{"https://news.ycombinator.com/item?id=36817231", want, true, "item page"},
		{"http://news.ycombinator.com/item?id=36817231&p=2", want, true, "paginated item page"},
		{"https://hacker-news.firebaseio.com/v0/item/36817231.json", want, true, "Firebase item"},
		{"https://hn.algolia.com/api/v1/items/36817231", want, true, "already Algolia"},
		{"https://news.ycombinator.com/news", "", false, "front page"},
		{"https://news.ycombinator.com/item?id=abc", "", false, "bad id"},
		{"https://example.com/item?id=1", "", false, "other host"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			t.Parallel()
			got, ok := hackernews.ItemURLs(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ItemURLs(%q) = %q, %v; want %q, %v (%s)", tt.in, got, ok, tt.want, tt.ok, tt.reason)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	algolia := scrapetest.ReadFile(t, filepath.Join("testdata", "algolia-story.json"))
	tests := []struct {
		name   string
		body   string
		want   error
		reason string
	}{
		{"deep json", "{" + strings.Repeat(`"children":[{`, 5001) + strings.Repeat("}]", 5001) + "}", scrape.ErrTooDeep, "JSON nesting beyond 10,000 levels"},
		{"truncated json", string(algolia[:len(algolia)/2]), scrape.ErrMalformed, "an Algolia file cut in half"},
		{"deep html", `<table class="fatitem"><tr class="athing" id="1"><td>` + strings.Repeat("<div>", 600), scrape.ErrTooDeep, "HTML parsing stops at 512 open elements"},
		{"not an item", `<html><body><p>hello</p></body></html>`, scrape.ErrNoThread, "no fatitem and no comment rows"},
		{"no id", `{"created_at_i":1,"children":[]}`, scrape.ErrNoThread, "an Algolia object without an id"},
		{"threads page", `<html op="threads"><body><table class="comment-tree"><tr class="athing comtr" id="5"><td class="ind" indent="0"></td></tr></table></body></html>`, scrape.ErrNoThread, "a user's comments page has rows but no item"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			th, err := parse(t, []byte(tt.body), "src/"+tt.name)
			if th != nil || !errors.Is(err, tt.want) {
				t.Fatalf("%s: got %v, %v; want %v", tt.reason, th != nil, err, tt.want)
			}
			var pe *scrape.ParseError
			if !errors.As(err, &pe) || pe.Source != "src/"+tt.name {
				t.Errorf("%s: %v does not name the source", tt.reason, err)
			}
		})
	}
}

// checkTree fails when a parent is missing or a depth is not the parent's
// depth + 1.
func checkTree(t *testing.T, th *scrape.Thread) {
	depth := map[string]int{}
	for _, c := range th.Comments {
		if _, dup := depth[c.ID]; dup {
			t.Fatalf("duplicate id %s", c.ID)
		}
		depth[c.ID] = c.Depth
	}
	for _, c := range th.Comments {
		want := 1
		if c.ParentID != "" {
			d, ok := depth[c.ParentID]
			if !ok {
				t.Fatalf("comment %s: parent %s missing", c.ID, c.ParentID)
			}
			want = d + 1
		}
		if c.Depth != want {
			t.Fatalf("comment %s: depth %d, want %d", c.ID, c.Depth, want)
		}
	}
}

func fuzzParse(t *testing.T, body []byte) {
	th, err := parse(t, body, "fuzz")
	if th == nil {
		if err == nil {
			t.Fatal("no thread and no error")
		}
		return
	}
	checkTree(t, th)
}

func FuzzParseJSON(f *testing.F) {
	f.Add(scrapetest.ReadFile(f, filepath.Join("testdata", "algolia-story.json")))
	f.Add(scrapetest.ReadFile(f, filepath.Join("testdata", "firebase-story.json")))
	f.Add([]byte(`{"id":1,"created_at_i":1,"children":[{"id":1,"children":[{"id":1}]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > 0 && body[0] != '{' {
			body = append([]byte{'{'}, body...)
		}
		fuzzParse(t, body)
	})
}

func FuzzParseHTML(f *testing.F) {
	f.Add(scrapetest.ReadFile(f, filepath.Join("testdata", "item-2018-markup.html")))
	f.Add(scrapetest.ReadFile(f, filepath.Join("testdata", "item-2024-markup.html")))
	f.Add([]byte(`<table class="fatitem"><tr class="athing" id="9"></tr></table><tr class="athing comtr" id="1"><td class="ind" indent="3"></td></tr><tr class="athing comtr" id="1"><td class="ind" indent="-1"></td></tr>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > 0 && body[0] == '{' {
			body = body[1:]
		}
		fuzzParse(t, body)
	})
}

// indentRe reads the indent attribute of the corpus's comment rows; the
// benchmark uses it only to cross-check the count.
var indentRe = regexp.MustCompile(`<td class="ind" indent="\d+">`)

func BenchmarkParse(b *testing.B) {
	cases := map[string]string{
		"corpus-item-36817231": filepath.Join(scrapetest.CorpusDir(b), "hackernews", "hn-item-36817231-ask-hn-best-papers.html"),
		"algolia-fixture":      filepath.Join("testdata", "algolia-story.json"),
	}
	for name, path := range cases {
		body := scrapetest.ReadFile(b, path)
		b.Run(name, func(b *testing.B) {
			if strings.HasSuffix(path, ".html") && len(indentRe.FindAll(body, -1)) == 0 {
				b.Fatal("no comment rows")
			}
			b.SetBytes(int64(len(body)))
			n := 0
			for b.Loop() {
				th, err := parse(b, body, path)
				if err != nil {
					b.Fatal(err)
				}
				n += len(th.Comments)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "comments/s")
		})
	}
}
