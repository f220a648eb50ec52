package nlp

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// vaderGolden is one case of testdata/vader/reference.json.
type vaderGolden struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
	Text   string `json:"text"`
	Want   struct {
		Compound float64 `json:"compound"`
		Pos      float64 `json:"pos"`
		Neu      float64 `json:"neu"`
		Neg      float64 `json:"neg"`
	} `json:"want"`
}

// TestSentimentReference checks Sentiment against scores computed by the
// Python reference, vaderSentiment 3.3.2. The golden file is not rewritten
// by -update (Go output must not become its own reference); regenerate it
// from Python with
//
//	python datasets/tests/vader_stress.py --golden nlp/testdata/vader/reference.json
//
// The cases and their reasons live in that script's GOLDEN_CASES.
func TestSentimentReference(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "vader", "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []vaderGolden
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatalf("reference.json: %v", err)
	}
	if len(cases) < 40 {
		t.Fatalf("reference.json has %d cases, want at least 40", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			got := Sentiment(tc.Text)
			want := Scores{Compound: tc.Want.Compound, Pos: tc.Want.Pos, Neu: tc.Want.Neu, Neg: tc.Want.Neg}
			if got != want {
				t.Errorf("Sentiment(%q)\n got  %+v\n want %+v (python)\n reason: %s", tc.Text, got, want, tc.Reason)
			}
		})
	}
}

func TestPyRound(t *testing.T) {
	t.Parallel()
	// Expected values printed by CPython 3.11's round().
	tests := []struct {
		x      float64
		digits int
		want   float64
		reason string
	}{
		{0.125, 2, 0.12, "exact binary half rounds to even"},
		{0.375, 2, 0.38, "exact binary half rounds to even (up)"},
		{2.675, 2, 2.67, "2.675 is stored just below the half"},
		{0.0005, 3, 0.001, "0.0005 is stored just above the half"},
		{0.0015, 3, 0.002, "stored above the half"},
		{0.0025, 3, 0.003, "stored above the half"},
		{0.00045, 3, 0, "below the half"},
		{-0.0004, 3, math.Copysign(0, -1), "negative zero result"},
		{0.99995, 4, 1, "carry into the units"},
		{0.12345, 4, 0.1235, "stored above the half"},
		{0.06125, 4, 0.0612, "stored below the half"},
		{0.1235, 3, 0.123, "stored below the half"},
		{0.8316, 3, 0.832, "plain rounding up"},
		{0.5, 0, 0, "half to even at zero digits"},
		{1.5, 0, 2, "half to even up"},
		{2.5, 0, 2, "half to even down"},
		{-0.00005, 4, -0.0001, "negative, stored above the half"},
		{0.49999999999999994, 0, 0, "largest double below one half"},
		{1e-20, 3, 0, "tiny"},
	}
	for _, tc := range tests {
		got := pyRound(tc.x, tc.digits)
		if got != tc.want || math.Signbit(got) != math.Signbit(tc.want) {
			t.Errorf("pyRound(%v, %d) = %v, want %v (%s)", tc.x, tc.digits, got, tc.want, tc.reason)
		}
	}
}

func TestPyStrings(t *testing.T) {
	t.Parallel()
	// Expected values printed by CPython 3.11 (Unicode 14); an exhaustive
	// comparison over all code points agreed except for characters new in
	// Unicode 15.
	caseTests := []struct {
		in      string
		isUpper bool
		lower   string
		reason  string
	}{
		{"HELLO", true, "hello", "ASCII capitals"},
		{"Hello", false, "hello", "a lowercase letter"},
		{"HELLO1", true, "hello1", "digits are uncased"},
		{"123", false, "123", "no cased character"},
		{":D", true, ":d", "an emoticon can be upper case"},
		{"ⒶⒷ", true, "ⓐⓑ", "Other_Uppercase counts as upper"},
		{"ⓐ", false, "ⓐ", "Other_Lowercase counts as lower"},
		{"A\u0345", false, "a\u0345", "U+0345 is Mn but Other_Lowercase"},
		{"ǅ", false, "ǆ", "titlecase is not upper"},
		{"ª", false, "ª", "Lo with Other_Lowercase"},
		{"ß", false, "ß", "lowercase without a simple upper"},
		{"ẞ", true, "ß", "capital sharp s"},
		{"İ", true, "i\u0307", "full lowercase mapping of U+0130"},
		{"Ⅰ", true, "ⅰ", "Nl with Other_Uppercase"},
		{"𝐀", true, "𝐀", "mathematical capital: Lu without a lowercase"},
		{":-Þ", true, ":-þ", "the lexicon key :-Þ can never match"},
		{"Σ", true, "σ", "a lone sigma is not final"},
		{"ΑΣ", true, "ας", "final sigma"},
		{"ΑΣ.", true, "ας.", "final sigma before punctuation"},
		{"ΑΣΑ", true, "ασα", "medial sigma"},
		{"ΑΣ'Α", true, "ασ'α", "apostrophe is case-ignorable"},
		{"ΑΣ'", true, "ας'", "final after case-ignorable"},
		{"ΌΣΟΣ", true, "όσος", "medial and final"},
	}
	for _, tc := range caseTests {
		if got := pyIsUpper(tc.in); got != tc.isUpper {
			t.Errorf("pyIsUpper(%q) = %v, want %v (%s)", tc.in, got, tc.isUpper, tc.reason)
		}
		if got := pyLower(tc.in); got != tc.lower {
			t.Errorf("pyLower(%q) = %q, want %q (%s)", tc.in, got, tc.lower, tc.reason)
		}
	}
	splitTests := []struct {
		in     string
		fields []string
		strip  string
		reason string
	}{
		{"a\x1fb", []string{"a", "b"}, "a\x1fb", "unit separator is whitespace for Python"},
		{"a\u200bb", []string{"a\u200bb"}, "a\u200bb", "zero-width space is not"},
		{"\u00a0a\u3000b\u2028", []string{"a", "b"}, "a\u3000b", "NBSP, ideographic space, line separator"},
		{"a\u0085b\x1cc", []string{"a", "b", "c"}, "a\u0085b\x1cc", "NEL and file separator"},
		{"a\u180eb", []string{"a\u180eb"}, "a\u180eb", "Mongolian vowel separator is no longer a space"},
		{" \t\n ", nil, "", "only whitespace"},
	}
	for _, tc := range splitTests {
		if got := pySplit(tc.in); !slices.Equal(got, tc.fields) {
			t.Errorf("pySplit(%q) = %q, want %q (%s)", tc.in, got, tc.fields, tc.reason)
		}
		if got := pyStrip(tc.in); got != tc.strip {
			t.Errorf("pyStrip(%q) = %q, want %q (%s)", tc.in, got, tc.strip, tc.reason)
		}
	}
}

