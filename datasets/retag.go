package datasets

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/threadlens/threadlens/nlp"
	"github.com/threadlens/threadlens/scrape"
)

// RetagOptions configure [Retag].
type RetagOptions struct {
	// Out is the dataset directory. Required; it must exist.
	Out string
	// Analyzer analyses the stored comment texts. Required.
	Analyzer *nlp.Analyzer
	// Shard restricts the run to the threads of its buckets.
	Shard Shard
	// All re-analyses threads already tagged with the analyzer's lexicon
	// too (normally skipped as unchanged).
	All bool
	// Logger receives progress; nil discards.
	Logger *slog.Logger
	// Progress, when not nil, is called after each thread with the number
	// done, the number of stored threads and the thread's source.
	Progress func(done, total int, source string)
	// Version is the threadlens version recorded in the manifest.
	Version string
	// Workers is the number of analysis goroutines; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
}

// Retag re-analyses the threads stored in a dataset from their stored
// text (threads and comments tables), without reading any source again:
// after a lexicon change, every thread gets the new lexicon's themes,
// hits and tokens. Threads already analysed with the same lexicon are
// skipped unless opts.All. The update is committed like a [Build] run.
//
// Retag reads one bucket at a time, so its memory is bounded by the
// largest bucket's threads and comments tables.
func Retag(ctx context.Context, opts RetagOptions) (Summary, error) {
	start := time.Now()
	sum := Summary{Out: opts.Out}
	if opts.Analyzer == nil || opts.Out == "" {
		return sum, errors.New("datasets.Retag: Analyzer and Out are required")
	}
	if _, err := ReadManifest(opts.Out); err != nil {
		return sum, fmt.Errorf("%s: not a threadlens dataset: %w", opts.Out, err)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	lex := opts.Analyzer.Lexicon()
	lexInfo := LexiconInfo{Name: lex.Name, SHA256: lex.SHA256}
	w, err := OpenWriter(opts.Out, WriterOptions{Shard: opts.Shard, Lexicon: lexInfo, Version: opts.Version})
	if err != nil {
		return sum, err
	}
	total := len(w.Manifest().Threads)
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	done := 0
	for bucket := range w.Buckets() {
		if !opts.Shard.Owns(bucket) {
			continue
		}
		if err := ctx.Err(); err != nil {
			w.Abort()
			return sum, err
		}
		threads, err := storedThreads(opts.Out, bucket)
		if err != nil {
			w.Abort()
			return sum, err
		}
		var todo []*storedThread
		for _, st := range threads {
			if !opts.All && st.row.LexiconSHA256 == lexInfo.SHA256 {
				sum.ThreadsUnchanged++
				done++
				if opts.Progress != nil {
					opts.Progress(done, total, st.row.Source)
				}
				continue
			}
			todo = append(todo, st)
		}
		results := make(chan *ThreadRows, workers)
		jobs := make(chan *storedThread)
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for st := range jobs {
					results <- NewThreadRows(st.thread, st.row.ContentHash, opts.Analyzer, lexInfo.SHA256)
				}
			})
		}
		go func() {
			defer close(jobs)
			for _, st := range todo {
				if ctx.Err() != nil {
					return
				}
				jobs <- st
			}
		}()
		go func() {
			wg.Wait()
			close(results)
		}()
		var addErr error
		for rows := range results {
			if addErr != nil {
				continue
			}
			if addErr = w.Add(rows); addErr != nil {
				continue
			}
			sum.ThreadsWritten++
			sum.Comments += len(rows.Comments)
			sum.Sentences += len(rows.Sentences)
			sum.ThemeHits += len(rows.ThemeHits)
			sum.Entities += len(rows.Entities)
			sum.Tokens += len(rows.Tokens)
			for i := range rows.Comments {
				sum.ThemeTags += len(rows.Comments[i].Themes)
			}
			done++
			if opts.Progress != nil {
				opts.Progress(done, total, rows.Thread.Source)
			}
		}
		if addErr == nil {
			addErr = ctx.Err()
		}
		if addErr != nil {
			w.Abort()
			return sum, addErr
		}
		log.Debug("bucket retagged", "bucket", bucket, "threads", len(todo))
	}
	man, err := w.Commit(RunRecord{
		Started: start.UTC(),
		Sources: []string{"retag"},
		Counts:  sum.runCounts(),
	})
	sum.Seconds = time.Since(start).Seconds()
	if err != nil {
		return sum, fmt.Errorf("commit %s: %w", opts.Out, err)
	}
	sum.Tables = man.Tables
	return sum, nil
}

// storedThread is a thread rebuilt from its stored rows.
type storedThread struct {
	row    ThreadRow
	thread *scrape.Thread
}

// storedThreads rebuilds the threads of one bucket from the threads and
// comments tables, in the order they are stored.
func storedThreads(dir string, bucket int) ([]*storedThread, error) {
	byID := map[string]*storedThread{}
	var order []*storedThread
	err := eachRow(filepath.Join(dir, TableThreads, partFile(bucket)), func(batch []ThreadRow) error {
		for _, r := range batch {
			t := &scrape.Thread{
				ID: r.ThreadID, Site: r.Site, Source: r.Source, URL: deref(r.URL),
				Title: r.Title, Author: r.Author, PublishedAt: r.PublishedAt, Body: r.Body,
				Repairs:        scrape.Repairs{Orphans: int(r.NRepaired)}, // only the total is stored
				HiddenComments: int(r.HiddenComments),
			}
			if r.DeclaredComments != nil {
				d := int(*r.DeclaredComments)
				t.DeclaredComments = &d
			}
			if r.FetchedAt != nil {
				t.FetchedAt = *r.FetchedAt
			}
			st := &storedThread{row: r, thread: t}
			byID[r.ThreadID] = st
			order = append(order, st)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow(filepath.Join(dir, TableComments, partFile(bucket)), func(batch []CommentRow) error {
		for _, c := range batch {
			st := byID[c.ThreadID]
			if st == nil {
				return fmt.Errorf("%s: comment %s of thread %s that has no row in threads", filepath.Join(dir, TableComments, partFile(bucket)), c.CommentID, c.ThreadID)
			}
			st.thread.Comments = append(st.thread.Comments, scrape.Comment{
				ID: c.CommentID, ParentID: deref(c.ParentID), Depth: int(c.Depth), Position: int(c.Position),
				DocOrder: int(c.DocOrder), Author: c.Author, IsOP: c.IsOP, PostedAt: c.PostedAt,
				PostedRaw: deref(c.PostedRaw), Text: c.Text, Deleted: c.IsDeleted,
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, st := range order {
		// Comments were written in document order; keep it whatever the
		// file order.
		slices.SortStableFunc(st.thread.Comments, func(a, b scrape.Comment) int { return a.DocOrder - b.DocOrder })
	}
	return order, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
