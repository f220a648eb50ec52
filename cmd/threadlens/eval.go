package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/threadlens/threadlens/datasets"
	"github.com/threadlens/threadlens/nlp"
)

// problemsError reports that a check found problems it has already
// printed (lexicon check); main maps it to exit code 1 via ExitCode.
type problemsError struct{ n int }

func (e problemsError) Error() string { return fmt.Sprintf("%d problem(s) found", e.n) }

// ExitCode returns 1: the command ran and found problems.
func (e problemsError) ExitCode() int { return 1 }

// parseVerbFlags parses args with fs; -h prints the help and returns
// flag.ErrHelp unwrapped, any other flag error is a usageError.
func parseVerbFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return usageError{err}
}

const evalHelp = `Usage:
  threadlens eval --gold DIR [--lexicon FILE] [--json] [--missed N]
  threadlens eval --gold DIR --agreement FILE [--json]
  threadlens eval --validated SHEET.csv [--json]

With --gold, runs the analyzer (the default lexicon, or --lexicon FILE) on
every gold comment (DIR/labels.jsonl, see datasets/gold/README.md) and
prints, per theme, comment-level precision, recall and F1 and the macro-F1;
the accuracy of the negated and hedged flags on gold spans matched by a hit
of the same theme; every cue's hits and how many fell in a comment gold
tags with the cue's theme, worst first; and the gold evidence no hit
covered (candidates for new cues).

With --gold and --agreement FILE, prints Cohen's kappa per theme between
the gold labels and a second labeling of the same comments (FILE in the
same format, e.g. DIR/second/labels.jsonl) and the disagreeing IDs.

With --validated, reads a sheet made by 'threadlens sample' whose
'correct' column a human filled with y or n, and prints precision per
theme, per cue and overall with 95% Wilson intervals, n, and the rows not
judged.

Flags:
`

// runEval is the "eval" subcommand.
func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	goldDir := fs.String("gold", "", "gold `DIR` (or labels file) to evaluate against")
	lexiconPath := fs.String("lexicon", "", "lexicon YAML `FILE` (default: the embedded lexicon)")
	validated := fs.String("validated", "", "filled-in validation `SHEET` (CSV from 'threadlens sample')")
	agreement := fs.String("agreement", "", "second labeling `FILE` to compare with --gold (Cohen's kappa)")
	asJSON := fs.Bool("json", false, "print JSON instead of tables")
	maxMissed := fs.Int("missed", 20, "show the first `N` uncovered gold evidence texts (-1: all)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), evalHelp)
		fs.PrintDefaults()
	}
	if err := parseVerbFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil // -h printed the help
		}
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("eval: unexpected argument %q (see threadlens eval -h)", fs.Arg(0))}
	}
	switch {
	case (*goldDir == "") == (*validated == ""):
		return usageError{errors.New("eval: give exactly one of --gold DIR or --validated SHEET")}
	case *validated != "" && (*lexiconPath != "" || *agreement != ""):
		return usageError{errors.New("eval: --lexicon and --agreement go with --gold, not --validated")}
	case *agreement != "" && *lexiconPath != "":
		return usageError{errors.New("eval: --agreement compares two labelings; it takes no --lexicon")}
	}

	if *validated != "" {
		f, err := os.Open(*validated)
		if err != nil {
			return err
		}
		defer f.Close()
		rows, err := datasets.ReadValidationSheet(f, *validated)
		if err != nil {
			return err
		}
		rep := datasets.SummarizeValidation(rows)
		if *asJSON {
			return writeJSON(stdout, rep)
		}
		return rep.WriteText(stdout)
	}

	gold, err := datasets.ReadGold(*goldDir)
	if err != nil {
		return err
	}
	if *agreement != "" {
		second, err := datasets.ReadGold(*agreement)
		if err != nil {
			return err
		}
		return writeAgreement(stdout, gold, second, *asJSON)
	}

	var lex *nlp.Lexicon
	if *lexiconPath != "" {
		lex, err = nlp.LoadLexicon(*lexiconPath)
	} else {
		lex, err = nlp.DefaultLexicon()
	}
	if err != nil {
		return err
	}
	analyzer, err := nlp.NewAnalyzer(lex)
	if err != nil {
		return err
	}
	rep := datasets.Evaluate(gold, analyzer.Analyze)
	if err := ctx.Err(); err != nil {
		return err
	}
	rep.Lexicon = lex.Name
	if lex.SHA256 != "" {
		rep.Lexicon += " (sha256 " + lex.SHA256[:min(12, len(lex.SHA256))] + ")"
	}
	if *asJSON {
		return writeJSON(stdout, rep)
	}
	return rep.WriteText(stdout, *maxMissed)
}

