package datasets

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

func TestWilsonInterval(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		k, n      int
		low, high float64
		reason    string
	}{
		{"8 of 10", 8, 10, 0.4902, 0.9433, "the textbook value (Wilson 1927; Newcombe 1998)"},
		{"0 of 10", 0, 10, 0, 0.2775, "no successes still gives a non-degenerate upper bound"},
		{"10 of 10", 10, 10, 0.7225, 1, "all successes: the mirror image of 0 of 10"},
		{"50 of 100", 50, 100, 0.4038, 0.5962, "symmetric around one half"},
		{"1 of 1", 1, 1, 0.2065, 1, "a single judged row is very uncertain"},
		{"nothing judged", 0, 0, 0, 1, "n = 0 is the uninformative interval, not NaN"},
	}
	for _, tt := range tests {
		low, high := WilsonInterval(tt.k, tt.n, WilsonZ95)
		if math.Abs(low-tt.low) > 1e-4 || math.Abs(high-tt.high) > 1e-4 {
			t.Errorf("%s: [%.4f, %.4f], want [%.4f, %.4f] (%s)", tt.name, low, high, tt.low, tt.high, tt.reason)
		}
	}
}

// sampleTestHits makes hits for three cues of blame (60, 30, 10 hits)
// and one of firing (50).
func sampleTestHits() []SampleHit {
	var hits []SampleHit
	add := func(theme, cue string, n int) {
		for i := range n {
			var h SampleHit
			h.ThreadID, h.CommentID = "t", fmt.Sprintf("%s-%03d", cue, i)
			h.Theme, h.Cue, h.Start, h.End = theme, cue, 0, 1
			hits = append(hits, h)
		}
	}
	add("blame", "blame.blame", 60)
	add("blame", "blame.fault", 30)
	add("blame", "blame.bus", 10)
	add("firing", "firing.fired", 50)
	return hits
}

func TestSampleStratified(t *testing.T) {
	t.Parallel()
	hits := sampleTestHits()
	opt := SampleOptions{Themes: []string{"blame"}, N: 20, Seed: 1}
	first := SampleStratified(hits, opt)

	perCue := map[string]int{}
	for _, h := range first {
		perCue[h.Cue]++
	}
	if want := map[string]int{"blame.blame": 12, "blame.fault": 6, "blame.bus": 2}; !reflect.DeepEqual(perCue, want) {
		t.Errorf("per-cue counts %v, want %v (proportional allocation 60:30:10 of 20; other themes excluded)", perCue, want)
	}

	reversed := make([]SampleHit, len(hits))
	for i, h := range hits {
		reversed[len(hits)-1-i] = h
	}
	tests := []struct {
		name   string
		got    []SampleHit
		same   bool
		reason string
	}{
		{"same seed", SampleStratified(hits, opt), true, "a seed reproduces the sheet"},
		{"input order", SampleStratified(reversed, opt), true, "the order of the Parquet files must not change the sample"},
		{"other seed", SampleStratified(hits, SampleOptions{Themes: opt.Themes, N: opt.N, Seed: 2}), false, "a different seed draws a different sample"},
	}
	for _, tt := range tests {
		if reflect.DeepEqual(tt.got, first) != tt.same {
			t.Errorf("%s: equal to the first sample = %v, want %v (%s)", tt.name, !tt.same, tt.same, tt.reason)
		}
	}

	seen := map[string]bool{}
	for _, h := range first {
		if seen[h.CommentID] {
			t.Errorf("hit %s drawn twice: sampling is without replacement", h.CommentID)
		}
		seen[h.CommentID] = true
	}
	if all := SampleStratified(hits, SampleOptions{N: 1000, Seed: 1}); len(all) != len(hits) {
		t.Errorf("N above the number of hits gave %d rows, want all %d", len(all), len(hits))
	}
	if odd := SampleStratified(hits, SampleOptions{N: 7, Seed: 3}); len(odd) != 7 {
		t.Errorf("N = 7 gave %d rows: largest-remainder rounding must hit N exactly", len(odd))
	}
}

func TestMarkSpan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
		start, end int
		want       string
		reason     string
	}{
		{"code points", "Café: I don't blame you", 14, 19, "Café: I don't ⟦blame⟧ you", "offsets are code points, é is one"},
		{"clamped", "short", 3, 99, "sho⟦rt⟧", "bad offsets still show a row instead of failing"},
		{"empty text", "", 0, 0, "⟦⟧", "no text gives empty marks"},
	}
	for _, tt := range tests {
		if got := MarkSpan(tt.text, tt.start, tt.end); got != tt.want {
			t.Errorf("%s: %q, want %q (%s)", tt.name, got, tt.want, tt.reason)
		}
	}
}

