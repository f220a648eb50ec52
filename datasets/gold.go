package datasets

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// GoldThemes are the six themes of THEMES.md, in the order reports list
// them. Gold labels may use no other theme.
var GoldThemes = []string{"blame", "accountability", "burnout", "yelling", "firing", "process"}

// GoldLabelsFile is the name of the labels file inside a gold directory.
const GoldLabelsFile = "labels.jsonl"

// ErrGoldInvalid is wrapped by every [GoldError] that reports a label
// breaking the gold format (unknown theme, bad offsets, span text that
// does not match the comment text…).
var ErrGoldInvalid = errors.New("invalid gold label")

// GoldComment is one comment of the gold set: its text and the themes a
// human found in it, each with its evidence spans. It is one line of
// labels.jsonl.
type GoldComment struct {
	// ID is unique within the gold set, e.g. "payroll-error-07".
	ID string `json:"id"`
	// Thread names the thread the comment belongs to.
	Thread string `json:"thread"`
	// Text is the comment's plain text, paragraphs separated by "\n\n".
	Text string `json:"text"`
	// Labels are the comment's themes; empty (never null in the file)
	// when the comment has none.
	Labels []GoldLabel `json:"labels"`
}

// GoldLabel is one theme on a gold comment with the spans that show it.
type GoldLabel struct {
	// Theme is one of [GoldThemes].
	Theme string `json:"theme"`
	// Spans are the evidence, in text order; at least one.
	Spans []GoldSpan `json:"spans"`
}

// GoldSpan is one piece of evidence: a cue in the comment text and how it
// is used.
type GoldSpan struct {
	// Start and End are code-point offsets into the comment text
	// (Python's text[start:end]).
	Start int `json:"start"`
	End   int `json:"end"`
	// Text is the spanned text, text[Start:End].
	Text string `json:"text"`
	// Negated and Hedged follow the flag definitions of THEMES.md.
	Negated bool `json:"negated"`
	Hedged  bool `json:"hedged"`
}

// HasTheme reports whether the comment carries theme.
func (c *GoldComment) HasTheme(theme string) bool {
	for _, l := range c.Labels {
		if l.Theme == theme {
			return true
		}
	}
	return false
}

// ThemeSet returns the comment's themes as a set.
func (c *GoldComment) ThemeSet() map[string]bool {
	set := make(map[string]bool, len(c.Labels))
	for _, l := range c.Labels {
		set[l.Theme] = true
	}
	return set
}

// GoldError is a problem with one line of a gold labels file.
type GoldError struct {
	// Path is the file as given.
	Path string
	// Line is the 1-based line number, 0 when the problem is not tied to
	// a line.
	Line int
	// Err is the underlying error; errors.Is(err, ErrGoldInvalid) holds
	// for format violations.
	Err error
}

// Error implements error: "PATH:LINE: ERR".
func (e *GoldError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

// Unwrap returns the underlying error.
func (e *GoldError) Unwrap() error { return e.Err }

// ReadGold reads a gold labels file. path is either the file or a
// directory holding [GoldLabelsFile]. Every line is validated (see
// [ValidateGoldComment]) and IDs must be unique; all problems are returned
// joined, each a *[GoldError] with its line, together with the comments
// that were valid.
func ReadGold(path string) ([]GoldComment, error) {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		path = filepath.Join(path, GoldLabelsFile)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return DecodeGold(f, path)
}

// DecodeGold reads gold comments in the labels.jsonl format from r; name
// is used in errors. See [ReadGold].
func DecodeGold(r io.Reader, name string) ([]GoldComment, error) {
	var (
		comments []GoldComment
		errs     []error
		seen     = map[string]int{}
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		var c GoldComment
		if err := json.Unmarshal(raw, &c); err != nil {
			errs = append(errs, &GoldError{Path: name, Line: line, Err: fmt.Errorf("%w: %v", ErrGoldInvalid, err)})
			continue
		}
		if first, dup := seen[c.ID]; dup && c.ID != "" {
			errs = append(errs, &GoldError{Path: name, Line: line, Err: fmt.Errorf("%w: duplicate id %q (first on line %d)", ErrGoldInvalid, c.ID, first)})
			continue
		}
		if err := ValidateGoldComment(&c); err != nil {
			errs = append(errs, &GoldError{Path: name, Line: line, Err: err})
			continue
		}
		seen[c.ID] = line
		if c.Labels == nil {
			c.Labels = []GoldLabel{}
		}
		comments = append(comments, c)
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, &GoldError{Path: name, Line: line + 1, Err: err})
	}
	return comments, errors.Join(errs...)
}

