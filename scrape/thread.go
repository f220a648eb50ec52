package scrape

import (
	"time"
)

// Site names used in [Thread.Site] and as the prefix of [Thread.ID].
const (
	SiteWordPress  = "wordpress"
	SiteReddit     = "reddit"
	SiteHackerNews = "hackernews"
	SiteDiscourse  = "discourse"
	SiteTextdump   = "textdump"
)

// Thread is one post and its comments as a reply tree.
//
// Comments are stored flat in document order; the tree is given by
// [Comment.ParentID] and the derived [Comment.Depth] and [Comment.Position].
// A Thread returned by an adapter has always been through [BuildTree], so
// every non-empty ParentID names a comment of the same thread.
type Thread struct {
	// ID is the stable thread identity, "site:native-id" (see DESIGN.md).
	ID string
	// Site is the adapter's site name, e.g. "wordpress".
	Site string
	// Source is where the page came from: the path or URL as given on the
	// command line, or the page's own path/URL when found inside a
	// directory, feed, sitemap or WARC.
	Source string
	// URL is the canonical URL of the thread, empty when unknown.
	URL string
	// Title is the post's title.
	Title string
	// Author is the post's author, empty when the page does not say.
	Author string
	// PublishedAt is when the post was published, nil when unknown.
	PublishedAt *time.Time
	// Body is the post's text, paragraphs separated by a blank line.
	Body string
	// DeclaredComments is the comment count the page itself shows
	// ("38 Comments"), nil when it shows none.
	DeclaredComments *int
	// Comments are the thread's comments in document order.
	Comments []Comment
	// Repairs counts what BuildTree had to fix.
	Repairs Repairs
	// HiddenComments counts comments the page refers to but does not
	// contain (Reddit "more" stubs that were not fetched).
	HiddenComments int
	// MoreStubs counts the "load more" placeholders the page holds that
	// were not expanded (Reddit "more" stubs, including continue-this-thread
	// stubs whose count is 0); 0 when the site has none.
	MoreStubs int
	// FetchedAt is when the page bytes were obtained; zero when unknown
	// (a local file without a fetch record).
	FetchedAt time.Time
}

// Comment is one comment of a thread.
type Comment struct {
	// ID is the site-native comment ID (WordPress "123" from comment-123,
	// Reddit base-36 id, HN item id, textdump position path "3.1.2").
	ID string
	// ParentID is the ID of the comment replied to, "" for top level.
	ParentID string
	// Depth is 1 for a top-level comment, parent's depth + 1 otherwise.
	Depth int
	// Position is the 1-based rank among siblings, in document order.
	Position int
	// DocOrder is the 1-based rank in the whole page.
	DocOrder int
	// Author is the display name of the commenter ("[deleted]" kept as is).
	Author string
	// IsOP reports whether the commenter is the post's author.
	IsOP bool
	// PostedAt is when the comment was posted, nil when the page gives no
	// time with a zone.
	PostedAt *time.Time
	// PostedRaw is the page's own wording of the time, kept when PostedAt
	// cannot be determined (and when it can, for reference).
	PostedRaw string
	// Text is the plain text: paragraphs separated by "\n\n", a <br> as
	// "\n", entities decoded, typographic characters as written.
	Text string
	// Deleted marks a comment whose body was removed by the site
	// ([deleted]/[removed]); it keeps its place in the tree.
	Deleted bool
	// DepthHint is the depth the markup claims (e.g. WordPress depth-N),
	// used only by adapters; 0 when absent.
	DepthHint int `json:"-"`
}

// Repairs counts the defects BuildTree fixed in a thread.
type Repairs struct {
	// Orphans are comments whose parent was not in the thread; they become
	// top level.
	Orphans int
	// DuplicateIDs are comments whose ID was already used; they get a
	// suffixed ID ("123~2").
	DuplicateIDs int
	// Cycles are parent chains that looped; the link closing the loop is
	// cut and the comment becomes top level.
	Cycles int
}

// Total is the number of repairs of every kind.
func (r Repairs) Total() int { return r.Orphans + r.DuplicateIDs + r.Cycles }
