package fetch

import (
	"log/slog"
	"net/http"
	"time"
)

// Defaults applied by [New] to zero Config fields.
const (
	DefaultRate           = 1.0 // requests per second per host
	DefaultMaxBody        = 32 << 20
	DefaultConnectTimeout = 10 * time.Second
	DefaultTimeout        = 60 * time.Second
	DefaultMaxTries       = 4
	DefaultBaseBackoff    = time.Second
	DefaultMaxBackoff     = time.Minute
	DefaultMaxRetryAfter  = 5 * time.Minute
	DefaultMaxRedirects   = 10
	// RobotsRetryAfter is how long a robots.txt that answered 5xx (or
	// could not be reached) keeps its host disallowed before it is asked
	// for again.
	RobotsRetryAfter = 10 * time.Minute
	// maxRobotsSize is the most of a robots.txt that is read (Google reads
	// 500 KiB).
	maxRobotsSize = 500 << 10
)

// Agent is the product token robots.txt groups are matched against.
const Agent = "threadlens"

// Config configures a [Fetcher]. Zero fields take the defaults above.
type Config struct {
	// Version is threadlens's version, put in the User-Agent.
	Version string
	// Contact is a URL or e-mail address for site operators, put in the
	// User-Agent: "threadlens/VERSION (+CONTACT)".
	Contact string
	// Rate is the most requests per second to one host (burst 1); hosts
	// are limited independently. 0 means DefaultRate; a robots.txt
	// Crawl-delay can only make it slower.
	Rate float64
	// CacheDir, when not empty, is the directory of the on-disk cache of
	// raw responses (used for conditional GETs and offline runs).
	CacheDir string
	// Offline serves from the cache only; a miss is an error wrapping
	// ErrNotCached. It requires CacheDir.
	Offline bool
	// IgnoreRobots turns off the robots.txt gate. Off by default, and it
	// should stay so except for sites the user owns.
	IgnoreRobots bool
	// WARCOut, when not empty, is a .warc.gz file every page served by
	// Fetch is appended to as a response record.
	WARCOut string
	// MaxBody is the largest response body accepted, in bytes; larger is
	// ErrTooLarge. 0 means DefaultMaxBody.
	MaxBody int64
	// ConnectTimeout bounds establishing a connection (TCP and TLS).
	ConnectTimeout time.Duration
	// Timeout bounds one try, from sending the request to reading the
	// last body byte (not counting the rate limiter's wait).
	Timeout time.Duration
	// MaxTries bounds the tries per URL (first try included).
	MaxTries int
	// BaseBackoff is the wait before the second try; it doubles for each
	// further try up to MaxBackoff, with jitter (a random 50–100 %).
	BaseBackoff time.Duration
	// MaxBackoff caps one backoff wait.
	MaxBackoff time.Duration
	// MaxRetryAfter is the longest Retry-After honoured; a server asking
	// for more fails the URL (temporarily) instead of stalling the run.
	MaxRetryAfter time.Duration
	// MaxRedirects bounds the redirects followed per fetch.
	MaxRedirects int
	// Clock is the time source; nil means SystemClock.
	Clock Clock
	// Transport is the base RoundTripper; nil means a new http.Transport
	// built from the timeouts above. Tests pass their own.
	Transport http.RoundTripper
	// Jitter returns a number in [0,1) for backoff jitter; nil means
	// math/rand/v2.
	Jitter func() float64
	// Logger receives debug and warning logs; nil means slog.Default().
	Logger *slog.Logger
}

// UserAgent returns the User-Agent header for this configuration.
func (c Config) UserAgent() string {
	v := c.Version
	if v == "" {
		v = "dev"
	}
	if c.Contact == "" {
		return Agent + "/" + v
	}
	return Agent + "/" + v + " (+" + c.Contact + ")"
}

func (c Config) withDefaults() Config {
	if c.Rate <= 0 {
		c.Rate = DefaultRate
	}
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = DefaultConnectTimeout
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxTries <= 0 {
		c.MaxTries = DefaultMaxTries
	}
	if c.BaseBackoff <= 0 {
		c.BaseBackoff = DefaultBaseBackoff
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = DefaultMaxBackoff
	}
	if c.MaxRetryAfter <= 0 {
		c.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if c.MaxRedirects <= 0 {
		c.MaxRedirects = DefaultMaxRedirects
	}
	if c.Clock == nil {
		c.Clock = SystemClock{}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}