// ValidateGoldComment checks one gold comment: a non-empty ID and valid
// UTF-8 text; each label a known theme, used once, with at least one span;
// each span within the text (0 <= start < end <= code points), its Text
// equal to the text between its offsets, spans of a label not
// overlapping. The returned error wraps [ErrGoldInvalid].
func ValidateGoldComment(c *GoldComment) error {
	if c.ID == "" {
		return fmt.Errorf("%w: missing id", ErrGoldInvalid)
	}
	if !utf8.ValidString(c.Text) {
		return fmt.Errorf("%w: %s: text is not valid UTF-8", ErrGoldInvalid, c.ID)
	}
	runes := []rune(c.Text)
	themes := map[string]bool{}
	for _, l := range c.Labels {
		if !slices.Contains(GoldThemes, l.Theme) {
			return fmt.Errorf("%w: %s: unknown theme %q (want one of %s)", ErrGoldInvalid, c.ID, l.Theme, strings.Join(GoldThemes, ", "))
		}
		if themes[l.Theme] {
			return fmt.Errorf("%w: %s: theme %q labeled twice", ErrGoldInvalid, c.ID, l.Theme)
		}
		themes[l.Theme] = true
		if len(l.Spans) == 0 {
			return fmt.Errorf("%w: %s: theme %q has no evidence span", ErrGoldInvalid, c.ID, l.Theme)
		}
		prevEnd := -1
		for _, s := range l.Spans {
			if s.Start < 0 || s.Start >= s.End || s.End > len(runes) {
				return fmt.Errorf("%w: %s: %s span [%d,%d) outside the text (%d code points)", ErrGoldInvalid, c.ID, l.Theme, s.Start, s.End, len(runes))
			}
			if got := string(runes[s.Start:s.End]); got != s.Text {
				return fmt.Errorf("%w: %s: %s span [%d,%d) is %q, label says %q", ErrGoldInvalid, c.ID, l.Theme, s.Start, s.End, got, s.Text)
			}
			if s.Start < prevEnd {
				return fmt.Errorf("%w: %s: %s spans overlap or are out of order at [%d,%d)", ErrGoldInvalid, c.ID, l.Theme, s.Start, s.End)
			}
			prevEnd = s.End
		}
	}
	return nil
}

