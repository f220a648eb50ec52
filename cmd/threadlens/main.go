package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
)

// Exit codes (DESIGN.md "The command line").
const (
	exitOK          = 0
	exitSomeFailed  = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// version is the threadlens version; release builds set it with
// -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// usageError marks an error caused by bad flags or arguments (exit 2).
type usageError struct{ error }

// Unwrap returns the wrapped error.
func (e usageError) Unwrap() error { return e.error }

// usagef returns a usageError with a formatted message.
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// errSomeFailed reports that the run finished but some sources failed
// (exit 1); the summary has already been printed.
var errSomeFailed = errors.New("some sources failed")

// command is one verb of the command line.
type command struct {
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error
	summary string
}

// commands are the verbs other than building; a source file that shares a
// verb's name is given as ./NAME.
var commands = map[string]command{
	"info":    {runInfo, "what a dataset holds: threads, rows per table, lexicon, runs"},
	"eval":    {wrapVerb(runEval), "tagger quality: --gold DIR (per theme P/R/F1) or --validated SHEET"},
	"sample":  {wrapVerb(runSample), "a stratified sample of evidence hits for human validation (CSV)"},
	"lexicon": {wrapVerb(runLexicon), "lexicon check FILE: validate a theme lexicon"},
	"retag":   {runRetag, "re-analyse a dataset's stored texts with another lexicon, without re-reading sources"},
	"version": {runVersion, "print the version"},
}

// wrapVerb adapts a verb that takes no stdin.
func wrapVerb(f func(ctx context.Context, args []string, stdout, stderr io.Writer) error) func(context.Context, []string, io.Reader, io.Writer, io.Writer) error {
	return func(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
		return f(ctx, args, stdout, stderr)
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var err error
	if len(args) > 0 {
		if cmd, ok := commands[args[0]]; ok {
			err = cmd.run(ctx, args[1:], stdin, stdout, stderr)
			return exitCode(ctx, err, stderr)
		}
		if args[0] == "help" {
			// The build verb's usage, with its flags, on stdout.
			return exitCode(ctx, runBuild(ctx, []string{"-h"}, stdin, stdout, stdout), stderr)
		}
	}
	err = runBuild(ctx, args, stdin, stdout, stderr)
	return exitCode(ctx, err, stderr)
}

// exitCode maps an error to the documented exit codes, printing it once.
func exitCode(ctx context.Context, err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return exitOK
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "threadlens: interrupted; the previous dataset is unchanged")
		return exitInterrupted
	case errors.Is(err, errSomeFailed):
		return exitSomeFailed
	}
	var coded interface{ ExitCode() int }
	if errors.As(err, &coded) {
		fmt.Fprintf(stderr, "threadlens: %v\n", err)
		return coded.ExitCode()
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "threadlens: %v\nRun 'threadlens -h' for usage.\n", err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "threadlens: %v\n", err)
	return exitUsage
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `threadlens builds a research dataset (Parquet) from comment-thread pages.

Usage:
  threadlens [flags] SOURCE...     build or update the dataset in --out
  threadlens                       process the bundled sample threads into ./out
  threadlens VERB [args]           another verb (below)

SOURCE is a file, a directory, a glob, a URL, an RSS/Atom feed, a sitemap, a
WARC file (.warc, .warc.gz), @LIST (one source per line) or - (sources on
stdin). A source file named like a verb is given as ./NAME.

Verbs:
`)
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-8s %s\n", name, commands[name].summary)
	}
	fmt.Fprint(w, `
Exit codes: 0 all sources done, 1 some sources failed (the rest written),
2 usage or fatal error, 130 interrupted.

Build flags:
`)
}

func runVersion(_ context.Context, _ []string, _ io.Reader, stdout, _ io.Writer) error {
	fmt.Fprintf(stdout, "threadlens %s\n", fullVersion())
	return nil
}

// fullVersion is the version plus the VCS revision when the binary has it.
func fullVersion() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	return v
}

// newLogger returns a text slog logger at the named level.
func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		return nil, usagef("--log-level %q: want debug, info, warn or error", level)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}
