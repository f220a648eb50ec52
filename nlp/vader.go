package nlp

// This file is a faithful Go port of vaderSentiment 3.3.2
// (vaderSentiment/vaderSentiment.py, MIT licence, © 2016 C.J. Hutto; see
// NOTICE and vaderdata/LICENSE.txt). It keeps the reference's quirks on
// purpose, because the dataset promises scores identical to the Python
// package: the operator precedence of the three-words-back "so"/"this"
// check, list.index in the "but" rule, "no" set to 0.0 before another
// lexicon word, ALL-CAPS emphasis subtracting from a zero valence, and so
// on. Python string semantics (split, strip, lower, isupper, round) come
// from vader_text.go. Multiplications are wrapped in float64() where their
// product is added to something, so that no platform fuses them into FMA
// instructions and every result rounds as CPython's does.

import (
	_ "embed"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed vaderdata/vader_lexicon.txt
var vaderLexiconFile []byte

//go:embed vaderdata/emoji_utf8_lexicon.txt
var vaderEmojiFile []byte

// asciiQuotes makes typographic quotes ASCII: the reference negates only on
// a straight "n't".
var asciiQuotes = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u201c", `"`, "\u201d", `"`)

// Sentiment returns VADER scores for text after typographic quotes are
// made ASCII (the reference negates only on a straight "n't"). The scores
// equal vaderSentiment 3.3.2's polarity_scores on the same text: compound
// rounded to 4 decimals, pos, neu and neg to 3, as Python's round does.
// A text without words scores all zeros. Safe for concurrent use; the
// lexicons load on the first call.
func Sentiment(text string) Scores {
	return defaultVader().polarityScores(asciiQuotes.Replace(text))
}

// defaultVader parses the embedded lexicons once. They are part of the
// binary and covered by tests, so a parse error is a build defect.
var defaultVader = sync.OnceValue(func() *vaderAnalyzer {
	v, err := newVaderAnalyzer(vaderLexiconFile, vaderEmojiFile)
	if err != nil {
		panic("nlp: embedded VADER data: " + err.Error())
	}
	return v
})

// Constants of vaderSentiment.py.
const (
	vaderBIncr   = 0.293
	vaderBDecr   = -0.293
	vaderCIncr   = 0.733
	vaderNScalar = -0.74
)

// vaderNegate is NEGATE.
var vaderNegate = vaderSetOf(
	"aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
	"ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
	"dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
	"don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
	"neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
	"oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
	"oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
	"without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite")

// vaderBoosters is BOOSTER_DICT: degree adverbs and their increments.
var vaderBoosters = map[string]float64{
	"absolutely": vaderBIncr, "amazingly": vaderBIncr, "awfully": vaderBIncr,
	"completely": vaderBIncr, "considerable": vaderBIncr, "considerably": vaderBIncr,
	"decidedly": vaderBIncr, "deeply": vaderBIncr, "effing": vaderBIncr, "enormous": vaderBIncr, "enormously": vaderBIncr,
	"entirely": vaderBIncr, "especially": vaderBIncr, "exceptional": vaderBIncr, "exceptionally": vaderBIncr,
	"extreme": vaderBIncr, "extremely": vaderBIncr,
	"fabulously": vaderBIncr, "flipping": vaderBIncr, "flippin": vaderBIncr, "frackin": vaderBIncr, "fracking": vaderBIncr,
	"fricking": vaderBIncr, "frickin": vaderBIncr, "frigging": vaderBIncr, "friggin": vaderBIncr, "fully": vaderBIncr,
	"fuckin": vaderBIncr, "fucking": vaderBIncr, "fuggin": vaderBIncr, "fugging": vaderBIncr,
	"greatly": vaderBIncr, "hella": vaderBIncr, "highly": vaderBIncr, "hugely": vaderBIncr,
	"incredible": vaderBIncr, "incredibly": vaderBIncr, "intensely": vaderBIncr,
	"major": vaderBIncr, "majorly": vaderBIncr, "more": vaderBIncr, "most": vaderBIncr, "particularly": vaderBIncr,
	"purely": vaderBIncr, "quite": vaderBIncr, "really": vaderBIncr, "remarkably": vaderBIncr,
	"so": vaderBIncr, "substantially": vaderBIncr,
	"thoroughly": vaderBIncr, "total": vaderBIncr, "totally": vaderBIncr, "tremendous": vaderBIncr, "tremendously": vaderBIncr,
	"uber": vaderBIncr, "unbelievably": vaderBIncr, "unusually": vaderBIncr, "utter": vaderBIncr, "utterly": vaderBIncr,
	"very":   vaderBIncr,
	"almost": vaderBDecr, "barely": vaderBDecr, "hardly": vaderBDecr, "just enough": vaderBDecr,
	"kind of": vaderBDecr, "kinda": vaderBDecr, "kindof": vaderBDecr, "kind-of": vaderBDecr,
	"less": vaderBDecr, "little": vaderBDecr, "marginal": vaderBDecr, "marginally": vaderBDecr,
	"occasional": vaderBDecr, "occasionally": vaderBDecr, "partly": vaderBDecr,
	"scarce": vaderBDecr, "scarcely": vaderBDecr, "slight": vaderBDecr, "slightly": vaderBDecr, "somewhat": vaderBDecr,
	"sort of": vaderBDecr, "sorta": vaderBDecr, "sortof": vaderBDecr, "sort-of": vaderBDecr,
}

// vaderSpecialCases is SPECIAL_CASES: idioms and phrases containing
// lexicon words, with the valence that replaces the word's own.
// (SENTIMENT_LADEN_IDIOMS is "future work" in the reference and never
// applied, so it is not ported.)
var vaderSpecialCases = map[string]float64{
	"the shit": 3, "the bomb": 3, "bad ass": 1.5, "badass": 1.5, "bus stop": 0.0,
	"yeah right": -2, "kiss of death": -1.5, "to die for": 3, "beating heart": 3.5,
}

func vaderSetOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// vaderAnalyzer is SentimentIntensityAnalyzer with its two lexicons. It is
// read-only after construction and so safe for concurrent use.
type vaderAnalyzer struct {
	// lexicon maps a word (as written in the file; looked up lowercased)
	// to its mean valence.
	lexicon map[string]float64
	// emojis maps a single code point to its description. The reference
	// looks up one character at a time, so multi-code-point entries of the
	// emoji lexicon can never match and are left out.
	emojis map[rune]string
}

// newVaderAnalyzer parses the two lexicon files as the reference's
// make_lex_dict and make_emoji_dict do (later duplicates win).
func newVaderAnalyzer(lexiconFile, emojiFile []byte) (*vaderAnalyzer, error) {
	v := &vaderAnalyzer{lexicon: map[string]float64{}, emojis: map[rune]string{}}
	err := eachVaderLine("vader_lexicon.txt", lexiconFile, true, func(line int, fields []string) error {
		measure, err := strconv.ParseFloat(pyStrip(fields[1]), 64)
		if err != nil {
			return fmt.Errorf("vader_lexicon.txt:%d: valence %q: %w", line, fields[1], err)
		}
		v.lexicon[fields[0]] = measure
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachVaderLine("emoji_utf8_lexicon.txt", emojiFile, false, func(_ int, fields []string) error {
		if r, size := utf8.DecodeRuneInString(fields[0]); size > 0 && size == len(fields[0]) {
			v.emojis[r] = fields[1]
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// eachVaderLine calls fn with the first two tab-separated fields of every
// line, split as `text.rstrip('\n').split('\n')` then
// `line.strip().split('\t')[0:2]`. Empty lines are skipped when skipEmpty
// is set and are an error otherwise, as in the reference.
func eachVaderLine(name string, data []byte, skipEmpty bool, fn func(line int, fields []string) error) error {
	if !utf8.Valid(data) {
		return fmt.Errorf("%s: not valid UTF-8", name)
	}
	text := strings.TrimRight(string(data), "\n")
	for n, line := range strings.Split(text, "\n") {
		if line == "" && skipEmpty {
			continue
		}
		fields := strings.Split(pyStrip(line), "\t")
		if len(fields) < 2 {
			return fmt.Errorf("%s:%d: want at least two tab-separated fields, got %d", name, n+1, len(fields))
		}
		if err := fn(n+1, fields[:2]); err != nil {
			return err
		}
	}
	return nil
}

// vaderText is SentiText plus the lowercased words and their lexicon
// membership, which the reference recomputes at every use.
type vaderText struct {
	words     []string // words_and_emoticons
	lower     []string // each word lowercased (Python str.lower)
	inLexicon []bool   // lower[i] is a lexicon key
	capDiff   bool     // is_cap_diff: some but not all words are ALL CAPS
}

func (v *vaderAnalyzer) newText(text string) *vaderText {
	raw := pySplit(text)
	t := &vaderText{
		words:     make([]string, len(raw)),
		lower:     make([]string, len(raw)),
		inLexicon: make([]bool, len(raw)),
	}
	allCaps := 0
	for i, token := range raw {
		// _strip_punc_if_word: strip ASCII punctuation unless that
		// leaves two characters or fewer (likely an emoticon).
		word := token
		if stripped := strings.Trim(token, pyASCIIPunctuation); utf8.RuneCountInString(stripped) > 2 {
			word = stripped
		}
		t.words[i] = word
		t.lower[i] = pyLower(word)
		_, t.inLexicon[i] = v.lexicon[t.lower[i]]
		if pyIsUpper(word) {
			allCaps++
		}
	}
	// allcap_differential
	differential := len(raw) - allCaps
	t.capDiff = differential > 0 && differential < len(raw)
	return t
}

// polarityScores is polarity_scores.
func (v *vaderAnalyzer) polarityScores(text string) Scores {
	// Convert emoji to their descriptions, one code point at a time.
	var b strings.Builder
	b.Grow(len(text))
	prevSpace := true
	for _, r := range text {
		if description, ok := v.emojis[r]; ok {
			if !prevSpace {
				b.WriteByte(' ')
			}
			b.WriteString(description)
			prevSpace = false
		} else {
			b.WriteRune(r)
			prevSpace = r == ' '
		}
	}
	text = pyStrip(b.String())

	t := v.newText(text)
	sentiments := make([]float64, 0, len(t.words))
	for i := range t.words {
		// Modifiers and negations carry no valence of their own.
		if _, ok := vaderBoosters[t.lower[i]]; ok {
			sentiments = append(sentiments, 0)
			continue
		}
		if i < len(t.words)-1 && t.lower[i] == "kind" && t.lower[i+1] == "of" {
			sentiments = append(sentiments, 0)
			continue
		}
		sentiments = append(sentiments, v.sentimentValence(t, i))
	}
	vaderButCheck(t.lower, sentiments)
	return vaderScoreValence(sentiments, text)
}

// sentimentValence is sentiment_valence for the word at i.
func (v *vaderAnalyzer) sentimentValence(t *vaderText, i int) float64 {
	lower := t.lower
	own, ok := v.lexicon[lower[i]]
	if !ok {
		return 0
	}
	valence := own
	// "no" before another lexicon word negates it instead of counting.
	if lower[i] == "no" && i != len(lower)-1 && t.inLexicon[i+1] {
		valence = 0.0
	}
	if (i > 0 && lower[i-1] == "no") ||
		(i > 1 && lower[i-2] == "no") ||
		(i > 2 && lower[i-3] == "no" && (lower[i-1] == "or" || lower[i-1] == "nor")) {
		valence = float64(own * vaderNScalar)
	}
	// ALL-CAPS emphasis (a zero valence is pushed negative, as in the
	// reference).
	if pyIsUpper(t.words[i]) && t.capDiff {
		if valence > 0 {
			valence += vaderCIncr
		} else {
			valence -= vaderCIncr
		}
	}
	for startI := 0; startI < 3; startI++ {
		j := i - (startI + 1)
		if i > startI && !t.inLexicon[j] {
			s := vaderScalarIncDec(t.words[j], lower[j], valence, t.capDiff)
			if startI == 1 && s != 0 {
				s = float64(s * 0.95)
			}
			if startI == 2 && s != 0 {
				s = float64(s * 0.9)
			}
			valence += s
			valence = vaderNegationCheck(valence, lower, startI, i)
			if startI == 2 {
				valence = vaderSpecialIdiomsCheck(valence, lower, i)
			}
		}
	}
	return vaderLeastCheck(valence, t, i)
}

// vaderScalarIncDec is scalar_inc_dec: the booster increment of the word
// before a lexicon word, signed like valence.
func vaderScalarIncDec(word, lower string, valence float64, capDiff bool) float64 {
	scalar, ok := vaderBoosters[lower]
	if !ok {
		return 0
	}
	if valence < 0 {
		scalar *= -1
	}
	if pyIsUpper(word) && capDiff {
		if valence > 0 {
			scalar += vaderCIncr
		} else {
			scalar -= vaderCIncr
		}
	}
	return scalar
}

// vaderNegated is negated([word]) for one lowercased word.
func vaderNegated(lower string) bool {
	return vaderNegate[lower] || strings.Contains(lower, "n't")
}

// vaderNegationCheck is _negation_check.
func vaderNegationCheck(valence float64, lower []string, startI, i int) float64 {
	soOrThis := func(w string) bool { return w == "so" || w == "this" }
	switch startI {
	case 0:
		if vaderNegated(lower[i-1]) {
			valence = float64(valence * vaderNScalar)
		}
	case 1:
		switch {
		case lower[i-2] == "never" && soOrThis(lower[i-1]):
			valence = float64(valence * 1.25)
		case lower[i-2] == "without" && lower[i-1] == "doubt":
		case vaderNegated(lower[i-2]):
			valence = float64(valence * vaderNScalar)
		}
	case 2:
		switch {
		// The reference reads `A and (B or C) or (D or E)`, which Python
		// groups as `(A and (B or C)) or (D or E)`: "so" or "this" just
		// before the word boosts it even without "never". Kept on purpose.
		case (lower[i-3] == "never" && soOrThis(lower[i-2])) || soOrThis(lower[i-1]):
			valence = float64(valence * 1.25)
		case lower[i-3] == "without" && (lower[i-2] == "doubt" || lower[i-1] == "doubt"):
		case vaderNegated(lower[i-3]):
			valence = float64(valence * vaderNScalar)
		}
	}
	return valence
}

// vaderSpecialIdiomsCheck is _special_idioms_check (called only for i ≥ 3).
func vaderSpecialIdiomsCheck(valence float64, lower []string, i int) float64 {
	oneZero := lower[i-1] + " " + lower[i]
	twoOneZero := lower[i-2] + " " + lower[i-1] + " " + lower[i]
	twoOne := lower[i-2] + " " + lower[i-1]
	threeTwoOne := lower[i-3] + " " + lower[i-2] + " " + lower[i-1]
	threeTwo := lower[i-3] + " " + lower[i-2]
	for _, seq := range [...]string{oneZero, twoOneZero, twoOne, threeTwoOne, threeTwo} {
		if special, ok := vaderSpecialCases[seq]; ok {
			valence = special
			break
		}
	}
	if len(lower)-1 > i {
		if special, ok := vaderSpecialCases[lower[i]+" "+lower[i+1]]; ok {
			valence = special
		}
	}
	if len(lower)-1 > i+1 {
		if special, ok := vaderSpecialCases[lower[i]+" "+lower[i+1]+" "+lower[i+2]]; ok {
			valence = special
		}
	}
	// Booster bigrams such as "sort of" or "kind of".
	for _, nGram := range [...]string{threeTwoOne, threeTwo, twoOne} {
		if boost, ok := vaderBoosters[nGram]; ok {
			valence += boost
		}
	}
	return valence
}

// vaderLeastCheck is _least_check: "least" before a word negates it unless
// it follows "at" or "very".
func vaderLeastCheck(valence float64, t *vaderText, i int) float64 {
	lower := t.lower
	if i > 1 && !t.inLexicon[i-1] && lower[i-1] == "least" {
		if lower[i-2] != "at" && lower[i-2] != "very" {
			valence = float64(valence * vaderNScalar)
		}
	} else if i > 0 && !t.inLexicon[i-1] && lower[i-1] == "least" {
		valence = float64(valence * vaderNScalar)
	}
	return valence
}

// vaderButCheck is _but_check, in place. Like the reference it walks the
// list by position but rescales the FIRST entry equal to the current value
// (list.index), so of two equal scores the first may be scaled twice and
// the second not at all.
func vaderButCheck(lower []string, sentiments []float64) {
	butIndex := -1
	for i, w := range lower {
		if w == "but" {
			butIndex = i
			break
		}
	}
	if butIndex < 0 {
		return
	}
	for k := range sentiments {
		sentiment := sentiments[k]
		first := k
		for j := 0; j < k; j++ {
			if sentiments[j] == sentiment {
				first = j
				break
			}
		}
		switch {
		case first < butIndex:
			sentiments[first] = float64(sentiment * 0.5)
		case first > butIndex:
			sentiments[first] = float64(sentiment * 1.5)
		}
	}
}

// vaderPunctuationEmphasis is _punctuation_emphasis: up to four "!" and
// two or more "?" add intensity.
func vaderPunctuationEmphasis(text string) float64 {
	exclamations := min(strings.Count(text, "!"), 4)
	amplifier := float64(float64(exclamations) * 0.292)
	questions := strings.Count(text, "?")
	if questions > 1 {
		if questions <= 3 {
			amplifier += float64(float64(questions) * 0.18)
		} else {
			amplifier += 0.96
		}
	}
	return amplifier
}

// vaderNormalize is normalize with alpha 15.
func vaderNormalize(score float64) float64 {
	norm := score / math.Sqrt(float64(score*score)+15)
	return max(-1.0, min(1.0, norm))
}

// vaderScoreValence is score_valence with the reference's rounding.
func vaderScoreValence(sentiments []float64, text string) Scores {
	if len(sentiments) == 0 {
		return Scores{}
	}
	// sum() as in Python ≤ 3.11: plain left-to-right addition. Python 3.12+
	// sums floats with compensation; that can differ in the last bit and so
	// move a rounded score by one unit of its last digit, only on a tie.
	sum := 0.0
	for _, s := range sentiments {
		sum += s
	}
	punctuation := vaderPunctuationEmphasis(text)
	if sum > 0 {
		sum += punctuation
	} else if sum < 0 {
		sum -= punctuation
	}
	compound := vaderNormalize(sum)

	// _sift_sentiment_scores
	posSum, negSum, neuCount := 0.0, 0.0, 0
	for _, s := range sentiments {
		if s > 0 {
			posSum += s + 1
		}
		if s < 0 {
			negSum += s - 1
		}
		if s == 0 {
			neuCount++
		}
	}
	if posSum > math.Abs(negSum) {
		posSum += punctuation
	} else if posSum < math.Abs(negSum) {
		negSum -= punctuation
	}
	total := posSum + math.Abs(negSum) + float64(neuCount)
	return Scores{
		Compound: pyRound(compound, 4),
		Pos:      pyRound(math.Abs(posSum/total), 3),
		Neu:      pyRound(math.Abs(float64(neuCount)/total), 3),
		Neg:      pyRound(math.Abs(negSum/total), 3),
	}
}
