package nlp_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/threadlens/threadlens/nlp"
)

func TestDefaultLexicon(t *testing.T) {
	t.Parallel()
	lex, err := nlp.DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := lex.Themes(), []string{"accountability", "blame", "burnout", "firing", "process", "yelling"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Themes() = %q, want %q", got, want)
	}
	sum := sha256.Sum256(nlp.DefaultLexiconYAML())
	if lex.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("SHA256 = %s, want the file's", lex.SHA256)
	}
	if lex.Name != "threadlens-default" || lex.Version == "" {
		t.Errorf("name %q version %q", lex.Name, lex.Version)
	}
	for _, th := range lex.Themes() {
		if len(lex.CueIDs(th)) < 10 {
			t.Errorf("theme %s has only %d cues", th, len(lex.CueIDs(th)))
		}
	}
	if errs := nlp.CheckLexicon(filepath.Join("lexicon", "default.yaml")); len(errs) > 0 {
		t.Errorf("CheckLexicon(default.yaml): %v", errors.Join(errs...))
	}
}

const goodHeader = "name: t\nversion: \"1\"\n"

func TestCheckLexicon(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml string
		want       []string // substrings, one per expected error, in order
		reason     string
	}{
		{"ok", goodHeader + "themes:\n  blame:\n    cues:\n      - id: b1\n        word: blame\n", nil, "a minimal good lexicon"},
		{"yaml-syntax", goodHeader + "themes:\n  blame: [\n", []string{":4:"}, "YAML errors carry their line"},
		{"missing-name", "version: \"1\"\nthemes:\n  blame:\n    cues:\n      - id: b1\n        word: blame\n", []string{":1: missing name"}, "name is required"},
		{"unknown-key", goodHeader + "colour: red\nthemes:\n  blame:\n    cues:\n      - id: b1\n        word: blame\n", []string{":3: lexicon: unknown key \"colour\""}, "typos in keys are reported"},
		{"unknown-theme", goodHeader + "themes:\n  blam:\n    cues:\n      - id: b1\n        word: blame\n", []string{":4: unknown theme \"blam\""}, "themes outside THEMES.md need custom: true"},
		{"custom-theme", goodHeader + "themes:\n  humour:\n    custom: true\n    cues:\n      - id: h1\n        word: joke\n", nil, "custom themes are allowed"},
		{"dup-id", goodHeader + "themes:\n  blame:\n    cues:\n      - id: b1\n        word: blame\n      - id: b1\n        word: fault\n", []string{":8: duplicate cue id \"b1\" (first at line 6)"}, "IDs are unique"},
		{"dup-pattern", goodHeader + "themes:\n  blame:\n    cues:\n      - id: b1\n        phrase: \"my fault\"\n      - id: b2\n        phrase: \"MY   fault\"\n", []string{":8: cue b2 repeats the pattern of the cue at line 6"}, "same pattern twice"},
		{"split-word", goodHeader + "themes:\n  burnout:\n    cues:\n      - id: b1\n        word: burned-out\n", []string{":7: cue b1: word"}, "a hyphenated word is several words"},
		{"split-form", goodHeader + "themes:\n  firing:\n    cues:\n      - id: f1\n        word: layoff\n        forms: [lay-off]\n", []string{":8: \"lay-off\" is split by the tokenizer"}, "a form the tokenizer splits can never match"},
		{"gap-only", goodHeader + "themes:\n  blame:\n    cues:\n      - id: b1\n        phrase: \"{0,2} fault\"\n", []string{":7: pattern \"{0,2} fault\" starts or ends with a wildcard or gap"}, "leading gap"},
		{"bad-gap", goodHeader + "themes:\n  blame:\n    cues:\n      - id: b1\n        phrase: \"my {3,1} fault\"\n", []string{":7: gap {3,1}"}, "min > max"},
		{"unknown-class", goodHeader + "themes:\n  blame:\n    cues:\n      - id: b1\n        phrase: \"@nobody fault\"\n", []string{":7: unknown class @nobody"}, "classes must exist"},
		{"bad-tag", goodHeader + "themes:\n  firing:\n    cues:\n      - id: f1\n        word: fire\n        requires:\n          - pos: VX*\n", []string{":9: POS tag \"VX*\" matches no Penn Treebank tag"}, "unknown POS tag"},
		{"bad-at", goodHeader + "themes:\n  firing:\n    cues:\n      - id: f1\n        phrase: \"let go\"\n        requires:\n          - pos: VB\n            at: 2\n", []string{":10: cue f1: at \"2\""}, "at outside the pattern"},
		{"always-vetoed", goodHeader + "themes:\n  firing:\n    cues:\n      - id: f1\n        phrase: \"fire drill\"\n        exclude: [\"fire drill|drills\"]\n", []string{":6: cue f1: its exclusion"}, "a cue its own exclusion vetoes can never match"},
		{"split-alternative", goodHeader + "themes:\n  accountability:\n    cues:\n      - id: a1\n        phrase: \"own+ the mistake|the error\"\n", []string{":7: pattern \"own+ the mistake|the error\": alternative \"the\" repeats the neighbouring word \"the\""}, "a space inside an intended multi-word alternative silently splits it"},
		{"alternative-ok", goodHeader + "themes:\n  accountability:\n    cues:\n      - id: a1\n        phrase: \"own+ the mistake|error\"\n", nil, "one-word alternatives next to a plain word are fine"},
		{"word-and-phrase", goodHeader + "themes:\n  blame:\n    cues:\n      - id: b1\n        word: blame\n        phrase: \"my fault\"\n", []string{":6: cue b1: give either word or phrase"}, "exactly one of word/phrase"},
		{"no-cues", goodHeader + "themes:\n  blame:\n    description: x\n", []string{":5: theme blame has no cues list"}, "empty theme"},
		{"several", goodHeader + "themes:\n  blame:\n    cues:\n      - id: B!\n        word: blame\n      - word: fault\n", []string{":6: cue id \"B!\"", ":8: cue without id"}, "every problem is reported, not just the first"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, tt.name+".yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			errs := nlp.CheckLexicon(path)
			if len(errs) != len(tt.want) {
				t.Fatalf("%d errors, want %d (%s): %v", len(errs), len(tt.want), tt.reason, errors.Join(errs...))
			}
			for i, e := range errs {
				if !strings.Contains(e.Error(), tt.want[i]) || !strings.HasPrefix(e.Error(), path) {
					t.Errorf("error %d = %q, want %s:…%s… (%s)", i, e, path, tt.want[i], tt.reason)
				}
				if !errors.Is(e, nlp.ErrLexicon) {
					t.Errorf("error %q does not wrap ErrLexicon", e)
				}
			}
			// LoadLexicon agrees with CheckLexicon, except for the
			// check-only "always vetoed" and "split alternative" analyses.
			_, err := nlp.LoadLexicon(path)
			if (err == nil) != (len(tt.want) == 0 || tt.name == "always-vetoed" || tt.name == "split-alternative") {
				t.Errorf("LoadLexicon error %v, CheckLexicon %d errors", err, len(errs))
			}
		})
	}
}

