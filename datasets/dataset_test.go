package datasets

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/threadlens/threadlens/nlp"
	"github.com/threadlens/threadlens/scrape"
	"github.com/threadlens/threadlens/scrape/scrapetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestSchemaGolden pins each table's printed Parquet schema, so a schema
// change is reviewed (rewrite with -update).
func TestSchemaGolden(t *testing.T) {
	for _, table := range Tables {
		t.Run(table, func(t *testing.T) {
			got := Schema(table).String() + "\n"
			path := filepath.Join("testdata", table+".schema")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := scrapetest.LineDiff(string(want), got); diff != "" {
				t.Errorf("schema of %s changed (-golden +now); review, update SCHEMA.md, then -update:\n%s", table, diff)
			}
		})
	}
}

// TestRoundTrip writes threads through Build and reads every table back:
// the rows equal what NewThreadRows made, nulls and lists included.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	src, out := t.TempDir(), t.TempDir()
	declared := 9
	th := makeThread("rt", 7)
	th.Declared = &declared
	path := writeThread(t, src, th)
	sum := mustBuild(t, buildOpts(t, out, path))
	if sum.ThreadsWritten != 1 || len(sum.Failures) != 0 {
		t.Fatalf("summary %+v", sum)
	}
	page, err := scrape.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := testRegistry().Parse(context.Background(), page, "", scrape.Env{})
	if err != nil {
		t.Fatal(err)
	}
	want := NewThreadRows(parsed, ContentHash(parsed), testAnalyzer(t), testAnalyzer(t).Lexicon().SHA256)

	threads, err := ReadTable[ThreadRow](out, TableThreads)
	if err != nil {
		t.Fatal(err)
	}
	if len(threads) != 1 {
		t.Fatalf("threads: got %d rows, want 1", len(threads))
	}
	got := threads[0]
	if got.DeclaredComments == nil || *got.DeclaredComments != 9 || got.URL != nil || got.PublishedAt != nil || got.FetchedAt != nil {
		t.Errorf("thread nullable columns: declared=%v url=%v published=%v fetched=%v", got.DeclaredComments, got.URL, got.PublishedAt, got.FetchedAt)
	}
	if diff := valueDiff(want.Thread, normThread(got)); diff != "" {
		t.Errorf("thread row (-want +got):\n%s", diff)
	}
	comments, err := ReadTable[CommentRow](out, TableComments)
	if err != nil {
		t.Fatal(err)
	}
	if diff := valueDiff(want.Comments, normComments(comments)); diff != "" {
		t.Errorf("comment rows (-want +got):\n%s", diff)
	}
	for _, c := range comments {
		if (c.ParentID == nil) != (c.Depth == 1) {
			t.Errorf("comment %s: parent_id %v at depth %d", c.CommentID, c.ParentID, c.Depth)
		}
	}
	sentences, err := ReadTable[SentenceRow](out, TableSentences)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(nonNil(want.Sentences), nonNil(sentences)) {
		t.Errorf("sentence rows differ:\nwant %v\n got %v", want.Sentences, sentences)
	}
	hits, _ := ReadTable[ThemeHitRow](out, TableThemeHits)
	entities, _ := ReadTable[EntityRow](out, TableEntities)
	tokens, _ := ReadTable[TokenRow](out, TableTokens)
	if len(hits) != len(want.ThemeHits) || len(entities) != len(want.Entities) || len(tokens) != len(want.Tokens) {
		t.Errorf("rows: hits %d/%d entities %d/%d tokens %d/%d", len(hits), len(want.ThemeHits), len(entities), len(want.Entities), len(tokens), len(want.Tokens))
	}
	man, err := ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts := want.Counts()
	for _, table := range Tables {
		if man.Tables[table] != wantCounts[table] || sum.Tables[table] != wantCounts[table] {
			t.Errorf("%s: manifest %d, summary %d rows, want %d", table, man.Tables[table], sum.Tables[table], wantCounts[table])
		}
	}
	e := man.Threads["tltest:rt"]
	if e.ContentHash != want.Thread.ContentHash || e.Source != path || e.File != partFile(e.Bucket) || e.Bucket != BucketOf("tltest:rt", 4) {
		t.Errorf("manifest entry %+v", e)
	}
}

