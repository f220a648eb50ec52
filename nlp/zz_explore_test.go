package nlp_test

import (
	"fmt"
	"sort"
	"testing"
)

func TestZZCorpusHits(t *testing.T) {
	a := analyzer(t)
	counts := map[string]int{}
	for _, c := range corpusComments(t) {
		an := a.Analyze(c.Text)
		for _, h := range an.Hits {
			counts[h.Cue]++
			s := an.Sentences[h.Sentence].Text
			if len(s) > 160 {
				s = s[:160]
			}
			fmt.Printf("%-32s %-22q | %q\n", h.Cue, h.Match, s)
		}
	}
	var ks []string
	for k := range counts {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		fmt.Println("COUNT", k, counts[k])
	}
}