// writeSampleDataset writes a two-comment dataset with theme_hits split
// over two bucket files.
func writeSampleDataset(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, table := range []string{TableThemeHits, TableComments} {
		if err := os.MkdirAll(filepath.Join(dir, table), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	hit := func(comment, theme, cue string, start, end int32, match string, negated bool) ThemeHitRow {
		return ThemeHitRow{ThreadID: "wordpress:example.com/p", CommentID: comment, Theme: theme, Cue: cue,
			Start: start, End: end, Match: match, Negated: negated}
	}
	files := map[string][]ThemeHitRow{
		"part-00000.parquet": {hit("1", "blame", "blame.blame", 14, 19, "blame", true)},
		"part-00001.parquet": {hit("2", "firing", "firing.fire", 8, 12, "fire", false), hit("2", "blame", "blame.fault", 0, 5, "Fault", false)},
	}
	for name, rows := range files {
		if err := parquet.WriteFile(filepath.Join(dir, TableThemeHits, name), rows); err != nil {
			t.Fatal(err)
		}
	}
	comments := []CommentRow{
		{ThreadID: "wordpress:example.com/p", CommentID: "1", Text: "Café: I don't blame you", Themes: []string{"blame"}},
		{ThreadID: "wordpress:example.com/p", CommentID: "2", Text: "Fault: \"fire drill\" again", Themes: []string{"blame", "firing"}},
	}
	if err := parquet.WriteFile(filepath.Join(dir, TableComments, "part-00000.parquet"), comments); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestSampleSheetRoundTrip(t *testing.T) {
	t.Parallel()
	dir := writeSampleDataset(t)
	hits, err := ReadSampleHits(dir, []string{"blame"})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 2 {
		t.Fatalf("read %d blame hits, want 2 (firing filtered out)", len(hits))
	}
	sample := SampleStratified(hits, SampleOptions{Themes: []string{"blame"}, N: 10, Seed: 1})
	missing, err := AttachCommentTexts(dir, sample)
	if err != nil || missing != 0 {
		t.Fatalf("AttachCommentTexts: missing %d, err %v", missing, err)
	}
	var sheet bytes.Buffer
	if err := WriteSampleSheet(&sheet, sample); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Café: I don't ⟦blame⟧ you", "⟦Fault⟧: \"\"fire drill\"\" again", strings.Join(SampleSheetColumns, ",")} {
		if !strings.Contains(sheet.String(), want) {
			t.Errorf("sheet lacks %q:\n%s", want, sheet.String())
		}
	}

	// A judge marks the first row y and leaves the second empty.
	filled := strings.Replace(sheet.String(), "you,\n", "you,y\n", 1)
	rows, err := ReadValidationSheet(strings.NewReader(filled), "sheet.csv")
	if err != nil {
		t.Fatal(err)
	}
	rep := SummarizeValidation(rows)
	if rep.Rows != 2 || rep.NotJudged != 1 || rep.Overall.Judged != 1 || rep.Overall.Correct != 1 {
		t.Errorf("report %+v: want 2 rows, 1 judged correct, 1 not judged", rep)
	}
	if len(rep.Themes) != 1 || rep.Themes[0].Theme != "blame" || math.Abs(rep.Themes[0].Low-0.2065) > 1e-4 {
		t.Errorf("themes %+v: want blame with the 1-of-1 Wilson interval", rep.Themes)
	}
}

func TestReadSampleHitsNotADataset(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := ReadSampleHits(dir, nil); err == nil || !strings.Contains(err.Error(), "theme_hits") {
		t.Errorf("err = %v, want one naming the missing theme_hits table", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, TableThemeHits), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, TableThemeHits, "part-00000.parquet"), []byte("not parquet at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadSampleHits(dir, nil); err == nil || !strings.Contains(err.Error(), "part-00000.parquet") {
		t.Errorf("err = %v, want an error naming the broken file (never a panic)", err)
	}
}

func TestReadValidationSheet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, csv, wantErr string
		wantVerdicts       []string
		reason             string
	}{
		{"verdict spellings", "theme,correct\nblame,Y\nblame,no\nblame,\nblame,✓\nfiring,0\n", "", []string{"y", "n", "", "y", "n"},
			"judges type y/Y/yes/✓ and n/no/0; empty is not judged"},
		{"extra and reordered columns", "correct,note,theme\ny,looks right,blame\n", "", []string{"y"},
			"columns are found by name, so a judge may add a notes column"},
		{"bad verdict", "theme,correct\nblame,maybe\n", "sheet.csv:2:", nil, "an unreadable verdict names its line"},
		{"no correct column", "theme\nblame\n", "no \"correct\" column", nil, "the verdict column is required"},
		{"empty file", "", "empty file", nil, "an empty sheet is an error, not an empty report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rows, err := ReadValidationSheet(strings.NewReader(tt.csv), "sheet.csv")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want %q (%s)", err, tt.wantErr, tt.reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.Correct)
			}
			if !reflect.DeepEqual(got, tt.wantVerdicts) {
				t.Errorf("verdicts %q, want %q (%s)", got, tt.wantVerdicts, tt.reason)
			}
		})
	}
}
