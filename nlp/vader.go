package nlp

import (
	"strings"

	"github.com/jonreiter/govader"
)

var vaderAnalyzer = govader.NewSentimentIntensityAnalyzer()

var asciiQuotes = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u201c", `"`, "\u201d", `"`)

// Sentiment returns VADER scores for text after typographic quotes are
// made ASCII (the reference negates only on a straight "n't").
func Sentiment(text string) Scores {
	s := vaderAnalyzer.PolarityScores(asciiQuotes.Replace(text))
	return Scores{Compound: s.Compound, Pos: s.Positive, Neu: s.Neutral, Neg: s.Negative}
}
