package discourse_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/threadlens/threadlens/scrape"
	"github.com/threadlens/threadlens/scrape/discourse"
	"github.com/threadlens/threadlens/scrape/scrapetest"
)

func parse(t testing.TB, body []byte, src, pageURL string) (*scrape.Thread, error) {
	t.Helper()
	return discourse.New().Parse(context.Background(), &scrape.Page{Source: src, URL: pageURL, Body: body}, scrape.Env{})
}

func TestFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file        string
		pageURL     string
		wantURL     string
		title       string
		comments    int
		depth       int
		hidden      int
		orphans     int
		wantDeleted []string
		wantOP      []string
		reason      string
	}{
		{"topic.json", "https://forum.example.org/t/781.json", "https://forum.example.org/t/my-manager-blamed-me-for-the-outage/781",
			"My manager blamed me for the outage", 5, 4, 2, 0, []string{"5"}, []string{"3"},
			"topic JSON: post 1 is the post, a small action is dropped, a deleted post keeps its place, reply to post 1 is top level"},
		{"topic-posts-page2.json", "", "", "my manager blamed me for the outage", 2, 2, 0, 1, nil, nil,
			"a later posts.json page: no title (slug used), a reply to a post not on the page becomes an orphan"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			th, err := parse(t, scrapetest.ReadFile(t, filepath.Join("testdata", tt.file)), tt.file, tt.pageURL)
			if err != nil {
				t.Fatalf("%s: %v", tt.reason, err)
			}
			if th.ID != "discourse:781" || th.URL != tt.wantURL || th.Title != tt.title {
				t.Errorf("%s: id %q url %q title %q", tt.reason, th.ID, th.URL, th.Title)
			}
			if len(th.Comments) != tt.comments || scrapetest.MaxDepth(th) != tt.depth || th.HiddenComments != tt.hidden || th.Repairs.Orphans != tt.orphans {
				t.Errorf("%s: %d comments depth %d hidden %d orphans %d; want %d, %d, %d, %d", tt.reason,
					len(th.Comments), scrapetest.MaxDepth(th), th.HiddenComments, th.Repairs.Orphans, tt.comments, tt.depth, tt.hidden, tt.orphans)
			}
			var deleted, op []string
			for _, c := range th.Comments {
				if c.Deleted {
					deleted = append(deleted, c.ID)
				}
				if c.IsOP {
					op = append(op, c.ID)
				}
			}
			if !slices.Equal(deleted, tt.wantDeleted) || !slices.Equal(op, tt.wantOP) {
				t.Errorf("%s: deleted %v op %v; want %v %v", tt.reason, deleted, op, tt.wantDeleted, tt.wantOP)
			}
			checkGolden(t, strings.TrimSuffix(tt.file, ".json"), canonical(th))
		})
	}
}

func TestCorpus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file            string
		id, title       string
		comments, depth int
		reason          string
	}{
		{"other/discourse-criticalfallibilism-t2144-posts.json", "discourse:2144", "kpop demon hunters", 19, 5,
			"posts.json first page: 20 posts, reply chain 20→19→18→15→4 five long"},
		{"other/discourse-sandbox-topic57.json", "discourse:57", "THIS SITE IS A SANDBOX -- it is reset every day", 3, 1,
			"topic JSON: 4 posts, the one reply answers post 1 (top level)"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			t.Parallel()
			path := scrapetest.CorpusFile(t, tt.file)
			th, err := parse(t, scrapetest.ReadFile(t, path), path, "")
			if err != nil {
				t.Fatalf("%s: %v", tt.reason, err)
			}
			if th.ID != tt.id || th.Title != tt.title || len(th.Comments) != tt.comments || scrapetest.MaxDepth(th) != tt.depth || th.Repairs.Total() != 0 {
				t.Errorf("%s: %q %q %d comments depth %d repairs %+v", tt.reason, th.ID, th.Title, len(th.Comments), scrapetest.MaxDepth(th), th.Repairs)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	topic := scrapetest.ReadFile(t, filepath.Join("testdata", "topic.json"))
	tests := []struct {
		name   string
		body   string
		want   error
		reason string
	}{
		{"deep", `{"post_stream":` + strings.Repeat(`{"a":[`, 5000) + strings.Repeat(`]}`, 5000) + `}`, scrape.ErrTooDeep, "nesting beyond 10,000 levels"},
		{"truncated", string(topic[:len(topic)/2]), scrape.ErrMalformed, "a topic file cut in half"},
		{"no stream", `{"id": 5, "title": "x"}`, scrape.ErrNoThread, "a topic list or other JSON without post_stream"},
		{"no id", `{"post_stream": {"posts": []}}`, scrape.ErrMalformed, "no topic id anywhere"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			th, err := parse(t, []byte(tt.body), "src/"+tt.name+".json", "")
			var pe *scrape.ParseError
			if th != nil || !errors.Is(err, tt.want) || !errors.As(err, &pe) || pe.Source != "src/"+tt.name+".json" {
				t.Errorf("%s: got %v, %v; want %v naming the source", tt.reason, th != nil, err, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(scrapetest.ReadFile(f, filepath.Join("testdata", "topic.json")))
	f.Add(scrapetest.ReadFile(f, filepath.Join("testdata", "topic-posts-page2.json")))
	f.Add([]byte(`{"id":1,"post_stream":{"posts":[{"post_number":2,"reply_to_post_number":3},{"post_number":3,"reply_to_post_number":2},{"post_number":2}]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		th, err := parse(t, body, "fuzz", "")
		if th == nil {
			if err == nil {
				t.Fatal("no thread and no error")
			}
			return
		}
		depth := map[string]int{}
		for _, c := range th.Comments {
			if _, dup := depth[c.ID]; dup {
				t.Fatalf("duplicate id %s", c.ID)
			}
			depth[c.ID] = c.Depth
		}
		for _, c := range th.Comments {
			if d, ok := depth[c.ParentID]; c.ParentID != "" && (!ok || c.Depth != d+1) {
				t.Fatalf("comment %s: parent %q missing or depth %d wrong", c.ID, c.ParentID, c.Depth)
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(scrapetest.CorpusDir(b), "other", "discourse-*.json"))
	for _, path := range files {
		body := scrapetest.ReadFile(b, path)
		b.Run(filepath.Base(path), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			n := 0
			for b.Loop() {
				th, err := parse(b, body, path, "")
				if err != nil {
					b.Fatal(err)
				}
				n += len(th.Comments)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "comments/s")
		})
	}
}
