// Package textdump parses plain-text copies of comment threads as readers
// save them from advice-column sites (the "textdump" format of DESIGN.md).
//
// A textdump looks like this (UTF-8, typographic quotes kept):
//
//	Title of the letter
//	The letter's body, paragraphs separated by blank lines.
//	{ 52 comments… read them below }
//	  1. Ann*
//	    Ann's comment, indented two more than her header.
//	    1. Bob*
//	      Bob's reply to Ann.
//	  2. Cy*
//	    …
//	Comments are closed.
//
// A header line is 2×depth spaces, the comment's number among its siblings,
// ". ", the author and a closing "*". Its body is indented two more.
// Because a comment's body sits exactly where its first reply's header
// would, a numbered list inside a body ("    1. Tell your manager*") can
// look like a header one level deeper. A line is a header only when
//
//   - it has the header shape (even indentation, number ≥ 1, ". ", a
//     closing "*"; the author may hold digits, dots and "*"),
//   - its number continues the sibling numbering at its depth (a first
//     reply must be 1), and
//   - its next non-blank line is indented exactly two more (a body line or
//     a first reply), or, for a header with no body, is the end of input,
//     "Comments are closed.", a header indented less, or a following
//     sibling header that is itself a header by these rules, and
//   - where the line could be body text of the current comment (it sits
//     at or beyond that body's indentation), the next non-blank line
//     indented no deeper than it is a header, the closing line or the end
//     of input: more text of the current comment after it shows it was a
//     list item, since a comment's replies always follow its whole body.
//
// So a first reply numbered 2 (its elder sibling deleted) reads as text of
// its parent: that case cannot be told from a list item.
//
// A header-shaped line indented less than the current comment's body
// cannot be body text, so it is always a header; a number that does not
// continue the sequence there (a held or deleted comment) is reported as
// an [ErrNumbering] problem after [scrape.BuildTree] has computed
// positions. A header deeper than its parent + 1 is parsed as a comment
// whose parent is missing: BuildTree repairs it as a top-level orphan
// (counted in Thread.Repairs) and a [scrape.ErrMalformed] problem names its
// line. Body lines indented less than their comment are kept (all their
// leading white space removed) and reported the same way. Every problem is
// a *[scrape.ParseError] with a line number; the thread is still returned.
//
// Input is normalised first: a leading BOM is dropped, CRLF and lone CR
// become LF, invalid UTF-8 becomes U+FFFD. In leading white space a tab
// advances to the next multiple of 8 columns and a no-break space counts as
// one column; a comment's text drops exactly its indentation (2×depth+2
// columns) from each line and keeps the rest, trailing white space is
// trimmed, runs of blank lines become one paragraph break ("\n\n") and a
// single line break is kept as "\n".
//
// Identity: thread_id is "textdump:" plus a slug of the title (lowercase
// ASCII letters and digits joined by hyphens, accents transliterated,
// apostrophes dropped; a hash of the title when nothing is left) and a
// comment's ID is its path of header numbers ("3.1.2"). The format has no
// post author and no OP marker, so IsOP is never set.
//
// The parser is a single forward pass after one backward pass that decides
// which header-shaped lines are followed like headers; nothing recurses
// over depth, so a 10,000-deep chain parses like a flat list.
package textdump