func TestLoadLexiconMissing(t *testing.T) {
	t.Parallel()
	_, err := nlp.LoadLexicon(filepath.Join(t.TempDir(), "nope.yaml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want ErrNotExist", err)
	}
	if errs := nlp.CheckLexicon(filepath.Join(t.TempDir(), "nope.yaml")); len(errs) != 1 {
		t.Errorf("CheckLexicon on a missing file: %v", errs)
	}
}

// TestCustomLexicon checks the pattern language end to end on a small
// lexicon: inflection, irregular forms, alternatives, classes, gaps,
// wildcards, requirements and exclusions.
func TestCustomLexicon(t *testing.T) {
	t.Parallel()
	lex, err := nlp.ParseLexicon("custom.yaml", []byte(`name: custom
version: "2"
irregular:
  throw: [threw, thrown]
classes:
  pron: {words: [me, him, her]}
themes:
  blame:
    exclude: ["blame game"]
    cues:
      - id: blame.word
        word: blame
      - id: blame.bus
        phrase: "throw+ @pron under the bus"
      - id: blame.gap
        phrase: "it was {0,2} fault"
      - id: blame.wild
        phrase: "pointed * finger"
      - id: blame.near
        word: fault
        requires:
          - near: "my|your"
            within: 2
            side: before
  firing:
    cues:
      - id: firing.fire
        word: fire
        requires: [{pos: "VB*"}]
        exclude: ["fire+ up"]
      - id: firing.exact
        word: canned
        inflect: false
      - id: firing.forms
        word: sack
        forms: [sacked]
`))
	if err != nil {
		t.Fatal(err)
	}
	a, err := nlp.NewAnalyzer(lex, nlp.WithEntities(false))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text string
		want       []string // cue:match
		reason     string
	}{
		{"inflection", "She blamed me and keeps blaming me.", []string{"blame.word:blamed", "blame.word:blaming"}, "automatic -ed and -ing"},
		{"theme-exclude", "Stop the blame game.", nil, "theme-wide exclusion"},
		{"irregular", "He threw her under the bus. They have thrown me under the bus.", []string{"blame.bus:threw her under the bus", "blame.bus:thrown me under the bus"}, "irregular forms and a class"},
		{"class-miss", "He threw them under the bus.", nil, "'them' is not in the class"},
		{"gap", "It was totally his fault.", []string{"blame.gap:It was totally his fault"}, "gap of one, fault without my/your is not blame.near"},
		{"gap-punct", "It was, sadly, fault.", nil, "gaps do not cross punctuation"},
		{"wildcard", "She pointed a finger.", []string{"blame.wild:pointed a finger"}, "one-word wildcard"},
		{"near", "Not your fault.", []string{"blame.near:fault"}, "near word before"},
		{"nested", "It was my fault.", []string{"blame.gap:It was my fault"}, "the nested blame.near hit is dropped"},
		{"pos", "They fired him. A fire started.", []string{"firing.fire:fired"}, "POS excludes the noun"},
		{"cue-exclude", "He fired up the grill.", nil, "cue exclusion"},
		{"exact", "He was canned. The cans were canning.", []string{"firing.exact:canned"}, "inflect: false"},
		{"forms", "She was sacked. He sacks people.", []string{"firing.forms:sacked"}, "explicit forms replace inflection"},
		{"curly", "It was my fault, and ‘blame’ is a strong word.", []string{"blame.gap:It was my fault", "blame.word:blame"}, "quotes around a word"},
		{"case", "BLAMED.", []string{"blame.word:BLAMED"}, "case-insensitive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, h := range a.Analyze(tt.text).Hits {
				got = append(got, h.Cue+":"+h.Match)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%q: hits %q, want %q (%s)", tt.text, got, tt.want, tt.reason)
			}
		})
	}
}
