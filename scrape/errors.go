package scrape

import (
	"errors"
	"fmt"
	"io/fs"
)

// Sentinel errors; test with errors.Is.
var (
	// ErrNoThread means no adapter recognised the page as a comment thread.
	ErrNoThread = errors.New("not a recognised comment thread")
	// ErrEmpty means the source has no content.
	ErrEmpty = errors.New("empty input")
	// ErrBinary means the source is not text.
	ErrBinary = errors.New("binary content, not a text page")
	// ErrMalformed means the page was recognised but its structure is
	// broken (truncated JSON, impossible nesting).
	ErrMalformed = errors.New("malformed page")
	// ErrTooDeep means the input nests deeper than the parsers allow.
	ErrTooDeep = errors.New("input nested too deeply")
	// ErrUnknownAdapter means --adapter named no registered adapter.
	ErrUnknownAdapter = errors.New("unknown adapter")
)

// ParseError is an adapter's failure on one source, with its place.
type ParseError struct {
	// Adapter is the adapter's name.
	Adapter string
	// Source is the page's source as given.
	Source string
	// Line is the 1-based line in the source, 0 when not applicable.
	Line int
	// Err is the underlying error, often one of the sentinels.
	Err error
}

// Error implements error: "SOURCE:LINE: adapter ADAPTER: ERR".
func (e *ParseError) Error() string {
	place := e.Source
	if e.Line > 0 {
		place = fmt.Sprintf("%s:%d", e.Source, e.Line)
	}
	if e.Adapter == "" {
		return fmt.Sprintf("%s: %v", place, e.Err)
	}
	return fmt.Sprintf("%s: %s: %v", place, e.Adapter, e.Err)
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

func asPathError(err error, target **fs.PathError) bool { return errors.As(err, target) }
