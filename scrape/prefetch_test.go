package scrape_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/threadlens/threadlens/scrape"
	"github.com/threadlens/threadlens/scrape/fetch"
	"github.com/threadlens/threadlens/scrape/fixtureserver"
)

// testHost is an httptest server acting as one host (the host includes
// the port): /page/NAME is a small page, paths set with serve answer
// their body, anything else 404.
type testHost struct {
	*httptest.Server
	mu     sync.Mutex
	bodies map[string]string
	// arrive, when not nil, is called with each request's path before it
	// is answered.
	arrive func(path string)
}

func newTestHost(t *testing.T) *testHost {
	t.Helper()
	h := &testHost{bodies: map[string]string{}}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.arrive != nil {
			h.arrive(r.URL.Path)
		}
		h.mu.Lock()
		body, ok := h.bodies[r.URL.Path]
		h.mu.Unlock()
		switch {
		case ok:
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprint(w, body)
		case strings.HasPrefix(r.URL.Path, "/page/"):
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, "<html><body><p>%s</p></body></html>", r.URL.Path)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *testHost) serve(path, body string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.bodies[path] = body
}

func rssFeed(links ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<rss version="2.0"><channel><title>t</title><link>https://example.invalid/</link>`)
	for i, l := range links {
		fmt.Fprintf(&b, "<item><title>item %d</title><link>%s</link></item>", i+1, l)
	}
	b.WriteString("</channel></rss>\n")
	return b.String()
}

func urlset(locs ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	for _, l := range locs {
		fmt.Fprintf(&b, "<url><loc>%s</loc></url>", l)
	}
	b.WriteString("</urlset>\n")
	return b.String()
}

// itemRow is an Item reduced to what the order tests compare.
type itemRow struct{ source, inside, err string }

func rowsOf(items []scrape.Item, trim ...string) []itemRow {
	cut := func(s string) string {
		for i, p := range trim {
			s = strings.ReplaceAll(s, p, fmt.Sprintf("<%d>", i))
		}
		return s
	}
	var rows []itemRow
	for _, it := range items {
		r := itemRow{inside: cut(it.Inside)}
		if it.Err != nil {
			r.err = cut(it.Err.Error())
		} else {
			r.source = cut(it.Page.Source)
		}
		rows = append(rows, r)
	}
	return rows
}

