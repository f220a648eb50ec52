package datasets

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// SampleSheetColumns are the columns of a validation sheet, in order.
// "text" is the comment text with the hit marked ⟦like this⟧; "correct"
// is left empty for the human judge (y or n).
var SampleSheetColumns = []string{
	"thread_id", "comment_id", "theme", "cue", "negated", "hedged",
	"sentence_index", "start", "end", "match", "text", "correct",
}

// Span marks used in the sheet's text column.
const (
	SampleMarkOpen  = "⟦"
	SampleMarkClose = "⟧"
)

// ErrSheet is wrapped by errors about a malformed validation sheet.
var ErrSheet = errors.New("bad validation sheet")

// SampleHit is one evidence hit of a dataset's theme_hits table, with the
// comment text when known. Offsets are code points into the comment text.
type SampleHit struct {
	// ThemeHitRow holds the hit's theme_hits columns.
	ThemeHitRow
	// Text is the whole comment text, "" when the comment was not found.
	Text string
	// Correct is the judge's verdict: "y", "n" or "" (not judged).
	Correct string
}

// SampleOptions selects a validation sample.
type SampleOptions struct {
	// Themes restricts the sample to these themes; all themes when empty.
	Themes []string
	// N is the sample size; every hit is taken when there are at most N.
	N int
	// Seed makes the sample reproducible: the same dataset, options and
	// seed give the same rows in the same order.
	Seed uint64
}

