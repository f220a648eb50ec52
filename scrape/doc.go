// Package scrape turns thread pages into reply trees.
//
// It owns everything between a source named on the command line and a
// [Thread]: expanding sources (files, directories, globs, and — where the
// fetching code is present — URLs, feeds, sitemaps and WARC files) into
// [Page] values, recognising which site a page comes from with an
// [Adapter] chosen by a [Registry], parsing the page into a flat list of
// comments, and rebuilding the reply tree with [BuildTree], the one
// iterative tree builder every adapter uses.
//
// Comment text from every site passes through [TextFromHTML], so paragraphs,
// line breaks, quotes and entities come out the same way everywhere.
//
// scrape knows nothing of text analysis or Parquet.
package scrape
