// Package fetch is threadlens's one polite HTTP client.
//
// A [Fetcher] wraps one shared http.Transport in a chain of RoundTrippers,
// outermost first:
//
//	headers (User-Agent, Accept) → disk cache → robots.txt gate →
//	per-host rate limiter → per-request deadline → http.Transport
//
// so that every request the program makes — pages, robots.txt files,
// revalidations, redirect hops — is identified, cached, checked against
// robots.txt and rate limited in one place. RoundTrippers never interpret
// status codes; [Fetcher.Fetch], above the http.Client, does: it retries
// timeouts, connection errors, 429 and 5xx with exponential backoff and
// jitter (honouring Retry-After), caps the body size, converts the body to
// UTF-8 and returns a *scrape.Page, or one [*Error] per URL that says
// whether retrying later can help ([IsTemporary]) and wraps a sentinel
// ([ErrDisallowed], [ErrTooLarge], [ErrTooManyRedirects], [ErrStatus], …).
//
// robots.txt: obeyed by default, fetched once per host (through the same
// rate limiter), a group naming our agent ("threadlens") replacing the "*"
// group entirely, Crawl-delay slowing the host's limiter. Following
// Google's robots.txt specification, a 4xx answer (404, but also 401/403)
// means no restrictions, and a 5xx answer or an unreachable server means
// "disallow everything for now": the denial is remembered for
// [RobotsRetryAfter] and the robots.txt is then asked for again.
//
// Time comes from a [Clock], so tests of the limiter, Crawl-delay and the
// backoff run on a fake clock and measure the time waited exactly.
package fetch
