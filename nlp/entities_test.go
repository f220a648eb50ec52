package nlp_test

import (
	"reflect"
	"testing"

	"github.com/threadlens/threadlens/nlp"
)

func TestEntities(t *testing.T) {
	t.Parallel()
	a := analyzer(t)
	tests := []struct {
		name, text string
		want       []string // "LABEL:text"
		reason     string
	}{
		{"person-org-gpe", "Yesterday Sarah Smith from Google moved to New York.", nil, "filled below"},
		{"ive", "I’ve been there. I've done that.", []string{}, "contractions of I are not names"},
		{"luckily-ok", "Luckily, OK, it worked out.", []string{}, "sentence-initial adverb and OK"},
		{"wait", "Wait, what happened next?", []string{}, "sentence-initial verb"},
		{"caps", "THIS IS SO UNFAIR TO ME.", []string{}, "ALL-CAPS emphasis is not a name"},
		{"lowercase", "my boss said the ceo was fine.", []string{}, "lowercase spans are never kept"},
		{"pronoun", "Then He said it was fine.", []string{}, "capitalised pronoun"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			an := a.Analyze(tt.text)
			got := []string{}
			for _, e := range an.Entities {
				got = append(got, e.Label+":"+e.Text)
			}
			if tt.want == nil {
				// Labels come from prose's model; require the names only.
				names := map[string]bool{}
				for _, e := range an.Entities {
					names[e.Text] = true
				}
				for _, n := range []string{"Sarah Smith", "Google", "New York"} {
					if !names[n] {
						t.Errorf("%q: entity %q missing; got %q", tt.text, n, got)
					}
				}
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%q: entities %q, want %q (%s)", tt.text, got, tt.want, tt.reason)
			}
		})
	}
}

// TestEntitySkipLosesNothing shows on the corpus that skipping the entity
// model on sentences without a name-like token loses no entity that
// survives the filter.
func TestEntitySkipLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus pass skipped in -short mode")
	}
	skip := analyzer(t)
	all := nlp.NewAnalyzerNERAll(t)
	comments := corpusComments(t)
	total := 0
	for _, c := range comments {
		got, want := skip.Analyze(c.Text).Entities, all.Analyze(c.Text).Entities
		total += len(want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s#%s: with skip %d entities, without %d:\n got %+v\nwant %+v", c.File, c.ID, len(got), len(want), got, want)
		}
	}
	t.Logf("%d comments, %d entities identical with and without the skip", len(comments), total)
}
