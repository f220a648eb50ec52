package datasets

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/threadlens/threadlens/scrape/adapters"
	"github.com/threadlens/threadlens/scrape/scrapetest"
)

// corpusOpts builds with the real adapters over real corpus pages.
func corpusOpts(t testing.TB, out string, sources ...string) BuildOptions {
	return BuildOptions{
		Sources:  sources,
		Registry: adapters.Default(),
		Analyzer: testAnalyzer(t),
		Out:      out,
		Version:  "test",
	}
}

// TestCorpus builds a dataset from the real WordPress and Hacker News
// pages plus the samples with the real adapters, checks the table
// invariants, then re-runs and expects every thread unchanged.
func TestCorpus(t *testing.T) {
	t.Parallel()
	corpus := scrapetest.CorpusDir(t)
	out := t.TempDir()
	sources := []string{filepath.Join(corpus, "wordpress"), filepath.Join(corpus, "hackernews")}
	samples := mustBuild(t, corpusOpts(t, out))
	first := mustBuild(t, corpusOpts(t, out, sources...))
	t.Logf("samples: %s", samples)
	t.Logf("corpus: %s", first)
	for _, f := range append(samples.Failures, first.Failures...) {
		t.Logf("failure: %v", f)
	}
	if samples.ThreadsWritten == 0 {
		t.Errorf("no sample thread written: %v", samples.Failures)
	}
	checkInvariants(t, out)

	again := mustBuild(t, corpusOpts(t, out, sources...))
	if again.ThreadsWritten != 0 || again.ThreadsUnchanged != first.ThreadsWritten {
		t.Errorf("re-run: %s; want %d unchanged, none written", again, first.ThreadsWritten)
	}
	keys := datasetKeys(t, out)
	man, err := ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range Tables {
		if man.Tables[table] != int64(len(keys[table])) {
			t.Errorf("%s: manifest %d rows, files %d", table, man.Tables[table], len(keys[table]))
		}
	}
}

// checkInvariants reads every table and checks what the contract
// promises: unique comments, parents that exist, spans that slice the
// comment text in code points, themes backed by hits.
func checkInvariants(t *testing.T, dir string) {
	t.Helper()
	comments, err := ReadTable[CommentRow](dir, TableComments)
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ thread, comment string }
	text := map[key]string{}
	for _, c := range comments {
		k := key{c.ThreadID, c.CommentID}
		if _, dup := text[k]; dup {
			t.Errorf("comment %v twice", k)
		}
		text[k] = c.Text
	}
	hitThemes := map[key]map[string]bool{}
	for _, c := range comments {
		if (c.ParentID == nil) != (c.Depth == 1) {
			t.Errorf("%s/%s: parent %v at depth %d", c.ThreadID, c.CommentID, c.ParentID, c.Depth)
		}
		if c.ParentID != nil {
			if _, ok := text[key{c.ThreadID, *c.ParentID}]; !ok {
				t.Errorf("%s/%s: parent %s missing", c.ThreadID, c.CommentID, *c.ParentID)
			}
		}
	}
	span := func(table string, k key, start, end int32, want string) {
		runes := []rune(text[k])
		if start < 0 || start > end || int(end) > len(runes) {
			t.Errorf("%s %v: span [%d:%d] outside a text of %d code points", table, k, start, end, len(runes))
			return
		}
		if got := string(runes[start:end]); got != want {
			t.Errorf("%s %v [%d:%d]: %q, row says %q", table, k, start, end, got, want)
		}
	}
	hits, err := ReadTable[ThemeHitRow](dir, TableThemeHits)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		k := key{h.ThreadID, h.CommentID}
		span(TableThemeHits, k, h.Start, h.End, h.Match)
		if hitThemes[k] == nil {
			hitThemes[k] = map[string]bool{}
		}
		hitThemes[k][h.Theme] = true
	}
	for _, c := range comments {
		k := key{c.ThreadID, c.CommentID}
		for _, th := range c.Themes {
			if !hitThemes[k][th] {
				t.Errorf("%v: theme %s without a hit", k, th)
			}
		}
		if len(c.Themes) != len(hitThemes[k]) {
			t.Errorf("%v: themes %v, hits for %v", k, c.Themes, hitThemes[k])
		}
	}
	sentences, err := ReadTable[SentenceRow](dir, TableSentences)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sentences {
		span(TableSentences, key{s.ThreadID, s.CommentID}, s.Start, s.End, s.Text)
	}
	tokens, err := ReadTable[TokenRow](dir, TableTokens)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range tokens {
		span(TableTokens, key{tok.ThreadID, tok.CommentID}, tok.Start, tok.End, tok.Text)
	}
	entities, err := ReadTable[EntityRow](dir, TableEntities)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entities {
		span(TableEntities, key{e.ThreadID, e.CommentID}, e.Start, e.End, e.Text)
	}
}

// BenchmarkBuild measures a whole run (parse, analyse, write) over a
// reddit thread of 476 comments and the Hacker News page of 100.
func BenchmarkBuild(b *testing.B) {
	corpus := scrapetest.CorpusDir(b)
	var comments int
	for i := range b.N {
		out := filepath.Join(b.TempDir(), fmt.Sprint(i))
		sum, err := Build(context.Background(), corpusOpts(b, out,
			filepath.Join(corpus, "reddit", "reddit-funny-3hahrw-ba_dum_tsss.json"),
			filepath.Join(corpus, "hackernews")))
		if err != nil {
			b.Fatal(err)
		}
		comments += sum.Comments
	}
	b.ReportMetric(float64(comments)/b.Elapsed().Seconds(), "comments/s")
}