// SampleStratified draws a stratified random sample of hits without
// replacement. The strata are the lexicon cues (theme and cue ID); each
// stratum gets a share of N proportional to its number of hits (largest
// remainder, ties to the stratum that sorts first), so the sample is
// self-weighting: the share of correct rows in the sheet estimates the
// precision of the whole selection. The result is shuffled so that a
// judge does not see one cue's rows in a run. hits is not modified.
func SampleStratified(hits []SampleHit, opt SampleOptions) []SampleHit {
	selected := make([]SampleHit, 0, len(hits))
	for _, h := range hits {
		if len(opt.Themes) == 0 || slices.Contains(opt.Themes, h.Theme) {
			selected = append(selected, h)
		}
	}
	// Sort so that the sample depends on the dataset's content, not on
	// the order of its files.
	slices.SortFunc(selected, func(a, b SampleHit) int {
		return cmp.Or(cmp.Compare(a.Theme, b.Theme), cmp.Compare(a.Cue, b.Cue),
			cmp.Compare(a.ThreadID, b.ThreadID), cmp.Compare(a.CommentID, b.CommentID),
			cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
	})
	rng := rand.New(rand.NewPCG(opt.Seed, 0x74687265_61646c65))
	if opt.N <= 0 {
		return []SampleHit{}
	}
	if len(selected) <= opt.N {
		rng.Shuffle(len(selected), func(i, j int) { selected[i], selected[j] = selected[j], selected[i] })
		return selected
	}
	type stratum struct {
		start, size, quota int
		remainder          float64
	}
	var strata []stratum
	for i := 0; i < len(selected); {
		j := i + 1
		for j < len(selected) && selected[j].Theme == selected[i].Theme && selected[j].Cue == selected[i].Cue {
			j++
		}
		exact := float64(opt.N) * float64(j-i) / float64(len(selected))
		quota := int(math.Floor(exact))
		strata = append(strata, stratum{start: i, size: j - i, quota: quota, remainder: exact - float64(quota)})
		i = j
	}
	left := opt.N
	for _, s := range strata {
		left -= s.quota
	}
	order := make([]int, len(strata))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(strata[b].remainder, strata[a].remainder) })
	for _, i := range order[:left] {
		strata[i].quota++
	}
	out := make([]SampleHit, 0, opt.N)
	for _, s := range strata {
		group := slices.Clone(selected[s.start : s.start+s.size])
		for k := 0; k < s.quota; k++ { // partial Fisher–Yates
			r := k + rng.IntN(len(group)-k)
			group[k], group[r] = group[r], group[k]
		}
		out = append(out, group[:s.quota]...)
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// ReadSampleHits reads the theme_hits of the dataset in dir
// (dir/theme_hits/*.parquet), keeping the hits of themes (all when
// empty). Only the contract columns are read.
func ReadSampleHits(dir string, themes []string) ([]SampleHit, error) {
	files, err := filepath.Glob(filepath.Join(dir, "theme_hits", "*.parquet"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no theme_hits/*.parquet files (is it a threadlens dataset?)", dir)
	}
	slices.Sort(files)
	var hits []SampleHit
	for _, file := range files {
		err := eachRowSafe(file, func(h ThemeHitRow) {
			if len(themes) == 0 || slices.Contains(themes, h.Theme) {
				hits = append(hits, SampleHit{ThemeHitRow: h})
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return hits, nil
}

// sampleCommentRow is the part of a comments row a validation sheet needs.
type sampleCommentRow struct {
	ThreadID  string `parquet:"thread_id"`
	CommentID string `parquet:"comment_id"`
	Text      string `parquet:"text"`
}

// AttachCommentTexts fills the Text of each hit from the comments table
// of the dataset in dir (dir/comments/*.parquet), streaming the table and
// keeping only the texts asked for. It returns the number of hits whose
// comment was not found.
func AttachCommentTexts(dir string, hits []SampleHit) (missing int, err error) {
	type key struct{ thread, comment string }
	want := map[key]string{}
	for _, h := range hits {
		want[key{h.ThreadID, h.CommentID}] = ""
	}
	files, err := filepath.Glob(filepath.Join(dir, "comments", "*.parquet"))
	if err != nil {
		return 0, err
	}
	slices.Sort(files)
	found := map[key]bool{}
	for _, file := range files {
		err := eachRowSafe(file, func(c sampleCommentRow) {
			k := key{c.ThreadID, c.CommentID}
			if _, ok := want[k]; ok {
				want[k] = c.Text
				found[k] = true
			}
		})
		if err != nil {
			return 0, err
		}
	}
	for i := range hits {
		k := key{hits[i].ThreadID, hits[i].CommentID}
		if !found[k] {
			missing++
		}
		hits[i].Text = want[k]
	}
	return missing, nil
}

// eachRowSafe streams the rows of the Parquet file at path as T (a
// subset of the file's columns) with [eachRow], turning a panic of
// parquet-go on a schema it cannot convert into an error naming the file.
func eachRowSafe[T any](path string, fn func(row T)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: cannot read as %T: %v", path, *new(T), r)
		}
	}()
	return eachRow(path, func(batch []T) error {
		for _, row := range batch {
			fn(row)
		}
		return nil
	})
}

// MarkSpan returns text with the code points [start, end) enclosed in
// ⟦ ⟧. Offsets outside the text are clamped, so a bad row still shows.
func MarkSpan(text string, start, end int) string {
	runes := []rune(text)
	start = min(max(start, 0), len(runes))
	end = min(max(end, start), len(runes))
	return string(runes[:start]) + SampleMarkOpen + string(runes[start:end]) + SampleMarkClose + string(runes[end:])
}

// WriteSampleSheet writes hits as a CSV validation sheet with the columns
// of [SampleSheetColumns]. A hit whose comment text is unknown shows only
// its marked match.
func WriteSampleSheet(w io.Writer, hits []SampleHit) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(SampleSheetColumns); err != nil {
		return err
	}
	for _, h := range hits {
		text := MarkSpan(h.Text, int(h.Start), int(h.End))
		if h.Text == "" {
			text = SampleMarkOpen + h.Match + SampleMarkClose
		}
		record := []string{
			h.ThreadID, h.CommentID, h.Theme, h.Cue,
			strconv.FormatBool(h.Negated), strconv.FormatBool(h.Hedged),
			strconv.Itoa(int(h.SentenceIndex)), strconv.Itoa(int(h.Start)), strconv.Itoa(int(h.End)),
			h.Match, text, h.Correct,
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadValidationSheet reads a filled-in validation sheet. Columns are
// found by header name; "theme" and "correct" are required. A correct
// cell of y, yes, true, 1 or ✓ counts as correct, n, no, false, 0 or ✗
// as wrong (any case), an empty cell as not judged; anything else is an
// error naming the line. Only the columns present are filled in.
func ReadValidationSheet(r io.Reader, name string) ([]SampleHit, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: %w: empty file", name, ErrSheet)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"theme", "correct"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("%s: %w: no %q column", name, ErrSheet, need)
		}
	}
	var rows []SampleHit
	for {
		record, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(record) {
				return strings.TrimSpace(record[i])
			}
			return ""
		}
		verdict, err := parseVerdict(get("correct"))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		h := SampleHit{Text: get("text"), Correct: verdict}
		h.ThreadID, h.CommentID = get("thread_id"), get("comment_id")
		h.Theme, h.Cue, h.Match = get("theme"), get("cue"), get("match")
		h.Negated, _ = strconv.ParseBool(get("negated"))
		h.Hedged, _ = strconv.ParseBool(get("hedged"))
		if h.Theme == "" {
			return nil, fmt.Errorf("%s:%d: %w: empty theme", name, line, ErrSheet)
		}
		rows = append(rows, h)
	}
}

func parseVerdict(cell string) (string, error) {
	switch strings.ToLower(cell) {
	case "":
		return "", nil
	case "y", "yes", "true", "1", "✓", "✔":
		return "y", nil
	case "n", "no", "false", "0", "✗", "✘":
		return "n", nil
	}
	return "", fmt.Errorf("%w: correct is %q, want y or n (or empty for not judged)", ErrSheet, cell)
}

// WilsonZ95 is the normal quantile for a two-sided 95% interval.
const WilsonZ95 = 1.959963984540054

// WilsonInterval returns the Wilson score interval for successes out of n
// trials at normal quantile z (use [WilsonZ95] for 95%). With n = 0 it
// returns the uninformative interval [0, 1].
func WilsonInterval(successes, n int, z float64) (low, high float64) {
	if n <= 0 {
		return 0, 1
	}
	p := float64(successes) / float64(n)
	nf := float64(n)
	z2 := z * z
	denom := 1 + z2/nf
	center := (p + z2/(2*nf)) / denom
	half := z / denom * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	return max(0, center-half), min(1, center+half)
}

// PrecisionEstimate is the precision of judged hits with its 95% Wilson
// interval.
type PrecisionEstimate struct {
	// Theme and Cue name the group; empty for the overall row (Cue is
	// empty for a theme row).
	Theme string `json:"theme,omitempty"`
	Cue   string `json:"cue,omitempty"`
	// Judged counts rows marked y or n, Correct those marked y.
	Judged  int `json:"n"`
	Correct int `json:"correct"`
	// NotJudged counts rows of the group with an empty verdict.
	NotJudged int `json:"not_judged"`
	// Precision is Correct/Judged, 0 when nothing was judged.
	Precision float64 `json:"precision"`
	// Low and High bound the 95% Wilson interval.
	Low  float64 `json:"ci_low"`
	High float64 `json:"ci_high"`
}

func (p *PrecisionEstimate) add(verdict string) {
	switch verdict {
	case "y":
		p.Judged++
		p.Correct++
	case "n":
		p.Judged++
	default:
		p.NotJudged++
	}
}

func (p *PrecisionEstimate) finish() {
	if p.Judged > 0 {
		p.Precision = float64(p.Correct) / float64(p.Judged)
	}
	p.Low, p.High = WilsonInterval(p.Correct, p.Judged, WilsonZ95)
}

// ValidationReport summarises a filled-in validation sheet.
type ValidationReport struct {
	// Rows is the number of rows in the sheet, NotJudged those with an
	// empty verdict.
	Rows      int `json:"rows"`
	NotJudged int `json:"not_judged"`
	// Overall pools every judged row.
	Overall PrecisionEstimate `json:"overall"`
	// Themes are per theme, sorted by theme name.
	Themes []PrecisionEstimate `json:"themes"`
	// Cues are per theme and cue, lowest precision first.
	Cues []PrecisionEstimate `json:"cues"`
}

// SummarizeValidation computes precision per theme, per cue and overall
// from judged sheet rows.
func SummarizeValidation(rows []SampleHit) *ValidationReport {
	rep := &ValidationReport{Rows: len(rows), Themes: []PrecisionEstimate{}, Cues: []PrecisionEstimate{}}
	themes := map[string]*PrecisionEstimate{}
	cues := map[[2]string]*PrecisionEstimate{}
	for _, r := range rows {
		if r.Correct == "" {
			rep.NotJudged++
		}
		rep.Overall.add(r.Correct)
		t, ok := themes[r.Theme]
		if !ok {
			t = &PrecisionEstimate{Theme: r.Theme}
			themes[r.Theme] = t
		}
		t.add(r.Correct)
		k := [2]string{r.Theme, r.Cue}
		c, ok := cues[k]
		if !ok {
			c = &PrecisionEstimate{Theme: r.Theme, Cue: r.Cue}
			cues[k] = c
		}
		c.add(r.Correct)
	}
	rep.Overall.finish()
	for _, t := range themes {
		t.finish()
		rep.Themes = append(rep.Themes, *t)
	}
	slices.SortFunc(rep.Themes, func(a, b PrecisionEstimate) int { return cmp.Compare(a.Theme, b.Theme) })
	for _, c := range cues {
		c.finish()
		rep.Cues = append(rep.Cues, *c)
	}
	slices.SortFunc(rep.Cues, func(a, b PrecisionEstimate) int {
		return cmp.Or(cmp.Compare(a.Precision, b.Precision), cmp.Compare(b.Judged, a.Judged),
			cmp.Compare(a.Theme, b.Theme), cmp.Compare(a.Cue, b.Cue))
	})
	return rep
}

// WriteText writes the report as plain-text tables.
func (r *ValidationReport) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "rows: %d, judged: %d, not judged: %d\n\n", r.Rows, r.Rows-r.NotJudged, r.NotJudged)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "theme\tn\tcorrect\tprecision\t95% CI\tnot judged\t")
	row := func(label string, p PrecisionEstimate) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t[%.3f, %.3f]\t%d\t\n", label, p.Judged, p.Correct, p.Precision, p.Low, p.High, p.NotJudged)
	}
	for _, t := range r.Themes {
		row(t.Theme, t)
	}
	row("overall", r.Overall)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\ncues, lowest precision first")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "cue\ttheme\tn\tcorrect\tprecision\t95% CI\tnot judged\t")
	for _, c := range r.Cues {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.3f\t[%.3f, %.3f]\t%d\t\n", c.Cue, c.Theme, c.Judged, c.Correct, c.Precision, c.Low, c.High, c.NotJudged)
	}
	return tw.Flush()
}
