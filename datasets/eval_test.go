package datasets

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threadlens/threadlens/nlp"
)

// goldMacroF1Required is the macro-F1 the default lexicon must reach on
// datasets/gold (TestGoldMacroF1).
const goldMacroF1Required = 0.85

func goldSpanComment(id, text string, labels ...GoldLabel) GoldComment {
	return GoldComment{ID: id, Thread: "t", Text: text, Labels: labels}
}

func TestEvaluateMetrics(t *testing.T) {
	t.Parallel()
	span := func(text string, start int, negated, hedged bool) GoldSpan {
		return GoldSpan{Start: start, End: start + len(text), Text: text, Negated: negated, Hedged: hedged}
	}
	// Four comments. blame: gold on c1, c2; predicted on c1, c3 → TP 1, FP 1,
	// FN 1: P = R = F1 = 0.5. yelling: gold and predicted on c4 → 1/1/1.
	// The other four themes have no gold and no prediction → F1 0.
	gold := []GoldComment{
		goldSpanComment("c1", "I don't blame you", GoldLabel{Theme: "blame", Spans: []GoldSpan{span("blame", 8, true, false)}}),
		goldSpanComment("c2", "it was my fault", GoldLabel{Theme: "blame", Spans: []GoldSpan{span("my fault", 7, false, false)}}),
		goldSpanComment("c3", "fault-tolerant systems"),
		goldSpanComment("c4", "if he yells again", GoldLabel{Theme: "yelling", Spans: []GoldSpan{span("yells", 6, false, true)}}),
	}
	predictions := map[string][]nlp.Hit{
		"I don't blame you":      {{Theme: "blame", Cue: "blame.blame", Start: 8, End: 13, Match: "blame", Negated: false}},
		"fault-tolerant systems": {{Theme: "blame", Cue: "blame.fault", Start: 0, End: 5, Match: "fault"}},
		"if he yells again":      {{Theme: "yelling", Cue: "yelling.yell", Start: 6, End: 11, Match: "yells", Hedged: true}},
	}
	analyze := func(text string) nlp.Analysis {
		an := nlp.Analysis{Hits: predictions[text], Themes: []string{}}
		for _, h := range an.Hits {
			an.Themes = append(an.Themes, h.Theme)
		}
		return an
	}
	rep := Evaluate(gold, analyze)

	themes := map[string]ThemeScore{}
	for _, s := range rep.Themes {
		themes[s.Theme] = s
	}
	tests := []struct {
		name   string
		got    float64
		want   float64
		reason string
	}{
		{"blame precision", themes["blame"].Precision, 0.5, "one of two predicted comments has blame in gold"},
		{"blame recall", themes["blame"].Recall, 0.5, "one of two gold comments was predicted"},
		{"blame F1", themes["blame"].F1, 0.5, "harmonic mean of 0.5 and 0.5"},
		{"yelling F1", themes["yelling"].F1, 1, "perfect on its one comment"},
		{"process F1", themes["process"].F1, 0, "no gold and no prediction counts as 0, not NaN"},
		{"macro-F1", rep.MacroF1, (0.5 + 1) / 6, "the mean over all six THEMES.md themes"},
		{"micro precision", rep.MicroPrecision, 2.0 / 3, "pooled TP 2, FP 1"},
		{"span matches", float64(rep.Flags.Matched), 2, "c1 and c4 spans overlap a hit of their theme; c2's does not"},
		{"negated accuracy", rep.Flags.Negated.Accuracy, 0.5, "c1's gold negation was missed, c4's non-negation was right"},
		{"hedged accuracy", rep.Flags.Hedged.Accuracy, 1, "both matched spans agree on hedged"},
		{"negated gold-only", float64(rep.Flags.Negated.FN), 1, "the missed negation is a false negative"},
	}
	for _, tt := range tests {
		if math.Abs(tt.got-tt.want) > 1e-9 {
			t.Errorf("%s = %v, want %v (%s)", tt.name, tt.got, tt.want, tt.reason)
		}
	}
	if len(rep.Cues) != 3 || rep.Cues[0].Cue != "blame.fault" || rep.Cues[0].Precision != 0 ||
		len(rep.Cues[0].WrongExamples) != 1 || rep.Cues[0].WrongExamples[0] != "c3: fault" {
		t.Errorf("cues = %+v, want blame.fault first with precision 0 and example c3 (worst first)", rep.Cues)
	}
	if len(rep.Missed) != 1 || rep.Missed[0].Text != "my fault" || rep.Missed[0].Examples[0] != "c2" {
		t.Errorf("missed = %+v, want the uncovered \"my fault\" of c2", rep.Missed)
	}
	var sb strings.Builder
	if err := rep.WriteText(&sb, 10); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"macro-F1", "blame.fault", "\"my fault\""} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, sb.String())
		}
	}
}

