package nlp

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jdkato/prose/v3/token"
)

// Entity filtering. prose's entity model, trained on news text, labels
// many capitalised words of comment text as entities: "I’ve", "Luckily",
// "OK", "Wait", a sentence-initial "Honestly". An entity is kept only when
// it holds a name-like token: one that starts with an upper-case letter,
// is not a form of "I", is not in entityStopWords, and either stands past
// the sentence's first token or is tagged NNP/NNPS there. Stop words,
// lowercase words and punctuation at an entity's edges are trimmed off.
//
// Entities are only extracted from texts that look English (see
// looksEnglish), and only with the labels PERSON, GPE and ORGANIZATION.
//
// The same test decides which sentences go through the (slow) entity
// model at all: a sentence without a name-like token cannot yield a kept
// entity, so skipping it loses nothing (TestEntitySkipLosesNothing checks
// this on the corpus).

// entityStopWords are capitalised words that are not names in comment
// text (lowercased, ASCII apostrophes).
var entityStopWords = setOf(
	// pronouns and determiners
	"i", "me", "my", "mine", "myself", "you", "your", "yours", "he", "him", "his", "she", "her", "hers",
	"it", "its", "we", "us", "our", "they", "them", "their", "this", "that", "these", "those", "the", "a",
	"an", "some", "any", "all", "every", "each", "no", "none", "everyone", "everybody", "someone",
	"somebody", "anyone", "nobody", "people",
	// discourse and sentence-initial words
	"ok", "okay", "wait", "luckily", "fortunately", "unfortunately", "hopefully", "honestly", "frankly",
	"seriously", "basically", "actually", "personally", "definitely", "absolutely", "totally", "exactly",
	"agreed", "yes", "yeah", "yep", "yup", "no", "nope", "nah", "sure", "well", "oh", "ah", "eh", "uh",
	"um", "hmm", "ugh", "wow", "whoa", "lol", "lmao", "omg", "wtf", "btw", "fyi", "imo", "imho", "tldr",
	"tl;dr", "edit", "update", "ps", "p.s.", "also", "plus", "anyway", "anyways", "so", "but", "and", "or",
	"if", "when", "then", "now", "today", "yesterday", "tomorrow", "here", "there", "what", "why", "how",
	"who", "where", "which", "just", "maybe", "perhaps", "please", "thanks", "thank", "sorry", "hi",
	"hello", "hey", "dear", "good", "great", "nice", "cool", "congrats", "congratulations", "bravo",
	"amen", "god", "jesus", "christ", "lord", "heck", "hell", "damn", "dang", "geez", "gosh", "sigh",
	"meanwhile", "instead", "still", "again", "even", "only", "both", "either", "neither", "mr", "mrs",
	"ms", "dr", "mr.", "mrs.", "ms.", "dr.", "sir", "madam", "boss", "manager", "mom", "dad", "op", "lw",
	"hr", "ceo", "cfo", "coo", "cto", "pto", "pip", "asap", "kpi", "qa", "it",
	// chat and tech acronyms
	"ymmv", "tbh", "afaik", "iirc", "til", "ama", "eli5", "nsfw", "fwiw", "ianal", "eta", "eod", "cob",
	"ooo", "wfh", "rto", "tcp", "udp", "http", "https", "html", "css", "json", "api", "url", "pdf", "sql",
	"ot", "idk", "smh", "rofl", "irl", "dm", "pm", "am", "gifs", "gif", "tl", "dr",
	// days and months are dates, not PERSON/GPE/ORGANIZATION
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
	"march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
)

// isIForm reports whether norm (normalised) is "I" or a contraction of it.
func isIForm(norm string) bool {
	switch norm {
	case "i", "i'm", "i've", "i'd", "i'll", "'m", "'ve", "'d", "'ll":
		return true
	}
	return false
}

