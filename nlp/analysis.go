package nlp

// Scores are VADER sentiment scores.
type Scores struct {
	// Compound is the normalised sum of valences, in [-1, 1].
	Compound float64
	// Pos, Neu and Neg are the proportions of the text that are positive,
	// neutral and negative; they sum to about 1.
	Pos, Neu, Neg float64
}

// Polarity is "negative" when Compound <= -0.05, "positive" when
// Compound >= 0.05, else "neutral" (THEMES.md).
func (s Scores) Polarity() string {
	switch {
	case s.Compound <= -0.05:
		return "negative"
	case s.Compound >= 0.05:
		return "positive"
	}
	return "neutral"
}

// Analysis is everything the NLP stage finds in one text. All offsets
// (Start, End) are in Unicode code points into the analysed text, so
// Python's text[start:end] returns the span.
type Analysis struct {
	// Sentences in text order; paragraphs (split on blank lines) never
	// share a sentence.
	Sentences []Sentence
	// Tokens in text order, each with its Penn Treebank tag.
	Tokens []Token
	// Entities are named entities, in text order.
	Entities []Entity
	// Hits are theme evidence hits, in text order.
	Hits []Hit
	// Themes are the distinct themes of Hits, sorted; empty, not nil, when
	// there are none.
	Themes []string
	// Sentiment is VADER on the whole text.
	Sentiment Scores
	// CompoundMean is the mean of the sentences' compound scores, 0 for a
	// text with no sentences.
	CompoundMean float64
	// Shouting is the share of letters that stand in ALL-CAPS words of
	// three or more letters (known acronyms aside), in [0, 1].
	Shouting float64
}

// Sentence is one sentence of a text.
type Sentence struct {
	// Index is the 0-based sentence number in the text.
	Index int
	// Start and End are code-point offsets into the text.
	Start, End int
	// Text is the sentence as written.
	Text string
	// Sentiment is VADER on the sentence text.
	Sentiment Scores
}

// Token is one word or punctuation token.
type Token struct {
	// Sentence is the index of the sentence holding the token.
	Sentence int
	// Index is the 0-based token number within its sentence.
	Index int
	// Start and End are code-point offsets into the text.
	Start, End int
	// Text is the token as written.
	Text string
	// Tag is the Penn Treebank part-of-speech tag.
	Tag string
}

// Entity is a named entity.
type Entity struct {
	// Sentence is the index of the sentence holding the entity.
	Sentence int
	// Start and End are code-point offsets into the text.
	Start, End int
	// Text is the entity as written.
	Text string
	// Label is the entity type: PERSON, GPE or ORGANIZATION.
	Label string
}

// Hit is one piece of evidence for a theme.
type Hit struct {
	// Theme is the theme's name, e.g. "blame".
	Theme string
	// Cue is the lexicon cue's ID that matched.
	Cue string
	// Sentence is the index of the sentence holding the match.
	Sentence int
	// Start and End are code-point offsets into the text.
	Start, End int
	// Match is the matched text, text[Start:End].
	Match string
	// Negated is set when a negator governs the cue (THEMES.md).
	Negated bool
	// Hedged is set when the sentence is conditional, uncertain or a
	// question (THEMES.md).
	Hedged bool
}
