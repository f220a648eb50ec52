package nlp_test

import "testing"

// TestNegationCorrelative checks the "not only"/"not just" rule of
// flags.go: the correlative before an auxiliary does not negate, the
// contrastive "not just X" does (THEMES.md: a negator at most four words
// before the cue in the same clause).
func TestNegationCorrelative(t *testing.T) {
	t.Parallel()
	a := analyzer(t)
	tests := []struct {
		name, text, theme, match string
		negated                  bool
		reason                   string
	}{
		{"not-only-did", "Not only did he yell, he threw things.", "yelling", "yell", false, "correlative before an auxiliary does not negate"},
		{"not-just-was", "Not just was she yelled at, she was blamed.", "yelling", "yelled", false, "correlative with was"},
		{"not-just-noun", "Bring the fix, not just the apology.", "accountability", "apology", true, "contrastive 'not just X' negates X"},
		{"not-just-verb", "The firm should fix the workflow, not just write you up and move on.", "firing", "write you up", true, "contrastive 'not just' before a verb negates it"},
		{"not-only-noun", "That is a training gap, not only an LW problem.", "blame", "an LW problem", true, "contrastive 'not only X' negates X"},
		{"no-doubt", "No doubt they'll blame the new hire.", "blame", "blame", false, "'no doubt' still cancels"},
		{"no-matter", "No matter who yelled, apologize.", "yelling", "yelled", false, "'no matter' still cancels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			an := a.Analyze(tt.text)
			h, ok := findHit(an, tt.theme, tt.match)
			if !ok {
				t.Fatalf("no %s hit %q in %q (%s); hits: %s", tt.theme, tt.match, tt.text, tt.reason, hitsString(an))
			}
			if h.Negated != tt.negated {
				t.Errorf("%q: %s %q negated=%v, want %v (%s)", tt.text, h.Cue, h.Match, h.Negated, tt.negated, tt.reason)
			}
		})
	}
}

// TestNearStepsOverQuotes checks that a `near` requirement looks past
// quotation marks (a script in quotes keeps its context) but still stops
// at other punctuation.
func TestNearStepsOverQuotes(t *testing.T) {
	t.Parallel()
	a := analyzer(t)
	tests := []struct {
		name, text, theme string
		want              bool
		reason            string
	}{
		{"quoted-script", "My boss's first question was not “who did this” but “what do we change.”", "blame", true, "'not' before the opening quote satisfies who-did"},
		{"plain", "The question was never who did it.", "blame", true, "no quotes"},
		{"comma-stops", "He asked, and who did it was clear.", "blame", false, "a comma still ends the look-around"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			an := a.Analyze(tt.text)
			_, got := findHit(an, tt.theme, "")
			if got != tt.want {
				t.Errorf("%q: %s hit = %v, want %v (%s); hits: %s", tt.text, tt.theme, got, tt.want, tt.reason, hitsString(an))
			}
		})
	}
}
