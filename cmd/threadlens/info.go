package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/threadlens/threadlens/datasets"
)

func runInfo(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("threadlens info", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, "usage: threadlens info [DIR]   (default ./out)") }
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return nil
		}
		return usageError{err}
	}
	dir := "out"
	if fs.NArg() > 1 {
		return usagef("info takes one dataset directory")
	}
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	m, err := datasets.ReadManifest(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "dataset      %s\n", dir)
	fmt.Fprintf(stdout, "schema       v%d, written by threadlens %s\n", m.SchemaVersion, m.ThreadlensVersion)
	fmt.Fprintf(stdout, "lexicon      %s (sha256 %.12s…)\n", m.Lexicon.Name, m.Lexicon.SHA256)
	fmt.Fprintf(stdout, "buckets      %d\n", m.Buckets)
	fmt.Fprintf(stdout, "updated      %s\n", m.Updated.Format(time.RFC3339))
	tables := make([]string, 0, len(m.Tables))
	for t := range m.Tables {
		tables = append(tables, t)
	}
	slices.Sort(tables)
	for _, t := range tables {
		fmt.Fprintf(stdout, "%-12s %d rows\n", t, m.Tables[t])
	}
	fmt.Fprintf(stdout, "runs         %d\n", len(m.Runs))
	for _, r := range m.Runs {
		fmt.Fprintf(stdout, "  %s  %5.1fs  %d sources\n", r.Started.Format(time.RFC3339), r.Finished.Sub(r.Started).Seconds(), len(r.Sources))
	}
	return nil
}