// TestPagesOrderAndDedup fetches a mix of URLs on three hosts, a feed and
// a sitemap fetched by URL, a local page and a local feed, with the first
// response held back until a later one arrived (so fetches complete out
// of order), and checks that every Concurrency gives the items, errors,
// duplicates and stats of fetching one URL at a time.
func TestPagesOrderAndDedup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		concurrency int
		reason      string
	}{
		{"serial", 1, "one URL at a time: the reference behaviour"},
		{"two", 2, "a window smaller than the sources after the feed"},
		{"default", 0, "the default window holds every source: the feed is expanded after all of them were planned and claimed their links"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, b, c := newTestHost(t), newTestHost(t), newTestHost(t)
			// a1 is answered only once another request arrived, unless
			// fetching is serial (then nothing else can arrive).
			other := make(chan struct{})
			var once sync.Once
			arrive := func(path string) {
				if path == "/page/a1" {
					if tc.concurrency != 1 {
						select {
						case <-other:
						case <-time.After(10 * time.Second):
							t.Errorf("no other request arrived while /page/a1 was in flight: fetches are not concurrent (%s)", tc.reason)
						}
					}
					return
				}
				once.Do(func() { close(other) })
			}
			a.arrive, b.arrive, c.arrive = arrive, arrive, arrive
			b.serve("/feed.xml", rssFeed(c.URL+"/page/f1", a.URL+"/page/f2", b.URL+"/page/f3", a.URL+"/page/a1", c.URL+"/page/c2"))
			a.serve("/sitemap.xml", urlset(b.URL+"/page/s1", b.URL+"/page/l1"))
			dir := t.TempDir()
			local := filepath.Join(dir, "local.html")
			localFeed := filepath.Join(dir, "local-feed.xml")
			if err := os.WriteFile(local, []byte("<p>local</p>"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(localFeed, []byte(rssFeed(a.URL+"/page/f2", b.URL+"/page/l1")), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := fetch.New(fetch.Config{Version: "test", Clock: fixtureserver.NewClock(fixtureserver.Start), MaxTries: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			l := &scrape.Loader{Fetch: f.Fetch, Concurrency: tc.concurrency}
			items := collect(t, l, a.URL+"/page/a1", b.URL+"/feed.xml", local, c.URL+"/page/c2", c.URL+"/missing", localFeed, a.URL+"/sitemap.xml")
			got := rowsOf(items, a.URL, b.URL, c.URL, dir)
			feed, sitemap := "<1>/feed.xml", "<0>/sitemap.xml"
			want := []itemRow{
				{source: "<0>/page/a1"},
				{source: "<2>/page/f1", inside: feed},
				{source: "<0>/page/f2", inside: feed},
				{source: "<1>/page/f3", inside: feed},
				// a1 again: a duplicate, skipped
				{source: "<2>/page/c2", inside: feed}, // first here; still fetched when named below
				{source: "<3>/local.html"},
				{source: "<2>/page/c2"},
				{err: "<2>/missing: "},
				// local feed: f2 a duplicate of the feed's
				{source: "<1>/page/l1", inside: "<3>/local-feed.xml"},
				{source: "<1>/page/s1", inside: sitemap},
				// l1 a duplicate of the local feed's
			}
			if len(got) != len(want) {
				t.Fatalf("got %d items, want %d (%s):\n%+v", len(got), len(want), tc.reason, got)
			}
			for i := range want {
				g, w := got[i], want[i]
				if g.source != w.source || g.inside != w.inside || !strings.HasPrefix(g.err, w.err) || (w.err == "") != (g.err == "") {
					t.Errorf("item %d = %+v, want %+v (%s)", i, g, w, tc.reason)
				}
			}
			st := l.Stats()
			t.Logf("concurrency %d: %d items, stats %+v, fetcher %d requests", tc.concurrency, len(items), st, f.Stats().Requests)
			if st.Containers != 3 || st.ContainerPages != 6 || st.Duplicates != 3 {
				t.Errorf("stats %+v, want 3 containers, 6 container pages, 3 duplicates (%s)", st, tc.reason)
			}
		})
	}
}

// stepClock is a fake clock whose Sleep blocks until the test advances
// the time past its end, so what the rate limiter lets through at each
// instant can be observed.
type stepClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []*stepWaiter
}

type stepWaiter struct {
	until time.Time
	wake  chan struct{}
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil || d <= 0 {
		return err
	}
	c.mu.Lock()
	w := &stepWaiter{until: c.now.Add(d), wake: make(chan struct{})}
	c.waiters = append(c.waiters, w)
	c.mu.Unlock()
	select {
	case <-w.wake:
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		c.waiters = slices.DeleteFunc(c.waiters, func(x *stepWaiter) bool { return x == w })
		c.mu.Unlock()
		return ctx.Err()
	}
}

// Advance moves the time forward by d and wakes the sleeps that end.
func (c *stepClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.waiters = slices.DeleteFunc(c.waiters, func(w *stepWaiter) bool {
		if w.until.After(c.now) {
			return false
		}
		close(w.wake)
		return true
	})
}

func (c *stepClock) sleepers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

// arrivalRecorder is the fetcher's base transport: it notes, per host,
// the fake time each request left the rate limiter.
type arrivalRecorder struct {
	clock *stepClock
	next  http.RoundTripper
	mu    sync.Mutex
	at    map[string][]time.Duration // host → times since start
	n     atomic.Int64
	start time.Time
}

func (r *arrivalRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.at[req.URL.Host] = append(r.at[req.URL.Host], r.clock.Now().Sub(r.start))
	r.mu.Unlock()
	r.n.Add(1)
	return r.next.RoundTrip(req)
}

// TestPagesHostsOverlap fetches 3 hosts × 3 pages, listed host by host,
// at the default 1 request/s per host, on a fake clock advanced one
// second at a time, and records when each request left the limiter:
// fetching one URL at a time takes 6 s (each host waits for the ones
// before it); the default Concurrency takes 2 s, all three hosts at once,
// each host still one request a second.
func TestPagesHostsOverlap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		concurrency int
		want        [3][]time.Duration // arrival times of hosts A, B, C
		reason      string
	}{
		{"serial", 1, [3][]time.Duration{{0, 1, 2}, {2, 3, 4}, {4, 5, 6}},
			"one URL at a time: B starts when A is done"},
		{"default", 0, [3][]time.Duration{{0, 1, 2}, {0, 1, 2}, {0, 1, 2}},
			"hosts overlap; each host still waits 1 s between requests"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			hosts := []*testHost{newTestHost(t), newTestHost(t), newTestHost(t)}
			clock := &stepClock{now: fixtureserver.Start}
			base := &http.Transport{}
			defer base.CloseIdleConnections()
			rec := &arrivalRecorder{clock: clock, next: base, at: map[string][]time.Duration{}, start: fixtureserver.Start}
			f, err := fetch.New(fetch.Config{Version: "test", Clock: clock, Transport: rec, IgnoreRobots: true, MaxTries: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var started atomic.Int64
			l := &scrape.Loader{Concurrency: tc.concurrency, Fetch: func(ctx context.Context, u string) (*scrape.Page, error) {
				started.Add(1)
				return f.Fetch(ctx, u)
			}}
			var sources []string
			for _, h := range hosts {
				for i := 1; i <= 3; i++ {
					sources = append(sources, fmt.Sprintf("%s/page/%d", h.URL, i))
				}
			}
			done := make(chan []scrape.Item)
			go func() { done <- collect(t, l, sources...) }()

			// Advance the clock a second at a time, once the requests due
			// by now have left the limiter and every other fetch started
			// sleeps in it.
			var arrivals []time.Duration
			for _, w := range tc.want {
				arrivals = append(arrivals, w...)
			}
			deadline := time.Now().Add(20 * time.Second)
			for sec := time.Duration(0); ; sec++ {
				due := 0
				for _, at := range arrivals {
					if at <= sec {
						due++
					}
				}
				for {
					n := int(rec.n.Load())
					if n > due {
						t.Fatalf("at %v: %d requests sent, want %d (%s)", sec*time.Second, n, due, tc.reason)
					}
					if n == due && clock.sleepers() == int(started.Load())-n {
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("at %v: %d requests sent, want %d; %d fetches started, %d waiting (%s)", sec*time.Second, n, due, started.Load(), clock.sleepers(), tc.reason)
					}
					time.Sleep(time.Millisecond)
				}
				if due == len(arrivals) {
					t.Logf("%s: %d pages from 3 hosts in %v of fake time", tc.name, due, sec*time.Second)
					break
				}
				clock.Advance(time.Second)
			}
			items := <-done
			for i, it := range items {
				if it.Err != nil || it.Page.Source != sources[i] {
					t.Errorf("item %d: %+v, want the page of %s", i, it, sources[i])
				}
			}
			for i, h := range hosts {
				got := slices.Clone(rec.at[strings.TrimPrefix(h.URL, "http://")])
				slices.Sort(got)
				want := slices.Clone(tc.want[i])
				for j := range want {
					want[j] *= time.Second
				}
				if !slices.Equal(got, want) {
					t.Errorf("host %d requests at %v, want %v (%s)", i, got, want, tc.reason)
				}
			}
		})
	}
}

// TestPagesBounded checks how far the loader reads ahead of its
// consumer and how many fetches run at once, for a plain URL list and for
// a feed fetched by URL (expanded in place while the URLs after it wait).
func TestPagesBounded(t *testing.T) {
	t.Parallel()
	const n = 4
	tests := []struct {
		name      string
		feedFirst bool
		wantAhead int
		reason    string
	}{
		{"url list", false, n - 1, "the window: the page yielded and n-1 more"},
		{"feed then urls", true, 2*n - 1, "the feed's own window while n-1 sources after it wait"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var links, sources []string
			for i := range 30 {
				links = append(links, fmt.Sprintf("https://h%d.example/entry/%d", i%3, i))
				sources = append(sources, fmt.Sprintf("https://h%d.example/page/%d", i%3, i))
			}
			if tc.feedFirst {
				sources = append([]string{"https://feeds.example/feed"}, sources...)
			}
			feed := rssFeed(links...)
			var started, inflight, maxInflight atomic.Int64
			release := make(chan struct{})
			fetchFn := func(ctx context.Context, u string) (*scrape.Page, error) {
				started.Add(1)
				if strings.HasSuffix(u, "/feed") {
					return &scrape.Page{URL: u, Body: []byte(feed)}, nil
				}
				cur := inflight.Add(1)
				defer inflight.Add(-1)
				for {
					m := maxInflight.Load()
					if cur <= m || maxInflight.CompareAndSwap(m, cur) {
						break
					}
				}
				select {
				case <-release:
				case <-ctx.Done():
					return nil, ctx.Err()
				}
				return &scrape.Page{URL: u, Body: []byte("<p>x</p>")}, nil
			}
			l := &scrape.Loader{Fetch: fetchFn, Concurrency: n}
			go func() {
				// Let the fetches go once the n slots are taken.
				for inflight.Load() < n {
					time.Sleep(time.Millisecond)
				}
				close(release)
			}()
			yielded, maxAhead := 0, 0
			for it := range l.Pages(context.Background(), sources) {
				if it.Err != nil {
					t.Fatalf("item %d: %v", yielded, it.Err)
				}
				yielded++
				maxAhead = max(maxAhead, int(started.Load())-yielded)
			}
			t.Logf("%s: %d items; at most %d fetches started ahead of the consumer, %d at once (concurrency %d)", tc.name, yielded, maxAhead, maxInflight.Load(), n)
			if yielded != 60 && tc.feedFirst || yielded != 30 && !tc.feedFirst {
				t.Errorf("%d items", yielded)
			}
			if maxAhead != tc.wantAhead {
				t.Errorf("read ahead by %d, want %d (%s)", maxAhead, tc.wantAhead, tc.reason)
			}
			if maxInflight.Load() != n {
				t.Errorf("%d fetches at once, want %d", maxInflight.Load(), n)
			}
		})
	}
}

