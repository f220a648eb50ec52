package textdump_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/threadlens/threadlens/scrape"
	"github.com/threadlens/threadlens/scrape/textdump"
)

// render prints a thread's comments one per line as
// `id<parent d=depth p=position "author" "text"`.
func render(th *scrape.Thread) string {
	var b strings.Builder
	for _, c := range th.Comments {
		fmt.Fprintf(&b, "%s<%s d=%d p=%d %q %q\n", c.ID, c.ParentID, c.Depth, c.Position, c.Author, c.Text)
	}
	return b.String()
}

func parseString(t testing.TB, s string) (*scrape.Thread, error) {
	t.Helper()
	return textdump.New().Parse(context.Background(), &scrape.Page{Source: "edge.txt", Body: []byte(s)}, scrape.Env{})
}

const head = "Title\n{ 9 comments… read them below }\n"

func TestParseEdgeCases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     string
		want   string // render() of the comments
		body   string // the post body, checked when not "-"
		lines  []int  // lines of the problems reported
		reason string
	}{
		{
			name: "list-without-star-is-body",
			in:   head + "  1. Ann*\n    Steps:\n    1. Tell your manager\n    2. Fix it\n",
			want: "1< d=1 p=1 \"Ann\" \"Steps:\\n1. Tell your manager\\n2. Fix it\"\n",
			body: "-", reason: "a numbered list item without the closing * is never a header",
		},
		{
			name: "list-with-stars-followed-by-sibling-item",
			in:   head + "  1. Ann*\n    1. Tell your manager*\n    2. Fix it*\n    Good luck.\n  2. Bo*\n    hi\n",
			want: "1< d=1 p=1 \"Ann\" \"1. Tell your manager*\\n2. Fix it*\\nGood luck.\"\n2< d=1 p=2 \"Bo\" \"hi\"\n",
			body: "-", reason: "a list item's next line is not indented two more, and the run of items ends in body text",
		},
		{
			name: "list-item-with-indented-continuation-then-body-text",
			in:   head + "  1. Ann*\n    My list:\n    1. Breathe*\n      (really)\n    then write it down.\n",
			want: "1< d=1 p=1 \"Ann\" \"My list:\\n1. Breathe*\\n  (really)\\nthen write it down.\"\n",
			body: "-", reason: "text of the parent after the would-be reply shows it was a list item",
		},
		{
			name: "list-item-indistinguishable-from-first-reply",
			in:   head + "  1. Ann*\n    My list:\n    1. Breathe*\n      (really)\n  2. Bo*\n",
			want: "1< d=1 p=1 \"Ann\" \"My list:\"\n1.1<1 d=2 p=1 \"Breathe\" \"(really)\"\n2< d=1 p=2 \"Bo\" \"\"\n",
			body: "-", reason: "number 1, next line two deeper and a header after it: the format's rule makes it a reply",
		},
		{
			name: "list-numbering-does-not-continue",
			in:   head + "  1. Ann*\n    Steps:\n    3. Fix it*\n      (indented)\n  2. Bo*\n",
			want: "1< d=1 p=1 \"Ann\" \"Steps:\\n3. Fix it*\\n  (indented)\"\n2< d=1 p=2 \"Bo\" \"\"\n",
			body: "-", reason: "a first reply must be numbered 1, so 3. is a list item",
		},
		{
			name: "list-in-reply-numbered-like-next-sibling",
			in:   head + "  1. Ann*\n    a\n    1. Bo*\n      b\n      2. Not a reply*\n      c\n    2. Cy*\n      d\n",
			want: "1< d=1 p=1 \"Ann\" \"a\"\n1.1<1 d=2 p=1 \"Bo\" \"b\\n2. Not a reply*\\nc\"\n1.2<1 d=2 p=2 \"Cy\" \"d\"\n",
			body: "-", reason: "a line at Bo's body indentation is Bo's text even if its number would continue Bo's own numbering",
		},
		{
			name: "author-with-digits-dots-and-star",
			in:   head + "  1. 3.14 Pi*Guy**\n    hi\n  2. J. R. R.*\n    yo\n",
			want: "1< d=1 p=1 \"3.14 Pi*Guy*\" \"hi\"\n2< d=1 p=2 \"J. R. R.\" \"yo\"\n",
			body: "-", reason: "only the last * closes the header; the author keeps digits, dots and inner stars",
		},
		{
			name: "body-line-just-star",
			in:   head + "  1. Ann*\n    *\n    footnote\n",
			want: "1< d=1 p=1 \"Ann\" \"*\\nfootnote\"\n",
			body: "-", reason: "a lone * has no number, so it is text",
		},
		{
			name: "empty-author",
			in:   head + "  1. *\n    anonymous\n",
			want: "1< d=1 p=1 \"\" \"anonymous\"\n",
			body: "-", reason: "\"1. *\" is a header with an empty author",
		},
		{
			name: "no-space-after-dot-is-not-header",
			in:   head + "  1. Ann*\n    1.*\n      x\n",
			want: "1< d=1 p=1 \"Ann\" \"1.*\\n  x\"\n",
			body: "-", reason: "the header needs \". \" before the author",
		},
		{
			name: "windows-line-endings",
			in:   strings.ReplaceAll(head+"  1. Ann*\n    line one\n    line two\n\n    para\nComments are closed.\n", "\n", "\r\n"),
			want: "1< d=1 p=1 \"Ann\" \"line one\\nline two\\n\\npara\"\n",
			body: "-", reason: "CRLF is read as LF; no \\r reaches the text",
		},
		{
			name: "old-mac-line-endings",
			in:   strings.ReplaceAll(head+"  1. Ann*\n    x\n", "\n", "\r"),
			want: "1< d=1 p=1 \"Ann\" \"x\"\n",
			body: "-", reason: "a lone CR is a line break",
		},
		{
			name: "byte-order-mark",
			in:   "\uFEFF" + head + "  1. Ann*\n    x\n",
			want: "1< d=1 p=1 \"Ann\" \"x\"\n",
			body: "-", reason: "a leading BOM is not part of the title",
		},
		{
			name: "tabs-in-indentation-and-text",
			in:   head + "  1. A*\n    a\n\tcode\tcell\n    1. B*\n      b\n      1. C*\n        c\n\t1. D*\n\t  d\n",
			want: "1< d=1 p=1 \"A\" \"a\\n    code\\tcell\"\n1.1<1 d=2 p=1 \"B\" \"b\"\n1.1.1<1.1 d=3 p=1 \"C\" \"c\"\n1.1.1.1<1.1.1 d=4 p=1 \"D\" \"d\"\n",
			body: "-", reason: "a leading tab advances to column 8 (depth 4 header, 10-column body); tabs after the indentation are kept",
		},
		{
			name: "no-break-space-indentation",
			in:   head + "\u00a0\u00a01. Ann*\n\u00a0\u00a0\u00a0\u00a0x\n",
			want: "1< d=1 p=1 \"Ann\" \"x\"\n",
			body: "-", reason: "text copied from a browser can indent with U+00A0",
		},
		{
			name: "header-with-no-body-then-sibling",
			in:   head + "  1. Ann*\n  2. Bo*\n    b\n",
			want: "1< d=1 p=1 \"Ann\" \"\"\n2< d=1 p=2 \"Bo\" \"b\"\n",
			body: "-", reason: "an empty comment is followed by its sibling's header",
		},
		{
			name: "first-reply-with-no-body",
			in:   head + "  1. Ann*\n    a\n    1. Bo*\n    2. Cy*\n      c\n  2. Di*\n",
			want: "1< d=1 p=1 \"Ann\" \"a\"\n1.1<1 d=2 p=1 \"Bo\" \"\"\n1.2<1 d=2 p=2 \"Cy\" \"c\"\n2< d=1 p=2 \"Di\" \"\"\n",
			body: "-", reason: "a bodiless first reply is followed by a sibling header that is itself a header",
		},
		{
			name: "empty-reply-with-its-own-reply",
			in:   head + "  1. Ann*\n    a\n    1. Bo*\n      1. Cy*\n        c\n",
			want: "1< d=1 p=1 \"Ann\" \"a\"\n1.1<1 d=2 p=1 \"Bo\" \"\"\n1.1.1<1.1 d=3 p=1 \"Cy\" \"c\"\n",
			body: "-", reason: "a reply's header is indented two more, like a body line",
		},
		{
			name: "header-with-no-body-at-end",
			in:   head + "  1. Ann*\n    a\n    1. Bo*\n",
			want: "1< d=1 p=1 \"Ann\" \"a\"\n1.1<1 d=2 p=1 \"Bo\" \"\"\n",
			body: "-", reason: "end of input follows a bodiless header",
		},
		{
			name: "blank-lines-with-trailing-spaces",
			in:   head + "  1. Ann*\n    one   \n      \n    \t\n\n    two\n   \n",
			want: "1< d=1 p=1 \"Ann\" \"one\\n\\ntwo\"\n",
			body: "-", reason: "white-space-only lines are blank; runs of them are one paragraph break; trailing spaces go",
		},
		{
			name: "missing-comments-are-closed",
			in:   head + "  1. Ann*\n    last line",
			want: "1< d=1 p=1 \"Ann\" \"last line\"\n",
			body: "-", reason: "the closing line is optional, and so is the final newline",
		},
		{
			name: "closing-line-ends-the-thread",
			in:   head + "  1. Ann*\n    a\nComments are closed.\nLeave a Reply\nName*\n",
			want: "1< d=1 p=1 \"Ann\" \"a\"\n",
			body: "-", reason: "page furniture after the closing line is ignored",
		},
		{
			name: "indented-closing-words-are-text",
			in:   head + "  1. Ann*\n    Comments are closed.\n    On my blog, anyway.\n",
			want: "1< d=1 p=1 \"Ann\" \"Comments are closed.\\nOn my blog, anyway.\"\n",
			body: "-", reason: "only an unindented line closes the thread",
		},
		{
			name: "post-body-paragraphs",
			in:   "Title\nline one\nline two\n\n\n  indented quote\n{ 1 comment… read it below }\n",
			want: "",
			body: "line one\nline two\n\n  indented quote", reason: "the post body keeps line breaks and indentation; blank runs are one break",
		},
		{
			name: "title-only",
			in:   "Just a title\n",
			want: "", body: "", reason: "a thread with no body and no comments is still a thread",
		},
		{
			name: "first-top-level-gap-after-count",
			in:   head + "  2. Bo*\n    b\n",
			want: "2< d=1 p=1 \"Bo\" \"b\"\n",
			body: "-", lines: []int{3}, reason: "after the count line any number opens a comment; the gap is reported",
		},
		{
			name: "sibling-gap-reported",
			in:   head + "  1. Ann*\n    a\n  3. Cy*\n    c\n  4. Di*\n    d\n",
			want: "1< d=1 p=1 \"Ann\" \"a\"\n3< d=1 p=2 \"Cy\" \"c\"\n4< d=1 p=3 \"Di\" \"d\"\n",
			body: "-", lines: []int{5}, reason: "a held or deleted comment leaves a gap: IDs keep the header numbers, positions come from BuildTree, one report per sibling group",
		},
		{
			name: "first-reply-gap-reads-as-body",
			in:   head + "  1. Ann*\n    a\n    2. Bo*\n      b\n",
			want: "1< d=1 p=1 \"Ann\" \"a\\n2. Bo*\\n  b\"\n",
			body: "-", reason: "documented limit: a first reply must be 1, so a deleted first reply makes the next one body text",
		},
		{
			name: "header-too-deep-is-orphan",
			in:   head + "  1. Ann*\n    a\n      1. Deep*\n        d\n    1. Bo*\n      b\n",
			want: "1< d=1 p=1 \"Ann\" \"a\"\n1.0.1< d=1 p=2 \"Deep\" \"d\"\n1.1<1 d=2 p=1 \"Bo\" \"b\"\n",
			body: "-", lines: []int{5, 5}, reason: "a header two levels below its parent is kept as an orphan (repaired to top level) and reported",
		},
		{
			name: "duplicate-number-gets-suffix",
			in:   head + "  1. Ann*\n    a\n  1. Ann again*\n    b\n    1. Cy*\n      c\n",
			want: "1< d=1 p=1 \"Ann\" \"a\"\n1~2< d=1 p=2 \"Ann again\" \"b\"\n1~2.1<1~2 d=2 p=1 \"Cy\" \"c\"\n",
			body: "-", lines: []int{5}, reason: "a repeated number gets BuildTree's ~N suffix and its replies follow it",
		},
		{
			name: "under-indented-body-line",
			in:   head + "  1. Ann*\n    a\n  b\n",
			want: "1< d=1 p=1 \"Ann\" \"a\\nb\"\n",
			body: "-", lines: []int{5}, reason: "a body line indented less than its comment is kept and reported",
		},
		{
			name: "text-between-count-and-first-header",
			in:   head + "Sort by: newest\n  1. Ann*\n    a\n",
			want: "1< d=1 p=1 \"Ann\" \"a\"\n",
			body: "-", lines: []int{3}, reason: "page furniture before the first comment is dropped and reported",
		},
		{
			name: "no-count-line-first-header-ends-body",
			in:   "Title\nbody\n  1. Ann*\n    a\n",
			want: "1< d=1 p=1 \"Ann\" \"a\"\n",
			body: "body", reason: "without a count line the post body ends at the first header",
		},
		{
			name: "no-count-line-list-in-letter",
			in:   "Title\n  1. First thing*\n  2. Second thing*\nMore letter.\n  1. Ann*\n    a\n",
			want: "1< d=1 p=1 \"Ann\" \"a\"\n",
			body: "  1. First thing*\n  2. Second thing*\nMore letter.", reason: "a list in the letter is not followed like a header",
		},
		{
			name: "deep-body-text-with-header-shape",
			in:   head + "  1. Ann*\n    a\n        7. deeply indented*\n    b\n",
			want: "1< d=1 p=1 \"Ann\" \"a\\n    7. deeply indented*\\nb\"\n",
			body: "-", reason: "extra indentation inside a body is kept, even when the line has a header's shape",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			th, err := parseString(t, tt.in)
			if th == nil {
				t.Fatalf("%s: no thread: %v", tt.reason, err)
			}
			if got := render(th); got != tt.want {
				t.Errorf("%s\ngot:\n%swant:\n%s", tt.reason, got, tt.want)
			}
			if tt.body != "-" && th.Body != tt.body {
				t.Errorf("%s: body = %q, want %q", tt.reason, th.Body, tt.body)
			}
			var lines []int
			for _, pe := range parseErrors(err) {
				lines = append(lines, pe.Line)
			}
			if !slices.Equal(lines, tt.lines) {
				t.Errorf("%s: problem lines %v, want %v (err: %v)", tt.reason, lines, tt.lines, err)
			}
			checkTree(t, th)
		})
	}
}

