// Package nlp analyses one text at a time: paragraphs and sentences, tokens
// with part-of-speech tags, named entities, theme evidence from a YAML
// lexicon (with negation and hedging flags), VADER sentiment per sentence
// and per text, and a shouting score.
//
// [Analyzer.Analyze] is pure and safe for concurrent use; models and the
// lexicon load once. All offsets are Unicode code points into the analysed
// text. nlp knows nothing of threads, HTML or Parquet.
package nlp