func TestEvaluateExtraTheme(t *testing.T) {
	t.Parallel()
	gold := []GoldComment{goldSpanComment("c1", "hello")}
	rep := Evaluate(gold, func(string) nlp.Analysis {
		return nlp.Analysis{Themes: []string{"gossip"}, Hits: []nlp.Hit{{Theme: "gossip", Cue: "g", Start: 0, End: 5, Match: "hello"}}}
	})
	last := rep.Themes[len(rep.Themes)-1]
	if len(rep.Themes) != len(GoldThemes)+1 || last.Theme != "gossip" || last.FP != 1 || rep.MacroF1 != 0 {
		t.Errorf("themes = %+v, macro %v; want gossip reported after the six with FP 1 and kept out of macro-F1", rep.Themes, rep.MacroF1)
	}
}

// TestGoldMacroF1 runs the real evaluation of the default lexicon on
// datasets/gold and FAILS when macro-F1 < 0.85. It is skipped while the
// default lexicon tags nothing (the placeholder analyzer). THIS IS THE
// LEXICON QUALITY GATE: a failure here means the lexicon, not this test,
// needs work; `threadlens eval --gold datasets/gold` shows which cues
// misfire and which gold evidence no cue covers.
// lexiconGates are the quality floors of the default lexicon, per gold
// set. datasets/gold is the target (macro-F1 ≥ 0.85, every theme
// F1 ≥ 0.75, flag accuracy ≥ 0.90). dev, dev2, dev3 and dev4 were written
// independently and then used for tuning; test was written independently
// and is never used for tuning: its floor guards against regressions, and
// its score is the honest estimate of quality on unseen threads.
var lexiconGates = []struct {
	set     string
	macroF1 float64
	themeF1 float64
	flagAcc float64
	note    string
}{
	{"gold", goldMacroF1Required, 0.75, 0.90, "the issue's targets"},
	{"gold/dev", 0.85, 0.70, 0.90, "independent set, used for tuning in round 2"},
	{"gold/dev2", 0.80, 0.65, 0.90, "independent set, used for tuning in round 3"},
	{"gold/dev3", 0.85, 0.70, 0.90, "independent set, used for tuning in round 4"},
	{"gold/dev4", 0.85, 0.70, 0.90, "independent set, used for tuning in round 5"},
	{"gold/test", 0.75, 0.55, 0.90, "held out: never used for tuning"},
}

func TestGoldMacroF1(t *testing.T) {
	lex, err := nlp.DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	analyzer, err := nlp.NewAnalyzer(lex)
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(goldDir(t))
	for _, g := range lexiconGates {
		t.Run(g.set, func(t *testing.T) {
			gold, err := ReadGold(filepath.Join(root, filepath.FromSlash(g.set)))
			if err != nil {
				t.Fatal(err)
			}
			rep := Evaluate(gold, analyzer.Analyze)
			for _, s := range rep.Themes {
				t.Logf("%-15s P %.3f R %.3f F1 %.3f (gold %d, predicted %d)", s.Theme, s.Precision, s.Recall, s.F1, s.Gold, s.Predicted)
				if s.F1 < g.themeF1 {
					t.Errorf("LEXICON QUALITY GATE (%s): %s F1 %.3f < %.2f", g.note, s.Theme, s.F1, g.themeF1)
				}
			}
			t.Logf("macro-F1 %.3f; negated accuracy %.3f, hedged accuracy %.3f on %d matched spans", rep.MacroF1, rep.Flags.Negated.Accuracy, rep.Flags.Hedged.Accuracy, rep.Flags.Matched)
			if rep.MacroF1 < g.macroF1 {
				t.Errorf("LEXICON QUALITY GATE (%s): macro-F1 %.3f on datasets/%s < %.2f; run `threadlens eval --gold datasets/%s` to see misfiring cues and uncovered evidence", g.note, rep.MacroF1, g.set, g.macroF1, g.set)
			}
			if rep.Flags.Negated.Accuracy < g.flagAcc || rep.Flags.Hedged.Accuracy < g.flagAcc {
				t.Errorf("LEXICON QUALITY GATE (%s): negated %.3f / hedged %.3f accuracy < %.2f", g.note, rep.Flags.Negated.Accuracy, rep.Flags.Hedged.Accuracy, g.flagAcc)
			}
		})
	}
}