func writeAgreement(w io.Writer, gold, second []datasets.GoldComment, asJSON bool) error {
	themes, n := datasets.GoldAgreement(gold, second)
	if asJSON {
		return writeJSON(w, struct {
			Comments int                       `json:"comments"`
			Themes   []datasets.ThemeAgreement `json:"themes"`
		}{n, themes})
	}
	fmt.Fprintf(w, "comments in both labelings: %d\n\n", n)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "theme\tkappa\tobserved\tboth\tgold only\tsecond only\tneither\tdisagreements")
	for _, a := range themes {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%d\t%d\t%d\t%d\t%s\n", a.Theme, a.Kappa, a.Observed, a.Both, a.OnlyA, a.OnlyB, a.Neither, strings.Join(a.Disagreements, " "))
	}
	return tw.Flush()
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

const sampleHelp = `Usage: threadlens sample [--theme NAME]... [-n N] [--seed S] [-o FILE] OUT

Draws a random sample of evidence hits from the dataset in OUT (its
theme_hits and comments tables) and writes a CSV validation sheet: one row
per hit with thread_id, comment_id, theme, cue, negated, hedged, the
offsets, the match, the comment text with the hit marked ⟦like this⟧, and
an empty 'correct' column for a human to fill with y or n. Score the
filled sheet with 'threadlens eval --validated SHEET'.

The sample is stratified by cue: each cue gets a share of N proportional
to its number of hits, so the sheet's share of correct rows estimates the
precision of all the selected hits. Rows come in random order. The same
dataset, flags and seed always give the same sheet.

Flags:
`

// themeList is a repeatable, comma-separated --theme flag.
type themeList []string

func (t *themeList) String() string { return strings.Join(*t, ",") }

func (t *themeList) Set(v string) error {
	for part := range strings.SplitSeq(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*t = append(*t, part)
		}
	}
	return nil
}

// runSample is the "sample" subcommand.
func runSample(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sample", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var themes themeList
	fs.Var(&themes, "theme", "sample hits of this `THEME` (repeat or comma-separate; default: all themes)")
	n := fs.Int("n", 200, "sample size")
	seed := fs.Uint64("seed", 1, "random seed")
	outPath := fs.String("o", "", "write the sheet to `FILE` instead of standard output")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), sampleHelp)
		fs.PrintDefaults()
	}
	if err := parseVerbFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil // -h printed the help
		}
		return err
	}
	if fs.NArg() != 1 {
		return usageError{errors.New("sample: want exactly one dataset directory (see threadlens sample -h)")}
	}
	if *n <= 0 {
		return usageError{fmt.Errorf("sample: -n must be positive, got %d", *n)}
	}
	dir := fs.Arg(0)
	hits, err := datasets.ReadSampleHits(dir, themes)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	sample := datasets.SampleStratified(hits, datasets.SampleOptions{Themes: themes, N: *n, Seed: *seed})
	missing, err := datasets.AttachCommentTexts(dir, sample)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "sampled %d of %d hits\n", len(sample), len(hits))
	if missing > 0 {
		fmt.Fprintf(stderr, "warning: %d sampled hits have no row in %s/comments; their text column shows only the match\n", missing, dir)
	}
	if *outPath == "" {
		return datasets.WriteSampleSheet(stdout, sample)
	}
	f, err := os.Create(*outPath)
	if err != nil {
		return err
	}
	if err := datasets.WriteSampleSheet(f, sample); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

const lexiconHelp = `Usage: threadlens lexicon check FILE

Checks a theme lexicon file and prints every problem with FILE:LINE:
YAML errors, unknown keys and themes, duplicate cue IDs, patterns that can
never match. Exits 1 when there are problems, else prints
"ok: N cues in M themes" and exits 0.
`

// runLexicon is the "lexicon" subcommand (verb: check).
func runLexicon(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lexicon", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(fs.Output(), lexiconHelp) }
	if err := parseVerbFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil // -h printed the help
		}
		return err
	}
	if fs.NArg() != 2 || fs.Arg(0) != "check" {
		return usageError{errors.New("lexicon: usage: threadlens lexicon check FILE")}
	}
	path := fs.Arg(1)
	if problems := nlp.CheckLexicon(path); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(stdout, p)
		}
		return problemsError{len(problems)}
	}
	lex, err := nlp.LoadLexicon(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ok: %d cues in %d themes\n", lex.Cues(), len(lex.Themes()))
	return ctx.Err()
}
