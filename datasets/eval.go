package datasets

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/threadlens/threadlens/nlp"
)

// EvalReport compares an analyzer's theme tags with a gold set.
type EvalReport struct {
	// Lexicon names the lexicon evaluated; set by the caller.
	Lexicon string `json:"lexicon,omitempty"`
	// Comments is the number of gold comments evaluated.
	Comments int `json:"comments"`
	// Themes are per-theme comment-level scores, in [GoldThemes] order,
	// followed by any theme the analyzer predicted that gold never uses.
	Themes []ThemeScore `json:"themes"`
	// MacroF1 is the mean F1 over [GoldThemes] (extra predicted themes
	// excluded).
	MacroF1 float64 `json:"macro_f1"`
	// MicroPrecision, MicroRecall and MicroF1 pool the counts of
	// [GoldThemes].
	MicroPrecision float64 `json:"micro_precision"`
	MicroRecall    float64 `json:"micro_recall"`
	MicroF1        float64 `json:"micro_f1"`
	// Flags scores the negated and hedged flags on gold spans.
	Flags FlagScore `json:"flags"`
	// Cues are per-cue firing counts, worst precision first.
	Cues []CueScore `json:"cues"`
	// Missed are gold evidence texts that no predicted hit of the same
	// theme overlaps, grouped by lower-cased text, most frequent first:
	// candidates for new cues.
	Missed []MissedEvidence `json:"missed"`
}

