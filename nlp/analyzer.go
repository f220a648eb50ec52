package nlp

// PLACEHOLDER: the nlp helper replaces this file with the real analyzer.

import "unicode/utf8"

// Lexicon is a theme lexicon loaded from YAML.
type Lexicon struct {
	// Name is the lexicon's declared name.
	Name string
	// SHA256 is the hex SHA-256 of the lexicon file's bytes.
	SHA256 string
}

// DefaultLexicon returns the embedded default lexicon.
func DefaultLexicon() (*Lexicon, error) { return &Lexicon{Name: "placeholder"}, nil }

// LoadLexicon reads and validates a lexicon file.
func LoadLexicon(path string) (*Lexicon, error) { return &Lexicon{Name: path}, nil }

// Analyzer analyses texts with one lexicon. Safe for concurrent use.
type Analyzer struct{ lex *Lexicon }

// NewAnalyzer returns an analyzer using lex.
func NewAnalyzer(lex *Lexicon) (*Analyzer, error) { return &Analyzer{lex: lex}, nil }

// Lexicon returns the analyzer's lexicon.
func (a *Analyzer) Lexicon() *Lexicon { return a.lex }

// Analyze analyses one text.
func (a *Analyzer) Analyze(text string) Analysis {
	s := Sentiment(text)
	n := utf8.RuneCountInString(text)
	return Analysis{
		Sentences: []Sentence{{Index: 0, Start: 0, End: n, Text: text, Sentiment: s}},
		Themes:    []string{},
		Sentiment: s, CompoundMean: s.Compound,
	}
}
