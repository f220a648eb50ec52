package datasets

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/threadlens/threadlens/scrape/scrapetest"
)

// Gold set layout (datasets/gold/README.md).
const (
	goldDirName       = "gold"
	goldSecondSample  = 120 // comments given to the second, independent labeler
	goldSecondSeed    = 1   // fixed seed of that sample
	goldMinComments   = 300
	goldMinNoThemePct = 30
)

func goldDir(t testing.TB) string {
	return filepath.Join(scrapetest.RepoRoot(t), "datasets", goldDirName)
}

// parseGoldSources parses every authoring file of dir/src in name order.
func parseGoldSources(t testing.TB, dir string) []GoldComment {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "src", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	var all []GoldComment
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		comments, err := ParseGoldMarkup(f, filepath.Base(file))
		f.Close()
		if err != nil {
			t.Fatalf("gold source: %v", err)
		}
		all = append(all, comments...)
	}
	return all
}

// goldSecondTexts picks the comments for the second labeler: a fixed-seed
// random sample of goldSecondSample IDs, in random order, text only.
func goldSecondTexts(comments []GoldComment) []byte {
	ids := make([]int, len(comments))
	for i := range ids {
		ids[i] = i
	}
	slices.SortFunc(ids, func(a, b int) int { return strings.Compare(comments[a].ID, comments[b].ID) })
	rng := rand.New(rand.NewPCG(goldSecondSeed, 0))
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	var buf bytes.Buffer
	for _, i := range ids[:min(goldSecondSample, len(ids))] {
		line, _ := json.Marshal(struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		}{comments[i].ID, comments[i].Text})
		buf.Write(line)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// checkGenerated compares want with the file at path, rewriting it under
// -update.
func checkGenerated(t *testing.T, path string, want []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./datasets -run TestGoldGenerated -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date with the gold sources; run go test ./datasets -run TestGoldGenerated -update:\n%s", path, scrapetest.LineDiff(string(got), string(want)))
	}
}

// TestGoldGenerated checks that labels.jsonl and second/texts.jsonl are
// what the authoring files in gold/src produce; -update rewrites them. A
// second labeling written in the same markup (gold/second/src/*.txt) is
// converted to gold/second/labels.jsonl the same way.
func TestGoldGenerated(t *testing.T) {
	dir := goldDir(t)
	comments := parseGoldSources(t, dir)
	var labels bytes.Buffer
	if err := EncodeGold(&labels, comments); err != nil {
		t.Fatal(err)
	}
	checkGenerated(t, filepath.Join(dir, GoldLabelsFile), labels.Bytes())
	checkGenerated(t, filepath.Join(dir, "second", "texts.jsonl"), goldSecondTexts(comments))

	secondDir := filepath.Join(dir, "second")
	if files, _ := filepath.Glob(filepath.Join(secondDir, "src", "*.txt")); len(files) > 0 {
		second := parseGoldSources(t, secondDir)
		var buf bytes.Buffer
		if err := EncodeGold(&buf, second); err != nil {
			t.Fatal(err)
		}
		checkGenerated(t, filepath.Join(secondDir, GoldLabelsFile), buf.Bytes())
	}
}

