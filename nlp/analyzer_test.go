package nlp_test

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/threadlens/threadlens/nlp"
)

// trickyTexts exercise offsets: multi-byte runes, emoji (astral plane, one
// code point each in Python), ZWJ sequences, combining marks, CJK,
// typographic quotes, "\r\n", tabs, list items, invalid-looking markup.
var trickyTexts = []struct{ name, text string }{
	{"empty", ""},
	{"spaces", "   \n\n \t "},
	{"ascii", "My boss yelled at me. I didn't blame him, though."},
	{"emoji", "I got fired 😭😭 and then 👩‍👩‍👧 came home. Not my fault 🙃!"},
	{"curly", "She said “you’re fired.” I said ‘fine’ — it wasn’t my fault…"},
	{"cjk", "日本語のテキスト。 He yelled: 你好! Then he said 안녕하세요."},
	{"combining", "Ame\u0301lie was let go. Zoe\u0308 blamed Jose\u0301 for the audit."},
	{"crlf", "First paragraph, I messed up.\r\n\r\nSecond one: he screamed at me.\r\nSame paragraph."},
	{"list", "What to do:\n1. Tell your manager right away\n2. Apologize\n3) Fix it\n- own it\n* document the process\n\nDone."},
	{"nbsp", "He\u00a0yelled\u00a0at\u00a0me.\u2028Then\u2029nothing."},
	{"astral-only", "𝐁𝐨𝐥𝐝 𝐭𝐞𝐱𝐭 𝐟𝐢𝐫𝐞𝐝. 🧑🏽‍💻"},
	{"caps", "THIS IS NOT OKAY. HR SAID NOTHING."},
	{"quotes-para", "> I was fired for a typo.\n\nThat is not your fault."},
	{"marker-only", "1.\n\n2)"},
}

// checkInvariants asserts that every span's code-point slice equals its
// text, spans are ordered and inside the text.
func checkInvariants(t *testing.T, text string, an nlp.Analysis) {
	t.Helper()
	runes := []rune(text)
	n := len(runes)
	slice := func(start, end int) string {
		if start < 0 || end > n || start > end {
			t.Fatalf("span [%d:%d] outside text of %d code points", start, end, n)
		}
		return string(runes[start:end])
	}
	prevEnd := 0
	for i, s := range an.Sentences {
		if s.Index != i {
			t.Errorf("sentence %d has index %d", i, s.Index)
		}
		if got := slice(s.Start, s.End); got != s.Text {
			t.Errorf("sentence %d [%d:%d] = %q, Text %q", i, s.Start, s.End, got, s.Text)
		}
		if s.Start < prevEnd {
			t.Errorf("sentence %d starts at %d before previous end %d", i, s.Start, prevEnd)
		}
		prevEnd = s.End
	}
	prevStart, prevSent, prevIdx := -1, -1, -1
	for _, tk := range an.Tokens {
		if got := slice(tk.Start, tk.End); got != tk.Text {
			t.Errorf("token [%d:%d] = %q, Text %q", tk.Start, tk.End, got, tk.Text)
		}
		s := an.Sentences[tk.Sentence]
		if tk.Start < s.Start || tk.End > s.End {
			t.Errorf("token %q [%d:%d] outside its sentence [%d:%d]", tk.Text, tk.Start, tk.End, s.Start, s.End)
		}
		if tk.Start < prevStart {
			t.Errorf("tokens out of order at %q", tk.Text)
		}
		if tk.Sentence == prevSent && tk.Index != prevIdx+1 || tk.Sentence != prevSent && tk.Index != 0 {
			t.Errorf("token %q: sentence %d index %d after %d/%d", tk.Text, tk.Sentence, tk.Index, prevSent, prevIdx)
		}
		if tk.Tag == "" {
			t.Errorf("token %q has no tag", tk.Text)
		}
		prevStart, prevSent, prevIdx = tk.Start, tk.Sentence, tk.Index
	}
	prevStart = -1
	for _, h := range an.Hits {
		if got := slice(h.Start, h.End); got != h.Match {
			t.Errorf("hit %s [%d:%d] = %q, Match %q", h.Cue, h.Start, h.End, got, h.Match)
		}
		s := an.Sentences[h.Sentence]
		if h.Start < s.Start || h.End > s.End {
			t.Errorf("hit %q outside its sentence", h.Match)
		}
		if h.Start < prevStart {
			t.Errorf("hits out of order at %q", h.Match)
		}
		prevStart = h.Start
	}
	prevStart = -1
	for _, e := range an.Entities {
		if got := slice(e.Start, e.End); got != e.Text {
			t.Errorf("entity [%d:%d] = %q, Text %q", e.Start, e.End, got, e.Text)
		}
		if e.Start < prevStart {
			t.Errorf("entities out of order at %q", e.Text)
		}
		prevStart = e.Start
	}
	if an.Themes == nil {
		t.Error("Themes is nil, want an empty slice")
	}
	if an.Shouting < 0 || an.Shouting > 1 {
		t.Errorf("Shouting %v outside [0,1]", an.Shouting)
	}
}

