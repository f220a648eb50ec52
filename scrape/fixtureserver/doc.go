// Package fixtureserver is the one httptest server every scrape test
// fetches from, so no test touches the network. It serves corpus pages,
// feeds and sitemaps (with their absolute links pointed back at the
// server), a configurable robots.txt, and misbehaving endpoints: 429 with
// Retry-After, 503 then 200, a response that hangs, a redirect loop, a
// body over any limit, a windows-1252 page, gzip, a connection reset and
// conditional GETs. It counts the requests each path received, and its
// [Clock] is the fake time source tests inject into the fetcher, so waits
// are measured, not slept.
package fixtureserver