// ThemeScore is one theme's comment-level confusion counts and scores: a
// comment is predicted positive when the analysis lists the theme, gold
// positive when a gold label has it. Precision is 0 with no predictions,
// recall 0 with no gold positives, F1 0 when both are 0.
type ThemeScore struct {
	Theme     string  `json:"theme"`
	Gold      int     `json:"gold"`
	Predicted int     `json:"predicted"`
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// FlagScore scores the negated and hedged flags. A gold span is matched
// when a predicted hit of the same theme overlaps it (the hit with the
// largest overlap, the earliest on a tie); flags are compared on matched
// spans only.
type FlagScore struct {
	// GoldSpans is the number of gold evidence spans.
	GoldSpans int `json:"gold_spans"`
	// Matched is the number of gold spans with an overlapping hit.
	Matched int `json:"matched"`
	// Negated and Hedged are the flags' confusion on matched spans.
	Negated FlagConfusion `json:"negated"`
	Hedged  FlagConfusion `json:"hedged"`
}

// FlagConfusion is a binary flag's confusion on matched spans: TP gold
// and predicted true, FP predicted only, FN gold only, TN neither.
type FlagConfusion struct {
	TP       int     `json:"tp"`
	FP       int     `json:"fp"`
	FN       int     `json:"fn"`
	TN       int     `json:"tn"`
	Accuracy float64 `json:"accuracy"`
}

func (f *FlagConfusion) add(gold, predicted bool) {
	switch {
	case gold && predicted:
		f.TP++
	case predicted:
		f.FP++
	case gold:
		f.FN++
	default:
		f.TN++
	}
}

func (f *FlagConfusion) finish() {
	if n := f.TP + f.FP + f.FN + f.TN; n > 0 {
		f.Accuracy = float64(f.TP+f.TN) / float64(n)
	}
}

// CueScore counts one lexicon cue's hits over the gold comments: Fired
// hits, of which Right fell in a comment whose gold labels have the cue's
// theme.
type CueScore struct {
	Cue       string  `json:"cue"`
	Theme     string  `json:"theme"`
	Fired     int     `json:"fired"`
	Right     int     `json:"right"`
	Precision float64 `json:"precision"`
	// WrongExamples are up to three "commentID: match" strings of wrong
	// hits, for the lexicon author to look at.
	WrongExamples []string `json:"wrong_examples"`
}

// MissedEvidence is a gold evidence text that no hit of its theme covered.
type MissedEvidence struct {
	Theme string `json:"theme"`
	// Text is the span text, lower-cased.
	Text  string `json:"text"`
	Count int    `json:"count"`
	// Examples are up to three comment IDs.
	Examples []string `json:"examples"`
}

// Evaluate runs analyze on every gold comment's text and scores the
// predicted themes, flags and cues against the gold labels (see
// [EvalReport]). analyze is usually an [nlp.Analyzer]'s Analyze method.
func Evaluate(gold []GoldComment, analyze func(text string) nlp.Analysis) *EvalReport {
	rep := &EvalReport{Comments: len(gold)}
	scores := map[string]*ThemeScore{}
	scoreOf := func(theme string) *ThemeScore {
		s, ok := scores[theme]
		if !ok {
			s = &ThemeScore{Theme: theme}
			scores[theme] = s
		}
		return s
	}
	for _, t := range GoldThemes {
		scoreOf(t)
	}
	cues := map[string]*CueScore{}
	missed := map[[2]string]*MissedEvidence{}

	for i := range gold {
		c := &gold[i]
		an := analyze(c.Text)
		goldSet := c.ThemeSet()
		predSet := map[string]bool{}
		for _, t := range an.Themes {
			predSet[t] = true
		}
		for _, h := range an.Hits {
			predSet[h.Theme] = true
		}
		for t := range goldSet {
			s := scoreOf(t)
			s.Gold++
			if predSet[t] {
				s.TP++
			} else {
				s.FN++
			}
		}
		for t := range predSet {
			s := scoreOf(t)
			s.Predicted++
			if !goldSet[t] {
				s.FP++
			}
		}
		for _, h := range an.Hits {
			key := h.Theme + "\x00" + h.Cue
			cs, ok := cues[key]
			if !ok {
				cs = &CueScore{Cue: h.Cue, Theme: h.Theme, WrongExamples: []string{}}
				cues[key] = cs
			}
			cs.Fired++
			if goldSet[h.Theme] {
				cs.Right++
			} else if len(cs.WrongExamples) < 3 {
				cs.WrongExamples = append(cs.WrongExamples, fmt.Sprintf("%s: %s", c.ID, h.Match))
			}
		}
		for _, l := range c.Labels {
			for _, span := range l.Spans {
				rep.Flags.GoldSpans++
				hit, ok := bestOverlap(an.Hits, l.Theme, span)
				if ok {
					rep.Flags.Matched++
					rep.Flags.Negated.add(span.Negated, hit.Negated)
					rep.Flags.Hedged.add(span.Hedged, hit.Hedged)
					continue
				}
				key := [2]string{l.Theme, strings.ToLower(span.Text)}
				m, ok := missed[key]
				if !ok {
					m = &MissedEvidence{Theme: key[0], Text: key[1], Examples: []string{}}
					missed[key] = m
				}
				m.Count++
				if len(m.Examples) < 3 && !slices.Contains(m.Examples, c.ID) {
					m.Examples = append(m.Examples, c.ID)
				}
			}
		}
	}
	rep.Flags.Negated.finish()
	rep.Flags.Hedged.finish()

	var tp, fp, fn int
	for _, t := range GoldThemes {
		s := scores[t]
		s.finish()
		rep.Themes = append(rep.Themes, *s)
		rep.MacroF1 += s.F1
		tp, fp, fn = tp+s.TP, fp+s.FP, fn+s.FN
	}
	rep.MacroF1 /= float64(len(GoldThemes))
	rep.MicroPrecision, rep.MicroRecall, rep.MicroF1 = prf(tp, fp, fn)
	var extra []string
	for t := range scores {
		if !slices.Contains(GoldThemes, t) {
			extra = append(extra, t)
		}
	}
	slices.Sort(extra)
	for _, t := range extra {
		s := scores[t]
		s.finish()
		rep.Themes = append(rep.Themes, *s)
	}

	rep.Cues = []CueScore{}
	for _, cs := range cues {
		cs.Precision = float64(cs.Right) / float64(cs.Fired)
		rep.Cues = append(rep.Cues, *cs)
	}
	slices.SortFunc(rep.Cues, func(a, b CueScore) int {
		return cmp.Or(
			cmp.Compare(a.Precision, b.Precision),
			cmp.Compare(b.Fired-b.Right, a.Fired-a.Right),
			cmp.Compare(a.Theme, b.Theme),
			cmp.Compare(a.Cue, b.Cue),
		)
	})
	rep.Missed = []MissedEvidence{}
	for _, m := range missed {
		rep.Missed = append(rep.Missed, *m)
	}
	slices.SortFunc(rep.Missed, func(a, b MissedEvidence) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Theme, b.Theme), cmp.Compare(a.Text, b.Text))
	})
	return rep
}

