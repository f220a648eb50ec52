package hackernews_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/threadlens/threadlens/scrape"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenThread is the canonical JSON form of a parsed thread.
type goldenThread struct {
	ID               string          `json:"id"`
	Site             string          `json:"site"`
	URL              string          `json:"url"`
	Title            string          `json:"title"`
	Author           string          `json:"author"`
	PublishedAt      string          `json:"published_at"`
	Body             string          `json:"body"`
	DeclaredComments *int            `json:"declared_comments"`
	HiddenComments   int             `json:"hidden_comments"`
	MoreStubs        int             `json:"more_stubs"`
	NComments        int             `json:"n_comments"`
	MaxDepth         int             `json:"max_depth"`
	Repairs          scrape.Repairs  `json:"repairs"`
	Comments         []goldenComment `json:"comments"`
}

type goldenComment struct {
	ID       string `json:"id"`
	Parent   string `json:"parent"`
	Depth    int    `json:"depth"`
	Position int    `json:"position"`
	DocOrder int    `json:"doc_order"`
	Author   string `json:"author"`
	IsOP     bool   `json:"is_op"`
	PostedAt string `json:"posted_at"`
	Deleted  bool   `json:"deleted"`
	Text     string `json:"text"`
}

func timeString(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// canonical renders th as indented JSON, HTML characters unescaped.
func canonical(th *scrape.Thread) []byte {
	g := goldenThread{
		ID: th.ID, Site: th.Site, URL: th.URL, Title: th.Title, Author: th.Author,
		PublishedAt: timeString(th.PublishedAt), Body: th.Body,
		DeclaredComments: th.DeclaredComments, HiddenComments: th.HiddenComments,
		MoreStubs: th.MoreStubs, NComments: len(th.Comments), Repairs: th.Repairs,
		Comments: []goldenComment{},
	}
	for _, c := range th.Comments {
		g.MaxDepth = max(g.MaxDepth, c.Depth)
		g.Comments = append(g.Comments, goldenComment{
			ID: c.ID, Parent: c.ParentID, Depth: c.Depth, Position: c.Position, DocOrder: c.DocOrder,
			Author: c.Author, IsOP: c.IsOP, PostedAt: timeString(c.PostedAt), Deleted: c.Deleted, Text: c.Text,
		})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(g); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// checkGolden compares got with testdata/golden/name.json, or rewrites it
// under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update)", err, t.Name())
	}
	if d := lineDiff(string(want), string(got)); d != "" {
		t.Errorf("%s differs from golden (-want +got):\n%s", path, d)
	}
}

// lineDiff lists the lines that differ, by position, or "" when equal.
func lineDiff(want, got string) string {
	if want == got {
		return ""
	}
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 20; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			shown++
			b.WriteString("line " + itoa(i+1) + ":\n- " + wl + "\n+ " + gl + "\n")
		}
	}
	return b.String()
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
