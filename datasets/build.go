package datasets

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/threadlens/threadlens/nlp"
	"github.com/threadlens/threadlens/scrape"
)

// BuildOptions configure [Build].
type BuildOptions struct {
	// Sources are files, directories, globs or URLs as given on the command
	// line; empty means the bundled samples ([SamplePages]).
	Sources []string
	// Loader expands Sources into pages; nil reads local files only (the
	// zero Loader). Set its Fetch to allow URLs.
	Loader *scrape.Loader
	// Registry holds the site adapters (adapters.Default()). Required.
	Registry *scrape.Registry
	// Adapter, when not empty, forces that adapter for every page.
	Adapter string
	// Analyzer analyses comment texts. Required.
	Analyzer *nlp.Analyzer
	// Out is the dataset directory, created when missing. Required.
	Out string
	// Buckets is the bucket count of a new dataset (0: [DefaultBuckets]);
	// for an existing dataset it must be 0 or the dataset's count.
	Buckets int
	// Shard restricts the run to the threads of its buckets.
	Shard Shard
	// Env is passed to adapters (fetching further comment pages).
	Env scrape.Env
	// Logger receives progress and per-source problems; nil discards.
	Logger *slog.Logger
	// Progress, when not nil, is called after each page or source is done
	// with the number done, the total (-1 when unknown) and the source. It
	// is called from one goroutine at a time.
	Progress func(done, total int, source string)
	// Version is the threadlens version recorded in the manifest.
	Version string
	// Workers is the number of analysis goroutines; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
}

// Summary reports what a [Build] run did.
type Summary struct {
	// Out is the dataset directory.
	Out string
	// ThreadsWritten is the number of threads (new or changed) written.
	ThreadsWritten int
	// ThreadsUnchanged is the number of threads skipped because the
	// dataset holds them with the same content hash and lexicon.
	ThreadsUnchanged int
	// ThreadsOtherShard is the number of threads left to other shards.
	ThreadsOtherShard int
	// Duplicates is the number of threads seen again in the same run
	// (written once, from the first source that gave them).
	Duplicates int
	// Comments, Sentences, ThemeHits, Entities and Tokens are the rows
	// written by this run per table.
	Comments, Sentences, ThemeHits, Entities, Tokens int
	// ThemeTags is the number of (comment, theme) pairs written.
	ThemeTags int
	// Failures are the sources that failed, each error naming its source
	// and the reason, in source order.
	Failures []error
	// Warnings are threads written despite a partial parse, in source
	// order.
	Warnings []error
	// SkippedPages counts pages inside a directory, feed, sitemap or WARC
	// that are not comment threads.
	SkippedPages int
	// Seconds is the run's wall time.
	Seconds float64
	// Tables are the row counts per table of the whole dataset after the
	// run.
	Tables TableCounts
}

// String returns a one-line summary, e.g. "12 threads written, 3
// unchanged, 480 comments, … in 4.2s".
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d threads written, %d unchanged", s.ThreadsWritten, s.ThreadsUnchanged)
	if s.ThreadsOtherShard > 0 {
		fmt.Fprintf(&b, ", %d in other shards", s.ThreadsOtherShard)
	}
	if s.Duplicates > 0 {
		fmt.Fprintf(&b, ", %d duplicates", s.Duplicates)
	}
	fmt.Fprintf(&b, ", %d comments, %d sentences, %d theme hits (%d theme tags), %d entities, %d tokens",
		s.Comments, s.Sentences, s.ThemeHits, s.ThemeTags, s.Entities, s.Tokens)
	fmt.Fprintf(&b, ", %d failed, %d skipped pages, %d warnings in %.1fs", len(s.Failures), s.SkippedPages, len(s.Warnings), s.Seconds)
	if s.Tables != nil {
		fmt.Fprintf(&b, "; dataset %s: %d threads, %d comments", s.Out, s.Tables[TableThreads], s.Tables[TableComments])
	}
	return b.String()
}