func (s *ThemeScore) finish() { s.Precision, s.Recall, s.F1 = prf(s.TP, s.FP, s.FN) }

// prf returns precision, recall and F1, each 0 when its denominator is 0.
func prf(tp, fp, fn int) (precision, recall, f1 float64) {
	if tp+fp > 0 {
		precision = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		recall = float64(tp) / float64(tp+fn)
	}
	if precision+recall > 0 {
		f1 = 2 * precision * recall / (precision + recall)
	}
	return precision, recall, f1
}

// bestOverlap returns the hit of theme overlapping span the most, the
// earliest on a tie.
func bestOverlap(hits []nlp.Hit, theme string, span GoldSpan) (nlp.Hit, bool) {
	var (
		best    nlp.Hit
		bestLen int
	)
	for _, h := range hits {
		if h.Theme != theme {
			continue
		}
		overlap := min(h.End, span.End) - max(h.Start, span.Start)
		if overlap > bestLen {
			best, bestLen = h, overlap
		}
	}
	return best, bestLen > 0
}

// WriteText writes the report as plain-text tables: themes, flags, the
// cues (worst first; all of them) and the first maxMissed missed evidence
// texts (all when maxMissed < 0).
func (r *EvalReport) WriteText(w io.Writer, maxMissed int) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	if r.Lexicon != "" {
		fmt.Fprintf(tw, "lexicon: %s\n", r.Lexicon)
	}
	fmt.Fprintf(tw, "gold comments: %d\n\n", r.Comments)
	fmt.Fprintln(tw, "theme\tgold\tpred\ttp\tfp\tfn\tprecision\trecall\tf1\t")
	for _, s := range r.Themes {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t\n", s.Theme, s.Gold, s.Predicted, s.TP, s.FP, s.FN, s.Precision, s.Recall, s.F1)
	}
	fmt.Fprintf(tw, "macro-F1\t\t\t\t\t\t\t\t%.3f\t\n", r.MacroF1)
	fmt.Fprintf(tw, "micro\t\t\t\t\t\t%.3f\t%.3f\t%.3f\t\n", r.MicroPrecision, r.MicroRecall, r.MicroF1)
	if err := tw.Flush(); err != nil {
		return err
	}
	f := r.Flags
	fmt.Fprintf(w, "\nflags on gold spans matched by a hit of the same theme: %d of %d matched\n", f.Matched, f.GoldSpans)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "flag\taccuracy\tboth true\tpredicted only\tgold only\tboth false\t")
	for _, row := range []struct {
		name string
		c    FlagConfusion
	}{{"negated", f.Negated}, {"hedged", f.Hedged}} {
		fmt.Fprintf(tw, "%s\t%.3f\t%d\t%d\t%d\t%d\t\n", row.name, row.c.Accuracy, row.c.TP, row.c.FP, row.c.FN, row.c.TN)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\ncues, worst first (right = the comment has the cue's theme in gold): %d cues\n", len(r.Cues))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "cue\ttheme\tfired\tright\tprecision\twrong examples")
	for _, c := range r.Cues {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.3f\t%s\n", c.Cue, c.Theme, c.Fired, c.Right, c.Precision, strings.Join(c.WrongExamples, " | "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	missed := r.Missed
	if maxMissed >= 0 && len(missed) > maxMissed {
		missed = missed[:maxMissed]
	}
	fmt.Fprintf(w, "\ngold evidence no hit of its theme covers (top %d of %d)\n", len(missed), len(r.Missed))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "theme\tcount\ttext\texamples")
	for _, m := range missed {
		fmt.Fprintf(tw, "%s\t%d\t%q\t%s\n", m.Theme, m.Count, m.Text, strings.Join(m.Examples, " "))
	}
	return tw.Flush()
}
