package nlp

import "strings"

// Negation and hedging follow THEMES.md; the scope is the cue's sentence.
//
// negated: a negator stands at most negationWindow words before the cue,
// in the same clause. Words are the matcher's word stream, so "didn't" is
// "did" "n't" and "no one" is two words of which "no" is the negator.
// Clause boundaries stop the look-back: the punctuation , ; : ( ) — – and
// the clause-opening words in clauseWords. "and" and "or" are boundaries
// only when a new subject follows ("I wasn't tired and I yelled"), not when
// they join two verbs under one negation ("he never yelled or screamed").
// A negator followed by doubt/wonder/matter/longer ("no doubt", "no
// matter") does not negate; "not only"/"not just" does not negate only as
// the correlative before an auxiliary ("Not only did he yell, he threw
// things"), while "not just write you up" and "not only an LW problem" are
// negated like any negator (THEMES.md; the gold sets agree).
//
// hedged: the sentence holds a hedge word (if, unless, whether, maybe,
// perhaps, possibly, probably, might, may, could, would, 'd), "in case",
// "what if", "I wonder"/"I'm wondering", or ends with a question mark.
// "would" is habitual, not hypothetical, when the sentence also says
// always/often/usually/every… ("he would yell at us every day"); "'d" is
// "had" before a participle ("I'd been fired"); "May" tagged NNP is the
// month.

// negationWindow is how many words before a cue a negator may stand.
const negationWindow = 4

var negators = setOf("not", "n't", "never", "no", "nobody", "none", "nothing", "neither", "nor", "without", "hardly", "cannot", "noone", "nowhere", "barely", "scarcely")

// negatorCancel are words that, right after a negator, cancel it.
var negatorCancel = setOf("doubt", "wonder", "matter", "longer")

// correlative are words that, right after a negator and before an
// auxiliary, make the correlative "not only did…", which does not negate.
var correlative = setOf("only", "just")

// auxiliaries open the inverted clause of a correlative "not only".
var auxiliaries = setOf("did", "does", "do", "was", "were", "is", "are", "am", "has", "have", "had", "can", "could", "would", "will", "should", "might", "must")

// negatorCancelled reports whether the negator ws[j] is cancelled by the
// words right after it ("no doubt", "not only did he…").
func negatorCancelled(ws []word, j int) bool {
	if j+1 >= len(ws) {
		return false
	}
	next := ws[j+1].norm
	if negatorCancel[next] {
		return true
	}
	return correlative[next] && j+2 < len(ws) && auxiliaries[ws[j+2].norm]
}

var clausePunct = setOf(",", ";", ":", "(", ")", "\u2014", "\u2013", "--", "-", "!", "?", "...", "\u2026")

var clauseWords = setOf("but", "so", "because", "although", "though", "while", "whereas", "yet", "however", "since", "until", "unless", "which", "who", "when", "whenever", "where", "after", "before", "then", "if", "otherwise", "instead")

// newSubject are words that, after "and"/"or", open a new clause.
var newSubject = setOf("i", "you", "he", "she", "we", "they", "it", "this", "that", "then", "my", "your", "his", "her", "our", "their", "everyone", "everybody", "someone", "somebody")

var hedgeWords = setOf("if", "unless", "whether", "maybe", "perhaps", "possibly", "probably", "might", "may", "could", "would", "'d", "hopefully", "presumably", "supposedly")

var habitual = setOf("always", "often", "usually", "constantly", "regularly", "sometimes", "every", "routinely", "frequently", "used")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// negatedAt reports whether the cue starting at ws[i] is negated.
func negatedAt(ws []word, i int) bool {
	seen := 0
	for j := i - 1; j >= 0 && seen < negationWindow; j-- {
		w := ws[j].norm
		if clausePunct[w] || clauseWords[w] {
			return false
		}
		if ws[j].punct {
			continue // quotes and other marks are transparent
		}
		if (w == "and" || w == "or") && j+1 < i && newSubject[ws[j+1].norm] {
			return false
		}
		if negators[w] && !negatorCancelled(ws, j) {
			return true
		}
		seen++
	}
	return false
}

// hedgedSentence reports whether the sentence whose word stream is ws is
// conditional, uncertain or a question.
func hedgedSentence(ws []word) bool {
	isHabitual := false
	for _, w := range ws {
		if habitual[w.norm] {
			isHabitual = true
			break
		}
	}
	for j, w := range ws {
		switch {
		case w.norm == "would" && isHabitual:
			continue
		case w.norm == "'d":
			if j+1 < len(ws) && (ws[j+1].tag == "VBN" || ws[j+1].norm == "been" || ws[j+1].norm == "better" || ws[j+1].norm == "had") {
				continue
			}
			return true
		case w.norm == "may" && (w.tag == "NNP" || w.tag == "NNPS"):
			continue
		case hedgeWords[w.norm]:
			return true
		case w.norm == "case" && j > 0 && ws[j-1].norm == "in":
			return true
		case (w.norm == "wonder" || w.norm == "wondering" || w.norm == "wondered") && j > 0 && nearI(ws, j):
			return true
		}
	}
	// A question: the last word that is not a closing quote or bracket
	// holds a question mark ("Will I be fired?", "…fired?!", "fired?”").
	for j := len(ws) - 1; j >= 0; j-- {
		w := ws[j].norm
		if w == "\"" || w == "'" || w == ")" || w == "]" || w == "*" || w == "_" {
			continue
		}
		return strings.Contains(w, "?")
	}
	return false
}

// nearI reports whether "i" stands within three words before ws[j].
func nearI(ws []word, j int) bool {
	for k := j - 1; k >= 0 && k >= j-3; k-- {
		if ws[k].norm == "i" {
			return true
		}
	}
	return false
}
