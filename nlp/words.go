package nlp

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// word is one unit of the matcher's word stream: a prose token or a piece of
// one (prose keeps "burned-out", "yourself—it" and "I'd" whole; the matcher
// sees "burned" "out", "yourself" "—" "it", "i" "'d").
type word struct {
	// norm is the lowercased text with typographic apostrophes made ASCII.
	norm string
	// start and end are code-point offsets into the analysed text.
	start, end int
	// bstart and bend are the same span as byte offsets.
	bstart, bend int
	// tag is the Penn Treebank tag of the prose token the word came from.
	tag string
	// punct is set when the word has no letter or digit.
	punct bool
	// token is the index of the prose token within its sentence.
	token int
}

// normRune lowercases r and folds typographic apostrophes and quotes to
// ASCII. It maps one rune to one rune, so offsets survive normalisation.
func normRune(r rune) rune {
	switch r {
	case '\u2019', '\u2018', '\u02bc', '\u201b', '`', '\u00b4', '\u2032':
		return '\''
	case '\u201c', '\u201d', '\u201e', '\u201f', '\u2033':
		return '"'
	}
	return unicode.ToLower(r)
}

// normWord returns s normalised with normRune.
func normWord(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(normRune(r))
	}
	return b.String()
}

// isJoiner reports whether r joins two words inside one prose token and is
// dropped by the matcher: hyphens and slashes.
func isJoiner(r rune) bool {
	switch r {
	case '-', '\u2010', '\u2011', '/':
		return true
	}
	return false
}

// isDash reports whether r is a dash that separates clauses; it becomes a
// word of its own.
func isDash(r rune) bool {
	switch r {
	case '\u2012', '\u2013', '\u2014', '\u2015', '\u2026':
		return true
	}
	return false
}

// contractionSuffixes are clitics split off a word ("i'd" → "i" "'d") when
// prose left them attached. Checked longest first.
var contractionSuffixes = []string{"n't", "'ll", "'ve", "'re", "'d", "'s", "'m"}

// isEdgePunct reports whether r is punctuation the matcher strips from the
// edges of a word piece ("yes." → "yes" ".", "“sorry" → "\"" "sorry").
func isEdgePunct(r rune) bool {
	switch r {
	case '.', ',', ';', ':', '!', '?', '"', '(', ')', '[', ']', '*', '_', '~', '+', '<', '>', '{', '}':
		return true
	}
	return false
}

// appendWords splits one prose token (its text, code-point and byte
// starts, tag and index in the sentence) into matcher words and appends
// them to dst.
func appendWords(dst []word, text string, start, byteStart int, tag string, tokenIndex int) []word {
	// Walk the token rune by rune, cutting at joiners and dashes.
	pieceStart, pieceRune := 0, start
	pos := start
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if isJoiner(r) || isDash(r) {
			if i > pieceStart {
				dst = appendPiece(dst, text[pieceStart:i], pieceRune, byteStart+pieceStart, tag, tokenIndex)
			}
			if isDash(r) {
				dst = append(dst, word{norm: "\u2014", start: pos, end: pos + 1, bstart: byteStart + i, bend: byteStart + i + size, tag: tag, punct: true, token: tokenIndex})
			}
			pieceStart, pieceRune = i+size, pos+1
		}
		i += size
		pos++
	}
	if len(text) > pieceStart {
		dst = appendPiece(dst, text[pieceStart:], pieceRune, byteStart+pieceStart, tag, tokenIndex)
	}
	return dst
}

// runeAt is one rune of a piece with its byte offset.
type runeAt struct {
	r rune
	b int
}

// appendPiece appends one joiner-free piece: leading and trailing edge
// punctuation become their own words, a clitic is split off, the rest is
// one word.
func appendPiece(dst []word, piece string, start, byteStart int, tag string, tokenIndex int) []word {
	runes := make([]runeAt, 0, len(piece)+1)
	for i := 0; i < len(piece); {
		r, size := utf8.DecodeRuneInString(piece[i:])
		runes = append(runes, runeAt{r, byteStart + i})
		i += size
	}
	n := len(runes)
	runes = append(runes, runeAt{0, byteStart + len(piece)}) // sentinel: the end
	mk := func(lo, hi int, norm string, punct bool) word {
		return word{norm: norm, start: start + lo, end: start + hi, bstart: runes[lo].b, bend: runes[hi].b, tag: tag, punct: punct, token: tokenIndex}
	}
	normOf := func(lo, hi int) string {
		var b strings.Builder
		for _, x := range runes[lo:hi] {
			b.WriteRune(normRune(x.r))
		}
		return b.String()
	}
	// A piece made only of punctuation ("...", "?!") stays whole.
	allPunct := true
	for _, x := range runes[:n] {
		if unicode.IsLetter(x.r) || unicode.IsDigit(x.r) {
			allPunct = false
			break
		}
	}
	if allPunct {
		return append(dst, mk(0, n, normOf(0, n), true))
	}
	lo, hi := 0, n
	for lo < hi && isEdgePunct(runes[lo].r) {
		lo++
	}
	for hi > lo && isEdgePunct(runes[hi-1].r) {
		hi--
	}
	// Single quotes around a word are quotes ("'fired'"); a trailing
	// apostrophe is a plural possessive ("employees'").
	isApos := func(i int) bool { return normRune(runes[i].r) == '\'' }
	if hi-lo > 2 && isApos(lo) && isApos(hi-1) {
		lo++
		hi--
	} else if hi-lo > 1 && isApos(hi-1) {
		hi--
	}
	// Keep the dots of abbreviations ("e.g.", "u.s."): when the word has
	// an inner dot, its trailing dots stay on it.
	if hi < n && runes[hi].r == '.' && strings.Contains(normOf(lo, hi), ".") {
		for hi < n && runes[hi].r == '.' {
			hi++
		}
	}
	for i := 0; i < lo; i++ {
		dst = append(dst, mk(i, i+1, normOf(i, i+1), true))
	}
	if lo < hi {
		norm := normOf(lo, hi)
		split := hi
		for _, suf := range contractionSuffixes {
			if strings.HasSuffix(norm, suf) && len(norm) > len(suf) {
				split = hi - utf8.RuneCountInString(suf)
				break
			}
		}
		if split < hi {
			dst = append(dst, mk(lo, split, normOf(lo, split), false), mk(split, hi, normOf(split, hi), false))
		} else {
			dst = append(dst, mk(lo, hi, norm, false))
		}
	}
	for i := hi; i < n; i++ {
		dst = append(dst, mk(i, i+1, normOf(i, i+1), true))
	}
	return dst
}