func TestCountLine(t *testing.T) {
	t.Parallel()
	n := func(v int) *int { return &v }
	tests := []struct {
		name, line string
		want       *int
		reason     string
	}{
		{"ellipsis", "{ 52 comments… read them below }", n(52), "the usual form"},
		{"three-dots", "{ 52 comments... read them below }", n(52), "ASCII dots"},
		{"singular", "{ 1 comment… read it below }", n(1), "one comment"},
		{"thousands", "{ 1,234 comments… read them below }", n(1234), "a thousands separator"},
		{"zero", "{ 0 comments… add one }", n(0), "no comments yet"},
		{"tight-braces", "{12 comments}", n(12), "spacing varies"},
		{"not-count", "{ 12 commentators agree }", nil, "\"commentators\" is not \"comments\""},
		{"no-braces", "12 comments", nil, "the braces are part of the format"},
		{"absent", "", nil, "no count line: declared count is null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			th, _ := parseString(t, "Title\n"+tt.line+"\n  1. Ann*\n    a\n")
			got := th.DeclaredComments
			if (got == nil) != (tt.want == nil) || (got != nil && *got != *tt.want) {
				t.Errorf("%s: declared = %v, want %v", tt.reason, ptr(got), ptr(tt.want))
			}
			if len(th.Comments) != 1 {
				t.Errorf("%s: %d comments, want 1", tt.reason, len(th.Comments))
			}
		})
	}
}