// Build reads every source, parses each page into a thread, analyses the
// threads that are new or changed and commits them to the dataset in
// opts.Out. A source that cannot be read or parsed is recorded in
// Summary.Failures and the run goes on; Build's error is for what stops
// the whole run (bad options, an unwritable dataset, ctx cancelled). When
// it returns an error the previous dataset is unchanged.
//
// Pages are parsed and analysed by a bounded pool of workers, and rows are
// staged on disk per bucket, so memory does not grow with the corpus.
func Build(ctx context.Context, opts BuildOptions) (Summary, error) {
	start := time.Now()
	sum := Summary{Out: opts.Out}
	if opts.Registry == nil || opts.Analyzer == nil || opts.Out == "" {
		return sum, errors.New("datasets.Build: Registry, Analyzer and Out are required")
	}
	if opts.Adapter != "" {
		if _, err := opts.Registry.Lookup(opts.Adapter); err != nil {
			return sum, err
		}
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	lex := opts.Analyzer.Lexicon()
	lexInfo := LexiconInfo{Name: lex.Name, SHA256: lex.SHA256}
	w, err := OpenWriter(opts.Out, WriterOptions{Buckets: opts.Buckets, Shard: opts.Shard, Lexicon: lexInfo, Version: opts.Version})
	if err != nil {
		return sum, err
	}
	if old := w.Manifest().Lexicon.SHA256; old != "" && old != lexInfo.SHA256 && len(w.Manifest().Threads) > 0 {
		log.Info("lexicon differs from the dataset's: every thread seen is analysed again",
			"dataset_lexicon", w.Manifest().Lexicon.Name, "lexicon", lexInfo.Name)
	}

	pages, total := buildPages(ctx, opts)
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	jobs := make(chan buildJob, workers)
	results := make(chan buildResult, workers)
	go func() {
		defer close(jobs)
		seq := 0
		for item := range pages {
			select {
			case jobs <- buildJob{seq: seq, item: item}:
				seq++
			case <-ctx.Done():
				return
			}
		}
	}()
	p := &processor{opts: opts, lex: lexInfo, w: w, gate: newSeqGate(), seen: map[string]bool{}}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				results <- p.process(ctx, j)
			}
		})
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	type seqErr struct {
		seq int
		err error
	}
	var failures, warnings []seqErr
	var fatal error
	done := 0
	for r := range results {
		done++
		if fatal == nil {
			switch {
			case r.failure != nil:
				failures = append(failures, seqErr{r.seq, r.failure})
				// Reported once, in Summary.Failures; the log only traces.
				log.Debug("source failed", "source", r.source, "err", r.failure)
			case r.skipped:
				sum.SkippedPages++
				log.Debug("not a thread, skipped", "source", r.source)
			case r.unchanged:
				sum.ThreadsUnchanged++
				log.Debug("unchanged", "source", r.source)
			case r.otherShard:
				sum.ThreadsOtherShard++
			case r.duplicate:
				sum.Duplicates++
				log.Info("thread given twice; written once", "source", r.source, "thread", r.threadID)
			case r.rows != nil:
				if err := w.Add(r.rows); err != nil {
					fatal = err
					cancel()
					break
				}
				sum.ThreadsWritten++
				sum.Comments += len(r.rows.Comments)
				sum.Sentences += len(r.rows.Sentences)
				sum.ThemeHits += len(r.rows.ThemeHits)
				sum.Entities += len(r.rows.Entities)
				sum.Tokens += len(r.rows.Tokens)
				for i := range r.rows.Comments {
					sum.ThemeTags += len(r.rows.Comments[i].Themes)
				}
				log.Debug("thread analysed", "source", r.source, "thread", r.threadID, "comments", len(r.rows.Comments))
			}
			if r.warning != nil {
				warnings = append(warnings, seqErr{r.seq, r.warning})
				log.Debug("thread written with a parse problem", "source", r.source, "err", r.warning)
			}
		}
		if opts.Progress != nil {
			opts.Progress(done, total, r.source)
		}
	}
	if fatal == nil {
		fatal = ctx.Err()
	}
	if fatal != nil {
		w.Abort()
		return sum, fatal
	}
	byseq := func(a, b seqErr) int { return a.seq - b.seq }
	slices.SortFunc(failures, byseq)
	slices.SortFunc(warnings, byseq)
	for _, f := range failures {
		sum.Failures = append(sum.Failures, f.err)
	}
	for _, f := range warnings {
		sum.Warnings = append(sum.Warnings, f.err)
	}
	sources := opts.Sources
	if len(sources) == 0 {
		sources = []string{"samples"}
	}
	man, err := w.Commit(RunRecord{
		Started: start.UTC(),
		Sources: slices.Clone(sources),
		Counts:  sum.runCounts(),
	})
	sum.Seconds = time.Since(start).Seconds()
	if err != nil {
		return sum, fmt.Errorf("commit %s: %w", opts.Out, err)
	}
	sum.Tables = man.Tables
	log.Info("dataset committed", "out", opts.Out, "threads", man.Tables[TableThreads], "comments", man.Tables[TableComments])
	return sum, nil
}

// buildPages returns the run's pages and their number (-1 when unknown).
func buildPages(ctx context.Context, opts BuildOptions) (iter.Seq[scrape.Item], int) {
	if len(opts.Sources) == 0 {
		samples := SamplePages()
		return func(yield func(scrape.Item) bool) {
			for _, p := range samples {
				if ctx.Err() != nil || !yield(scrape.Item{Page: p}) {
					return
				}
			}
		}, len(samples)
	}
	loader := opts.Loader
	if loader == nil {
		loader = &scrape.Loader{}
	}
	return loader.Pages(ctx, opts.Sources), -1
}

