package nlp_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/threadlens/threadlens/nlp"

	"github.com/jdkato/prose/v3/ner"
	"github.com/jdkato/prose/v3/tag"
	"github.com/jdkato/prose/v3/tokenize"
	"github.com/jdkato/prose/v3/token"
)

func TestZZEntSample(t *testing.T) {
	a := analyzer(t)
	ex, _ := ner.New()
	tg, _ := tag.New()
	tk := tokenize.New()
	type rec struct {
		File, ID           string
		Start, End         int
		Text, Label        string
		Kept               bool
		FinalStart, FinalEnd int
		FinalText, FinalLabel string
		Context            string
	}
	var all []rec
	for _, c := range corpusComments(t) {
		an := a.Analyze(c.Text)
		find := func(st, en int) (nlp.Entity, bool) {
			for _, e := range an.Entities {
				if e.Start < en && st < e.End {
					return e, true
				}
			}
			return nlp.Entity{}, false
		}
		runes := []rune(c.Text)
		for _, s := range an.Sentences {
			toks := tk.Tokenize(s.Text)
			tg.TagTokens(toks)
			ex.Label(toks)
			toks = append(toks, token.Token{Tag: "-END-", Label: "O", Start: len(s.Text)})
			for _, e := range ex.Chunk(s.Text, toks) {
				st := s.Start + len([]rune(s.Text[:e.Start]))
				en := st + len([]rune(e.Text))
				cs, ce := max(0, st-40), min(len(runes), en+40)
				fe, ok := find(st, en)
				all = append(all, rec{c.File, c.ID, st, en, e.Text, e.Label, ok, fe.Start, fe.End, fe.Text, fe.Label, string(runes[cs:ce])})
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	f, _ := os.Create("/tmp/entsample.jsonl")
	for i, x := range all[:240] {
		b, _ := json.Marshal(x)
		f.Write(append(b, '\n'))
		fmt.Printf("%d\t%s\t%v\t%q\t%q\t%q\n", i, x.Label, x.Kept, x.Text, x.FinalText, x.Context)
	}
	f.Close()
	fmt.Println("TOTAL raw", len(all))
}