// normThread and normComments make a nil themes list empty: parquet-go
// reads an empty LIST back as a nil slice (pyarrow reads it as []).
func normThread(r ThreadRow) ThreadRow {
	if r.Themes == nil {
		r.Themes = []string{}
	}
	return r
}

func normComments(rows []CommentRow) []CommentRow {
	for i := range rows {
		if rows[i].Themes == nil {
			rows[i].Themes = []string{}
		}
	}
	return rows
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// TestRerun covers incremental runs: the same input skips everything; a
// changed thread replaces its rows; a new thread is added; the same
// thread twice in one run is written once.
func TestRerun(t *testing.T) {
	t.Parallel()
	src, out := t.TempDir(), t.TempDir()
	var paths []string
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		paths = append(paths, writeThread(t, src, makeThread(id, 4)))
	}
	first := mustBuild(t, buildOpts(t, out, paths...))
	if first.ThreadsWritten != 5 || first.ThreadsUnchanged != 0 {
		t.Fatalf("first run: %s", first)
	}
	keys1 := datasetKeys(t, out)

	again := mustBuild(t, buildOpts(t, out, paths...))
	if again.ThreadsWritten != 0 || again.ThreadsUnchanged != 5 {
		t.Errorf("re-run: %s, want all 5 unchanged", again)
	}
	if diff := keysDiff(keys1, datasetKeys(t, out)); diff != "" {
		t.Errorf("re-run changed the dataset:\n%s", diff)
	}

	changed := makeThread("b", 6)
	changed.Comments[0].Text = "I was written up and nearly fired; I own it."
	writeThread(t, src, changed)
	newPath := writeThread(t, src, makeThread("f", 3))
	third := mustBuild(t, buildOpts(t, out, append(paths, newPath, paths[0])...))
	if third.ThreadsWritten != 2 || third.ThreadsUnchanged != 4 || third.Duplicates != 1 {
		t.Errorf("third run: %s, want 2 written (b changed, f new), 4 unchanged, 1 duplicate", third)
	}
	keys3 := datasetKeys(t, out)
	if got := len(keys3[TableThreads]); got != 6 {
		t.Errorf("threads: %d rows, want 6", got)
	}
	var bComments []string
	for _, k := range keys3[TableComments] {
		if strings.HasPrefix(k, "tltest:b|") {
			bComments = append(bComments, k)
		}
	}
	if len(bComments) != 6 || !slices.ContainsFunc(bComments, func(k string) bool { return strings.Contains(k, "written up") }) {
		t.Errorf("changed thread b: comments %q, want the 6 new ones", bComments)
	}
	man, err := ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(man.Runs) != 3 || man.Tables[TableComments] != int64(len(keys3[TableComments])) || man.Tables[TableTokens] != int64(len(keys3[TableTokens])) {
		t.Errorf("manifest: %d runs, tables %v; dataset has %d comments, %d tokens", len(man.Runs), man.Tables, len(keys3[TableComments]), len(keys3[TableTokens]))
	}
	if _, err := Build(context.Background(), BuildOptions{Sources: paths, Registry: testRegistry(), Analyzer: testAnalyzer(t), Out: out, Buckets: 8}); err == nil {
		t.Error("changing the bucket count of an existing dataset: no error")
	}
}

