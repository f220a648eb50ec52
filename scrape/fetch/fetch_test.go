package fetch_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/threadlens/threadlens/scrape/fetch"
	"github.com/threadlens/threadlens/scrape/fixtureserver"
)

// newFetcher returns a fetcher on srv's fake clock with deterministic
// jitter (every backoff is half its nominal value) and a fast rate unless
// mod changes it.
func newFetcher(t *testing.T, srv *fixtureserver.Server, mod func(*fetch.Config)) *fetch.Fetcher {
	t.Helper()
	cfg := fetch.Config{
		Version:     "test",
		Contact:     "https://example.org/threadlens",
		Rate:        1000,
		Clock:       srv.Clock,
		BaseBackoff: 2 * time.Second,
		Jitter:      func() float64 { return 0 },
	}
	if mod != nil {
		mod(&cfg)
	}
	f, err := fetch.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestFaults runs each misbehaving endpoint and checks the outcome as
// measured: the error (sentinel, temporary or not), the requests the
// server saw for the path, and the time waited between tries on the fake
// clock.
func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		reason      string
		robots      string // robots.txt body served with 200; "" → 404
		robotsCode  int    // overrides the robots status
		path        string
		mod         func(*fetch.Config)
		wantErr     error // nil: success
		wantTemp    bool
		wantReqs    int // requests to path
		wantBackoff time.Duration
		wantBody    string // substring of the page body on success
	}{
		{name: "robots disallow", reason: "robots.txt disallows the path: nothing fetched",
			robots: "User-agent: *\nDisallow: /page/\n", path: "/page/secret",
			wantErr: fetch.ErrDisallowed, wantReqs: 0},
		{name: "robots named group replaces star", reason: "a group for threadlens replaces * entirely",
			robots: "User-agent: *\nDisallow: /\n\nUser-agent: threadlens\nDisallow: /private/\n", path: "/page/open",
			wantReqs: 1, wantBody: "Page open"},
		{name: "robots named group disallows", reason: "our group's own rules apply",
			robots: "User-agent: *\nAllow: /\n\nUser-agent: threadlens\nDisallow: /page/\n", path: "/page/x",
			wantErr: fetch.ErrDisallowed, wantReqs: 0},
		{name: "robots 503", reason: "a 5xx robots.txt means disallow all for now (Google)",
			robotsCode: 503, path: "/page/x", wantErr: fetch.ErrDisallowed, wantReqs: 0},
		{name: "robots 404", reason: "no robots.txt means allow all",
			robotsCode: 404, path: "/page/x", wantReqs: 1, wantBody: "Page x"},
		{name: "429 retry-after seconds", reason: "Retry-After: 7 twice, then 200",
			path: "/flaky/429/a?n=2&after=7", wantReqs: 3, wantBackoff: 14 * time.Second, wantBody: "Page"},
		{name: "429 retry-after date", reason: "Retry-After as an HTTP date 5 s ahead",
			path: "/flaky/429/b?n=1&after=date", mod: func(c *fetch.Config) { c.IgnoreRobots = true }, wantReqs: 2, wantBackoff: 5 * time.Second, wantBody: "Page"},
		{name: "429 retry-after too long", reason: "a wait beyond MaxRetryAfter fails the URL at once, temporarily",
			path: "/flaky/429/c?n=1&after=3600", wantErr: fetch.ErrRetryAfterTooLong, wantTemp: true, wantReqs: 1},
		{name: "503 then 200", reason: "one 503 without Retry-After: one backoff (2s base, jitter 0 → 1s)",
			path: "/flaky/503/a?n=1", wantReqs: 2, wantBackoff: time.Second, wantBody: "Page"},
		{name: "503 forever", reason: "bounded tries (4), then a temporary ErrStatus; backoff 1+2+4 s",
			path: "/flaky/503/b?n=100", wantErr: fetch.ErrStatus, wantTemp: true, wantReqs: 4, wantBackoff: 7 * time.Second},
		{name: "404", reason: "a 404 is permanent: no retry",
			path: "/nothing-here", wantErr: fetch.ErrStatus, wantReqs: 1},
		{name: "hang", reason: "a response that never comes times out each try",
			path: "/hang", mod: func(c *fetch.Config) { c.Timeout = 150 * time.Millisecond; c.MaxTries = 2 },
			wantErr: fetch.ErrTimeout, wantTemp: true, wantReqs: 2, wantBackoff: time.Second},
		{name: "redirect loop", reason: "a → b → a is a clear permanent error",
			path: "/loop/a", wantErr: fetch.ErrRedirectLoop, wantReqs: 1},
		{name: "too many redirects", reason: "12 redirects exceed the bound of 10",
			path: "/redirect/12", wantErr: fetch.ErrTooManyRedirects, wantReqs: 1},
		{name: "few redirects", reason: "3 redirects are followed",
			path: "/redirect/3", wantReqs: 1, wantBody: "Page redirected"},
		{name: "body over limit", reason: "Content-Length over MaxBody",
			path: "/big?bytes=2097152", mod: func(c *fetch.Config) { c.MaxBody = 1 << 20 },
			wantErr: fetch.ErrTooLarge, wantReqs: 1},
		{name: "chunked body over limit", reason: "no Content-Length: the read is capped",
			path: "/big?bytes=2097152&chunked=1", mod: func(c *fetch.Config) { c.MaxBody = 1 << 20 },
			wantErr: fetch.ErrTooLarge, wantReqs: 1},
		{name: "windows-1252 header", reason: "0xE9 decoded to é, 0x93/0x94 to curly quotes",
			path: "/cp1252", wantReqs: 1, wantBody: "café \u201cquoted\u201d"},
		{name: "windows-1252 meta", reason: "charset from <meta> only",
			path: "/cp1252-meta", wantReqs: 1, wantBody: "café"},
		{name: "gzip", reason: "Content-Encoding gzip decoded by the transport",
			path: "/gzip", wantReqs: 1, wantBody: "compressed café"},
		{name: "connection reset once", reason: "a reset is retried (keep-alive off: http.Transport silently retries a reset on a reused connection)",
			path: "/reset/a?n=1", mod: noKeepAlive, wantReqs: 2, wantBackoff: time.Second, wantBody: "Page"},
		{name: "connection reset always", reason: "resets until the tries run out: temporary",
			path: "/reset/b?n=100", mod: noKeepAlive, wantTemp: true, wantErr: errAny, wantReqs: 4, wantBackoff: 7 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := fixtureserver.New(t, "")
			switch {
			case tc.robotsCode != 0:
				srv.SetRobots(tc.robotsCode, tc.robots)
			case tc.robots != "":
				srv.SetRobots(http.StatusOK, tc.robots)
			}
			f := newFetcher(t, srv, tc.mod)
			page, err := f.Fetch(context.Background(), srv.URL+tc.path)
			path, _, _ := strings.Cut(tc.path, "?")
			st := f.Stats()
			t.Logf("%s: err=%v requests(path)=%d requests(all)=%d backoff=%v retries=%d robotsDenied=%d",
				tc.name, err, srv.Count(path), st.Requests, st.BackoffWait, st.Retries, st.RobotsDenied)
			switch {
			case tc.wantErr == nil && err != nil:
				t.Fatalf("Fetch: %v (%s)", err, tc.reason)
			case tc.wantErr != nil && err == nil:
				t.Fatalf("Fetch succeeded, want %v (%s)", tc.wantErr, tc.reason)
			case tc.wantErr != nil && tc.wantErr != errAny && !errors.Is(err, tc.wantErr):
				t.Errorf("err = %v, want %v (%s)", err, tc.wantErr, tc.reason)
			}
			if err != nil && fetch.IsTemporary(err) != tc.wantTemp {
				t.Errorf("IsTemporary = %v, want %v (%s)", fetch.IsTemporary(err), tc.wantTemp, tc.reason)
			}
			if err != nil && fetch.IsPermanent(err) == tc.wantTemp {
				t.Errorf("IsPermanent disagrees with IsTemporary for %v", err)
			}
			if got := srv.Count(path); got != tc.wantReqs {
				t.Errorf("requests to %s = %d, want %d (%s)", path, got, tc.wantReqs, tc.reason)
			}
			if st.BackoffWait != tc.wantBackoff {
				t.Errorf("backoff waited %v, want %v (%s)", st.BackoffWait, tc.wantBackoff, tc.reason)
			}
			if tc.wantBody != "" && !strings.Contains(string(page.Body), tc.wantBody) {
				t.Errorf("body %q lacks %q (%s)", page.Body, tc.wantBody, tc.reason)
			}
			if tc.wantErr == fetch.ErrDisallowed && st.RobotsDenied != 1 {
				t.Errorf("RobotsDenied = %d, want 1", st.RobotsDenied)
			}
		})
	}
}

