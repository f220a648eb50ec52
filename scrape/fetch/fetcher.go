package fetch

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/threadlens/threadlens/scrape"
)

// Fetcher fetches pages politely; see the package documentation. It is
// safe for concurrent use; one Fetcher should serve the whole program so
// that its per-host limits and robots.txt cache are shared.
type Fetcher struct {
	cfg    Config
	client *http.Client
	base   http.RoundTripper
	stats  *counters
	warc   *warcWriter
}

// New builds a Fetcher from cfg (zero fields take the defaults). It fails
// when Offline is set without CacheDir or the WARCOut file cannot be
// opened.
func New(cfg Config) (*Fetcher, error) {
	cfg = cfg.withDefaults()
	if cfg.Offline && cfg.CacheDir == "" {
		return nil, errors.New("fetch: offline mode needs a cache directory")
	}
	f := &Fetcher{cfg: cfg, stats: &counters{}}
	f.base = cfg.Transport
	if f.base == nil {
		f.base = newBaseTransport(cfg)
	}
	var rt http.RoundTripper = &deadlineTransport{next: f.base, timeout: cfg.Timeout}
	limiter := newHostLimiter(rt, cfg.Rate, cfg.Clock, f.stats)
	rt = limiter
	if !cfg.IgnoreRobots {
		rt = newRobotsGate(rt, limiter, cfg, f.stats)
	}
	if cfg.CacheDir != "" {
		rt = &diskCache{next: rt, dir: cfg.CacheDir, offline: cfg.Offline, clock: cfg.Clock, stats: f.stats, logger: cfg.Logger}
	}
	rt = &headerTransport{next: rt, userAgent: cfg.UserAgent()}
	f.client = &http.Client{Transport: rt, CheckRedirect: f.checkRedirect}
	if cfg.WARCOut != "" {
		w, err := openWARCWriter(cfg.WARCOut, cfg.UserAgent(), cfg.Clock.Now())
		if err != nil {
			return nil, err
		}
		f.warc = w
	}
	return f, nil
}

// Stats returns a snapshot of the counters; safe to call at any time (a
// progress display polls it).
func (f *Fetcher) Stats() Stats { return f.stats.snapshot() }

// Close flushes and closes the WARC output and idle connections.
func (f *Fetcher) Close() error {
	if t, ok := f.base.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
	if f.warc != nil {
		return f.warc.Close()
	}
	return nil
}

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	for _, v := range via {
		if v.URL.String() == req.URL.String() {
			return fmt.Errorf("%w: %s leads back to %s", ErrRedirectLoop, via[len(via)-1].URL, req.URL)
		}
	}
	if len(via) > f.cfg.MaxRedirects {
		return fmt.Errorf("%w: more than %d", ErrTooManyRedirects, f.cfg.MaxRedirects)
	}
	return nil
}

// Fetch GETs rawURL and returns its page: Source is rawURL, URL the URL
// after redirects, Body the body converted to UTF-8 (for text types),
// FetchedAt when the bytes were fetched or last revalidated. It matches
// scrape.FetchFunc. Temporary failures are retried up to MaxTries with
// backoff; the error returned is a *Error.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (*scrape.Page, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		f.stats.failures.Add(1)
		return nil, &Error{URL: rawURL, Err: fmt.Errorf("not an http(s) URL")}
	}
	for try := 1; ; try++ {
		page, status, retryAfter, err := f.try(ctx, rawURL)
		if err == nil {
			f.stats.pages.Add(1)
			return page, nil
		}
		fail := func(err error, temporary bool) (*scrape.Page, error) {
			f.stats.failures.Add(1)
			return nil, &Error{URL: rawURL, Status: status, Tries: try, Temporary: temporary, Err: err}
		}
		if ctx.Err() != nil {
			return fail(ctx.Err(), true)
		}
		temporary := isTemporary(err)
		if !temporary || try >= f.cfg.MaxTries {
			return fail(err, temporary)
		}
		wait := f.backoff(try)
		if retryAfter > 0 {
			if retryAfter > f.cfg.MaxRetryAfter {
				return fail(fmt.Errorf("%w (%v > %v): %w", ErrRetryAfterTooLong, retryAfter, f.cfg.MaxRetryAfter, err), true)
			}
			wait = retryAfter
		}
		f.stats.retries.Add(1)
		f.cfg.Logger.Debug("retrying", "url", rawURL, "try", try, "wait", wait, "err", err)
		if err := f.cfg.Clock.Sleep(ctx, wait); err != nil {
			return fail(err, true)
		}
		f.stats.backoffWait.Add(int64(wait))
	}
}