// TestCrash simulates a run killed at each point of a commit: the previous
// dataset stays complete and readable, and the next opener either discards
// the run (before the journal) or finishes it (after).
func TestCrash(t *testing.T) {
	src := t.TempDir()
	var paths []string
	for _, id := range []string{"a", "b", "c"} {
		paths = append(paths, writeThread(t, src, makeThread(id, 3)))
	}
	a := testAnalyzer(t)
	for _, tc := range []struct {
		name, crashAt string
		// committed: the next opener rolls the crashed commit forward.
		committed bool
		reason    string
	}{
		{"staging", "staging", false, "killed while staging rows: nothing of the run is visible"},
		{"journal", "journal", true, "killed after the journal: files untouched until recovery, then the run is complete"},
		{"rename", "rename", true, "killed between renames: recovery finishes the renames and the manifest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			mustBuild(t, buildOpts(t, out, paths...))
			before := datasetKeys(t, out)

			w, err := OpenWriter(out, WriterOptions{Lexicon: LexiconInfo{Name: a.Lexicon().Name, SHA256: a.Lexicon().SHA256}, Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			th := makeThread("b", 5)
			th.Comments[1].Text = "Changed after the crash."
			page, _ := scrape.ReadFile(writeThread(t, t.TempDir(), th))
			parsed, _ := testRegistry().Parse(context.Background(), page, "", scrape.Env{})
			if err := w.Add(NewThreadRows(parsed, ContentHash(parsed), a, a.Lexicon().SHA256)); err != nil {
				t.Fatal(err)
			}
			if tc.crashAt == "staging" {
				for _, tb := range w.tables {
					tb.closeStaging()
				}
				unlock(w.stagingLock) // the process died: its lock is gone
			} else {
				w.crashAt = tc.crashAt
				if _, err := w.Commit(RunRecord{}); !errors.Is(err, errSimulatedCrash) {
					t.Fatalf("Commit: %v, want the simulated crash", err)
				}
			}
			// A reader now: every table reads, no thread twice (datasetKeys
			// checks), the manifest is the previous one.
			mid := datasetKeys(t, out)
			if tc.crashAt != "rename" {
				if diff := keysDiff(before, mid); diff != "" {
					t.Errorf("%s: dataset changed before commit:\n%s", tc.reason, diff)
				}
			}
			if man, err := ReadManifest(out); err != nil || len(man.Runs) != 1 {
				t.Errorf("%s: manifest after crash: %v, %v", tc.reason, man, err)
			}
			// The next run opens the dataset: recovery.
			w2, err := OpenWriter(out, WriterOptions{Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			w2.Abort()
			after := datasetKeys(t, out)
			man, err := ReadManifest(out)
			if err != nil {
				t.Fatal(err)
			}
			changed := slices.ContainsFunc(after[TableComments], func(k string) bool { return strings.Contains(k, "Changed after the crash") })
			if changed != tc.committed {
				t.Errorf("%s: run visible after recovery = %v", tc.reason, changed)
			}
			wantRuns := 1
			if tc.committed {
				wantRuns = 2
			}
			if len(man.Runs) != wantRuns || man.Tables[TableComments] != int64(len(after[TableComments])) {
				t.Errorf("%s: manifest %d runs, %d comments; files hold %d", tc.reason, len(man.Runs), man.Tables[TableComments], len(after[TableComments]))
			}
			leftovers, _ := filepath.Glob(filepath.Join(out, stagingPrefix+"*"))
			if _, err := os.Stat(filepath.Join(out, journalName)); err == nil || len(leftovers) > 0 {
				t.Errorf("%s: journal or staging left after recovery: %v", tc.reason, leftovers)
			}
		})
	}
}

// TestShards checks that shards own disjoint buckets and that their union,
// in one shared folder or in separate ones, equals an unsharded run.
func TestShards(t *testing.T) {
	t.Parallel()
	src := t.TempDir()
	var paths []string
	for i := range 12 {
		paths = append(paths, writeThread(t, src, makeThread(string(rune('a'+i)), 2)))
	}
	whole := t.TempDir()
	mustBuild(t, buildOpts(t, whole, paths...))
	want := datasetKeys(t, whole)

	shared := t.TempDir()
	union := map[string][]string{}
	seen := 0
	for k := range 3 {
		opts := buildOpts(t, shared, paths...)
		opts.Shard = Shard{K: k, N: 3}
		sum := mustBuild(t, opts)
		seen += sum.ThreadsWritten
		if sum.ThreadsWritten+sum.ThreadsOtherShard != 12 {
			t.Errorf("shard %d: %s", k, sum)
		}
		own := t.TempDir()
		opts.Out = own
		mustBuild(t, opts)
		for table, ks := range datasetKeys(t, own) {
			union[table] = append(union[table], ks...)
		}
	}
	if seen != 12 {
		t.Errorf("shards wrote %d threads in all, want 12", seen)
	}
	if diff := keysDiff(want, datasetKeys(t, shared)); diff != "" {
		t.Errorf("shards in one folder differ from an unsharded run:\n%s", diff)
	}
	for table := range union {
		slices.Sort(union[table])
		if i := firstDuplicate(union[table]); i >= 0 {
			t.Errorf("%s: shards overlap on %q", table, union[table][i])
		}
	}
	if diff := keysDiff(want, union); diff != "" {
		t.Errorf("union of shard folders differs from an unsharded run:\n%s", diff)
	}
	man, err := ReadManifest(shared)
	if err != nil {
		t.Fatal(err)
	}
	if len(man.Threads) != 12 || len(man.Runs) != 3 || man.Runs[1].Shard != "1/3" {
		t.Errorf("shared manifest: %d threads, %d runs", len(man.Threads), len(man.Runs))
	}
}

// TestBadInputs: sources that cannot be read or parsed are failures naming
// the file; the good ones are written.
func TestBadInputs(t *testing.T) {
	t.Parallel()
	src, out := t.TempDir(), t.TempDir()
	good := writeThread(t, src, makeThread("good", 3))
	partial := makeThread("partial", 2)
	partial.Partial = true
	partialPath := writeThread(t, src, partial)
	full, _ := os.ReadFile(good)
	bad := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"empty.json", nil, "an empty file is no thread"},
		{"binary.bin", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01"), "binary content"},
		{"plain.html", []byte("<html><body><p>Just an article, no comments.</p></body></html>"), "no adapter recognises it"},
		{"cut.json", full[:len(full)/2], "JSON cut in half: recognised, then malformed"},
	}
	sources := []string{good}
	for _, b := range bad {
		p := filepath.Join(src, b.name)
		if err := os.WriteFile(p, b.data, 0o644); err != nil {
			t.Fatal(err)
		}
		sources = append(sources, p)
	}
	missing := filepath.Join(src, "missing.json")
	boom := writeThread(t, t.TempDir(), testThread{ID: "boom", Panic: true})
	sources = append(sources, missing, boom, partialPath)
	sum := mustBuild(t, buildOpts(t, out, sources...))
	if sum.ThreadsWritten != 2 {
		t.Errorf("written %d threads, want the good and the partial one", sum.ThreadsWritten)
	}
	if len(sum.Failures) != len(bad)+2 {
		t.Fatalf("failures:\n%s", failureText(sum.Failures))
	}
	for i, b := range bad {
		if !strings.Contains(sum.Failures[i].Error(), b.name) {
			t.Errorf("%s (%s): failure %q does not name the file", b.name, b.reason, sum.Failures[i])
		}
	}
	if !strings.Contains(sum.Failures[len(bad)].Error(), "missing.json") {
		t.Errorf("missing file: %v", sum.Failures[len(bad)])
	}
	if f := sum.Failures[len(bad)+1].Error(); !strings.Contains(f, "boom.json") || !strings.Contains(f, "internal error") {
		t.Errorf("a panicking adapter: failure %q, want it to name the file", f)
	}
	if len(sum.Warnings) != 1 || !strings.Contains(sum.Warnings[0].Error(), "partial.json") {
		t.Errorf("warnings: %v, want the partial thread", sum.Warnings)
	}

	// Inside a directory, pages that are not threads are skipped, not failed.
	dirOut := t.TempDir()
	dirSum := mustBuild(t, buildOpts(t, dirOut, src))
	if dirSum.SkippedPages != 3 || dirSum.ThreadsWritten != 2 || len(dirSum.Failures) != 1 {
		t.Errorf("directory run: %s; failures:\n%s", dirSum, failureText(dirSum.Failures))
	}
}

// TestSamples runs Build with no sources: the embedded samples.
func TestSamples(t *testing.T) {
	t.Parallel()
	pages := SamplePages()
	if len(pages) == 0 {
		t.Fatal("no embedded samples")
	}
	for _, p := range pages {
		if !strings.HasPrefix(p.Source, "sample:") || len(p.Body) == 0 {
			t.Errorf("sample %q: empty or badly named", p.Source)
		}
	}
	// The samples are textdump pages; with an empty registry each is a
	// failure naming its sample, which proves Build fed them in.
	var calls int
	opts := buildOpts(t, t.TempDir())
	opts.Progress = func(done, total int, source string) {
		calls++
		if total != len(pages) || done != calls {
			t.Errorf("progress(%d, %d, %q)", done, total, source)
		}
	}
	sum := mustBuild(t, opts)
	if len(sum.Failures) != len(pages) || !strings.Contains(sum.Failures[0].Error(), "sample:") {
		t.Errorf("samples through a registry without textdump: %s; %v", sum, sum.Failures)
	}
}

func TestParseShard(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in     string
		want   Shard
		ok     bool
		reason string
	}{
		{"", Shard{}, true, "no shard: the whole dataset"},
		{"0/4", Shard{0, 4}, true, "first of four"},
		{"3/4", Shard{3, 4}, true, "last of four"},
		{"4/4", Shard{}, false, "k must be below n"},
		{"-1/4", Shard{}, false, "negative k"},
		{"1", Shard{}, false, "missing n"},
		{"a/b", Shard{}, false, "not numbers"},
	} {
		got, err := ParseShard(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParseShard(%q) = %v, %v (%s)", tc.in, got, err, tc.reason)
		}
	}
}

// TestRetag re-analyses stored threads from their stored text: the rows
// come out as a fresh build's, and threads already tagged with the same
// lexicon are skipped.
func TestRetag(t *testing.T) {
	t.Parallel()
	src, out := t.TempDir(), t.TempDir()
	var paths []string
	for _, id := range []string{"r1", "r2", "r3"} {
		paths = append(paths, writeThread(t, src, makeThread(id, 5)))
	}
	mustBuild(t, buildOpts(t, out, paths...))
	before := datasetKeys(t, out)
	ctx := context.Background()
	sum, err := Retag(ctx, RetagOptions{Out: out, Analyzer: testAnalyzer(t), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.ThreadsWritten != 0 || sum.ThreadsUnchanged != 3 {
		t.Errorf("retag with the same lexicon: %s, want all 3 unchanged", sum)
	}
	sum, err = Retag(ctx, RetagOptions{Out: out, Analyzer: testAnalyzer(t), All: true, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.ThreadsWritten != 3 {
		t.Errorf("retag --all: %s, want 3 written", sum)
	}
	if diff := keysDiff(before, datasetKeys(t, out)); diff != "" {
		t.Errorf("retag changed the rows:\n%s", diff)
	}
	if _, err := Retag(ctx, RetagOptions{Out: t.TempDir(), Analyzer: testAnalyzer(t)}); err == nil {
		t.Error("retag of a folder without a dataset: no error")
	}
}

// TestLexiconChange: a run with another lexicon than the stored threads'
// re-analyses every thread it sees, and the manifest records the new one.
func TestLexiconChange(t *testing.T) {
	t.Parallel()
	src, out := t.TempDir(), t.TempDir()
	var paths []string
	for _, id := range []string{"l1", "l2"} {
		paths = append(paths, writeThread(t, src, makeThread(id, 3)))
	}
	mustBuild(t, buildOpts(t, out, paths...))
	// Same cues, different bytes: a different lexicon to the dataset.
	lex, err := nlp.ParseLexicon("variant", append(nlp.DefaultLexiconYAML(), "\n# a variant\n"...))
	if err != nil {
		t.Fatal(err)
	}
	if lex.SHA256 == testAnalyzer(t).Lexicon().SHA256 {
		t.Fatal("variant lexicon has the default's sha256")
	}
	variant, err := nlp.NewAnalyzer(lex)
	if err != nil {
		t.Fatal(err)
	}
	opts := buildOpts(t, out, paths...)
	opts.Analyzer = variant
	sum := mustBuild(t, opts)
	if sum.ThreadsWritten != 2 || sum.ThreadsUnchanged != 0 {
		t.Errorf("run with another lexicon: %s, want both threads re-analysed", sum)
	}
	man, err := ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if man.Lexicon.SHA256 != lex.SHA256 || man.Threads["tltest:l1"].LexiconSHA256 != lex.SHA256 {
		t.Errorf("manifest lexicon %+v, thread l1 %s", man.Lexicon, man.Threads["tltest:l1"].LexiconSHA256)
	}
	if again := mustBuild(t, opts); again.ThreadsUnchanged != 2 {
		t.Errorf("re-run with the variant: %s, want both unchanged", again)
	}
}
