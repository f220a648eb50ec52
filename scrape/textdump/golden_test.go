package textdump_test

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threadlens/threadlens/scrape"
	"github.com/threadlens/threadlens/scrape/scrapetest"
	"github.com/threadlens/threadlens/scrape/textdump"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenThread is the canonical JSON form of a parsed thread.
type goldenThread struct {
	ID               string          `json:"id"`
	Site             string          `json:"site"`
	Title            string          `json:"title"`
	Body             string          `json:"body"`
	DeclaredComments *int            `json:"declared_comments"`
	NComments        int             `json:"n_comments"`
	MaxDepth         int             `json:"max_depth"`
	Repairs          scrape.Repairs  `json:"repairs"`
	Problems         []string        `json:"problems"`
	Comments         []goldenComment `json:"comments"`
}

type goldenComment struct {
	ID       string `json:"id"`
	Parent   string `json:"parent"`
	Depth    int    `json:"depth"`
	Position int    `json:"position"`
	DocOrder int    `json:"doc_order"`
	Author   string `json:"author"`
	Text     string `json:"text"`
}

// parseFile parses a file through the adapter with source name src.
func parseFile(t testing.TB, path, src string) (*scrape.Thread, error) {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return textdump.New().Parse(context.Background(), &scrape.Page{Source: src, Body: body}, scrape.Env{})
}

// problemLines splits a parse error into its lines ("" → none).
func problemLines(err error) []string {
	if err == nil {
		return []string{}
	}
	return strings.Split(err.Error(), "\n")
}

func canonical(th *scrape.Thread, err error) []byte {
	g := goldenThread{
		ID: th.ID, Site: th.Site, Title: th.Title, Body: th.Body,
		DeclaredComments: th.DeclaredComments, NComments: len(th.Comments),
		Repairs: th.Repairs, Problems: problemLines(err), Comments: []goldenComment{},
	}
	for _, c := range th.Comments {
		g.MaxDepth = max(g.MaxDepth, c.Depth)
		g.Comments = append(g.Comments, goldenComment{c.ID, c.ParentID, c.Depth, c.Position, c.DocOrder, c.Author, c.Text})
	}
	return scrapetest.CanonicalJSON(g)
}

// goldenCases lists the fixtures: testdata/*.txt and the bundled samples.
func goldenCases(t *testing.T) map[string]string {
	t.Helper()
	cases := map[string]string{}
	fixtures, _ := filepath.Glob(filepath.Join("testdata", "*.txt"))
	for _, f := range fixtures {
		cases[strings.TrimSuffix(filepath.Base(f), ".txt")] = f
	}
	samples, _ := filepath.Glob(filepath.Join(scrapetest.RepoRoot(t), "datasets", "samples", "*.txt"))
	for _, f := range samples {
		cases["sample-"+strings.TrimSuffix(filepath.Base(f), ".txt")] = f
	}
	return cases
}

func TestGolden(t *testing.T) {
	for name, path := range goldenCases(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			th, err := parseFile(t, path, name+".txt")
			if th == nil {
				t.Fatalf("no thread: %v", err)
			}
			scrapetest.Golden(t, filepath.Join("testdata", "golden", name+".json"), canonical(th, err), *update)
		})
	}
}

// TestSamples checks what the brief asks of the bundled samples.
func TestSamples(t *testing.T) {
	root := scrapetest.RepoRoot(t)
	tests := []struct {
		file                 string
		minComments, maxComm int
		minDepth             int
		reason               string
	}{
		{"owning-a-payroll-mistake.txt", 45, 1000, 6, "main sample: ≥45 comments, depth ≥6"},
		{"boss-screams-in-meetings.txt", 15, 25, 2, "second sample: 15–25 comments, no closing line"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			th, err := parseFile(t, filepath.Join(root, "datasets", "samples", tt.file), "sample:"+tt.file)
			if err != nil {
				t.Fatalf("%s: sample must parse cleanly: %v", tt.reason, err)
			}
			depth := 0
			for _, c := range th.Comments {
				depth = max(depth, c.Depth)
			}
			if n := len(th.Comments); n < tt.minComments || n > tt.maxComm || depth < tt.minDepth {
				t.Errorf("%s: got %d comments, depth %d", tt.reason, n, depth)
			}
			if th.DeclaredComments == nil || *th.DeclaredComments <= len(th.Comments) {
				t.Errorf("%s: declared count %v should exceed the %d comments shown", tt.reason, th.DeclaredComments, len(th.Comments))
			}
			if th.Repairs.Total() != 0 {
				t.Errorf("%s: repairs %+v", tt.reason, th.Repairs)
			}
		})
	}
}

// errorsAs is errors.As for ParseError, shared by the tests.
func parseErrors(err error) []*scrape.ParseError {
	var out []*scrape.ParseError
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, parseErrors(e)...)
		}
		return out
	}
	var pe *scrape.ParseError
	if errors.As(err, &pe) {
		out = append(out, pe)
	}
	return out
}