// TestGoldSetShape checks the gold set's size and balance and that it
// reads back cleanly.
func TestGoldSetShape(t *testing.T) {
	comments, err := ReadGold(goldDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(comments) < goldMinComments {
		t.Errorf("gold set has %d comments, want >= %d", len(comments), goldMinComments)
	}
	noTheme := 0
	perTheme := map[string]int{}
	spans, negated, hedged := 0, 0, 0
	for _, c := range comments {
		if len(c.Labels) == 0 {
			noTheme++
		}
		for _, l := range c.Labels {
			perTheme[l.Theme]++
			for _, s := range l.Spans {
				spans++
				if s.Negated {
					negated++
				}
				if s.Hedged {
					hedged++
				}
			}
		}
	}
	if 100*noTheme < goldMinNoThemePct*len(comments) {
		t.Errorf("%d of %d comments have no theme, want >= %d%%", noTheme, len(comments), goldMinNoThemePct)
	}
	for _, theme := range GoldThemes {
		if perTheme[theme] < 20 {
			t.Errorf("theme %s is on %d comments, want >= 20", theme, perTheme[theme])
		}
	}
	t.Logf("%d comments, %d with no theme; per theme %v; %d spans (%d negated, %d hedged)",
		len(comments), noTheme, perTheme, spans, negated, hedged)
}

// TestSecondLabelerAgreement reports Cohen's kappa per theme between the
// gold labels and the independent second labeling once it exists
// (gold/second/labels.jsonl). It logs the table (run with -v); it fails
// only on unreadable files, since disagreements are settled by
// adjudication (README.md), not by a threshold.
func TestSecondLabelerAgreement(t *testing.T) {
	dir := goldDir(t)
	secondPath := filepath.Join(dir, "second", GoldLabelsFile)
	if _, err := os.Stat(secondPath); err != nil {
		t.Skipf("no second labeling yet at %s", secondPath)
	}
	gold, err := ReadGold(dir)
	if err != nil {
		t.Fatal(err)
	}
	second, err := ReadGold(secondPath)
	if err != nil {
		t.Fatal(err)
	}
	themes, n := GoldAgreement(gold, second)
	if n == 0 {
		t.Fatalf("%s shares no comment ID with the gold set", secondPath)
	}
	t.Logf("comments in both labelings: %d", n)
	for _, a := range themes {
		t.Logf("%-15s kappa %.3f  observed %.3f  both %d  gold-only %d  second-only %d  disagreements %v",
			a.Theme, a.Kappa, a.Observed, a.Both, a.OnlyA, a.OnlyB, a.Disagreements)
	}
}

func TestDecodeGoldErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		line   string
		reason string
		want   string
	}{
		{"unknown theme", `{"id":"a","text":"so tired","labels":[{"theme":"fatigue","spans":[{"start":3,"end":8,"text":"tired"}]}]}`,
			"only the six THEMES.md themes exist", "unknown theme"},
		{"offsets past the end", `{"id":"a","text":"tired","labels":[{"theme":"burnout","spans":[{"start":0,"end":9,"text":"tired"}]}]}`,
			"a span must lie inside the text", "outside the text"},
		{"byte offsets", `{"id":"a","text":"café fault","labels":[{"theme":"blame","spans":[{"start":6,"end":11,"text":"fault"}]}]}`,
			"offsets are code points, so byte offsets after a non-ASCII letter are caught", "outside the text"},
		{"text mismatch", `{"id":"a","text":"my fault","labels":[{"theme":"blame","spans":[{"start":0,"end":2,"text":"me"}]}]}`,
			"the span text must equal text[start:end]", "label says"},
		{"no spans", `{"id":"a","text":"x","labels":[{"theme":"blame","spans":[]}]}`,
			"every label needs evidence", "no evidence span"},
		{"theme twice", `{"id":"a","text":"blame","labels":[{"theme":"blame","spans":[{"start":0,"end":5,"text":"blame"}]},{"theme":"blame","spans":[{"start":0,"end":5,"text":"blame"}]}]}`,
			"one label per theme; more evidence goes in spans", "labeled twice"},
		{"overlapping spans", `{"id":"a","text":"blame","labels":[{"theme":"blame","spans":[{"start":0,"end":5,"text":"blame"},{"start":1,"end":3,"text":"la"}]}]}`,
			"spans of a label are disjoint and in order", "overlap"},
		{"missing id", `{"text":"x","labels":[]}`, "IDs join the two labelings", "missing id"},
		{"not json", `{"id":`, "a broken line is reported, not skipped silently", "invalid gold label"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			input := `{"id":"ok","text":"fine","labels":[]}` + "\n" + tt.line + "\n"
			comments, err := DecodeGold(strings.NewReader(input), "labels.jsonl")
			var ge *GoldError
			if !errors.As(err, &ge) || !errors.Is(err, ErrGoldInvalid) {
				t.Fatalf("err = %v, want a *GoldError wrapping ErrGoldInvalid (%s)", err, tt.reason)
			}
			if ge.Line != 2 || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "labels.jsonl:2: ") {
				t.Errorf("err = %q, want labels.jsonl:2 and %q (%s)", err, tt.want, tt.reason)
			}
			if len(comments) != 1 || comments[0].ID != "ok" {
				t.Errorf("valid comments = %v, want only \"ok\" (%s)", comments, tt.reason)
			}
		})
	}
}

func TestDecodeGoldDuplicateID(t *testing.T) {
	t.Parallel()
	input := `{"id":"a","text":"x","labels":[]}` + "\n\n" + `{"id":"a","text":"y","labels":[]}` + "\n"
	_, err := DecodeGold(strings.NewReader(input), "f")
	if err == nil || !strings.Contains(err.Error(), "f:3: ") || !strings.Contains(err.Error(), "first on line 1") {
		t.Errorf("err = %v, want a duplicate-id error on line 3 naming line 1", err)
	}
}

