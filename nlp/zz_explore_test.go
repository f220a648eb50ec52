package nlp

import (
	"fmt"
	"os"
	"testing"
)

func TestZZExplore(t *testing.T) {
	errs := CheckLexicon("lexicon/default.yaml")
	for _, e := range errs {
		fmt.Println(e)
	}
	a, err := NewAnalyzer(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{os.Getenv("TXT")} {
		an := a.Analyze(s)
		for _, se := range an.Sentences {
			fmt.Printf("S%d [%d:%d] %q\n", se.Index, se.Start, se.End, se.Text)
		}
		for _, h := range an.Hits {
			fmt.Printf("  %s %s %q neg=%v hed=%v\n", h.Theme, h.Cue, h.Match, h.Negated, h.Hedged)
		}
		for _, e := range an.Entities {
			fmt.Printf("  ENT %s %q\n", e.Label, e.Text)
		}
		fmt.Println("themes", an.Themes, "shout", an.Shouting)
	}
}
