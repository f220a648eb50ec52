// Package reddit is the threadlens adapter for Reddit thread JSON.
//
// A Reddit thread is fetched as JSON by appending ".json" to its URL
// ([JSONURL] does the mapping, with raw_json=1). The answer is a two-element
// array: a Listing holding the post (kind t3) and a Listing of comments
// (kind t1) whose replies nest in each comment's "replies" Listing ("" when
// there are none), with "more" stubs standing for comments Reddit did not
// include.
//
// Identity: the thread ID is "reddit:" plus the post's base-36 id (no
// "t3_"); a comment ID is its base-36 id (no "t1_"). A comment's parent is
// read from parent_id (t3_ means top level). The top-level comments of the
// comments Listing are always top level, which also makes a comment
// permalink view (/comments/<post>/_/<comment>.json, a slice of the thread)
// a valid, smaller thread.
//
// Text comes from body_html and selftext_html through
// [scrape.TextFromHTMLString]. A plain .json fetch HTML-escapes every
// string ("&lt;div class=&quot;md&quot;&gt;"); raw_json=1 does not. The
// adapter detects which of the two it was given from the HTML fields and
// unescapes titles and plain-text fallbacks accordingly.
//
// "[deleted]" and "[removed]" comments keep their place (Comment.Deleted).
// "more" stubs are not fetched by default: their counts add up in
// Thread.HiddenComments and the stubs themselves (including the
// continue-this-thread ones, id "_", count 0) in Thread.MoreStubs. With
// Env.RedditMore and Env.Fetch, stubs are expanded through
// /api/morechildren (at most 100 ids per request) and continue-this-thread
// stubs through the parent comment's permalink JSON, within
// [MaxMoreRequests] requests per thread; what was not expanded stays
// counted.
//
// A comment ID met a second time (a stub's answer repeating a comment) is
// kept once, at its first place. Walks over the nesting use explicit
// stacks, and input nesting deeper than [scrape.MaxJSONDepth] is rejected
// before decoding. Each "replies" Listing is decoded when the walk reaches
// it, so decoding costs about size × nesting depth; Reddit serves at most
// about ten levels per answer, and deeper levels come as separate
// continue-this-thread answers.
package reddit