func TestVaderLexicons(t *testing.T) {
	t.Parallel()
	v := defaultVader()
	// Counts as the reference's dicts have them: 7520 lines with 14
	// duplicate keys; 1212 of the 3570 emoji entries are one code point.
	if got, want := len(v.lexicon), 7506; got != want {
		t.Errorf("lexicon has %d words, want %d", got, want)
	}
	if got, want := len(v.emojis), 1212; got != want {
		t.Errorf("emoji lexicon has %d single-code-point entries, want %d", got, want)
	}
	checks := []struct {
		word   string
		want   float64
		reason string
	}{
		{"heart", 3.2, "plain entry"},
		{"hearts", 3.3, "plain entry"},
		{"no", -1.2, "a negator with its own valence"},
		{"can't stand", -2, "multi-word entries are kept though never matched"},
		{"lol", 1.8, "duplicate key: the later line wins"},
	}
	for _, c := range checks {
		if got, ok := v.lexicon[c.word]; !ok || got != c.want {
			t.Errorf("lexicon[%q] = %v, %v; want %v (%s)", c.word, got, ok, c.want, c.reason)
		}
	}
	if got := v.emojis['\U0001F498']; got != "heart with arrow" {
		t.Errorf("emoji U+1F498 = %q", got)
	}
}

func TestVaderLexiconErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		lexicon, emoji string
		wantErr        string
		reason         string
	}{
		{"ok", "good\t1.9\r\n\nbad\t-2.5\n", "\u2764\tred heart", "", "CRLF and blank lines are fine"},
		{"no tab", "good\t1.9\nbad -2.5\n", "x\ty", "vader_lexicon.txt:2:", "the line number is reported"},
		{"bad number", "good\tlots\n", "x\ty", "vader_lexicon.txt:1: valence", "valence must parse"},
		{"emoji blank", "good\t1\n", "x\ty\n\nz\tw", "emoji_utf8_lexicon.txt:2:", "the reference fails on blank emoji lines"},
		{"invalid utf8", "good\t1\n\xff\t2\n", "x\ty", "not valid UTF-8", "Python decodes as UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newVaderAnalyzer([]byte(tc.lexicon), []byte(tc.emoji))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error %v (%s)", err, tc.reason)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want one containing %q (%s)", err, tc.wantErr, tc.reason)
			}
		})
	}
}

func TestSentimentConcurrent(t *testing.T) {
	t.Parallel()
	texts := []string{"I love it!!", "This is NOT good, but fine :)", "No way \U0001F621", "kind of bad"}
	want := make([]Scores, len(texts))
	for i, text := range texts {
		want[i] = Sentiment(text)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 200 {
				i := (g + k) % len(texts)
				if got := Sentiment(texts[i]); got != want[i] {
					t.Errorf("concurrent Sentiment(%q) = %+v, want %+v", texts[i], got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
}

func FuzzSentiment(f *testing.F) {
	for _, seed := range []string{"", "good", "NOT bad!!!", "no no no", "but", "least good but",
		"\U0001F600\U0001F600", "kind of", "the shit", "\xff\xfe", "ΑΣ İ", "a\u00a0b"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s := Sentiment(text)
		for _, v := range []float64{s.Compound, s.Pos, s.Neu, s.Neg} {
			if math.IsNaN(v) || v < -1 || v > 1 {
				t.Fatalf("Sentiment(%q) = %+v: a score out of range", text, s)
			}
		}
		if s.Pos < 0 || s.Neu < 0 || s.Neg < 0 {
			t.Fatalf("Sentiment(%q) = %+v: negative proportion", text, s)
		}
		if sum := s.Pos + s.Neu + s.Neg; sum != 0 && math.Abs(sum-1) > 0.0021 {
			t.Fatalf("Sentiment(%q) = %+v: proportions sum to %v", text, s, sum)
		}
		if utf8.ValidString(text) && strings.TrimSpace(text) == "" && s != (Scores{}) {
			t.Fatalf("Sentiment(%q) = %+v for blank text", text, s)
		}
	})
}

func BenchmarkSentiment(b *testing.B) {
	texts := []string{
		"The manager was kind of rude, but the team was SO supportive!!! :)",
		"I can't believe HR didn't do anything about the yelling. No accountability at all.",
		"Honestly? This is the least helpful advice I've read \U0001F644",
		strings.Repeat("Great job on the project, everyone was really happy with it. ", 20),
	}
	bytes := 0
	for _, t := range texts {
		bytes += len(t)
	}
	Sentiment("warm up")
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			Sentiment(t)
		}
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "texts/s")
	b.ReportMetric(float64(b.N*bytes)/1e6/b.Elapsed().Seconds(), "MB/s")
}