// backoff is the wait after the try-th failure: BaseBackoff doubling per
// try, capped at MaxBackoff, then jittered to 50–100 %.
func (f *Fetcher) backoff(try int) time.Duration {
	d := f.cfg.BaseBackoff
	for i := 1; i < try && d < f.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, f.cfg.MaxBackoff)
	j := rand.Float64
	if f.cfg.Jitter != nil {
		j = f.cfg.Jitter
	}
	return d/2 + time.Duration(j()*float64(d/2))
}

// try makes one request. It returns the page, or the HTTP status (0 if
// none), the server's Retry-After and the error.
func (f *Fetcher) try(ctx context.Context, rawURL string) (*scrape.Page, int, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, 0, 0, err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, 0, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		ra := parseRetryAfter(resp.Header.Get("Retry-After"), f.cfg.Clock.Now())
		return nil, resp.StatusCode, ra, &StatusError{Code: resp.StatusCode, RetryAfter: ra}
	}
	if resp.ContentLength > f.cfg.MaxBody {
		return nil, resp.StatusCode, 0, fmt.Errorf("%w: Content-Length %d > %d bytes", ErrTooLarge, resp.ContentLength, f.cfg.MaxBody)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, f.cfg.MaxBody+1))
	if err != nil {
		return nil, resp.StatusCode, 0, fmt.Errorf("reading body: %w", err)
	}
	if int64(len(raw)) > f.cfg.MaxBody {
		return nil, resp.StatusCode, 0, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, f.cfg.MaxBody)
	}
	fetchedAt := f.cfg.Clock.Now().UTC()
	if at, err := time.Parse(time.RFC3339Nano, resp.Header.Get(headerFetchedAt)); err == nil {
		fetchedAt = at.UTC()
	}
	if resp.Header.Get(headerCache) == "" {
		f.stats.downloaded.Add(1)
	}
	final := rawURL
	if resp.Request != nil && resp.Request.URL != nil {
		final = resp.Request.URL.String()
	}
	contentType := resp.Header.Get("Content-Type")
	if f.warc != nil {
		if err := f.warc.write(final, resp.StatusCode, resp.Header, raw, fetchedAt); err != nil {
			f.cfg.Logger.Warn("WARC write failed", "file", f.cfg.WARCOut, "url", final, "err", err)
		}
	}
	return &scrape.Page{
		Source:      rawURL,
		URL:         final,
		ContentType: contentType,
		Body:        decodeBody(raw, contentType),
		FetchedAt:   fetchedAt,
	}, resp.StatusCode, 0, nil
}

// decodeBody converts textual bodies to UTF-8 and leaves others (a
// gzip-compressed sitemap, an image) as they are.
func decodeBody(body []byte, contentType string) []byte {
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil || mediaType == "" {
		mediaType, _, _ = mime.ParseMediaType(http.DetectContentType(body))
	}
	if strings.HasPrefix(mediaType, "text/") || strings.HasSuffix(mediaType, "xml") ||
		strings.HasSuffix(mediaType, "json") || mediaType == "application/xhtml+xml" {
		return scrape.DecodeCharset(body, contentType)
	}
	return body
}

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP
// date. It returns 0 when absent, unreadable or in the past.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, int64(365*24*3600))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// isTemporary classifies one try's error: may another try succeed?
func isTemporary(err error) bool {
	var se *StatusError
	var dnsErr *net.DNSError
	var certErr *x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.As(err, &se):
		return retryableStatus(se.Code)
	case errors.Is(err, ErrDisallowed), errors.Is(err, ErrNotCached), errors.Is(err, ErrTooLarge),
		errors.Is(err, ErrTooManyRedirects), errors.Is(err, ErrRedirectLoop), errors.Is(err, context.Canceled):
		return false
	case errors.Is(err, ErrTimeout):
		return true
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return false
	case errors.As(err, &certErr), errors.As(err, &hostErr):
		return false
	}
	return true // connection refused/reset, EOF, other network errors
}
