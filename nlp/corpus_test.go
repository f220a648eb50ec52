package nlp_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/threadlens/threadlens/scrape"
	"github.com/threadlens/threadlens/scrape/scrapetest"
)

// corpusComment is one comment text of the shared corpus, referenced by
// file and comment ID (the text is never copied into the repository).
type corpusComment struct {
	File string // relative to the corpus directory
	ID   string
	Text string
}

var commentIDRe = regexp.MustCompile(`^comment-(\d+)$`)

// corpusComments extracts comment texts from the corpus's WordPress,
// Reddit and Hacker News pages with goquery and scrape.TextFromHTML, so the
// nlp tests do not depend on the site adapters. Skips when the corpus is
// absent (fails under CI=true).
func corpusComments(t testing.TB) []corpusComment {
	t.Helper()
	dir := scrapetest.CorpusDir(t)
	var out []corpusComment
	files, _ := filepath.Glob(filepath.Join(dir, "wordpress", "*.html"))
	for _, f := range files {
		out = append(out, wordpressComments(t, dir, f)...)
	}
	files, _ = filepath.Glob(filepath.Join(dir, "reddit", "*.json"))
	for _, f := range files {
		out = append(out, redditComments(t, dir, f)...)
	}
	files, _ = filepath.Glob(filepath.Join(dir, "hackernews", "*.html"))
	for _, f := range files {
		out = append(out, hnComments(t, dir, f)...)
	}
	if len(out) == 0 {
		t.Fatal("no comments found in the corpus")
	}
	return out
}

func rel(t testing.TB, dir, f string) string {
	r, err := filepath.Rel(dir, f)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.ToSlash(r)
}

func openDoc(t testing.TB, f string) *goquery.Document {
	t.Helper()
	fh, err := os.Open(f)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	doc, err := goquery.NewDocumentFromReader(fh)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// wordpressComments groups the paragraphs of each page by their nearest
// ancestor with id="comment-N"; works for html5 and classic markup and for
// the nested-div themes of the corpus.
func wordpressComments(t testing.TB, dir, f string) []corpusComment {
	doc := openDoc(t, f)
	texts := map[string][]string{}
	var order []string
	doc.Find("p").Each(func(_ int, p *goquery.Selection) {
		owner := ""
		for n := p.Nodes[0].Parent; n != nil; n = n.Parent {
			for _, a := range n.Attr {
				if a.Key == "id" {
					if m := commentIDRe.FindStringSubmatch(a.Val); m != nil {
						owner = m[1]
					}
				}
			}
			if owner != "" {
				break
			}
		}
		if owner == "" {
			return
		}
		// Skip meta paragraphs (reply links, "awaiting moderation").
		if p.Closest(".reply, .comment-meta, .commentmetadata, footer").Length() > 0 {
			return
		}
		txt := strings.TrimSpace(scrape.TextFromHTML(p.Nodes[0]))
		if txt == "" {
			return
		}
		if _, ok := texts[owner]; !ok {
			order = append(order, owner)
		}
		texts[owner] = append(texts[owner], txt)
	})
	var out []corpusComment
	for _, id := range order {
		out = append(out, corpusComment{File: rel(t, dir, f), ID: id, Text: strings.Join(texts[id], "\n\n")})
	}
	return out
}

// redditComments walks the nested replies iteratively.
func redditComments(t testing.TB, dir, f string) []corpusComment {
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	var listings []any
	if err := json.Unmarshal(data, &listings); err != nil {
		t.Fatalf("%s: %v", f, err)
	}
	var out []corpusComment
	stack := slices.Clone(listings)
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		m, ok := v.(map[string]any)
		if !ok {
			continue
		}
		d, _ := m["data"].(map[string]any)
		if d == nil {
			continue
		}
		if m["kind"] == "t1" {
			id, _ := d["id"].(string)
			body, _ := d["body_html"].(string)
			if body != "" {
				out = append(out, corpusComment{File: rel(t, dir, f), ID: id, Text: scrape.TextFromHTMLString(body)})
			}
			if r, ok := d["replies"].(map[string]any); ok {
				stack = append(stack, r)
			}
			continue
		}
		if children, ok := d["children"].([]any); ok {
			for i := len(children) - 1; i >= 0; i-- {
				stack = append(stack, children[i])
			}
		}
	}
	return out
}

func hnComments(t testing.TB, dir, f string) []corpusComment {
	doc := openDoc(t, f)
	var out []corpusComment
	doc.Find("tr.athing.comtr").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		c := s.Find(".commtext").First()
		if c.Length() == 0 {
			return
		}
		out = append(out, corpusComment{File: rel(t, dir, f), ID: id, Text: scrape.TextFromHTML(c.Nodes[0])})
	})
	return out
}
