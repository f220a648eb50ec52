package scrape

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// SniffLen is how many leading bytes of a page an adapter's Sniff sees.
const SniffLen = 8 << 10

// Page is one fetched or read page: the bytes and where they came from.
type Page struct {
	// Source is the page's source as DESIGN.md defines it: the path or URL
	// as given, or the page's own path/URL when found inside a directory,
	// feed, sitemap or WARC.
	Source string
	// URL is the URL the bytes were fetched from (after redirects), empty
	// for a local file.
	URL string
	// ContentType is the media type from the response header, or empty.
	ContentType string
	// Body is the page content, decoded to UTF-8.
	Body []byte
	// FetchedAt is when the bytes were obtained; zero when unknown.
	FetchedAt time.Time
}

// FetchFunc fetches one URL through the program's polite client. Adapters
// use it to follow comment pages or expand stubs; nil means no fetching is
// possible (offline, or local files only).
type FetchFunc func(ctx context.Context, url string) (*Page, error)

// Env is what an adapter may use besides the page itself.
type Env struct {
	// Fetch follows further pages of the same thread; nil when fetching is
	// not available.
	Fetch FetchFunc
	// RedditMore asks the reddit adapter to fetch "more" stubs.
	RedditMore bool
}

// Adapter recognises and parses the pages of one kind of site.
//
// Implementations must be safe for concurrent use.
type Adapter interface {
	// Name is the adapter's name, as used by --adapter and Thread.Site.
	Name() string
	// Sniff reports whether the page looks like this adapter's, from its URL
	// (may be empty) and its first [SniffLen] bytes. It must be cheap.
	Sniff(url string, head []byte) bool
	// Parse parses the page into a thread whose comments went through
	// BuildTree. A recognised page with no comments is a thread with zero
	// comments, not an error. It may return a thread and an error together
	// when part of the page could not be parsed.
	Parse(ctx context.Context, p *Page, env Env) (*Thread, error)
}

// Registry holds adapters in precedence order.
type Registry struct {
	adapters []Adapter
}

// NewRegistry returns a registry holding adapters in the given precedence
// order. It panics if two share a name (a programmer error).
func NewRegistry(adapters ...Adapter) *Registry {
	r := &Registry{}
	for _, a := range adapters {
		r.Register(a)
	}
	return r
}

// Register appends an adapter at the lowest precedence. It panics if the
// name is already registered.
func (r *Registry) Register(a Adapter) {
	for _, have := range r.adapters {
		if have.Name() == a.Name() {
			panic(fmt.Sprintf("scrape: adapter %q registered twice", a.Name()))
		}
	}
	r.adapters = append(r.adapters, a)
}

// Names lists the registered adapter names in precedence order.
func (r *Registry) Names() []string {
	names := make([]string, len(r.adapters))
	for i, a := range r.adapters {
		names[i] = a.Name()
	}
	return names
}

// Lookup returns the adapter called name, or an error wrapping
// [ErrUnknownAdapter] that lists the known names.
func (r *Registry) Lookup(name string) (Adapter, error) {
	for _, a := range r.adapters {
		if a.Name() == name {
			return a, nil
		}
	}
	return nil, fmt.Errorf("%w %q (known: %s)", ErrUnknownAdapter, name, strings.Join(r.Names(), ", "))
}

// Detect returns the first adapter whose Sniff accepts the page, or an
// error wrapping [ErrEmpty], [ErrBinary] or [ErrNoThread].
func (r *Registry) Detect(p *Page) (Adapter, error) {
	head := p.Body[:min(len(p.Body), SniffLen)]
	if len(strings.TrimSpace(string(head))) == 0 {
		return nil, ErrEmpty
	}
	if looksBinary(head) {
		return nil, ErrBinary
	}
	for _, a := range r.adapters {
		if a.Sniff(p.URL, head) {
			return a, nil
		}
	}
	return nil, ErrNoThread
}

// Parse detects the page's adapter (or uses the one named force, if not
// empty) and parses it. Errors are *ParseError naming the source.
func (r *Registry) Parse(ctx context.Context, p *Page, force string, env Env) (*Thread, error) {
	var a Adapter
	var err error
	if force != "" {
		a, err = r.Lookup(force)
	} else {
		a, err = r.Detect(p)
	}
	if err != nil {
		return nil, &ParseError{Source: p.Source, Err: err}
	}
	t, err := a.Parse(ctx, p, env)
	if t != nil {
		if t.Source == "" {
			t.Source = p.Source
		}
		if t.FetchedAt.IsZero() {
			t.FetchedAt = p.FetchedAt
		}
		if t.Site == "" {
			t.Site = a.Name()
		}
	}
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			err = &ParseError{Adapter: a.Name(), Source: p.Source, Err: err}
		}
	}
	return t, err
}

// looksBinary reports whether head holds NUL bytes or is mostly
// non-text control characters.
func looksBinary(head []byte) bool {
	if slices.Contains(head, 0) {
		return true
	}
	ctrl := 0
	for _, b := range head {
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' {
			ctrl++
		}
	}
	return ctrl*10 > len(head)
}