// nameLike reports whether the k-th token of a sentence could be part of
// a name that survives the filter. In a shouting sentence (see
// shoutingSentence) an ALL-CAPS word that is not a known acronym is
// emphasis, not a name.
func nameLike(tok token.Token, k int, shouty bool) bool {
	r, _ := utf8.DecodeRuneInString(tok.Text)
	if !unicode.IsUpper(r) {
		return false
	}
	if shouty && isCapsWord(tok.Text) && !acronyms[tok.Text] {
		return false
	}
	norm := strings.TrimRight(normWord(tok.Text), ".…")
	if isIForm(norm) || entityStopWords[norm] || entityStopWords[normWord(tok.Text)] {
		return false
	}
	// Words with a clitic attached ("I’ve", "You've", "We’re") are not
	// names; a possessive "'s" is allowed.
	for _, suf := range contractionSuffixes {
		if suf != "'s" && strings.HasSuffix(norm, suf) {
			return false
		}
	}
	if k == 0 && tok.Tag != "NNP" && tok.Tag != "NNPS" {
		return false
	}
	// Names are nouns; capitalised adjectives ("Prussian", "English") and
	// other classes are not PERSON/GPE/ORGANIZATION names.
	if !strings.HasPrefix(tok.Tag, "NN") {
		return false
	}
	letters := 0
	for _, r := range tok.Text {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}

// appendEntities runs the entity model on one sentence (its byte start in
// text, its index and its tagged tokens, offsets relative to the
// sentence) and appends the entities that survive the filter.
//
// A one-token entity that is the sentence's first token ("Aim for the
// pads", "Steve") is recorded in initial (its index in dst): the caller
// keeps it only when the same word also stands capitalised inside some
// sentence of the text, since a capitalised first word is no evidence of a
// name.
func (a *Analyzer) appendEntities(dst []Entity, initial []int, text string, sentStart, sentIndex int, toks []token.Token, idx []int) ([]Entity, []int) {
	if len(toks) == 0 {
		return dst, initial
	}
	shouty := shoutingSentence(toks)
	candidate := false
	for k, tk := range toks {
		if nameLike(tk, k, shouty) {
			candidate = true
			break
		}
	}
	if !candidate && !a.nerEverySentence {
		return dst, initial
	}
	sentText := text[sentStart : sentStart+toks[len(toks)-1].End()]
	a.extracter.Label(toks)
	// prose's Chunk only emits an entity when a later token closes it; a
	// sentinel "O" token closes one that runs to the sentence end.
	labelled := append(toks[:len(toks):len(toks)], token.Token{Text: "", Tag: "-END-", Label: "O", Start: len(sentText)})
	ents := a.extracter.Chunk(sentText, labelled)
	k := 0 // first token not before the current entity
	for _, e := range ents {
		for k < len(toks) && toks[k].Start < e.Start {
			k++
		}
		// Tokens of the entity: [k, m).
		m := k
		for m < len(toks) && toks[m].Start < e.End() {
			m++
		}
		lo, hi := k, m
		for lo < hi && !keepEdge(toks[lo], lo, shouty) {
			lo++
		}
		for hi > lo && !keepEdge(toks[hi-1], hi-1, shouty) {
			hi--
		}
		keep := false
		for j := lo; j < hi; j++ {
			if nameLike(toks[j], j, shouty) {
				keep = true
				break
			}
		}
		if !keep {
			continue
		}
		label := entityLabel(e.Label)
		if label == "" {
			continue
		}
		if lo == 0 && hi == 1 {
			initial = append(initial, len(dst))
		}
		b0, b1 := sentStart+toks[lo].Start, sentStart+toks[hi-1].End()
		dst = append(dst, Entity{Sentence: sentIndex, Start: idx[b0], End: idx[b1], Text: text[b0:b1], Label: label})
	}
	return dst, initial
}

// dropInitial removes the entities at the indexes initial (ascending)
// whose text is not in midCaps, the capitalised words that stand past the
// first token of a sentence.
func dropInitial(ents []Entity, initial []int, midCaps map[string]bool) []Entity {
	if len(initial) == 0 {
		return ents
	}
	out := ents[:0]
	next := 0
	for i, e := range ents {
		if next < len(initial) && initial[next] == i {
			next++
			if !midCaps[e.Text] {
				continue
			}
		}
		out = append(out, e)
	}
	return out
}

// keepEdge reports whether a token may stand at an entity's edge: a
// name-like token, or a capitalised or numeric word that is not a stop
// word ("Bank of America" keeps "of" only inside).
func keepEdge(tok token.Token, k int, shouty bool) bool {
	if nameLike(tok, k, shouty) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(tok.Text)
	if unicode.IsDigit(r) {
		return true
	}
	return unicode.IsUpper(r) && !entityStopWords[normWord(tok.Text)] && !isIForm(normWord(tok.Text))
}

// entityLabel maps prose's labels to the documented set (PERSON, GPE,
// ORGANIZATION); other labels (LOCATION, FACILITY, …) give "".
func entityLabel(l string) string {
	switch l {
	case "PERSON", "GPE", "ORGANIZATION":
		return l
	case "ORG":
		return "ORGANIZATION"
	}
	return ""
}

// englishMarkers and foreignMarkers are frequent function words; prose's
// entity model is English-only and, on German or French text, labels most
// capitalised nouns. A text gets entities only when it has at least as
// many English markers as foreign ones.
var englishMarkers = setOf("the", "and", "to", "of", "a", "in", "is", "it", "you", "that", "i", "for", "was", "on", "with", "he", "she", "they", "this", "my", "but", "not", "be", "are", "have", "at", "or", "we", "what", "so", "if", "just")

var foreignMarkers = setOf("der", "die", "das", "und", "ist", "nicht", "ich", "ein", "eine", "zu", "mit", "den", "sich", "auch", "es", "wie", "dass", "für", "auf", "von", "le", "la", "les", "et", "est", "une", "des", "je", "pas", "que", "el", "los", "las", "y", "es", "por", "una", "con", "het", "een", "niet", "och", "att", "och", "är")

// looksEnglish reports whether text has at least as many English function
// words as foreign ones (a text with neither counts as English).
func looksEnglish(text string) bool {
	en, foreign := 0, 0
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		w := strings.ToLower(f)
		if englishMarkers[w] {
			en++
		}
		if foreignMarkers[w] {
			foreign++
		}
	}
	return en >= foreign
}

// isCapsWord reports whether s has at least two letters and no lower-case
// letter.
func isCapsWord(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}

// shoutingSentence reports whether a sentence has two or more ALL-CAPS
// words that are not known acronyms ("THIS IS SO UNFAIR").
func shoutingSentence(toks []token.Token) bool {
	n := 0
	for _, tk := range toks {
		if isCapsWord(tk.Text) && !acronyms[tk.Text] {
			n++
		}
	}
	return n >= 2
}
