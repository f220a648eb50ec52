package scrape

import (
	"strings"
	"testing"
)

func TestTextFromHTMLString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want, reason string
	}{
		{"paragraphs", "<p>One.</p><p>Two.</p>", "One.\n\nTwo.", "paragraphs are separated by a blank line"},
		{"br", "<p>Line one<br>line two<br/>line three</p>", "Line one\nline two\nline three", "<br> is a single line break"},
		{"entities", "<p>Tom &amp; Jerry &lt;3 &#8220;hi&#8221; &rsquo;</p>", "Tom & Jerry <3 \u201chi\u201d \u2019", "entities decoded, typographic characters kept"},
		{"whitespace", "<p>  lots   of\n\t space  </p>", "lots of space", "runs of white space fold"},
		{"inline", "<p>I <em>really</em> <strong>mean</strong> it</p>", "I really mean it", "inline markup is dropped without extra spaces"},
		{"quote", "<p>You wrote:</p><blockquote><p>My boss yelled.</p></blockquote><p>Ouch.</p>", "You wrote:\n\nMy boss yelled.\n\nOuch.", "a quoted passage is its own paragraph"},
		{"script", "<p>Hi<script>alert(1)</script></p><style>p{}</style>", "Hi", "script and style are dropped"},
		{"bare text", "plain text\n\nsecond", "plain text\n\nsecond", "text without markup keeps its paragraphs"},
		{"list", "<ul><li>one</li><li>two</li></ul>", "one\n\ntwo", "list items are paragraphs"},
		{"double br", "<p>a<br><br>b</p>", "a\nb", "a run of <br> is one break"},
		{"nbsp", "<p>a&nbsp;b</p>", "a\u00a0b", "a no-break space is kept as written"},
		{"emoji img", `<p>ok <img class="wp-smiley" alt="🙂" src="x.png"></p>`, "ok 🙂", "WordPress emoji images keep their character"},
		{"pre", "<pre>a  b\n  c</pre>", "a  b\n  c", "pre keeps its spacing"},
		{"empty", "", "", "empty input gives empty text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := TextFromHTMLString(tc.in); got != tc.want {
				t.Errorf("TextFromHTMLString(%q) = %q, want %q (%s)", tc.in, got, tc.want, tc.reason)
			}
		})
	}
}

func TestTextFromHTMLDeep(t *testing.T) {
	t.Parallel()
	in := strings.Repeat("<div>", 5000) + "deep" + strings.Repeat("</div>", 5000)
	if got := TextFromHTMLString(in); got != "deep" {
		t.Errorf("deep nesting: got %.80q…, want \"deep\"", got)
	}
}

func FuzzTextFromHTMLString(f *testing.F) {
	f.Add("<p>a<br>b</p><blockquote>c</blockquote>")
	f.Fuzz(func(t *testing.T, s string) {
		out := TextFromHTMLString(s)
		if strings.Contains(out, "\n\n\n") {
			t.Fatalf("three newlines in %q", out)
		}
	})
}