func TestParseGoldMarkup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		src    string
		reason string
		want   []GoldComment
	}{
		{
			name:   "flags and code points",
			reason: "offsets count code points (é, ⟶ are one each) and flags come from :n / :h",
			src:    "thread: t\n# note\n=== t-1\nCafé ⟶ I don't {{blame:n|blame}} you. If they {{firing:h|fire}} you, {{firing|quit}}.\n",
			want: []GoldComment{{ID: "t-1", Thread: "t", Text: "Café ⟶ I don't blame you. If they fire you, quit.", Labels: []GoldLabel{
				{Theme: "blame", Spans: []GoldSpan{{Start: 15, End: 20, Text: "blame", Negated: true}}},
				{Theme: "firing", Spans: []GoldSpan{{Start: 34, End: 38, Text: "fire", Hedged: true}, {Start: 44, End: 48, Text: "quit"}}},
			}}},
		},
		{
			name:   "two themes on one span and a blank-line paragraph",
			reason: "one phrase can be evidence of two themes; paragraphs keep their blank line; surrounding blank lines are trimmed",
			src:    "thread: t\n=== a\n\n> quoted\n\n{{blame;accountability:nh|my fault}}\n\n=== b\nnothing here\n",
			want: []GoldComment{
				{ID: "a", Thread: "t", Text: "> quoted\n\nmy fault", Labels: []GoldLabel{
					{Theme: "blame", Spans: []GoldSpan{{Start: 10, End: 18, Text: "my fault"}}},
					{Theme: "accountability", Spans: []GoldSpan{{Start: 10, End: 18, Text: "my fault", Negated: true, Hedged: true}}},
				}},
				{ID: "b", Thread: "t", Text: "nothing here", Labels: []GoldLabel{}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseGoldMarkup(strings.NewReader(tt.src), "src.txt")
			if err != nil {
				t.Fatal(err)
			}
			gotJSON, _ := json.Marshal(got)
			wantJSON, _ := json.Marshal(tt.want)
			if !bytes.Equal(gotJSON, wantJSON) {
				t.Errorf("got  %s\nwant %s\n(%s)", gotJSON, wantJSON, tt.reason)
			}
		})
	}
}

func TestParseGoldMarkupErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src, want, reason string
	}{
		{"unknown theme", "=== a\n{{blam|x}}\n", "unknown theme", "typos in theme names must not create a seventh theme"},
		{"bad flag", "=== a\n{{blame:x|x}}\n", "bad flags", "only n and h are flags"},
		{"unclosed", "=== a\n{{blame|x\n", "unclosed", "a missing }} would swallow the rest of the text"},
		{"no pipe", "=== a\n{{blame}}\n", "bad markup", "the span text is required"},
		{"stray header", "hello\n=== a\nx\n", "unexpected header line", "text before the first === is a mistake"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseGoldMarkup(strings.NewReader(tt.src), "src.txt")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "src.txt:") {
				t.Errorf("err = %v, want src.txt:LINE and %q (%s)", err, tt.want, tt.reason)
			}
		})
	}
}

func TestGoldAgreement(t *testing.T) {
	t.Parallel()
	mk := func(id string, themes ...string) GoldComment {
		c := GoldComment{ID: id, Text: "x"}
		for _, th := range themes {
			c.Labels = append(c.Labels, GoldLabel{Theme: th, Spans: []GoldSpan{{Start: 0, End: 1, Text: "x"}}})
		}
		return c
	}
	// blame: A yes on 1-5, B yes on 1-4 and 6 → both 4, A-only 1, B-only 1,
	// neither 4: observed 0.8, chance 0.5, kappa 0.6.
	var a, b []GoldComment
	for i := 1; i <= 10; i++ {
		id := string(rune('a' + i))
		var ta, tb []string
		if i <= 5 {
			ta = append(ta, "blame")
		}
		if i <= 4 || i == 6 {
			tb = append(tb, "blame")
		}
		ta = append(ta, "process") // process: everyone agrees, always present
		tb = append(tb, "process")
		a, b = append(a, mk(id, ta...)), append(b, mk(id, tb...))
	}
	a = append(a, mk("only-in-a", "yelling"))
	got, n := GoldAgreement(a, b)
	if n != 10 {
		t.Fatalf("compared %d comments, want 10 (only shared IDs count)", n)
	}
	byTheme := map[string]ThemeAgreement{}
	for _, g := range got {
		byTheme[g.Theme] = g
	}
	tests := []struct {
		theme           string
		observed, kappa float64
		disagreements   int
		reason          string
	}{
		{"blame", 0.8, 0.6, 2, "the textbook 2×2 example"},
		{"process", 1, 1, 0, "perfect agreement on a constant label is kappa 1, not NaN"},
		{"yelling", 1, 1, 0, "a theme neither labeling uses agrees perfectly"},
	}
	for _, tt := range tests {
		g := byTheme[tt.theme]
		if math.Abs(g.Observed-tt.observed) > 1e-9 || math.Abs(g.Kappa-tt.kappa) > 1e-9 || len(g.Disagreements) != tt.disagreements {
			t.Errorf("%s: observed %v kappa %v disagreements %v, want %v %v %d (%s)",
				tt.theme, g.Observed, g.Kappa, g.Disagreements, tt.observed, tt.kappa, tt.disagreements, tt.reason)
		}
	}
}
