package nlp

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file reproduces the few Python 3 str and float behaviours that
// vaderSentiment relies on, so that the Go port splits, lowercases, tests
// case and rounds exactly as the reference does. Go's strings and unicode
// packages differ from Python on each of them in small ways (whitespace
// set, Other_Lowercase/Other_Uppercase, U+0130, final sigma, rounding).

// pyASCIIPunctuation is Python's string.punctuation.
const pyASCIIPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// pyIsSpace reports whether r is whitespace for Python's str.isspace,
// str.split() and str.strip(): bidirectional class WS, B or S, or
// category Zs. Unlike unicode.IsSpace it includes U+001C..U+001F.
func pyIsSpace(r rune) bool {
	switch {
	case r <= 0x7f:
		return r == ' ' || (r >= '\t' && r <= '\r') || (r >= 0x1c && r <= 0x1f)
	case r == 0x85, r == 0xa0, r == 0x1680, r >= 0x2000 && r <= 0x200a,
		r == 0x2028, r == 0x2029, r == 0x202f, r == 0x205f, r == 0x3000:
		return true
	}
	return false
}

// pySplit is Python's str.split() without arguments: runs of whitespace
// separate fields and leading or trailing whitespace yields none.
func pySplit(s string) []string { return strings.FieldsFunc(s, pyIsSpace) }

// pyStrip is Python's str.strip() without arguments.
func pyStrip(s string) string { return strings.TrimFunc(s, pyIsSpace) }

// pyIsLowerRune is Python's Py_UNICODE_ISLOWER: the derived property
// Lowercase (Ll plus Other_Lowercase).
func pyIsLowerRune(r rune) bool {
	return unicode.IsLower(r) || unicode.Is(unicode.Other_Lowercase, r)
}

// pyIsUpperRune is Python's Py_UNICODE_ISUPPER: the derived property
// Uppercase (Lu plus Other_Uppercase).
func pyIsUpperRune(r rune) bool {
	return unicode.IsUpper(r) || unicode.Is(unicode.Other_Uppercase, r)
}

// pyIsUpper is Python's str.isupper(): true when s has at least one cased
// character and no lowercase or titlecase character.
func pyIsUpper(s string) bool {
	cased := false
	for _, r := range s {
		if pyIsLowerRune(r) || unicode.IsTitle(r) {
			return false
		}
		if !cased && pyIsUpperRune(r) {
			cased = true
		}
	}
	return cased
}

// pyIsCased is the Unicode derived property Cased, as Python's
// _PyUnicode_IsCased.
func pyIsCased(r rune) bool {
	return pyIsLowerRune(r) || pyIsUpperRune(r) || unicode.IsTitle(r)
}

// pyIsCaseIgnorable is the Unicode derived property Case_Ignorable: Mn, Me,
// Cf, Lm, Sk, or Word_Break MidLetter, MidNumLet or Single_Quote.
func pyIsCaseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', 0xb7, 0x387, 0x55f, 0x5f4, 0x2018, 0x2019, 0x2024,
		0x2027, 0xfe13, 0xfe52, 0xfe55, 0xff07, 0xff0e, 0xff1a:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}

// pyLower is Python's str.lower(): the full lowercase mapping (U+0130
// becomes "i̇") with the Final_Sigma context for U+03A3.
func pyLower(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	runes := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range runes {
		switch r {
		case 0x130:
			b.WriteString("i\u0307")
		case 0x3a3:
			if pyFinalSigma(runes, i) {
				b.WriteRune(0x3c2)
			} else {
				b.WriteRune(0x3c3)
			}
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// pyFinalSigma reports whether the capital sigma at runes[i] ends a word:
// a cased letter before it (skipping case-ignorables) and none after it.
func pyFinalSigma(runes []rune, i int) bool {
	j := i - 1
	for j >= 0 && pyIsCaseIgnorable(runes[j]) {
		j--
	}
	if j < 0 || !pyIsCased(runes[j]) {
		return false
	}
	j = i + 1
	for j < len(runes) && pyIsCaseIgnorable(runes[j]) {
		j++
	}
	return j == len(runes) || !pyIsCased(runes[j])
}

// pyRound is Python's round(x, digits) for a float: the exact binary value
// rounded to digits decimals, exact halves to even, read back as the
// nearest float64. strconv formats with the exact decimal expansion and
// the same tie rule, and parses with correct rounding, as CPython's dtoa
// does.
func pyRound(x float64, digits int) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'f', digits, 64), 64)
	if err != nil { // cannot happen: FormatFloat output always parses
		return x
	}
	return r
}