type buildJob struct {
	seq  int
	item scrape.Item
}

// buildResult is the outcome of one page: exactly one of failure, skipped,
// unchanged, otherShard, duplicate or rows is set (warning may accompany
// rows).
type buildResult struct {
	seq        int
	source     string
	threadID   string
	failure    error
	warning    error
	skipped    bool
	unchanged  bool
	otherShard bool
	duplicate  bool
	rows       *ThreadRows
}

// processor is the per-page work shared by the workers.
type processor struct {
	opts BuildOptions
	lex  LexiconInfo
	w    *Writer
	gate *seqGate
	seen map[string]bool // thread IDs decided in this run; guarded by gate
}

func (p *processor) process(ctx context.Context, j buildJob) (res buildResult) {
	res.seq = j.seq
	passed := false
	// Every job passes the gate exactly once, in source order, so the
	// decisions about duplicates are deterministic.
	pass := func(decide func()) {
		p.gate.wait(j.seq)
		if decide != nil {
			decide()
		}
		p.gate.done()
		passed = true
	}
	defer func() {
		// A bug in an adapter or the analyzer must not end a long run:
		// the page fails, naming its source, and the run goes on.
		if v := recover(); v != nil {
			res = buildResult{seq: j.seq, source: res.source,
				failure: fmt.Errorf("%s: internal error (please report): %v", res.source, v)}
		}
		if !passed {
			pass(nil)
		}
	}()
	if j.item.Err != nil {
		res.failure = j.item.Err
		return res
	}
	page := j.item.Page
	res.source = page.Source
	if ctx.Err() != nil {
		res.failure = ctx.Err()
		return res
	}
	t, err := p.opts.Registry.Parse(ctx, page, p.opts.Adapter, p.opts.Env)
	if t == nil {
		if err == nil {
			err = &scrape.ParseError{Source: page.Source, Err: scrape.ErrNoThread}
		}
		if j.item.Inside != "" && (errors.Is(err, scrape.ErrNoThread) || errors.Is(err, scrape.ErrEmpty) || errors.Is(err, scrape.ErrBinary)) {
			res.skipped = true
			return res
		}
		res.failure = err
		return res
	}
	if t.ID == "" {
		res.failure = &scrape.ParseError{Adapter: t.Site, Source: page.Source, Err: errors.New("thread has no identity (thread_id)")}
		return res
	}
	res.warning = err
	res.threadID = t.ID
	hash := ContentHash(t)
	write := false
	pass(func() {
		switch {
		case !p.w.Owns(t.ID):
			res.otherShard = true
		case p.seen[t.ID]:
			res.duplicate = true
		case p.w.Unchanged(t.ID, hash):
			p.seen[t.ID] = true
			res.unchanged = true
		default:
			p.seen[t.ID] = true
			write = true
		}
	})
	if !write {
		return res
	}
	res.rows = NewThreadRows(t, hash, p.opts.Analyzer, p.lex.SHA256)
	return res
}

// seqGate lets goroutines through one at a time in sequence order.
type seqGate struct {
	mu   sync.Mutex
	cond *sync.Cond
	next int
}

