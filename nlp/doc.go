// Package nlp analyses one text at a time: paragraphs and sentences, tokens
// with part-of-speech tags, named entities, theme evidence from a YAML
// lexicon (with negation and hedging flags), VADER sentiment per sentence
// and per text, and a shouting score.
//
// [Analyzer.Analyze] is pure and safe for concurrent use; models and the
// lexicon load once. All offsets are Unicode code points into the analysed
// text (Python's text[start:end] is the span). nlp knows nothing of
// threads, HTML or Parquet.
//
// # Pipeline
//
// The text is never rewritten before prose sees it. It is split into
// paragraphs on blank lines and, inside a paragraph, into list items (a
// line opening with "1.", "2)", "a)", "-", "*" or "•" starts an item); prose's
// Punkt segmenter splits each piece into sentences; prose's tokenizer and
// perceptron tagger give tokens with Penn Treebank tags, one sentence at a
// time. prose reports byte offsets; one pass over the text builds a
// byte→code-point index that converts all of them.
//
// Entities come from prose's entity model, run per sentence and filtered
// (see entities.go): "I’ve", "Luckily", "OK", pronouns and ALL-CAPS
// emphasis are dropped. Sentences without a name-like token skip the model,
// which is most of the cost; the skip never loses a kept entity.
//
// # Lexicon format
//
// Themes are data: a YAML lexicon (the default is embedded from
// nlp/lexicon/default.yaml, whose header documents the format in full):
//
//	name: my-lexicon
//	version: "1"
//	irregular: {throw: [threw, thrown]}        # forms added by inflection
//	classes:                                   # word sets, used as @name
//	  person: {words: [i, me, my, you, he, she, they], tags: [NNP]}
//	themes:
//	  firing:                                  # THEMES.md themes; others need custom: true
//	    exclude: ["fire drill"]                # vetoes every cue of the theme
//	    cues:
//	      - id: firing.fire                    # unique
//	        word: fire                         # + fires fired firing
//	        requires: [{pos: "VB*|JJ"}]        # not the noun "kitchen fire"
//	        exclude: ["fire+ up", "fire+ {0,2} gun|shot"]
//	      - id: firing.let-go
//	        phrase: "let+ @objpron go"         # word, word+, a|b, @class, *, {m,n}
//	      - id: firing.terminated
//	        word: terminated
//	        inflect: false
//	        requires: [{near: "@person", within: 3, side: around}]
//
// A word cue is inflected automatically (-s, -ed, -ing with the usual
// spelling rules, plus irregular forms) unless it has `inflect: false` or an
// explicit `forms:` list. In a phrase, `word+` is inflected, `a|b` gives
// alternatives, `*` is one word and `{m,n}` a gap of m..n words; gaps never
// cross punctuation. Matching is on lowercased words with typographic
// apostrophes made ASCII; hyphenated tokens are split into their parts.
// An `exclude` phrase vetoes the cue when it matches in the same sentence
// overlapping the cue. [CheckLexicon] reports every problem with its line.
//
// # Flags
//
// A hit is `negated` when a negator (not, n't, never, no, nobody, none,
// nothing, neither, nor, without, hardly, cannot…) stands at most four words
// before the cue in the same clause (clauses end at , ; : ( ) dashes and at
// but/so/because/which/when…; "and"/"or" end one only when a new subject
// follows). "no doubt", "no matter" and the correlative "not only did…" do
// not negate; "not just X" does. A hit is `hedged` when
// its sentence has if, unless, whether, in case, maybe, perhaps, possibly,
// probably, might, may, could, hypothetical would/'d, "I wonder", or ends
// with a question mark. See flags.go.
package nlp