func noKeepAlive(c *fetch.Config) { c.Transport = &http.Transport{DisableKeepAlives: true} }

// errAny accepts any error.
var errAny = errors.New("any error")

// TestRateLimit measures the per-host limiter on the fake clock: N
// requests to one host at rate R wait (N-1)/R in all; a Crawl-delay slows
// the host; two hosts are limited independently.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		reason   string
		robots   string
		rate     float64
		hosts    int // 1: 127.0.0.1 only; 2: alternate 127.0.0.1 and localhost
		pages    int
		wantWait time.Duration
	}{
		{name: "default rate", reason: "robots.txt + 5 pages at 1/s: 5 s of waiting",
			rate: 0, hosts: 1, pages: 5, wantWait: 5 * time.Second},
		{name: "fast rate", reason: "robots.txt + 5 pages at 10/s: 0.5 s",
			rate: 10, hosts: 1, pages: 5, wantWait: 500 * time.Millisecond},
		{name: "crawl-delay", reason: "Crawl-delay: 5 after robots.txt: each of 3 pages waits 5 s",
			robots: "User-agent: *\nCrawl-delay: 5\n", rate: 0, hosts: 1, pages: 3, wantWait: 15 * time.Second},
		{name: "crawl-delay for our agent only", reason: "the * group's delay does not apply when ours exists",
			robots: "User-agent: *\nCrawl-delay: 30\n\nUser-agent: threadlens\nCrawl-delay: 2\n", rate: 0, hosts: 1, pages: 3, wantWait: 6 * time.Second},
		{name: "two hosts", reason: "2×(robots + 3 pages) alternating hosts at 1/s: a host waits only for its own slot, 4 s in all (one host alone: 7 s)",
			rate: 0, hosts: 2, pages: 6, wantWait: 4 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := fixtureserver.New(t, "")
			if tc.robots != "" {
				srv.SetRobots(http.StatusOK, tc.robots)
			}
			f := newFetcher(t, srv, func(c *fetch.Config) { c.Rate = tc.rate })
			bases := []string{srv.URL, strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)}
			for i := range tc.pages {
				base := bases[i%tc.hosts]
				if _, err := f.Fetch(context.Background(), base+"/page/p"+string(rune('a'+i))); err != nil {
					t.Fatal(err)
				}
			}
			st := f.Stats()
			slept, _ := srv.Clock.Slept()
			t.Logf("%s: requests=%d rate wait=%v clock slept=%v", tc.name, st.Requests, st.RateWait, slept)
			if diff := st.RateWait - tc.wantWait; diff < -time.Millisecond || diff > time.Millisecond {
				t.Errorf("rate wait = %v, want %v (%s)", st.RateWait, tc.wantWait, tc.reason)
			}
		})
	}
}