func newSeqGate() *seqGate {
	g := &seqGate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

// wait blocks until every smaller seq has called done, then holds the gate.
func (g *seqGate) wait(seq int) {
	g.mu.Lock()
	for g.next != seq {
		g.cond.Wait()
	}
}

// done releases the gate to the next seq.
func (g *seqGate) done() {
	g.next++
	g.cond.Broadcast()
	g.mu.Unlock()
}

// NewThreadRows analyses every comment of t with a and returns the rows of
// all tables. contentHash is [ContentHash](t) and lexiconSHA the
// analyzer's lexicon hash, stored on the thread row.
func NewThreadRows(t *scrape.Thread, contentHash string, a *nlp.Analyzer, lexiconSHA string) *ThreadRows {
	r := &ThreadRows{}
	themes := map[string]bool{}
	var compoundSum float64
	for i := range t.Comments {
		c := &t.Comments[i]
		an := a.Analyze(c.Text)
		row := CommentRow{
			ThreadID:     t.ID,
			CommentID:    c.ID,
			ParentID:     optString(c.ParentID),
			Depth:        int32(c.Depth),
			Position:     int32(c.Position),
			DocOrder:     int32(c.DocOrder),
			Author:       c.Author,
			IsOP:         c.IsOP,
			PostedAt:     utcTime(c.PostedAt),
			PostedRaw:    optString(c.PostedRaw),
			Text:         c.Text,
			IsDeleted:    c.Deleted,
			NSentences:   int32(len(an.Sentences)),
			NTokens:      int32(len(an.Tokens)),
			Compound:     an.Sentiment.Compound,
			Pos:          an.Sentiment.Pos,
			Neu:          an.Sentiment.Neu,
			Neg:          an.Sentiment.Neg,
			CompoundMean: an.CompoundMean,
			Polarity:     an.Sentiment.Polarity(),
			Shouting:     an.Shouting,
			Themes:       commentThemes(an),
			NThemeHits:   int32(len(an.Hits)),
		}
		compoundSum += an.Sentiment.Compound
		for _, th := range row.Themes {
			themes[th] = true
		}
		r.Comments = append(r.Comments, row)
		for _, s := range an.Sentences {
			r.Sentences = append(r.Sentences, SentenceRow{
				ThreadID: t.ID, CommentID: c.ID, SentenceIndex: int32(s.Index),
				Start: int32(s.Start), End: int32(s.End), Text: s.Text,
				Compound: s.Sentiment.Compound, Pos: s.Sentiment.Pos, Neu: s.Sentiment.Neu, Neg: s.Sentiment.Neg,
			})
		}
		for _, h := range an.Hits {
			r.ThemeHits = append(r.ThemeHits, ThemeHitRow{
				ThreadID: t.ID, CommentID: c.ID, Theme: h.Theme, Cue: h.Cue, SentenceIndex: int32(h.Sentence),
				Start: int32(h.Start), End: int32(h.End), Match: h.Match, Negated: h.Negated, Hedged: h.Hedged,
			})
		}
		for _, e := range an.Entities {
			r.Entities = append(r.Entities, EntityRow{
				ThreadID: t.ID, CommentID: c.ID, SentenceIndex: int32(e.Sentence),
				Start: int32(e.Start), End: int32(e.End), Text: e.Text, Label: e.Label,
			})
		}
		for _, tok := range an.Tokens {
			r.Tokens = append(r.Tokens, TokenRow{
				ThreadID: t.ID, CommentID: c.ID, SentenceIndex: int32(tok.Sentence), TokenIndex: int32(tok.Index),
				Start: int32(tok.Start), End: int32(tok.End), Text: tok.Text, Tag: tok.Tag,
			})
		}
	}
	threadThemes := make([]string, 0, len(themes))
	for th := range themes {
		threadThemes = append(threadThemes, th)
	}
	slices.Sort(threadThemes)
	var declared *int32
	if t.DeclaredComments != nil {
		d := int32(*t.DeclaredComments)
		declared = &d
	}
	var fetched *time.Time
	if !t.FetchedAt.IsZero() {
		fetched = utcTime(&t.FetchedAt)
	}
	mean := 0.0
	if len(t.Comments) > 0 {
		mean = compoundSum / float64(len(t.Comments))
	}
	r.Thread = ThreadRow{
		ThreadID:         t.ID,
		Site:             t.Site,
		Source:           t.Source,
		URL:              optString(t.URL),
		Title:            t.Title,
		Author:           t.Author,
		PublishedAt:      utcTime(t.PublishedAt),
		Body:             t.Body,
		DeclaredComments: declared,
		NComments:        int32(len(t.Comments)),
		NRepaired:        int32(t.Repairs.Total()),
		HiddenComments:   int32(t.HiddenComments),
		ContentHash:      contentHash,
		FetchedAt:        fetched,
		LexiconSHA256:    lexiconSHA,
		Themes:           threadThemes,
		NThemeHits:       int32(len(r.ThemeHits)),
		CompoundMean:     mean,
	}
	return r
}

// commentThemes returns the distinct themes of an analysis's hits, sorted,
// never nil: a theme is only listed when a hit backs it.
func commentThemes(an nlp.Analysis) []string {
	themes := []string{}
	for _, h := range an.Hits {
		if !slices.Contains(themes, h.Theme) {
			themes = append(themes, h.Theme)
		}
	}
	slices.Sort(themes)
	return themes
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// utcTime returns t in UTC truncated to microseconds (the column's unit),
// nil for nil.
func utcTime(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}

// runCounts are the counters a run records in the manifest.
func (s Summary) runCounts() map[string]int64 {
	return map[string]int64{
		"threads_written":     int64(s.ThreadsWritten),
		"threads_unchanged":   int64(s.ThreadsUnchanged),
		"threads_other_shard": int64(s.ThreadsOtherShard),
		"duplicates":          int64(s.Duplicates),
		"failures":            int64(len(s.Failures)),
		"warnings":            int64(len(s.Warnings)),
		"skipped_pages":       int64(s.SkippedPages),
		TableComments:         int64(s.Comments),
		TableSentences:        int64(s.Sentences),
		TableThemeHits:        int64(s.ThemeHits),
		TableEntities:         int64(s.Entities),
		TableTokens:           int64(s.Tokens),
		"theme_tags":          int64(s.ThemeTags),
	}
}
