package scrape

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blockElements start and end a paragraph.
var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Blockquote: true, atom.Li: true,
	atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Pre: true, atom.Table: true, atom.Tr: true,
	atom.Section: true, atom.Article: true, atom.Header: true,
	atom.Footer: true, atom.Figure: true, atom.Figcaption: true, atom.Hr: true,
	atom.Aside: true, atom.Details: true, atom.Summary: true,
}

// skippedElements contribute no text.
var skippedElements = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true,
	atom.Template: true, atom.Iframe: true, atom.Object: true,
	atom.Svg: true, atom.Button: true, atom.Form: true, atom.Input: true,
	atom.Select: true, atom.Textarea: true, atom.Head: true,
}

// TextFromHTML returns the plain text of n and its descendants.
//
// Block elements (p, div, blockquote, li, headings, …) become paragraphs
// separated by one blank line; <br> becomes a single line break; runs of
// white space inside a paragraph fold to one space (kept inside <pre>);
// entities are decoded by the HTML parser; typographic characters are kept
// as written; script, style and form controls are dropped. A quoted passage
// (<blockquote>) is its own paragraph. The walk is iterative.
func TextFromHTML(n *html.Node) string {
	var w textWriter
	if n == nil {
		return ""
	}
	// Iterative pre/post-order walk over n's subtree.
	cur := n
	for cur != nil {
		descend := w.enter(cur)
		if descend && cur.FirstChild != nil {
			cur = cur.FirstChild
			continue
		}
		// Leave cur, then climb until a next sibling exists.
		for cur != nil {
			if cur != n || descend {
				w.leave(cur)
			}
			if cur == n {
				cur = nil
				break
			}
			if cur.NextSibling != nil {
				cur = cur.NextSibling
				break
			}
			cur = cur.Parent
			descend = true
		}
	}
	return w.String()
}

// TextFromHTMLString parses an HTML fragment and returns its plain text as
// [TextFromHTML] does.
func TextFromHTMLString(fragment string) string {
	if !strings.ContainsAny(fragment, "<&") {
		return normalizePlain(fragment)
	}
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), ctx)
	if err != nil {
		// Deeper than the parser's 512 open elements: fall back to the
		// tokenizer, which has no depth limit.
		return textFromTokens(fragment)
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, c := range nodes {
		root.AppendChild(c)
	}
	return TextFromHTML(root)
}

// normalizePlain applies the paragraph rules to text with no markup:
// lines are trimmed, runs of blank lines become one.
func normalizePlain(s string) string {
	var w textWriter
	for line := range strings.Lines(s) {
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" {
			w.paragraph()
			continue
		}
		w.text(line)
		w.lineBreak()
	}
	return w.String()
}

type textWriter struct {
	paras []string
	cur   strings.Builder
	pre   int  // depth inside <pre>
	space bool // a space is pending before the next word
}

func (w *textWriter) enter(n *html.Node) bool {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return false
	case html.ElementNode:
		if skippedElements[n.DataAtom] {
			return false
		}
		if n.DataAtom == atom.Br {
			w.lineBreak()
			return false
		}
		if n.DataAtom == atom.Img {
			// Emoji images carry the character in alt (WordPress wp-smiley).
			if alt := attr(n, "alt"); alt != "" && hasClass(n, "emoji", "wp-smiley") {
				w.text(alt)
			}
			return false
		}
		if blockElements[n.DataAtom] {
			w.paragraph()
		}
		if n.DataAtom == atom.Pre {
			w.pre++
		}
		return true
	case html.DocumentNode:
		return true
	}
	return false
}

func (w *textWriter) leave(n *html.Node) {
	if n.Type != html.ElementNode {
		return
	}
	if n.DataAtom == atom.Pre {
		w.preParagraph()
		w.pre--
		return
	}
	if blockElements[n.DataAtom] {
		w.paragraph()
	}
}

// preParagraph ends a <pre> paragraph, keeping its indentation.
func (w *textWriter) preParagraph() {
	s := strings.Trim(w.cur.String(), "\n")
	if strings.TrimSpace(s) != "" {
		w.paras = append(w.paras, strings.TrimRight(s, " \t\n"))
	}
	w.cur.Reset()
	w.space = false
}

func (w *textWriter) text(s string) {
	if w.pre > 0 {
		for i, line := range strings.Split(s, "\n") {
			if i > 0 {
				w.lineBreak()
			}
			w.cur.WriteString(line)
		}
		return
	}
	// Fold white space (ASCII only: a no-break space is kept as written).
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && !isFoldSpace(s[i]) {
			continue
		}
		if i > start {
			if w.space && w.cur.Len() > 0 && !endsWithNewline(&w.cur) {
				w.cur.WriteByte(' ')
			}
			w.space = false
			w.cur.WriteString(s[start:i])
		}
		if i < len(s) {
			w.space = true
		}
		start = i + 1
	}
}

func isFoldSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f'
}

func endsWithNewline(b *strings.Builder) bool {
	s := b.String()
	return len(s) > 0 && s[len(s)-1] == '\n'
}

func (w *textWriter) lineBreak() {
	// Trim trailing spaces on the line, then break.
	s := strings.TrimRight(w.cur.String(), " ")
	w.cur.Reset()
	w.cur.WriteString(s)
	w.cur.WriteByte('\n')
	w.space = false
}

func (w *textWriter) paragraph() {
	s := strings.TrimSpace(trimLines(w.cur.String()))
	if s != "" {
		w.paras = append(w.paras, s)
	}
	w.cur.Reset()
	w.space = false
}

// trimLines trims spaces at both ends of each line and drops blank lines
// inside a paragraph (a <br><br> run is one break).
func trimLines(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.Trim(l, " \t")
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func (w *textWriter) String() string {
	w.paragraph()
	return strings.Join(w.paras, "\n\n")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, classes ...string) bool {
	for _, f := range strings.Fields(attr(n, "class")) {
		for _, c := range classes {
			if f == c {
				return true
			}
		}
	}
	return false
}

// textFromTokens extracts text with the HTML tokenizer, applying the same
// paragraph rules as TextFromHTML but without building a tree.
func textFromTokens(fragment string) string {
	var w textWriter
	z := html.NewTokenizer(strings.NewReader(fragment))
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return w.String()
		case html.TextToken:
			if skip == 0 {
				w.text(string(z.Text()))
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case skippedElements[a] && tt == html.StartTagToken:
				skip++
			case skippedElements[a] && tt == html.EndTagToken:
				skip = max(0, skip-1)
			case a == atom.Br:
				w.lineBreak()
			case blockElements[a]:
				w.paragraph()
			}
		}
	}
}
