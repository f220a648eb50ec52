package fetch

import (
	"sync/atomic"
	"time"
)

// Stats counts what a [Fetcher] did, for the run summary ("downloaded 3
// pages, 12 not modified"). Take snapshots with [Fetcher.Stats].
type Stats struct {
	// Requests is how many HTTP requests went to the network, robots.txt
	// and retries included.
	Requests int64
	// Pages is how many Fetch calls returned a page.
	Pages int64
	// Failures is how many Fetch calls returned an error.
	Failures int64
	// Downloaded is how many pages came from the network with a body
	// (status 200, not revalidated).
	Downloaded int64
	// NotModified is how many revalidations got 304 and were served from
	// the cache.
	NotModified int64
	// CacheHits is how many responses were served from the cache: 304
	// revalidations and offline hits.
	CacheHits int64
	// Bytes is how many response-body bytes were read from the network
	// (after transfer decompression).
	Bytes int64
	// Retries is how many tries were repeated after a temporary failure.
	Retries int64
	// RobotsDenied is how many requests robots.txt forbade.
	RobotsDenied int64
	// RobotsFetches is how many robots.txt files were requested.
	RobotsFetches int64
	// RateWait is the total time requests waited for the per-host limiter.
	RateWait time.Duration
	// BackoffWait is the total time spent waiting between retries.
	BackoffWait time.Duration
}

// counters is the live, atomic form of Stats.
type counters struct {
	requests, pages, failures, downloaded, notModified, cacheHits atomic.Int64
	bytes, retries, robotsDenied, robotsFetches                   atomic.Int64
	rateWait, backoffWait                                         atomic.Int64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Requests:      c.requests.Load(),
		Pages:         c.pages.Load(),
		Failures:      c.failures.Load(),
		Downloaded:    c.downloaded.Load(),
		NotModified:   c.notModified.Load(),
		CacheHits:     c.cacheHits.Load(),
		Bytes:         c.bytes.Load(),
		Retries:       c.retries.Load(),
		RobotsDenied:  c.robotsDenied.Load(),
		RobotsFetches: c.robotsFetches.Load(),
		RateWait:      time.Duration(c.rateWait.Load()),
		BackoffWait:   time.Duration(c.backoffWait.Load()),
	}
}
