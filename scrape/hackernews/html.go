package hackernews

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/threadlens/threadlens/scrape"
)

// indentWidth is the pixel width of one nesting level in HN's indent image.
const indentWidth = 40

var commentsLinkRe = regexp.MustCompile(`^(\d[\d,]*)\s*comments?$`)

// parseHTML parses an item page.
func (a Adapter) parseHTML(ctx context.Context, p *scrape.Page) (*scrape.Thread, error) {
	fail := func(err error) error {
		return &scrape.ParseError{Adapter: a.Name(), Source: p.Source, Err: err}
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.Body))
	if err != nil {
		if strings.Contains(err.Error(), "exceeds 512") {
			return nil, fail(fmt.Errorf("%w: %v", scrape.ErrTooDeep, err))
		}
		return nil, fail(fmt.Errorf("%w: %v", scrape.ErrMalformed, err))
	}
	fat := doc.Find("table.fatitem").First()
	rows := doc.Find("tr.comtr")
	if rows.Length() == 0 {
		rows = doc.Find("table.comment-tree tr.athing")
	}
	if fat.Length() == 0 && rows.Length() == 0 {
		return nil, fail(fmt.Errorf("%w: no Hacker News item (table.fatitem) or comment rows", scrape.ErrNoThread))
	}
	id := strings.TrimSpace(fat.Find("tr.athing").First().AttrOr("id", ""))
	if !digitsRe.MatchString(id) {
		id = idFromLinks(fat)
	}
	if !digitsRe.MatchString(id) {
		id = idFromURL(p.URL)
	}
	if !digitsRe.MatchString(id) {
		if fat.Length() == 0 {
			// Comment rows without an item (a user's "threads" page,
			// "newcomments"): not one thread.
			return nil, fail(fmt.Errorf("%w: comment rows but no item (table.fatitem)", scrape.ErrNoThread))
		}
		return nil, fail(fmt.Errorf("%w: no item id in table.fatitem or the page URL", scrape.ErrMalformed))
	}
	th := &scrape.Thread{
		ID:   scrape.SiteHackerNews + ":" + id,
		Site: scrape.SiteHackerNews,
		URL:  itemURL(id),
	}
	th.Title = strings.TrimSpace(fat.Find("span.titleline > a, a.titlelink, a.storylink").First().Text())
	if th.Title == "" {
		th.Title = strings.TrimSpace(doc.Find("tr#pagespace").AttrOr("title", ""))
	}
	if th.Title == "" {
		th.Title = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(doc.Find("title").First().Text()), "| Hacker News"))
	}
	th.Author = strings.TrimSpace(fat.Find("a.hnuser").First().Text())
	th.PublishedAt, _ = parseAge(fat.Find("span.age").First().AttrOr("title", ""))
	if top := fat.Find("div.toptext").First(); top.Length() > 0 {
		th.Body = scrape.TextFromHTML(top.Get(0))
	} else if body := fat.Find(".comment").First(); body.Length() > 0 {
		// A comment's own item page: the comment is the post.
		body.Find(".reply").Remove()
		th.Body = scrape.TextFromHTML(body.Get(0))
	} else {
		th.Body = oldTopText(fat)
	}
	th.DeclaredComments = declaredCount(fat)

	comments := make([]scrape.Comment, 0, rows.Length())
	type open struct {
		id    string
		depth int
	}
	var stack []open
	rows.Each(func(_ int, row *goquery.Selection) {
		if ctx.Err() != nil || row.Closest("table.fatitem").Length() > 0 {
			return
		}
		c := scrape.Comment{ID: strings.TrimSpace(row.AttrOr("id", ""))}
		depth := rowDepth(row)
		c.DepthHint = depth
		for len(stack) > 0 && stack[len(stack)-1].depth >= depth {
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 {
			c.ParentID = stack[len(stack)-1].id
		}
		head := row.Find("span.comhead").First()
		c.Author = strings.TrimSpace(head.Find("a.hnuser").First().Text())
		c.IsOP = c.Author != "" && c.Author == th.Author
		if title, ok := head.Find("span.age").First().Attr("title"); ok {
			c.PostedRaw = strings.TrimSpace(title)
			c.PostedAt, _ = parseAge(title)
		}
		if body := row.Find(".comment").First(); body.Length() > 0 {
			body.Find(".reply").Remove()
			c.Text = scrape.TextFromHTML(body.Get(0))
		}
		headText := head.Text()
		c.Deleted = isRemovedText(c.Text) || (strings.TrimSpace(c.Text) == "" &&
			(strings.Contains(headText, "[deleted]") || strings.Contains(headText, "[flagged]") || strings.Contains(headText, "[dead]")))
		comments = append(comments, c)
		if c.ID != "" {
			stack = append(stack, open{id: c.ID, depth: depth})
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, fail(err)
	}
	th.Comments, th.Repairs = scrape.BuildTree(comments)
	if doc.Find("a.morelink").Length() > 0 && th.DeclaredComments != nil {
		th.HiddenComments = max(0, *th.DeclaredComments-len(th.Comments))
	}
	return th, nil
}

// rowDepth is a comment row's depth: td.ind's indent attribute + 1, or the
// indent image's width / 40 + 1 in older markup; 1 when neither is there.
func rowDepth(row *goquery.Selection) int {
	ind := row.Find("td.ind").First()
	if v, ok := ind.Attr("indent"); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
			return n + 1
		}
	}
	img := ind.Find("img").First()
	if img.Length() == 0 {
		img = row.Find(`img[src*="s.gif"]`).First()
	}
	if w, err := strconv.Atoi(strings.TrimSpace(img.AttrOr("width", ""))); err == nil && w >= 0 {
		return w/indentWidth + 1
	}
	return 1
}

// declaredCount reads the "N comments" link of the item's subtext; a
// "discuss" link means 0. nil when there is neither.
func declaredCount(fat *goquery.Selection) *int {
	var out *int
	fat.Find(".subtext a, .subline a").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		text := strings.Join(strings.Fields(strings.ReplaceAll(a.Text(), "\u00a0", " ")), " ")
		if text == "discuss" {
			n := 0
			out = &n
			return false
		}
		if m := commentsLinkRe.FindStringSubmatch(text); m != nil {
			if n, err := strconv.Atoi(strings.ReplaceAll(m[1], ",", "")); err == nil {
				out = &n
				return false
			}
		}
		return true
	})
	return out
}

// oldTopText reads the post's text in markup older than div.toptext: a
// fatitem row of an empty td[colspan=2] and a plain td holding the text
// (the reply form's row holds only the form, which yields no text).
func oldTopText(fat *goquery.Selection) string {
	text := ""
	fat.Find("tr").EachWithBreak(func(_ int, row *goquery.Selection) bool {
		tds := row.ChildrenFiltered("td")
		if tds.Length() != 2 || tds.First().AttrOr("colspan", "") != "2" {
			return true
		}
		cell := tds.Eq(1)
		if _, classed := cell.Attr("class"); classed || cell.Find("form").Length() > 0 {
			return true
		}
		text = scrape.TextFromHTML(cell.Get(0))
		return text == ""
	})
	return text
}

// idFromLinks finds the item id in the fatitem's own "item?id=" link (the
// age link).
func idFromLinks(fat *goquery.Selection) string {
	return idFromURL(fat.Find("span.age a").First().AttrOr("href", ""))
}

// idFromURL returns the id query parameter of an item URL.
func idFromURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Query().Get("id")
}
