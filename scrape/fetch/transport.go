package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// newBaseTransport returns the one shared http.Transport. It asks for gzip
// itself (DisableCompression false), so bodies arrive decoded.
func newBaseTransport(cfg Config) *http.Transport {
	dialer := &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   cfg.ConnectTimeout,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
		ForceAttemptHTTP2:     true,
	}
}

// headerTransport sets the User-Agent and Accept headers on a clone of
// each request.
type headerTransport struct {
	next      http.RoundTripper
	userAgent string
}

func (t *headerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("User-Agent", t.userAgent)
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "text/html,application/xhtml+xml,application/json;q=0.9,application/xml;q=0.8,*/*;q=0.5")
	}
	return t.next.RoundTrip(req)
}

// hostLimiter allows each host at most one request per interval (burst
// 1), waiting on the Clock. It also counts requests and body bytes: every
// request that reaches the network passes here.
type hostLimiter struct {
	next  http.RoundTripper
	clock Clock
	limit rate.Limit
	stats *counters

	mu    sync.Mutex
	hosts map[string]*rate.Limiter
}

func newHostLimiter(next http.RoundTripper, perSecond float64, clock Clock, stats *counters) *hostLimiter {
	return &hostLimiter{next: next, clock: clock, limit: rate.Limit(perSecond), stats: stats, hosts: map[string]*rate.Limiter{}}
}

func (l *hostLimiter) limiter(host string) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.hosts[host]
	if !ok {
		lim = rate.NewLimiter(l.limit, 1)
		l.hosts[host] = lim
	}
	return lim
}

// slowDown makes host's limit at most one request per interval (a
// robots.txt Crawl-delay); it never speeds a host up.
func (l *hostLimiter) slowDown(host string, interval time.Duration) {
	if interval <= 0 {
		return
	}
	lim := l.limiter(host)
	if every := rate.Every(interval); every < lim.Limit() {
		lim.SetLimitAt(l.clock.Now(), every)
	}
}

// wait blocks until host may be sent one more request.
func (l *hostLimiter) wait(ctx context.Context, host string) error {
	lim := l.limiter(host)
	now := l.clock.Now()
	r := lim.ReserveN(now, 1)
	if !r.OK() {
		return fmt.Errorf("rate limiter refuses %s", host)
	}
	if d := r.DelayFrom(now); d > 0 {
		if err := l.clock.Sleep(ctx, d); err != nil {
			r.CancelAt(l.clock.Now())
			return err
		}
		l.stats.rateWait.Add(int64(d))
	}
	return nil
}

func (l *hostLimiter) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := l.wait(req.Context(), req.URL.Host); err != nil {
		return nil, err
	}
	l.stats.requests.Add(1)
	resp, err := l.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &countingBody{ReadCloser: resp.Body, n: &l.stats.bytes}
	return resp, nil
}

// countingBody adds the bytes read to n.
type countingBody struct {
	io.ReadCloser
	n interface{ Add(int64) int64 }
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// deadlineTransport bounds one request, body included, by timeout. It sits
// below the limiter so time spent queueing for a host does not count.
type deadlineTransport struct {
	next    http.RoundTripper
	timeout time.Duration
}

func (t *deadlineTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	parent := req.Context()
	ctx, cancel := context.WithTimeout(parent, t.timeout)
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		err = t.classify(parent, ctx, err)
		cancel()
		return nil, err
	}
	resp.Body = &deadlineBody{ReadCloser: resp.Body, cancel: cancel, parent: parent, ctx: ctx, t: t}
	return resp, nil
}

// classify marks errors caused by our own deadline with ErrTimeout.
func (t *deadlineTransport) classify(parent, ctx context.Context, err error) error {
	if parent.Err() == nil && (errors.Is(ctx.Err(), context.DeadlineExceeded) || isNetTimeout(err)) {
		return fmt.Errorf("%w after %v: %v", ErrTimeout, t.timeout, err)
	}
	return err
}

func isNetTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// deadlineBody releases the request's timer on Close and marks reads cut
// off by the deadline with ErrTimeout.
type deadlineBody struct {
	io.ReadCloser
	cancel      context.CancelFunc
	parent, ctx context.Context
	t           *deadlineTransport
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = b.t.classify(b.parent, b.ctx, err)
	}
	return n, err
}

func (b *deadlineBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
