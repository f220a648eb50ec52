package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/threadlens/threadlens/datasets"
	"github.com/threadlens/threadlens/nlp"
)

// runRetag re-analyses a dataset's stored comment texts, typically with a
// new lexicon, without reading any source again.
func runRetag(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("threadlens retag", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lexicon := fs.String("lexicon", "", "theme lexicon YAML `FILE` (default: the embedded lexicon)")
	all := fs.Bool("all", false, "re-analyse threads already tagged with this lexicon too")
	shard := fs.String("shard", "", "only the buckets of shard `K/N`")
	workers := fs.Int("workers", 0, "analysis `N` goroutines (default: number of CPUs)")
	logLevel := fs.String("log-level", "info", "log `LEVEL`")
	progressMode := fs.String("progress", "auto", "progress bar: auto, always, never")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: threadlens retag [flags] [DIR]   (default ./out)\n\nRe-analyses the stored comment texts of a dataset (themes, hits, sentences,\ntokens, entities, sentiment) without reading any source again.")
		fs.PrintDefaults()
	}
	rest, err := parseInterleaved(fs, args)
	if err == flag.ErrHelp {
		return nil
	}
	if err != nil {
		return usageError{err}
	}
	dir := "out"
	switch len(rest) {
	case 0:
	case 1:
		dir = rest[0]
	default:
		return usagef("retag takes one dataset directory")
	}
	logger, err := newLogger(stderr, *logLevel)
	if err != nil {
		return err
	}
	sh, err := datasets.ParseShard(*shard)
	if err != nil {
		return usageError{err}
	}
	lex, err := loadLexicon(*lexicon)
	if err != nil {
		return usageError{err}
	}
	analyzer, err := nlp.NewAnalyzer(lex)
	if err != nil {
		return err
	}
	progress, finish := newProgress(*progressMode, stderr)
	summary, err := datasets.Retag(ctx, datasets.RetagOptions{
		Out: dir, Analyzer: analyzer, Shard: sh, All: *all,
		Logger: logger, Progress: progress, Version: version, Workers: *workers,
	})
	finish()
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, summary.String())
	return nil
}