// TestPagesCancel stops the sequence mid-stream, by cancelling its
// context or by the consumer breaking out, while fetches hang; Pages
// must return and leave no goroutine behind. Not parallel: it counts the
// process's goroutines.
func TestPagesCancel(t *testing.T) {
	hang := func(ctx context.Context, u string) (*scrape.Page, error) {
		if strings.Contains(u, "/fast/") {
			return &scrape.Page{URL: u, Body: []byte("<p>fast</p>")}, nil
		}
		<-ctx.Done()
		return nil, ctx.Err()
	}
	tests := []struct {
		name   string
		brk    bool // break out of the loop instead of cancelling
		http   bool // fetch from hanging httptest servers with a Fetcher
		reason string
	}{
		{"cancel", false, false, "ctx cancelled with fetches hanging"},
		{"break", true, false, "the consumer stops ranging"},
		{"cancel over http", false, true, "real requests in flight are cancelled"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fetchFn := scrape.FetchFunc(hang)
			closeIdle := func() {}
			var sources []string
			for i := range 20 {
				sources = append(sources, fmt.Sprintf("https://h%d.example/fast/%d", i%3, i))
			}
			if tc.http {
				var servers []*fixtureserver.Server
				for range 3 {
					servers = append(servers, fixtureserver.New(t, ""))
				}
				f, err := fetch.New(fetch.Config{Version: "test", Rate: 1000, Clock: servers[0].Clock, IgnoreRobots: true, MaxTries: 1})
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				fetchFn = f.Fetch
				closeIdle = func() { f.Close() } // the kept-alive connections of the two pages
				sources = sources[:0]
				for i := range 20 {
					path := "/page/" + fmt.Sprint(i)
					if i >= 2 {
						path = "/hang"
					}
					sources = append(sources, servers[i%3].URL+path)
				}
			} else {
				for i := 2; i < 20; i++ {
					sources[i] = strings.Replace(sources[i], "/fast/", "/slow/", 1)
				}
			}
			before := runtime.NumGoroutine()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			l := &scrape.Loader{Fetch: fetchFn}
			got, stopped := 0, make(chan struct{})
			go func() {
				defer close(stopped)
				for it := range l.Pages(ctx, sources) {
					got++
					if it.Err != nil {
						t.Errorf("item %d: %v", got, it.Err)
					}
					if got == 2 {
						if tc.brk {
							break
						}
						cancel()
					}
				}
			}()
			select {
			case <-stopped:
			case <-time.After(20 * time.Second):
				t.Fatalf("Pages did not return after the stop (%s)", tc.reason)
			}
			if got != 2 {
				t.Errorf("%d items, want the 2 before the stop", got)
			}
			closeIdle()
			after := 0
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
				if after = runtime.NumGoroutine(); after <= before {
					break
				}
			}
			t.Logf("%s: goroutines before %d, after %d", tc.name, before, after)
			if after > before {
				buf := make([]byte, 1<<16)
				t.Errorf("%d goroutines left behind (%s):\n%s", after-before, tc.reason, buf[:runtime.Stack(buf, true)])
			}
		})
	}
}

// TestPagesFetchErrors keeps per-URL errors as they were: named after
// the URL as given, in its position, nothing else disturbed.
func TestPagesFetchErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	l := &scrape.Loader{Fetch: func(ctx context.Context, u string) (*scrape.Page, error) {
		switch {
		case strings.HasSuffix(u, "/bad"):
			return nil, boom
		case strings.HasSuffix(u, "/nil"):
			return nil, nil
		}
		return &scrape.Page{URL: u, Body: []byte("<p>ok</p>")}, nil
	}}
	items := collect(t, l, "https://a.example/ok", "https://b.example/bad", "https://c.example/nil", "https://a.example/ok2")
	if len(items) != 4 || items[0].Err != nil || !errors.Is(items[1].Err, boom) || items[2].Err == nil || items[3].Err != nil {
		t.Fatalf("items %+v", items)
	}
	if msg := items[1].Err.Error(); msg != "https://b.example/bad: boom" {
		t.Errorf("error %q, want it named after the URL", msg)
	}
}
