package nlp

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jdkato/prose/v3/ner"
	"github.com/jdkato/prose/v3/segment"
	"github.com/jdkato/prose/v3/tag"
	"github.com/jdkato/prose/v3/tokenize"
)

// Analyzer analyses texts with one lexicon. It holds prose's segmenter,
// tokenizer, tagger and entity extracter, which load their models once per
// process and are safe for concurrent use; an Analyzer is therefore safe
// for concurrent use too.
type Analyzer struct {
	lex       *Lexicon
	segmenter *segment.Segmenter
	tokenizer *tokenize.Tokenizer
	tagger    *tag.Tagger
	extracter *ner.Extracter // nil when entities are off
	// nerEverySentence turns off the skip of sentences that cannot hold a
	// surviving entity (tests compare both).
	nerEverySentence bool
}

// Option configures an Analyzer.
type Option func(*Analyzer)

// WithEntities turns named-entity recognition on (the default) or off.
// Entity recognition is most of the analysis time; without it
// Analysis.Entities is nil.
func WithEntities(on bool) Option {
	return func(a *Analyzer) {
		if !on {
			a.extracter = nil
		}
	}
}

// NewAnalyzer returns an analyzer using lex (the default lexicon when lex
// is nil). It loads prose's models (once per process).
func NewAnalyzer(lex *Lexicon, opts ...Option) (*Analyzer, error) {
	if lex == nil {
		var err error
		if lex, err = DefaultLexicon(); err != nil {
			return nil, err
		}
	}
	seg, err := segment.New()
	if err != nil {
		return nil, fmt.Errorf("nlp: loading the sentence model: %w", err)
	}
	tagger, err := tag.New()
	if err != nil {
		return nil, fmt.Errorf("nlp: loading the tagger model: %w", err)
	}
	ex, err := ner.New()
	if err != nil {
		return nil, fmt.Errorf("nlp: loading the entity model: %w", err)
	}
	a := &Analyzer{lex: lex, segmenter: seg, tokenizer: tokenize.New(), tagger: tagger, extracter: ex}
	for _, opt := range opts {
		opt(a)
	}
	return a, nil
}

// Lexicon returns the analyzer's lexicon.
func (a *Analyzer) Lexicon() *Lexicon { return a.lex }

// Analyze analyses one text. It is pure (the same text gives the same
// Analysis) and safe for concurrent use. Offsets are code points into text.
//
// Segmentation: paragraphs are split on blank lines (a line holding only
// whitespace); inside a paragraph, a line that starts with a list marker
// ("1.", "2)", "a)", "-", "*", "•") starts a new block that runs to the
// next such line, so list items never share a sentence; prose's Punkt
// model then splits each block into sentences (a single line break inside
// a block is a boundary only when prose says so). A sentence made only of
// a list marker ("1.") is joined to the sentence after it.
func (a *Analyzer) Analyze(text string) Analysis {
	idx := runeIndex(text)
	out := Analysis{Themes: []string{}}
	themes := map[string]bool{}
	var ws []word
	compoundSum := 0.0
	entities := a.extracter != nil && looksEnglish(text)
	var initial []int
	midCaps := map[string]bool{}
	for _, blk := range blocks(text) {
		for _, sb := range a.sentences(text, blk) {
			sentText := text[sb[0]:sb[1]]
			si := len(out.Sentences)
			sent := Sentence{Index: si, Start: idx[sb[0]], End: idx[sb[1]], Text: sentText, Sentiment: Sentiment(sentText)}
			out.Sentences = append(out.Sentences, sent)
			compoundSum += sent.Sentiment.Compound

			toks := a.tokenizer.Tokenize(sentText)
			a.tagger.TagTokens(toks)
			ws = ws[:0]
			for k, tk := range toks {
				b0 := sb[0] + tk.Start
				b1 := b0 + len(tk.Text)
				out.Tokens = append(out.Tokens, Token{Sentence: si, Index: k, Start: idx[b0], End: idx[b1], Text: tk.Text, Tag: tk.Tag})
				ws = appendWords(ws, tk.Text, idx[b0], b0, tk.Tag, k)
				if entities && k > 0 {
					if r, _ := utf8.DecodeRuneInString(tk.Text); unicode.IsUpper(r) {
						midCaps[tk.Text] = true
					}
				}
			}

			if spans := a.lex.matchSentence(ws); len(spans) > 0 {
				hedged := hedgedSentence(ws)
				for _, sp := range spans {
					first, last := ws[sp.from], ws[sp.to-1]
					out.Hits = append(out.Hits, Hit{
						Theme: sp.cue.theme.name, Cue: sp.cue.id, Sentence: si,
						Start: first.start, End: last.end, Match: text[first.bstart:last.bend],
						Negated: negatedAt(ws, sp.from), Hedged: hedged,
					})
					themes[sp.cue.theme.name] = true
				}
			}

			if entities {
				out.Entities, initial = a.appendEntities(out.Entities, initial, text, sb[0], si, toks, idx)
			}
		}
	}
	out.Entities = dropInitial(out.Entities, initial, midCaps)
	for t := range themes {
		out.Themes = append(out.Themes, t)
	}
	slices.Sort(out.Themes)
	out.Sentiment = Sentiment(text)
	if n := len(out.Sentences); n > 0 {
		out.CompoundMean = compoundSum / float64(n)
	}
	out.Shouting = Shouting(text)
	return out
}

