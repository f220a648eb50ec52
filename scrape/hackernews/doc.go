// Package hackernews is the threadlens adapter for Hacker News threads.
//
// It reads three shapes:
//
//   - Item pages (news.ycombinator.com/item?id=N). Each comment is a
//     tr.athing.comtr row whose id is the comment's item id. Its depth is
//     td.ind's indent attribute + 1 or, in older markup without that
//     attribute, the width of the indent image / 40 + 1; its parent is the
//     nearest earlier comment one level up (a stack). Author from a.hnuser,
//     time from span.age's title (ISO in UTC, or "ISO EPOCH" on newer
//     pages, where the epoch wins), text from div.comment without its
//     div.reply (div.commtext on 2024 pages, span.commtext or span.c00
//     before). A comment whose text is only "[deleted]", "[flagged]" or
//     "[dead]" (or is empty with that marker in its header) keeps its place
//     and is marked Deleted. The thread is the item in table.fatitem (its
//     id, title, author, time, top text, and the "N comments" link as the
//     declared count). When a "More" link says the comments continue on
//     another page, the declared count minus the comments shown is
//     Thread.HiddenComments; the further pages are not fetched. A page with
//     comment rows but no item (a user's threads page) is not a thread.
//   - The Algolia API's items/<id> JSON: the whole tree nested in
//     "children", with id, parent_id, author, created_at_i and text as
//     HTML. Deleted comments (null author and text) keep their place.
//   - The Firebase API's item/<id>.json: a single item whose "kids" are only
//     ids. It gives the thread's post and no comments; its "descendants"
//     count is the declared count and the hidden count. Fetch the Algolia
//     URL ([ItemURLs]) to get the comments.
//
// Identity: thread ID "hackernews:" + the item id, comment ID the comment's
// item id. When the item shown is itself a comment, it is the thread's post
// and its replies are the comments. Text goes through
// [scrape.TextFromHTML]; walks over the nesting use explicit stacks and
// JSON nesting deeper than [scrape.MaxJSONDepth] is rejected.
package hackernews
