package datasets

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/threadlens/threadlens/nlp"
	"github.com/threadlens/threadlens/scrape"
)

// testAdapter parses a tiny JSON thread format of these tests, so the
// dataset tests do not depend on the site adapters:
//
//	{"tltest": {"id": "t1", "title": "…", "body": "…",
//	  "comments": [{"id": "1", "parent": "", "author": "a", "text": "…"}]}}
type testAdapter struct{}

type testThread struct {
	ID       string        `json:"id"`
	Title    string        `json:"title"`
	Body     string        `json:"body"`
	Declared *int          `json:"declared,omitempty"`
	Comments []testComment `json:"comments"`
	Partial  bool          `json:"partial,omitempty"`
	Panic    bool          `json:"panic,omitempty"`
}

type testComment struct {
	ID     string `json:"id"`
	Parent string `json:"parent,omitempty"`
	Author string `json:"author"`
	Text   string `json:"text"`
}

func (testAdapter) Name() string { return "tltest" }

func (testAdapter) Sniff(url string, head []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(head), []byte(`{"tltest"`))
}

func (testAdapter) Parse(ctx context.Context, p *scrape.Page, env scrape.Env) (*scrape.Thread, error) {
	var doc struct {
		T testThread `json:"tltest"`
	}
	if err := json.Unmarshal(p.Body, &doc); err != nil {
		return nil, fmt.Errorf("%w: %v", scrape.ErrMalformed, err)
	}
	if doc.T.Panic {
		panic("test adapter bug")
	}
	t := &scrape.Thread{
		ID:               "tltest:" + doc.T.ID,
		Site:             "tltest",
		Title:            doc.T.Title,
		Body:             doc.T.Body,
		DeclaredComments: doc.T.Declared,
	}
	for _, c := range doc.T.Comments {
		t.Comments = append(t.Comments, scrape.Comment{ID: c.ID, ParentID: c.Parent, Author: c.Author, Text: c.Text, PostedRaw: "yesterday"})
	}
	t.Comments, t.Repairs = scrape.BuildTree(t.Comments)
	if doc.T.Partial {
		return t, fmt.Errorf("%w: a comment could not be read", scrape.ErrMalformed)
	}
	return t, nil
}

var (
	analyzerOnce sync.Once
	analyzer     *nlp.Analyzer
	analyzerErr  error
)

func testAnalyzer(t testing.TB) *nlp.Analyzer {
	t.Helper()
	analyzerOnce.Do(func() {
		lex, err := nlp.DefaultLexicon()
		if err != nil {
			analyzerErr = err
			return
		}
		analyzer, analyzerErr = nlp.NewAnalyzer(lex)
	})
	if analyzerErr != nil {
		t.Fatal(analyzerErr)
	}
	return analyzer
}

func testRegistry() *scrape.Registry { return scrape.NewRegistry(testAdapter{}) }

// writeThread writes a test thread file into dir and returns its path.
func writeThread(t testing.TB, dir string, th testThread) string {
	t.Helper()
	data, err := json.Marshal(map[string]testThread{"tltest": th})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, th.ID+".json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// makeThread returns a thread with n comments, every third a reply.
func makeThread(id string, n int) testThread {
	th := testThread{ID: id, Title: "Thread " + id, Body: "I made a mistake at work and my boss yelled."}
	texts := []string{
		"Own it. Tell your manager right away and apologize.",
		"Nobody should yell at you for an honest mistake — that’s on them.",
		"Were you fired? I hope not! Burned out people make mistakes.",
		"The process needs a second reviewer; it isn't your fault alone.",
		"Thanks, everyone.",
	}
	for i := 1; i <= n; i++ {
		c := testComment{ID: fmt.Sprint(i), Author: fmt.Sprintf("user%d", i%4), Text: texts[i%len(texts)] + " (" + id + ")"}
		if i%3 == 0 {
			c.Parent = fmt.Sprint(i - 1)
		}
		th.Comments = append(th.Comments, c)
	}
	return th
}

func buildOpts(t testing.TB, out string, sources ...string) BuildOptions {
	return BuildOptions{
		Sources:  sources,
		Registry: testRegistry(),
		Analyzer: testAnalyzer(t),
		Out:      out,
		Buckets:  4,
		Version:  "test",
	}
}

func mustBuild(t testing.TB, opts BuildOptions) Summary {
	t.Helper()
	sum, err := Build(context.Background(), opts)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return sum
}

// datasetKeys reads every table and returns, per table, the sorted row
// keys (thread, comment and position columns), failing on a duplicate.
func datasetKeys(t testing.TB, dir string) map[string][]string {
	t.Helper()
	keys := map[string][]string{}
	add := func(table string, k string) { keys[table] = append(keys[table], k) }
	threads, err := ReadTable[ThreadRow](dir, TableThreads)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range threads {
		add(TableThreads, r.ThreadID+"|"+r.ContentHash)
	}
	comments, err := ReadTable[CommentRow](dir, TableComments)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range comments {
		add(TableComments, r.ThreadID+"|"+r.CommentID+"|"+r.Text)
	}
	sentences, err := ReadTable[SentenceRow](dir, TableSentences)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sentences {
		add(TableSentences, fmt.Sprintf("%s|%s|%d", r.ThreadID, r.CommentID, r.SentenceIndex))
	}
	hits, err := ReadTable[ThemeHitRow](dir, TableThemeHits)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range hits {
		add(TableThemeHits, fmt.Sprintf("%s|%s|%s|%s|%d", r.ThreadID, r.CommentID, r.Theme, r.Cue, r.Start))
	}
	entities, err := ReadTable[EntityRow](dir, TableEntities)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range entities {
		add(TableEntities, fmt.Sprintf("%s|%s|%d|%s", r.ThreadID, r.CommentID, r.Start, r.Label))
	}
	tokens, err := ReadTable[TokenRow](dir, TableTokens)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range tokens {
		add(TableTokens, fmt.Sprintf("%s|%s|%d|%d", r.ThreadID, r.CommentID, r.SentenceIndex, r.TokenIndex))
	}
	for table, ks := range keys {
		slices.Sort(ks)
		if i := firstDuplicate(ks); i >= 0 {
			t.Errorf("%s: duplicate row %q", table, ks[i])
		}
	}
	return keys
}

func firstDuplicate(sorted []string) int {
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			return i
		}
	}
	return -1
}

func failureText(errs []error) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString(e.Error())
		b.WriteString("\n")
	}
	return b.String()
}

// valueDiff returns "" when want and got are deeply equal, else both.
func valueDiff(want, got any) string {
	if reflect.DeepEqual(want, got) {
		return ""
	}
	return fmt.Sprintf("- %+v\n+ %+v", want, got)
}

// keysDiff compares two per-table key sets and lists what differs.
func keysDiff(want, got map[string][]string) string {
	var b strings.Builder
	for _, table := range Tables {
		w, g := map[string]bool{}, map[string]bool{}
		for _, k := range want[table] {
			w[k] = true
		}
		for _, k := range got[table] {
			g[k] = true
		}
		if len(want[table]) != len(got[table]) {
			fmt.Fprintf(&b, "%s: %d rows, want %d\n", table, len(got[table]), len(want[table]))
		}
		n := 0
		for k := range w {
			if !g[k] && n < 5 {
				fmt.Fprintf(&b, "%s: - %s\n", table, k)
				n++
			}
		}
		for k := range g {
			if !w[k] && n < 10 {
				fmt.Fprintf(&b, "%s: + %s\n", table, k)
				n++
			}
		}
	}
	return b.String()
}