// EncodeGold writes comments in the labels.jsonl format: one JSON object
// per line, labels in [GoldThemes] order, spans in text order.
func EncodeGold(w io.Writer, comments []GoldComment) error {
	bw := bufio.NewWriter(w)
	for _, c := range comments {
		c.Labels = sortedGoldLabels(c.Labels)
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(c); err != nil {
			return err
		}
		if _, err := bw.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func sortedGoldLabels(labels []GoldLabel) []GoldLabel {
	out := make([]GoldLabel, len(labels))
	copy(out, labels)
	for i := range out {
		out[i].Spans = slices.Clone(out[i].Spans)
		slices.SortFunc(out[i].Spans, func(a, b GoldSpan) int { return a.Start - b.Start })
	}
	slices.SortStableFunc(out, func(a, b GoldLabel) int {
		return goldThemeRank(a.Theme) - goldThemeRank(b.Theme)
	})
	return out
}

func goldThemeRank(theme string) int {
	if i := slices.Index(GoldThemes, theme); i >= 0 {
		return i
	}
	return len(GoldThemes)
}

// ParseGoldMarkup reads gold comments written in the authoring markup of
// datasets/gold/src (see datasets/gold/README.md) and computes every
// span's offsets from the markup, so no offset is ever counted by hand.
//
// A file starts with header lines ("thread: NAME"; lines starting with
// "#" are notes and are ignored), then one block per comment opened by a
// line "=== ID". A block's text runs to the next "===" line, with leading
// and trailing blank lines removed. Inside the text, evidence is marked
// {{THEME[:FLAGS][;THEME[:FLAGS]…]|span text}} where FLAGS is any of "n"
// (negated) and "h" (hedged); the markup is removed from the stored text.
// name is used in errors, which are *[GoldError] values with the line.
func ParseGoldMarkup(r io.Reader, name string) ([]GoldComment, error) {
	var (
		thread   string
		comments []GoldComment
		errs     []error
		cur      *GoldComment
		curLine  int
		body     []string
	)
	flush := func() {
		if cur == nil {
			return
		}
		for len(body) > 0 && strings.TrimSpace(body[0]) == "" {
			body = body[1:]
			curLine++
		}
		for len(body) > 0 && strings.TrimSpace(body[len(body)-1]) == "" {
			body = body[:len(body)-1]
		}
		c, err := goldFromMarkup(cur.ID, thread, strings.Join(body, "\n"))
		if err != nil {
			errs = append(errs, &GoldError{Path: name, Line: curLine, Err: err})
		} else {
			comments = append(comments, c)
		}
		cur, body = nil, nil
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), " \t\r")
		if id, ok := strings.CutPrefix(text, "=== "); ok {
			flush()
			cur = &GoldComment{ID: strings.TrimSpace(id)}
			curLine = line + 1
			continue
		}
		if cur != nil {
			body = append(body, text)
			continue
		}
		switch {
		case strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#"):
		case strings.HasPrefix(text, "thread:"):
			thread = strings.TrimSpace(strings.TrimPrefix(text, "thread:"))
		case strings.HasPrefix(text, "title:"):
		default:
			errs = append(errs, &GoldError{Path: name, Line: line, Err: fmt.Errorf("%w: unexpected header line %q", ErrGoldInvalid, text)})
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		errs = append(errs, &GoldError{Path: name, Line: line + 1, Err: err})
	}
	return comments, errors.Join(errs...)
}

// goldFromMarkup strips the {{…|…}} markup from marked and records each
// marked span's code-point offsets in the stripped text.
func goldFromMarkup(id, thread, marked string) (GoldComment, error) {
	c := GoldComment{ID: id, Thread: thread}
	var (
		out    strings.Builder
		outLen int // code points written to out
		spans  = map[string][]GoldSpan{}
		order  []string
	)
	rest := marked
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			break
		}
		out.WriteString(rest[:i])
		outLen += utf8.RuneCountInString(rest[:i])
		rest = rest[i+2:]
		j := strings.Index(rest, "}}")
		if j < 0 {
			return c, fmt.Errorf("%w: %s: unclosed {{", ErrGoldInvalid, id)
		}
		inner := rest[:j]
		rest = rest[j+2:]
		spec, spanText, ok := strings.Cut(inner, "|")
		if !ok || spanText == "" || strings.Contains(spanText, "{{") {
			return c, fmt.Errorf("%w: %s: bad markup {{%s}}", ErrGoldInvalid, id, inner)
		}
		start := outLen
		out.WriteString(spanText)
		outLen += utf8.RuneCountInString(spanText)
		for part := range strings.SplitSeq(spec, ";") {
			theme, flags, _ := strings.Cut(strings.TrimSpace(part), ":")
			if strings.Trim(flags, "nh") != "" {
				return c, fmt.Errorf("%w: %s: bad flags %q in {{%s}}", ErrGoldInvalid, id, flags, inner)
			}
			if _, seen := spans[theme]; !seen {
				order = append(order, theme)
			}
			spans[theme] = append(spans[theme], GoldSpan{
				Start: start, End: outLen, Text: spanText,
				Negated: strings.Contains(flags, "n"), Hedged: strings.Contains(flags, "h"),
			})
		}
	}
	if strings.Contains(rest, "}}") {
		return c, fmt.Errorf("%w: %s: stray }}", ErrGoldInvalid, id)
	}
	out.WriteString(rest)
	c.Text = out.String()
	c.Labels = []GoldLabel{}
	for _, theme := range order {
		c.Labels = append(c.Labels, GoldLabel{Theme: theme, Spans: spans[theme]})
	}
	c.Labels = sortedGoldLabels(c.Labels)
	if err := ValidateGoldComment(&c); err != nil {
		return c, err
	}
	return c, nil
}