func ptr(p *int) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}

func TestParseFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		line     int
		sentinel error
		reason   string
	}{
		{"empty", "", 0, scrape.ErrEmpty, "nothing to parse"},
		{"blank", " \n\t\n", 0, scrape.ErrEmpty, "only white space"},
		{"header-first", "\n  1. Ann*\n    a\n", 2, scrape.ErrMalformed, "no title: the first line is a comment header"},
		{"count-first", "{ 3 comments… read them below }\n  1. Ann*\n    a\n", 1, scrape.ErrMalformed, "no title: the first line is the count line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			th, err := parseString(t, tt.in)
			if th != nil {
				t.Errorf("%s: got a thread %q", tt.reason, th.Title)
			}
			var pe *scrape.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, tt.sentinel) || pe.Line != tt.line || pe.Source != "edge.txt" {
				t.Errorf("%s: err = %v, want a ParseError at line %d wrapping %v", tt.reason, err, tt.line, tt.sentinel)
			}
		})
	}
}

func TestNumberingErrorIsTyped(t *testing.T) {
	t.Parallel()
	th, err := parseString(t, head+"  1. Ann*\n    a\n  3. Cy*\n    c\n")
	if th == nil || len(th.Comments) != 2 {
		t.Fatalf("the thread must still be returned: %v", err)
	}
	var pe *scrape.ParseError
	if !errors.Is(err, textdump.ErrNumbering) || !errors.As(err, &pe) || pe.Line != 5 || pe.Adapter != "textdump" {
		t.Errorf("err = %v, want a ParseError at line 5 wrapping ErrNumbering", err)
	}
}

