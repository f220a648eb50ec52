// Command threadlens builds a research dataset from comment-thread pages.
//
//	threadlens [flags] SOURCE...       build or update the dataset in --out
//	threadlens                         the bundled sample threads → ./out
//	threadlens info DIR                what a dataset holds
//	threadlens eval --gold DIR         tagger quality against gold labels
//	threadlens sample --theme T OUT    a validation sheet of evidence hits
//	threadlens lexicon check FILE      validate a theme lexicon
//	threadlens version
//
// Exit codes: 0 all sources done, 1 some sources failed (the rest written),
// 2 usage or fatal error, 130 interrupted.
//
// This package is thin: it parses flags, builds the logger, the fetcher
// and the adapter registry, shows progress, and maps errors to exit codes
// in one place ([exitCode]). Everything else lives in scrape, nlp and
// datasets.
package main
