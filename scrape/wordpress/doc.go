// Package wordpress is the threadlens adapter for WordPress post pages.
//
// It reads the core comment markup in both walker styles — html5
// (article.comment-body, footer.comment-meta, div.comment-content) and
// classic (div.comment-body, cite.fn/b.fn/h4.fn, div.commentmetadata) —
// with replies in ul.children or ol.children, and common theme variants.
// Theme quirks are data, not code: selectors.yaml (embedded, validated
// once by [ParseSelectors]) lists selector sets per markup variant, tried
// in order: the wpDiscuz plugin, WordPress.com, block themes
// (core/comment-template), Neve, OceanWP, Astra, Blocksy, Divi and other
// Elegant Themes, Comicpress-style, Avada, Genesis, TieLabs, tagDiv
// Newspaper, Twenty Eleven/Twelve-style li#li-comment-N callbacks, the core
// html5 and classic walkers (ul/ol children or style "div"), div-based
// plugins, and a generic last resort. testdata/themes holds one fixture
// per theme, modelled on its template.
//
// Reply structure: when every comment carries a depth-N class (or, for
// mangled `<liclass … depth-2 …>` start tags, a depth-N attribute name),
// the parent is the nearest previous comment one level up, which repairs
// broken nesting (a </li> before the children list, stray </li>, tags a
// parser never closes). Otherwise the DOM nesting decides. Pingbacks and
// trackbacks are left out; their replies move up to the nearest comment.
//
// A page that nests deeper than the HTML parser's 512 open elements is
// retried once with the data's byte-level deep repairs (mangled <liclass
// start tags become <li); if it is still too deep, Parse fails with an
// error wrapping [scrape.ErrTooDeep].
//
// Times: a <time datetime> with a zone (or, where the data names such an
// attribute, Unix seconds as in tagDiv's time[pubdate]) gives
// Comment.PostedAt in UTC; a date shown without a zone is never guessed
// (PostedAt nil) and its wording is kept in PostedRaw.
//
// Identity: Thread.ID is "wordpress:" + the canonical URL without scheme,
// fragment, comment page or trailing slash, from <link rel=canonical>,
// og:url, the shortlink (?p=N) or the fetched URL, in that order. A
// relative canonical with no fetch URL (a static export read from disk)
// keys by its path ("wordpress:/2017/02/23/post"); a local file with none
// of these keys by a slug of its title ("wordpress:title/my-post"), which
// is stable across runs but not across title edits. Comment IDs are the
// number N of comment-N.
//
// Paginated comments: with a [scrape.Env] Fetch function, every other
// comment page of the thread linked from the comments navigation
// (/comment-page-N/, ?cpage=N) is fetched once, at most [MaxCommentPages],
// and merged in page order with duplicate comments dropped. Without Fetch
// only the given page is read.
package wordpress