func TestSniff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, head string
		want       bool
		reason     string
	}{
		{"textdump", "Title\nbody\n{ 3 comments… read them below }\n  1. Ann*\n    a\n", true, "count line and headers"},
		{"headers-only", "Title\nbody\n  1. Ann*\n    a\n", true, "a header line is enough"},
		{"count-only", "Title\n{ 0 comments… add one }\n", true, "the count line is enough"},
		{"bom-crlf", "\uFEFFTitle\r\n  1. Ann*\r\n    a\r\n", true, "BOM and CRLF"},
		{"html", "<!DOCTYPE html>\n<p>  1. Ann*</p>\n", false, "HTML is another adapter's"},
		{"json", "{\"a\": \"\\n  1. Ann*\"}\n", false, "JSON starts with {"},
		{"json-array", "[{\"kind\": \"Listing\"}]", false, "Reddit JSON starts with ["},
		{"xml", "<?xml version=\"1.0\"?>\n<rss/>", false, "feeds are XML"},
		{"plain-prose", "Dear diary,\nToday I wrote 1. a list\n", false, "no header or count line"},
		{"bracket-title", "[Update] My boss yells\n  1. Ann*\n    a\n", true, "a title may start with a bracket"},
		{"heart-title", "<3 my team\n  1. Ann*\n    a\n", true, "a title may start with <"},
		{"json-object-spaced", "{\n  \"a\": \"  1. x*\"\n}", false, "pretty-printed JSON"},
		{"odd-indent", "Title\n 1. Ann*\n", false, "headers are indented by an even number of spaces"},
	}
	a := textdump.New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := a.Sniff("", []byte(tt.head)); got != tt.want {
				t.Errorf("%s: Sniff = %v, want %v", tt.reason, got, tt.want)
			}
		})
	}
}

