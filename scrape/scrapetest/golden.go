package scrapetest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/threadlens/threadlens/scrape"
)

// GoldenThread is the canonical JSON form of a parsed thread, as stored in
// adapters' testdata/golden files.
type GoldenThread struct {
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
	Comments         []GoldenComment `json:"comments"`
}

// GoldenComment is one comment of a [GoldenThread].
type GoldenComment struct {
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

// TimeString formats t as RFC 3339 in UTC, "" for nil.
func TimeString(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// ThreadJSON renders th as canonical indented JSON (HTML characters not
// escaped), the form golden files store.
func ThreadJSON(th *scrape.Thread) []byte {
	g := GoldenThread{
		ID: th.ID, Site: th.Site, URL: th.URL, Title: th.Title, Author: th.Author,
		PublishedAt: TimeString(th.PublishedAt), Body: th.Body,
		DeclaredComments: th.DeclaredComments, HiddenComments: th.HiddenComments,
		MoreStubs: th.MoreStubs, NComments: len(th.Comments), Repairs: th.Repairs,
		Comments: []GoldenComment{},
	}
	for _, c := range th.Comments {
		g.MaxDepth = max(g.MaxDepth, c.Depth)
		g.Comments = append(g.Comments, GoldenComment{
			ID: c.ID, Parent: c.ParentID, Depth: c.Depth, Position: c.Position, DocOrder: c.DocOrder,
			Author: c.Author, IsOP: c.IsOP, PostedAt: TimeString(c.PostedAt), Deleted: c.Deleted, Text: c.Text,
		})
	}
	return CanonicalJSON(g)
}

// CanonicalJSON renders v as indented JSON without HTML escaping. It
// panics if v cannot be encoded (a programmer error in a test).
func CanonicalJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// Golden compares got with the file at path, or rewrites the file when
// update is set (the test's -update flag). A difference is reported as
// the differing lines.
func Golden(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
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
	if d := LineDiff(string(want), string(got)); d != "" {
		t.Errorf("%s differs from the golden file (-want +got; go test -update rewrites it):\n%s", path, d)
	}
}

// LineDiff lists up to 20 lines that differ, by position, or "" when the
// texts are equal.
func LineDiff(want, got string) string {
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
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n- " + wl + "\n+ " + gl + "\n")
		}
	}
	return b.String()
}
