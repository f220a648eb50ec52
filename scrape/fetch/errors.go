package fetch

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Sentinel errors; test with errors.Is on what [Fetcher.Fetch] returns.
var (
	// ErrDisallowed means robots.txt forbids the URL to our agent (or the
	// site's robots.txt answered 5xx or could not be reached).
	ErrDisallowed = errors.New("disallowed by robots.txt")
	// ErrTooLarge means the response body is larger than Config.MaxBody.
	ErrTooLarge = errors.New("response body too large")
	// ErrTooManyRedirects means more than Config.MaxRedirects redirects.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrRedirectLoop means a redirect led back to a URL already visited.
	ErrRedirectLoop = errors.New("redirect loop")
	// ErrStatus means the server answered with an HTTP error status; the
	// error is then also a *StatusError with the code.
	ErrStatus = errors.New("HTTP error status")
	// ErrTimeout means one try took longer than Config.Timeout (or the
	// connection longer than Config.ConnectTimeout).
	ErrTimeout = errors.New("timed out")
	// ErrNotCached means offline mode and the URL is not in the cache.
	ErrNotCached = errors.New("not in the cache (offline mode)")
	// ErrRetryAfterTooLong means the server asked to wait longer than
	// Config.MaxRetryAfter before retrying.
	ErrRetryAfterTooLong = errors.New("server asks to retry after too long a wait")
)

// Error is the failure of one URL after all tries.
type Error struct {
	// URL is the URL asked for.
	URL string
	// Status is the HTTP status of the last try, 0 when none was received.
	Status int
	// Tries is how many requests were tried.
	Tries int
	// Temporary reports whether trying again later may succeed (timeouts,
	// connection errors, 429, 5xx); false for 404, robots denials, bodies
	// over the limit, redirect loops.
	Temporary bool
	// Err is the underlying cause, wrapping one of the sentinels when it
	// applies.
	Err error
}

// Error implements error: "GET URL: CAUSE (N tries)".
func (e *Error) Error() string {
	s := fmt.Sprintf("GET %s: %v", e.URL, e.Err)
	if e.Tries > 1 {
		s += fmt.Sprintf(" (%d tries)", e.Tries)
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// IsTemporary reports whether err is a fetch failure that may go away if
// tried again later (a *Error with Temporary set).
func IsTemporary(err error) bool {
	var fe *Error
	return errors.As(err, &fe) && fe.Temporary
}

// IsPermanent reports whether err is a fetch failure that retrying will
// not fix.
func IsPermanent(err error) bool {
	var fe *Error
	return errors.As(err, &fe) && !fe.Temporary
}

// StatusError is an HTTP error status. It matches [ErrStatus] with
// errors.Is.
type StatusError struct {
	// Code is the HTTP status code.
	Code int
	// RetryAfter is the wait the server asked for with Retry-After, 0 when
	// it sent none.
	RetryAfter time.Duration
}

// Error implements error: "HTTP 404 Not Found".
func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
}

// Is makes errors.Is(err, ErrStatus) true.
func (e *StatusError) Is(target error) bool { return target == ErrStatus }

// retryableStatus reports whether a status may go away on retry.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests,
		http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}