func TestSlug(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, title, want, reason string
	}{
		{"plain", "My Boss Yells", "my-boss-yells", "lowercase, hyphens"},
		{"curly-apostrophe", "I Don’t Know What I’m Doing", "i-dont-know-what-im-doing", "apostrophes join words"},
		{"accents", "Café résumé naïve Ærø straße", "cafe-resume-naive-aero-strasse", "transliterated"},
		{"punctuation", "  “Help!” — a payroll mistake (again)…  ", "help-a-payroll-mistake-again", "punctuation separates words, no edge hyphens"},
		{"ampersand", "Q&A: bosses & burnout", "q-and-a-bosses-and-burnout", "& reads as and"},
		{"digits", "1,234 comments in 2024?", "1-234-comments-in-2024", "digits kept"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := textdump.Slug(tt.title); got != tt.want {
				t.Errorf("%s: Slug(%q) = %q, want %q", tt.reason, tt.title, got, tt.want)
			}
		})
	}
	if a, b := textdump.Slug("上司が怒鳴る"), textdump.Slug("上司が怒鳴る"); a != b || !strings.HasPrefix(a, "t-") || len(a) != 14 {
		t.Errorf("a title with no Latin letters gets a stable hash slug, got %q and %q", a, b)
	}
	long := strings.Repeat("word ", 60)
	if s := textdump.Slug(long); len(s) > 100 || strings.HasSuffix(s, "-") || !strings.HasPrefix(s, "word-word") {
		t.Errorf("long titles are cut at a word boundary to ≤100 characters, got %q", s)
	}
}

// checkTree asserts the tree invariants: unique IDs, every parent exists
// and precedes its child, depth = parent depth + 1, positions 1..n per
// parent in document order, doc_order 1..N.
func checkTree(t testing.TB, th *scrape.Thread) {
	t.Helper()
	index := map[string]int{}
	next := map[string]int{}
	for i, c := range th.Comments {
		if _, dup := index[c.ID]; dup {
			t.Fatalf("duplicate comment ID %q", c.ID)
		}
		index[c.ID] = i
		if c.DocOrder != i+1 {
			t.Fatalf("comment %s: doc_order %d, want %d", c.ID, c.DocOrder, i+1)
		}
		if c.ParentID == "" {
			if c.Depth != 1 {
				t.Fatalf("top-level comment %s has depth %d", c.ID, c.Depth)
			}
		} else {
			p, ok := index[c.ParentID]
			if !ok {
				t.Fatalf("comment %s: parent %q missing or after it", c.ID, c.ParentID)
			}
			if c.Depth != th.Comments[p].Depth+1 {
				t.Fatalf("comment %s: depth %d, parent depth %d", c.ID, c.Depth, th.Comments[p].Depth)
			}
		}
		next[c.ParentID]++
		if c.Position != next[c.ParentID] {
			t.Fatalf("comment %s: position %d, want %d", c.ID, c.Position, next[c.ParentID])
		}
	}
}
