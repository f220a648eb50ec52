package fetch

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsGate refuses requests robots.txt disallows for our agent. Its next
// RoundTripper is the host limiter, so robots.txt fetches are counted
// against the same per-host rate as pages.
type robotsGate struct {
	next      http.RoundTripper
	limiter   *hostLimiter
	clock     Clock
	userAgent string
	stats     *counters
	logger    *slog.Logger

	mu    sync.Mutex
	hosts map[string]*robotsEntry // by scheme://host
}

// robotsEntry is one host's robots.txt, fetched once (ready closes when
// data is set).
type robotsEntry struct {
	ready   chan struct{}
	data    *robotstxt.RobotsData
	reason  string    // why everything is disallowed (5xx, unreachable), "" otherwise
	expires time.Time // zero: never within this run
}

func newRobotsGate(next http.RoundTripper, limiter *hostLimiter, cfg Config, stats *counters) *robotsGate {
	return &robotsGate{next: next, limiter: limiter, clock: cfg.Clock, userAgent: cfg.UserAgent(),
		stats: stats, logger: cfg.Logger, hosts: map[string]*robotsEntry{}}
}

func (g *robotsGate) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Path == "/robots.txt" {
		return g.next.RoundTrip(req)
	}
	entry, err := g.entry(req.Context(), req.URL)
	if err != nil {
		return nil, err
	}
	path := req.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	if req.URL.RawQuery != "" {
		path += "?" + req.URL.RawQuery
	}
	if !entry.data.TestAgent(path, Agent) {
		g.stats.robotsDenied.Add(1)
		origin := req.URL.Scheme + "://" + req.URL.Host
		if entry.reason != "" {
			return nil, fmt.Errorf("%w: %s/robots.txt %s", ErrDisallowed, origin, entry.reason)
		}
		return nil, fmt.Errorf("%w: %s/robots.txt disallows %s for %s", ErrDisallowed, origin, path, Agent)
	}
	return g.next.RoundTrip(req)
}

// entry returns the host's robots.txt, fetching it once; concurrent
// callers for the same host wait for the one fetch.
func (g *robotsGate) entry(ctx context.Context, u *url.URL) (*robotsEntry, error) {
	key := u.Scheme + "://" + u.Host
	for {
		g.mu.Lock()
		e, ok := g.hosts[key]
		if ok && !e.expires.IsZero() && g.clock.Now().After(e.expires) {
			select {
			case <-e.ready:
				delete(g.hosts, key) // expired: fetch again
				ok = false
			default:
			}
		}
		if !ok {
			e = &robotsEntry{ready: make(chan struct{})}
			g.hosts[key] = e
			g.mu.Unlock()
			g.load(ctx, key, u.Host, e)
			if err := ctx.Err(); err != nil {
				// Cancelled mid-fetch: forget the entry rather than
				// remember a denial the site never gave.
				g.mu.Lock()
				delete(g.hosts, key)
				g.mu.Unlock()
				e.data, _ = robotstxt.FromStatusAndBytes(http.StatusServiceUnavailable, nil)
				e.reason = "not fetched: cancelled"
				close(e.ready)
				return nil, err
			}
			close(e.ready)
			return e, nil
		}
		g.mu.Unlock()
		select {
		case <-e.ready:
			return e, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// load fetches and parses key's robots.txt into e, following up to five
// redirects. 4xx → allow all; 5xx or no answer → disallow all until
// RobotsRetryAfter has passed (Google's rules).
func (g *robotsGate) load(ctx context.Context, key, host string, e *robotsEntry) {
	target := key + "/robots.txt"
	for hop := 0; ; hop++ {
		status, body, location, err := g.get(ctx, target)
		switch {
		case err != nil:
			e.data, _ = robotstxt.FromStatusAndBytes(http.StatusServiceUnavailable, nil)
			e.reason = fmt.Sprintf("could not be fetched (%v); treated as disallow-all for now", err)
			e.expires = g.clock.Now().Add(RobotsRetryAfter)
		case status >= 300 && status < 400 && location != "" && hop < 5:
			next, perr := url.Parse(target)
			if perr == nil {
				if loc, lerr := next.Parse(location); lerr == nil {
					target = loc.String()
					continue
				}
			}
			e.data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
		case status >= 300 && status < 400:
			// Too many redirects: Google treats it as a 404.
			e.data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
		case status >= 500:
			e.data, _ = robotstxt.FromStatusAndBytes(status, nil)
			e.reason = fmt.Sprintf("answered HTTP %d; treated as disallow-all for now", status)
			e.expires = g.clock.Now().Add(RobotsRetryAfter)
		default:
			data, perr := robotstxt.FromStatusAndBytes(status, body)
			if perr != nil || data == nil {
				g.logger.Warn("robots.txt unreadable; allowing all", "url", target, "err", perr)
				data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
			}
			e.data = data
		}
		break
	}
	if d := e.data.FindGroup(Agent).CrawlDelay; d > 0 && e.reason == "" {
		g.limiter.slowDown(host, d)
		g.logger.Debug("robots.txt Crawl-delay", "host", host, "delay", d)
	}
}

func (g *robotsGate) get(ctx context.Context, target string) (status int, body []byte, location string, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return 0, nil, "", err
	}
	req.Header.Set("User-Agent", g.userAgent)
	req.Header.Set("Accept", "text/plain,*/*;q=0.5")
	g.stats.robotsFetches.Add(1)
	resp, err := g.next.RoundTrip(req)
	if err != nil {
		return 0, nil, "", err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, maxRobotsSize))
	if err != nil && resp.StatusCode < 300 {
		return 0, nil, "", err
	}
	return resp.StatusCode, body, resp.Header.Get("Location"), nil
}