func TestAnalyzeOffsets(t *testing.T) {
	t.Parallel()
	a := analyzer(t)
	for _, tt := range trickyTexts {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkInvariants(t, tt.text, a.Analyze(tt.text))
		})
	}
}

func TestAnalyzeOffsetsCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus pass skipped in -short mode")
	}
	a := analyzer(t)
	comments := corpusComments(t)
	for _, c := range comments {
		an := a.Analyze(c.Text)
		t.Run(c.File+"#"+c.ID, func(t *testing.T) { checkInvariants(t, c.Text, an) })
	}
	t.Logf("%d corpus comments checked", len(comments))
}

func TestSegmentation(t *testing.T) {
	t.Parallel()
	a := analyzer(t)
	tests := []struct {
		name, text string
		want       []string
		reason     string
	}{
		{"blank-line", "I was fired\n\nThen I cried", []string{"I was fired", "Then I cried"}, "a blank line separates paragraphs even without a period"},
		{"crlf-blank", "One thing\r\n\r\nAnother thing", []string{"One thing", "Another thing"}, "CRLF blank lines"},
		{"single-break", "I think you should\nown it.", []string{"I think you should\nown it."}, "a single line break is not a boundary"},
		{"list", "1. Tell your manager\n2. Apologize", []string{"1. Tell your manager", "2. Apologize"}, "list items are their own sentences"},
		{"list-intro", "Steps:\n- own it\n- fix it. Then move on.", []string{"Steps:", "- own it", "- fix it.", "Then move on."}, "bullets split, prose splits inside an item"},
		{"paren-list", "a) apologize\nb) fix it", []string{"a) apologize", "b) fix it"}, "letter markers"},
		{"abbrev", "Mr. Smith yelled at me at 5 p.m. on Monday.", []string{"Mr. Smith yelled at me at 5 p.m. on Monday."}, "Punkt keeps abbreviations"},
		{"two", "He yelled. I left.", []string{"He yelled.", "I left."}, "ordinary sentence split"},
		{"year-line", "It happened in\n2019. Nobody cared.", []string{"It happened in\n2019.", "Nobody cared."}, "a four-digit number is not a list marker"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			an := a.Analyze(tt.text)
			var got []string
			for _, s := range an.Sentences {
				got = append(got, s.Text)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("sentences of %q = %q, want %q (%s)", tt.text, got, tt.want, tt.reason)
			}
		})
	}
}