// ThemeAgreement is the agreement of two labelings on one theme at the
// comment level (theme present or not).
type ThemeAgreement struct {
	// Theme is the theme compared.
	Theme string `json:"theme"`
	// N is the number of comments both labelings hold.
	N int `json:"n"`
	// Both, OnlyA, OnlyB and Neither count comments by who tagged the theme.
	Both  int `json:"both"`
	OnlyA int `json:"only_a"`
	OnlyB int `json:"only_b"`
	// Neither counts comments neither labeling tagged with the theme.
	Neither int `json:"neither"`
	// Observed is the observed agreement (Both+Neither)/N.
	Observed float64 `json:"observed"`
	// Kappa is Cohen's kappa; 1 when both labelings agree on every
	// comment, even if neither ever uses the theme (chance agreement 1).
	Kappa float64 `json:"kappa"`
	// Disagreements are the IDs of comments the labelings disagree on.
	Disagreements []string `json:"disagreements"`
}

// GoldAgreement computes Cohen's kappa per theme of [GoldThemes] between
// two labelings of the same comments, matched by ID; comments only one
// labeling holds are ignored. It also returns the number of comments
// compared.
func GoldAgreement(a, b []GoldComment) ([]ThemeAgreement, int) {
	byID := make(map[string]*GoldComment, len(b))
	for i := range b {
		byID[b[i].ID] = &b[i]
	}
	type pair struct{ a, b map[string]bool }
	var (
		pairs []pair
		ids   []string
	)
	for i := range a {
		if other, ok := byID[a[i].ID]; ok {
			pairs = append(pairs, pair{a[i].ThemeSet(), other.ThemeSet()})
			ids = append(ids, a[i].ID)
		}
	}
	out := make([]ThemeAgreement, 0, len(GoldThemes))
	for _, theme := range GoldThemes {
		ag := ThemeAgreement{Theme: theme, N: len(pairs), Disagreements: []string{}}
		for i, p := range pairs {
			switch inA, inB := p.a[theme], p.b[theme]; {
			case inA && inB:
				ag.Both++
			case inA:
				ag.OnlyA++
				ag.Disagreements = append(ag.Disagreements, ids[i])
			case inB:
				ag.OnlyB++
				ag.Disagreements = append(ag.Disagreements, ids[i])
			default:
				ag.Neither++
			}
		}
		ag.Observed, ag.Kappa = cohenKappa(ag.Both, ag.OnlyA, ag.OnlyB, ag.Neither)
		out = append(out, ag)
	}
	return out, len(pairs)
}

// cohenKappa returns the observed agreement and Cohen's kappa of a 2×2
// table.
func cohenKappa(both, onlyA, onlyB, neither int) (observed, kappa float64) {
	n := float64(both + onlyA + onlyB + neither)
	if n == 0 {
		return 0, 0
	}
	observed = float64(both+neither) / n
	aYes := float64(both+onlyA) / n
	bYes := float64(both+onlyB) / n
	chance := aYes*bYes + (1-aYes)*(1-bYes)
	if chance >= 1 {
		return observed, 1
	}
	return observed, (observed - chance) / (1 - chance)
}
