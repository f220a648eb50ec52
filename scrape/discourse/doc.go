// Package discourse is the threadlens adapter for Discourse forum topics.
//
// It reads a topic's JSON (/t/<id>.json, with the topic's title and
// post_stream.posts) and the topic's posts JSON (/t/<id>/posts.json, the
// same posts without the topic fields). Post number 1 is the thread's post;
// every other post is a comment, in the order given. A post replies to
// reply_to_post_number; no number, or number 1, means a reply to the topic
// (top level). A reply to a post that is not on the page becomes top level
// and is counted as an orphan by [scrape.BuildTree].
//
// Identity: the comment ID is the post_number (stable within a topic; the
// global post id is not used). The thread ID is "discourse:" + the topic id
// (e.g. "discourse:2144"), without the forum's host: the JSON does not name
// its forum, and a thread ID must not depend on where the page was read
// from (DESIGN.md), so a saved file and a fetched URL of the same topic get
// the same ID. Topics of two different forums with the same id would
// collide; Thread.URL keeps the host when the page was fetched.
//
// Title: "title", else "fancy_title" with its entities decoded, else the
// topic slug with dashes as spaces (posts.json carries only the slug).
// Text comes from "cooked" through [scrape.TextFromHTMLString]; author is
// "username"; time is created_at in UTC. Deleted posts (deleted_at or
// user_deleted) keep their place and are marked Deleted; small-action posts
// (post_type 3: "closed this topic" and the like) with no text are not
// comments and are left out. When the topic lists more post ids in
// post_stream.stream than the page holds, the difference is
// Thread.HiddenComments.
package discourse
