package nlp_test

import (
	"math"
	"testing"

	"github.com/threadlens/threadlens/nlp"
)

func TestShouting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
		want       float64
		reason     string
	}{
		{"empty", "", 0, "no letters"},
		{"digits", "123 456 !!!", 0, "no letters"},
		{"calm", "My boss yelled at me.", 0, "no caps words"},
		{"all", "STOP YELLING", 1, "every letter is in a caps word"},
		{"half", "STOP it now", 4.0 / 9, "4 of 9 letters"},
		{"short-caps", "I AM OK", 0, "words under three letters never count"},
		{"acronyms", "The CEO and HR and NASA and FYI", 0, "listed acronyms"},
		{"acronym-plural", "All the CEOS agreed", 0, "plural of a listed acronym"},
		{"paren", "the Quality Review Board (QRB) met", 0, "caps in parentheses is an acronym definition"},
		{"digits-in-word", "my MP3 and 401K", 0, "caps with digits are acronyms"},
		{"contraction", "DON'T do that", 4.0 / 10, "apostrophes join a word; 4 of 10 letters"},
		{"curly-contraction", "DON’T do that", 4.0 / 10, "typographic apostrophe too"},
		{"accented", "ÉTÉ été", 3.0 / 6, "non-ASCII upper case"},
		{"mixed-case", "NASAs iPhone", 0, "mixed case is not shouting"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := nlp.Shouting(tt.text); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Shouting(%q) = %v, want %v (%s)", tt.text, got, tt.want, tt.reason)
			}
		})
	}
}
