// Package adapters lists the site adapters threadlens knows, in the order
// they are tried when a page's site is detected from its content:
// structured formats first (Reddit, Hacker News and Discourse JSON), then
// HTML sites (WordPress), plain-text copies (textdump) last. [Default]
// returns a fresh registry; adding an adapter means one line here and one
// package under scrape/.
package adapters