func TestAnalyzeSentiment(t *testing.T) {
	t.Parallel()
	a := analyzer(t)
	text := "I love this place. I hate my boss. It is a desk."
	an := a.Analyze(text)
	if len(an.Sentences) != 3 {
		t.Fatalf("got %d sentences", len(an.Sentences))
	}
	sum := 0.0
	for _, s := range an.Sentences {
		if s.Sentiment != nlp.Sentiment(s.Text) {
			t.Errorf("sentence %q sentiment %+v, want %+v", s.Text, s.Sentiment, nlp.Sentiment(s.Text))
		}
		sum += s.Sentiment.Compound
	}
	if an.Sentiment != nlp.Sentiment(text) {
		t.Errorf("comment sentiment %+v, want %+v", an.Sentiment, nlp.Sentiment(text))
	}
	if want := sum / 3; an.CompoundMean != want {
		t.Errorf("CompoundMean %v, want %v", an.CompoundMean, want)
	}
	if empty := a.Analyze(""); empty.CompoundMean != 0 || len(empty.Sentences) != 0 {
		t.Errorf("empty text: %+v", empty)
	}
}

func TestAnalyzeTokens(t *testing.T) {
	t.Parallel()
	a := analyzer(t)
	an := a.Analyze("My boss fired me. The kitchen fire spread.")
	var got []string
	for _, tk := range an.Tokens {
		got = append(got, fmt.Sprintf("%d.%d:%s/%s", tk.Sentence, tk.Index, tk.Text, tk.Tag))
	}
	want := []string{"0.0:My/PRP$", "0.1:boss/NN", "0.2:fired/VBD", "0.3:me/PRP", "0.4:./.",
		"1.0:The/DT", "1.1:kitchen/NN", "1.2:fire/NN", "1.3:spread/NN", "1.4:./."}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tokens = %q\nwant %q", got, want)
	}
	if !reflect.DeepEqual(an.Themes, []string{"firing"}) {
		t.Errorf("themes = %q, want [firing] (the kitchen fire is a noun)", an.Themes)
	}
}

func TestAnalyzeDeterministic(t *testing.T) {
	t.Parallel()
	a := analyzer(t)
	for _, tt := range trickyTexts {
		first := a.Analyze(tt.text)
		for range 3 {
			if again := a.Analyze(tt.text); !reflect.DeepEqual(first, again) {
				t.Fatalf("%s: two analyses differ", tt.name)
			}
		}
	}
}