// TestConditionalGet: the second fetch revalidates with If-None-Match,
// gets 304 and is served from the cache; offline mode then serves hits
// without any request and fails misses clearly.
func TestConditionalGet(t *testing.T) {
	t.Parallel()
	srv := fixtureserver.New(t, "")
	cache := t.TempDir()
	f := newFetcher(t, srv, func(c *fetch.Config) { c.CacheDir = cache })
	ctx := context.Background()
	first, err := f.Fetch(ctx, srv.URL+"/page/cached")
	if err != nil {
		t.Fatal(err)
	}
	srv.Clock.Advance(time.Hour)
	second, err := f.Fetch(ctx, srv.URL+"/page/cached")
	if err != nil {
		t.Fatal(err)
	}
	if string(first.Body) != string(second.Body) {
		t.Errorf("cached body differs:\n%s\n%s", first.Body, second.Body)
	}
	if !second.FetchedAt.After(first.FetchedAt) {
		t.Errorf("revalidated FetchedAt %v not after %v", second.FetchedAt, first.FetchedAt)
	}
	st := f.Stats()
	t.Logf("stats after two fetches: %+v", st)
	if st.Downloaded != 1 || st.NotModified != 1 || st.CacheHits != 1 || srv.Count("/page/cached") != 2 {
		t.Errorf("downloaded=%d notModified=%d cacheHits=%d requests=%d, want 1, 1, 1, 2",
			st.Downloaded, st.NotModified, st.CacheHits, srv.Count("/page/cached"))
	}

	off := newFetcher(t, srv, func(c *fetch.Config) { c.CacheDir = cache; c.Offline = true })
	before := srv.Total()
	third, err := off.Fetch(ctx, srv.URL+"/page/cached")
	if err != nil {
		t.Fatal(err)
	}
	if string(third.Body) != string(first.Body) || srv.Total() != before {
		t.Errorf("offline hit: body equal %v, requests made %d", string(third.Body) == string(first.Body), srv.Total()-before)
	}
	_, err = off.Fetch(ctx, srv.URL+"/page/never-fetched")
	if !errors.Is(err, fetch.ErrNotCached) || fetch.IsTemporary(err) {
		t.Errorf("offline miss: %v, want permanent ErrNotCached", err)
	}
	if st := off.Stats(); st.CacheHits != 1 || st.Requests != 0 {
		t.Errorf("offline stats %+v, want 1 hit and 0 requests", st)
	}
}

// TestUserAgentAndCancel checks the User-Agent format and that
// cancelling the context stops a hanging request promptly.
func TestUserAgentAndCancel(t *testing.T) {
	t.Parallel()
	cfg := fetch.Config{Version: "1.2.3", Contact: "mailto:me@example.org"}
	if got, want := cfg.UserAgent(), "threadlens/1.2.3 (+mailto:me@example.org)"; got != want {
		t.Errorf("UserAgent = %q, want %q", got, want)
	}
	srv := fixtureserver.New(t, "")
	f := newFetcher(t, srv, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := f.Fetch(ctx, srv.URL+"/hang")
		done <- err
	}()
	for srv.Count("/hang") == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled fetch: %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cancel did not stop the request")
	}
	if n := srv.Count("/hang"); n != 1 {
		t.Errorf("a cancelled fetch was retried: %d requests", n)
	}
}

// TestNewErrors checks configuration errors.
func TestNewErrors(t *testing.T) {
	t.Parallel()
	if _, err := fetch.New(fetch.Config{Offline: true}); err == nil {
		t.Error("offline without cache accepted")
	}
	if _, err := fetch.New(fetch.Config{WARCOut: filepath.Join(t.TempDir(), "x", "\x00bad")}); err == nil {
		t.Error("bad WARC path accepted")
	}
}
