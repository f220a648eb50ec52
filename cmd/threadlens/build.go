package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/threadlens/threadlens/datasets"
	"github.com/threadlens/threadlens/nlp"
	"github.com/threadlens/threadlens/scrape/adapters"
)

// buildFlags are the flags of the default verb.
type buildFlags struct {
	out      string
	adapter  string
	lexicon  string
	logLevel string
	shard    string
	buckets  int
	workers  int
	progress string
	net      netFlags
}

func (f *buildFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.out, "out", "out", "dataset `DIR` to create or update")
	fs.StringVar(&f.adapter, "adapter", "", "force the site adapter `NAME` instead of detecting it ("+strings.Join(adapters.Default().Names(), ", ")+")")
	fs.StringVar(&f.lexicon, "lexicon", "", "theme lexicon YAML `FILE` (default: the embedded lexicon)")
	fs.StringVar(&f.logLevel, "log-level", "info", "log `LEVEL`: debug, info, warn, error")
	fs.StringVar(&f.shard, "shard", "", "process only shard `K/N` of the dataset's buckets (0 ≤ K < N), for parallel machines")
	fs.IntVar(&f.buckets, "buckets", 0, "bucket `COUNT` of a new dataset (files per table; default 16)")
	fs.IntVar(&f.workers, "workers", 0, "analysis `N` goroutines (default: number of CPUs)")
	fs.StringVar(&f.progress, "progress", "auto", "progress bar `MODE`: auto (on a terminal), always, never")
	f.net.register(fs)
}

// parseInterleaved parses flags that may stand before, between or after
// sources; "--" ends the flags.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var sources []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return sources, nil
		}
		if args[0] == "--" {
			return append(sources, args[1:]...), nil
		}
		sources = append(sources, args[0])
		args = args[1:]
	}
}

func runBuild(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var f buildFlags
	fs := flag.NewFlagSet("threadlens", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f.register(fs)
	fs.Usage = func() {
		printUsage(stderr)
		fs.PrintDefaults()
	}
	sources, err := parseInterleaved(fs, args)
	if err == flag.ErrHelp {
		return nil
	}
	if err != nil {
		return usageError{err}
	}
	logger, err := newLogger(stderr, f.logLevel)
	if err != nil {
		return err
	}
	shard, err := datasets.ParseShard(f.shard)
	if err != nil {
		return usageError{err}
	}
	registry := adapters.Default()
	if f.adapter != "" {
		if _, err := registry.Lookup(f.adapter); err != nil {
			return usageError{err}
		}
	}
	lex, err := loadLexicon(f.lexicon)
	if err != nil {
		return usageError{err}
	}
	analyzer, err := nlp.NewAnalyzer(lex)
	if err != nil {
		return err
	}
	network, err := f.net.open(f.out, stdin, logger)
	if err != nil {
		return err
	}
	defer network.Close()

	progress, finish := newProgress(f.progress, stderr)
	summary, err := datasets.Build(ctx, datasets.BuildOptions{
		Sources:  sources,
		Loader:   network.loader,
		Registry: registry,
		Adapter:  f.adapter,
		Analyzer: analyzer,
		Out:      f.out,
		Buckets:  f.buckets,
		Shard:    shard,
		Env:      network.env,
		Logger:   logger,
		Progress: progress,
		Version:  version,
		Workers:  f.workers,
	})
	finish()
	if err != nil {
		return err
	}
	for _, w := range summary.Warnings {
		fmt.Fprintf(stderr, "warning: %v\n", w)
	}
	for _, e := range summary.Failures {
		fmt.Fprintf(stderr, "FAILED: %v\n", e)
	}
	if line := network.summary(); line != "" {
		fmt.Fprintln(stdout, line)
	}
	fmt.Fprintln(stdout, summary.String())
	if len(summary.Failures) > 0 {
		fmt.Fprintf(stderr, "threadlens: %d of the sources failed (listed above); everything else was written to %s\n", len(summary.Failures), f.out)
		return errSomeFailed
	}
	return nil
}

// loadLexicon returns the embedded lexicon, or the file's when path is set.
func loadLexicon(path string) (*nlp.Lexicon, error) {
	if path == "" {
		return nlp.DefaultLexicon()
	}
	return nlp.LoadLexicon(path)
}

// newProgress returns a progress callback for Build and a function that
// clears the bar. The bar is drawn only on a terminal (progressbar redraws
// on every update even into a pipe, which floods CI logs).
func newProgress(mode string, stderr io.Writer) (func(done, total int, source string), func()) {
	show := false
	switch mode {
	case "always":
		show = true
	case "never":
	default:
		if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			show = true
		}
	}
	if !show {
		return nil, func() {}
	}
	bar := progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("threads"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("pages"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	return func(done, total int, source string) {
			if total > 0 && bar.GetMax() != total {
				bar.ChangeMax(total)
			}
			_ = bar.Set(done)
		}, func() {
			_ = bar.Finish()
		}
}
