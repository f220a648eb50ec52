package hackernews

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/threadlens/threadlens/scrape"
)

// item is an HN item as the Algolia items API (nested children) or the
// Firebase item API (kids as ids) gives it. Null strings decode as "".
type item struct {
	// Algolia.
	ID         int64  `json:"id"`
	CreatedAt  string `json:"created_at"`
	CreatedAtI *int64 `json:"created_at_i"`
	Author     string `json:"author"`
	Title      string `json:"title"`
	Text       string `json:"text"`
	Children   []item `json:"children"`
	// Firebase.
	By          string  `json:"by"`
	Time        *int64  `json:"time"`
	Kids        []int64 `json:"kids"`
	Descendants *int    `json:"descendants"`
	Deleted     bool    `json:"deleted"`
	Dead        bool    `json:"dead"`
}

// parseJSON parses an Algolia or Firebase item.
func (a Adapter) parseJSON(p *scrape.Page) (*scrape.Thread, error) {
	var root item
	if err := scrape.UnmarshalJSON(a.Name(), p.Source, p.Body, &root); err != nil {
		return nil, err
	}
	if root.ID <= 0 {
		return nil, &scrape.ParseError{Adapter: a.Name(), Source: p.Source,
			Err: fmt.Errorf("%w: the item has no id", scrape.ErrNoThread)}
	}
	id := strconv.FormatInt(root.ID, 10)
	th := &scrape.Thread{
		ID:    scrape.SiteHackerNews + ":" + id,
		Site:  scrape.SiteHackerNews,
		URL:   itemURL(id),
		Title: root.Title,
		Body:  scrape.TextFromHTMLString(root.Text),
	}
	th.Author = root.Author
	if th.Author == "" {
		th.Author = root.By
	}
	th.PublishedAt, _ = itemTime(&root)
	if root.CreatedAtI == nil && root.Time != nil {
		// Firebase: the comments are only ids; none are in this page.
		if root.Descendants != nil {
			n := *root.Descendants
			th.DeclaredComments = &n
			th.HiddenComments = n
		} else {
			th.HiddenComments = len(root.Kids)
		}
		th.Comments, th.Repairs = scrape.BuildTree(nil)
		return th, nil
	}

	type frame struct {
		it     *item
		parent string
	}
	var comments []scrape.Comment
	stack := make([]frame, 0, len(root.Children))
	for i := len(root.Children) - 1; i >= 0; i-- {
		stack = append(stack, frame{it: &root.Children[i]})
	}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		it := f.it
		c := scrape.Comment{
			ParentID: f.parent,
			Author:   it.Author,
			Text:     scrape.TextFromHTMLString(it.Text),
		}
		if it.ID > 0 {
			c.ID = strconv.FormatInt(it.ID, 10)
		}
		c.IsOP = c.Author != "" && c.Author == th.Author
		c.PostedAt, c.PostedRaw = itemTime(it)
		c.Deleted = isRemovedText(c.Text) || it.Deleted || it.Dead ||
			(it.Author == "" && strings.TrimSpace(it.Text) == "")
		comments = append(comments, c)
		for i := len(it.Children) - 1; i >= 0; i-- {
			stack = append(stack, frame{it: &it.Children[i], parent: c.ID})
		}
	}
	th.Comments, th.Repairs = scrape.BuildTree(comments)
	return th, nil
}

// itemTime returns the item's time (created_at_i, else Firebase time) in
// UTC and the page's wording of it.
func itemTime(it *item) (*time.Time, string) {
	var sec int64
	switch {
	case it.CreatedAtI != nil:
		sec = *it.CreatedAtI
	case it.Time != nil:
		sec = *it.Time
	default:
		return nil, it.CreatedAt
	}
	if sec <= 0 {
		return nil, it.CreatedAt
	}
	ts := time.Unix(sec, 0).UTC()
	raw := it.CreatedAt
	if raw == "" {
		raw = strconv.FormatInt(sec, 10)
	}
	return &ts, raw
}
