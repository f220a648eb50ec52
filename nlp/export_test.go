package nlp

import "testing"

// NewAnalyzerNERAll returns a default analyzer that runs the entity model on
// every sentence (no skip), for tests and benchmarks that compare both.
func NewAnalyzerNERAll(tb testing.TB) *Analyzer {
	tb.Helper()
	a, err := NewAnalyzer(nil)
	if err != nil {
		tb.Fatal(err)
	}
	a.nerEverySentence = true
	return a
}