// runeIndex maps every byte offset of text (and len(text)) to the code-point
// offset of the rune holding it, in one pass. Invalid bytes count as one
// code point each, as Go's range over a string does.
func runeIndex(text string) []int {
	idx := make([]int, len(text)+1)
	n := 0
	for i := 0; i < len(text); {
		_, size := utf8.DecodeRuneInString(text[i:])
		for k := range size {
			idx[i+k] = n
		}
		i += size
		n++
	}
	idx[len(text)] = n
	return idx
}

// listMarker matches a line that opens a list item.
var listMarker = regexp.MustCompile(`^[ \t]*(?:\d{1,3}[.)]|\(?[a-zA-Z]\)|[-*•‣◦▪–—])[ \t]+\S`)

// listMarkerOnly matches a sentence that is only a list marker.
var listMarkerOnly = regexp.MustCompile(`^(?:\d{1,3}[.)]|\(?[a-zA-Z]\)|[-*•‣◦▪–—])$`)

// blocks returns the byte ranges [start, end) of the text's blocks:
// paragraphs split on blank lines, and list items within paragraphs.
func blocks(text string) [][2]int {
	var out [][2]int
	blockStart := -1
	closeBlock := func(end int) {
		if blockStart >= 0 && end > blockStart {
			out = append(out, [2]int{blockStart, end})
		}
		blockStart = -1
	}
	for lineStart := 0; lineStart < len(text); {
		lineEnd := strings.IndexByte(text[lineStart:], '\n')
		next := len(text)
		if lineEnd < 0 {
			lineEnd = len(text)
		} else {
			lineEnd += lineStart
			next = lineEnd + 1
		}
		line := text[lineStart:lineEnd]
		switch {
		case strings.TrimSpace(line) == "":
			closeBlock(lineStart)
		case listMarker.MatchString(line):
			closeBlock(lineStart)
			blockStart = lineStart
		case blockStart < 0:
			blockStart = lineStart
		}
		lineStart = next
	}
	closeBlock(len(text))
	return out
}

// sentences returns the byte ranges of the sentences of one block.
func (a *Analyzer) sentences(text string, blk [2]int) [][2]int {
	var out [][2]int
	pending := [2]int{-1, -1}
	for _, s := range a.segmenter.Segment(text[blk[0]:blk[1]]) {
		start, end := blk[0]+s.Start, blk[0]+s.End()
		if pending[0] >= 0 {
			start, pending = pending[0], [2]int{-1, -1}
		}
		if listMarkerOnly.MatchString(text[start:end]) {
			pending = [2]int{start, end}
			continue
		}
		out = append(out, [2]int{start, end})
	}
	if pending[0] >= 0 {
		// A marker with nothing after it in the block stays a sentence.
		out = append(out, pending)
	}
	return out
}