// TestAnalyzeConcurrent runs analyses in parallel (meaningful under -race)
// and compares them with sequential results.
func TestAnalyzeConcurrent(t *testing.T) {
	t.Parallel()
	a := analyzer(t)
	want := make([]nlp.Analysis, len(trickyTexts))
	for i, tt := range trickyTexts {
		want[i] = a.Analyze(tt.text)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(trickyTexts))
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range trickyTexts {
				j := (i + w) % len(trickyTexts)
				if got := a.Analyze(trickyTexts[j].text); !reflect.DeepEqual(got, want[j]) {
					errs <- trickyTexts[j].name
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for name := range errs {
		t.Errorf("%s: concurrent analysis differs from sequential", name)
	}
}

func TestAnalyzeWithoutEntities(t *testing.T) {
	t.Parallel()
	lex, err := nlp.DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	a, err := nlp.NewAnalyzer(lex, nlp.WithEntities(false))
	if err != nil {
		t.Fatal(err)
	}
	an := a.Analyze("Sarah Smith from Chicago yelled at me.")
	if an.Entities != nil {
		t.Errorf("entities = %+v, want none", an.Entities)
	}
	if len(an.Hits) == 0 {
		t.Error("no hits")
	}
	if a.Lexicon() != lex {
		t.Error("Lexicon() is not the lexicon given")
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, tt := range trickyTexts {
		f.Add(tt.text)
	}
	f.Add("\xff\xfe invalid \xc3 utf8 fired")
	f.Add("1.\n2.\n3.")
	f.Add("— — — ’’’ n't n’t")
	a, err := nlp.NewAnalyzer(nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		an := a.Analyze(text)
		n := utf8.RuneCountInString(text)
		check := func(kind string, start, end int) {
			if start < 0 || start > end || end > n {
				t.Fatalf("%s span [%d:%d] outside 0..%d", kind, start, end, n)
			}
		}
		prev := 0
		for _, s := range an.Sentences {
			check("sentence", s.Start, s.End)
			if s.Start < prev {
				t.Fatalf("sentences out of order")
			}
			prev = s.End
		}
		prev = 0
		for _, tk := range an.Tokens {
			check("token", tk.Start, tk.End)
			if tk.Start < prev {
				t.Fatalf("tokens out of order")
			}
			prev = tk.Start
		}
		prev = 0
		for _, h := range an.Hits {
			check("hit", h.Start, h.End)
			if h.Start < prev {
				t.Fatalf("hits out of order")
			}
			prev = h.Start
		}
		for _, e := range an.Entities {
			check("entity", e.Start, e.End)
		}
		if utf8.ValidString(text) {
			runes := []rune(text)
			for _, h := range an.Hits {
				if string(runes[h.Start:h.End]) != h.Match {
					t.Fatalf("hit %q != text slice %q", h.Match, string(runes[h.Start:h.End]))
				}
			}
		}
	})
}

// benchTexts are comment-like texts of typical length.
var benchTexts = []string{
	"I don't blame you at all. My old boss would yell at us every single day, and nobody in HR ever did anything about it.",
	"Honestly? Own it. Tell your manager right away, apologize, and explain how you'll make sure it won't happen again. Sarah in accounting did exactly that after the payroll mess and she was fine.",
	"This is a process failure, not a you failure. Why could one person push a change to production without a second set of eyes? There should be checks and balances.",
	"I was working 60-hour weeks and running on no sleep when I made the same mistake. I was burned out and nobody noticed until I got written up.",
	"LOL same. We had a fire drill in the middle of the all-hands and I was firing up my laptop.",
	strings.Repeat("This is a longer comment that rambles on about the letter writer's situation in Chicago with Microsoft and the team. ", 6),
}

func benchmarkAnalyze(b *testing.B, a *nlp.Analyzer) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		a.Analyze(benchTexts[n%len(benchTexts)])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "comments/s")
}

// BenchmarkAnalyze reports comments/s with entities (skipping sentences
// without a name-like token), with entities on every sentence, and
// without entities.
func BenchmarkAnalyze(b *testing.B) {
	b.Run("entities", func(b *testing.B) {
		a, err := nlp.NewAnalyzer(nil)
		if err != nil {
			b.Fatal(err)
		}
		benchmarkAnalyze(b, a)
	})
	b.Run("entities-every-sentence", func(b *testing.B) {
		benchmarkAnalyze(b, nlp.NewAnalyzerNERAll(b))
	})
	b.Run("no-entities", func(b *testing.B) {
		a, err := nlp.NewAnalyzer(nil, nlp.WithEntities(false))
		if err != nil {
			b.Fatal(err)
		}
		benchmarkAnalyze(b, a)
	})
}

// BenchmarkAnalyzeCorpus reports comments/s over the shared corpus's
// comments (skipped when the corpus is absent).
func BenchmarkAnalyzeCorpus(b *testing.B) {
	comments := corpusComments(b)
	run := func(b *testing.B, a *nlp.Analyzer) {
		n := 0
		for b.Loop() {
			a.Analyze(comments[n%len(comments)].Text)
			n++
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "comments/s")
	}
	b.Run("entities", func(b *testing.B) {
		a, err := nlp.NewAnalyzer(nil)
		if err != nil {
			b.Fatal(err)
		}
		run(b, a)
	})
	b.Run("entities-every-sentence", func(b *testing.B) { run(b, nlp.NewAnalyzerNERAll(b)) })
	b.Run("no-entities", func(b *testing.B) {
		a, err := nlp.NewAnalyzer(nil, nlp.WithEntities(false))
		if err != nil {
			b.Fatal(err)
		}
		run(b, a)
	})
}
