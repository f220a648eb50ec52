package discourse

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/threadlens/threadlens/scrape"
)

// Adapter parses Discourse topic JSON. The zero value is ready to use and
// safe for concurrent use.
type Adapter struct{}

// New returns the discourse adapter.
func New() scrape.Adapter { return Adapter{} }

// Name returns "discourse".
func (Adapter) Name() string { return scrape.SiteDiscourse }

var postStreamRe = regexp.MustCompile(`"post_stream"\s*:\s*\{`)

// Sniff accepts a JSON object holding a "post_stream" object.
func (Adapter) Sniff(_ string, head []byte) bool {
	h := bytes.TrimLeft(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n")
	return len(h) > 0 && h[0] == '{' && postStreamRe.Match(h)
}

// smallAction is the post_type of "closed this topic"-style entries.
const smallAction = 3

type topic struct {
	ID         json.Number `json:"id"`
	Title      string      `json:"title"`
	FancyTitle string      `json:"fancy_title"`
	Slug       string      `json:"slug"`
	PostsCount *int        `json:"posts_count"`
	CreatedAt  string      `json:"created_at"`
	PostStream *postStream `json:"post_stream"`
	Details    struct {
		CreatedBy struct {
			Username string `json:"username"`
		} `json:"created_by"`
	} `json:"details"`
}

type postStream struct {
	Posts  []post            `json:"posts"`
	Stream []json.RawMessage `json:"stream"`
}

type post struct {
	ID                json.Number `json:"id"`
	PostNumber        int         `json:"post_number"`
	ReplyToPostNumber *int        `json:"reply_to_post_number"`
	Username          string      `json:"username"`
	CreatedAt         string      `json:"created_at"`
	Cooked            string      `json:"cooked"`
	PostType          int         `json:"post_type"`
	DeletedAt         *string     `json:"deleted_at"`
	UserDeleted       bool        `json:"user_deleted"`
	TopicID           json.Number `json:"topic_id"`
	TopicSlug         string      `json:"topic_slug"`
}

// Parse parses a topic or topic-posts JSON page.
func (a Adapter) Parse(_ context.Context, p *scrape.Page, _ scrape.Env) (*scrape.Thread, error) {
	fail := func(err error) error {
		return &scrape.ParseError{Adapter: a.Name(), Source: p.Source, Err: err}
	}
	var tp topic
	if err := scrape.UnmarshalJSON(a.Name(), p.Source, p.Body, &tp); err != nil {
		return nil, err
	}
	if tp.PostStream == nil {
		return nil, fail(fmt.Errorf("%w: no post_stream", scrape.ErrNoThread))
	}
	posts := tp.PostStream.Posts
	topicID := tp.ID.String()
	slug := tp.Slug
	for _, ps := range posts {
		if topicID == "" {
			topicID = ps.TopicID.String()
		}
		if slug == "" {
			slug = ps.TopicSlug
		}
	}
	if topicID == "" {
		return nil, fail(fmt.Errorf("%w: no topic id", scrape.ErrMalformed))
	}
	th := &scrape.Thread{
		ID:    scrape.SiteDiscourse + ":" + topicID,
		Site:  scrape.SiteDiscourse,
		Title: strings.TrimSpace(tp.Title),
		URL:   topicURL(p.URL, slug, topicID),
	}
	if th.Title == "" {
		th.Title = strings.TrimSpace(html.UnescapeString(tp.FancyTitle))
	}
	if th.Title == "" && slug != "" {
		th.Title = strings.ReplaceAll(slug, "-", " ")
	}
	th.Author = tp.Details.CreatedBy.Username
	th.PublishedAt = parseTime(tp.CreatedAt)
	if tp.PostsCount != nil {
		n := max(*tp.PostsCount-1, 0)
		th.DeclaredComments = &n
	}
	if n := len(tp.PostStream.Stream); n > len(posts) {
		th.HiddenComments = n - len(posts)
	}
	for _, ps := range posts {
		if ps.PostNumber == 1 {
			th.Author = ps.Username
			th.Body = scrape.TextFromHTMLString(ps.Cooked)
			if at := parseTime(ps.CreatedAt); at != nil {
				th.PublishedAt = at
			}
			break
		}
	}
	comments := make([]scrape.Comment, 0, len(posts))
	for _, ps := range posts {
		if ps.PostNumber == 1 {
			continue
		}
		if ps.PostType == smallAction && strings.TrimSpace(ps.Cooked) == "" {
			continue
		}
		c := scrape.Comment{
			Author:    ps.Username,
			IsOP:      ps.Username != "" && ps.Username == th.Author,
			PostedAt:  parseTime(ps.CreatedAt),
			PostedRaw: ps.CreatedAt,
			Text:      scrape.TextFromHTMLString(ps.Cooked),
			Deleted:   (ps.DeletedAt != nil && *ps.DeletedAt != "") || ps.UserDeleted,
		}
		if ps.PostNumber > 0 {
			c.ID = strconv.Itoa(ps.PostNumber)
		}
		if r := ps.ReplyToPostNumber; r != nil && *r > 1 {
			c.ParentID = strconv.Itoa(*r)
		}
		comments = append(comments, c)
	}
	th.Comments, th.Repairs = scrape.BuildTree(comments)
	return th, nil
}

// topicURL is the topic's URL on the forum the page was fetched from, ""
// for a local file.
func topicURL(pageURL, slug, id string) string {
	u, err := url.Parse(pageURL)
	if pageURL == "" || err != nil || u.Host == "" {
		return ""
	}
	path := "/t/" + id
	if slug != "" {
		path = "/t/" + slug + "/" + id
	}
	return u.Scheme + "://" + u.Host + path
}

// parseTime reads Discourse's RFC 3339 times in UTC; nil when absent.
func parseTime(s string) *time.Time {
	ts, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return nil
	}
	ts = ts.UTC()
	return &ts
}
