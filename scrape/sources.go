package scrape

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// MaxFileSize is the largest local file read as one page.
const MaxFileSize = 64 << 20

// maxListDepth bounds @list files naming further @list files.
const maxListDepth = 32

// Item is one result of expanding sources: a page to parse, or the error
// of a source that could not be read.
type Item struct {
	// Page is the page read; nil when Err is set.
	Page *Page
	// Err is why a source could not be read; it names the source.
	Err error
	// Inside is the container (directory, feed, sitemap, WARC) the page was
	// found in, "" for a source named directly. A page inside a container
	// that is not a thread is skipped and counted, not failed.
	Inside string
}

// LoaderStats counts what a [Loader] expanded and skipped, for the run
// summary.
type LoaderStats struct {
	// Containers is how many directories, feeds, sitemaps and WARC files
	// were expanded.
	Containers int
	// ContainerPages is how many pages were yielded from inside them.
	ContainerPages int
	// Duplicates is how many URLs found in feeds or sitemaps were not
	// fetched again because this run already had them.
	Duplicates int
	// WARCRecords is how many WARC records were read.
	WARCRecords int
	// WARCSkipped counts WARC records that are not pages, by kind (see
	// [WARCReader.Skipped]); nil when no record was skipped.
	WARCSkipped map[string]int
}

// SkippedPages is how many responses or links inside containers the
// loader itself skipped: WARC responses that are not pages (non-200, not
// HTML/JSON, malformed, too large) and duplicate links. Pages the build
// skips because no adapter recognises them are counted by the build.
func (s LoaderStats) SkippedPages() int {
	return s.Duplicates + s.WARCSkipped[WARCSkipNon200] + s.WARCSkipped[WARCSkipNotPage] +
		s.WARCSkipped[WARCSkipMalformed] + s.WARCSkipped[WARCSkipTooLarge]
}

// Loader expands sources into pages. A source is, mixed freely:
//   - an http(s) URL, fetched with Fetch; when the response is an RSS/Atom
//     feed or a sitemap (index) it is expanded as below;
//   - a local file; a feed or sitemap file is expanded, a .warc/.warc.gz
//     file read record by record;
//   - a directory, walked in lexical order (hidden entries skipped); its
//     WARC files are read, other files are pages (feeds in a directory are
//     not expanded, so a saved folder never triggers fetching);
//   - a glob (filepath.Glob);
//   - @FILE, a list of sources one a line ("#" comment lines and blank
//     lines ignored, relative paths relative to FILE's directory, @lists
//     may nest);
//   - "-", the same list format read from Stdin.
//
// Feed items and sitemap <loc>s are thread URLs fetched with Fetch; the
// pages found in a container have Item.Inside set to the container.
//
// URLs are fetched ahead, up to Concurrency at once, so pages of
// different hosts download in parallel while the Fetch function keeps
// each host at its own rate (fetch.Fetcher does). Items are still
// yielded in source order, and the result (items, errors, Stats,
// duplicates skipped) is the same as fetching one URL at a time.
//
// The zero value reads local files only. A Loader must not be copied
// after first use; Pages may be called more than once but not
// concurrently.
type Loader struct {
	// Fetch, when not nil, is used for http(s) URLs. With Concurrency
	// other than 1 it is called from several goroutines at once, so it
	// must be safe for concurrent use; it must return soon after its
	// context is cancelled (Pages waits for the calls in flight before it
	// returns).
	Fetch FetchFunc
	// Concurrency bounds the URLs fetched ahead of the consumer: at most
	// Concurrency Fetch calls run at once, and at most Concurrency pages
	// are in flight or buffered per level of expansion — the sources, and
	// a feed or sitemap fetched by URL, expanded in place while the
	// sources after it wait — so memory stays within 2×Concurrency pages
	// whatever the number of URLs. Per-host politeness is Fetch's job.
	// 0 means [DefaultConcurrency]; 1 fetches one URL at a time.
	Concurrency int
	// Rewrite, when not nil, maps a thread URL to the URL actually
	// fetched (a Reddit thread to its .json form); the page's Source stays
	// the URL as given. It must return its argument for URLs it does not
	// handle. It is called on the goroutine ranging over Pages.
	Rewrite func(url string) string
	// Stdin is read for the source "-"; nil means os.Stdin.
	Stdin io.Reader
	// MaxSitemapURLs bounds the URLs one sitemap source yields, nested
	// indexes included; 0 means [DefaultMaxSitemapURLs].
	MaxSitemapURLs int

	mu    sync.Mutex
	stats LoaderStats
	seen  map[string]bool
}

// Stats returns a snapshot of the counters; safe to call while Pages runs.
func (l *Loader) Stats() LoaderStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.stats
	s.WARCSkipped = maps.Clone(l.stats.WARCSkipped)
	return s
}

func (l *Loader) count(f func(s *LoaderStats)) {
	l.mu.Lock()
	f(&l.stats)
	l.mu.Unlock()
}

// firstSeen records u and reports whether this run had not seen it.
func (l *Loader) firstSeen(u string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	if l.seen[u] {
		return false
	}
	l.seen[u] = true
	return true
}

// pendingFrame is a run of sources still to expand, from the command line
// or from one list file.
type pendingFrame struct {
	sources []string
	list    string // the list file they came from, "" for the command line
	depth   int
}

// Pages yields one Item per page found in sources, in order. The sequence
// stops early when ctx is cancelled; when it ends (consumer break,
// cancellation or the end) every fetch it started has returned. It is
// single-use per call.
func (l *Loader) Pages(ctx context.Context, sources []string) iter.Seq[Item] {
	return func(yield func(Item) bool) {
		out := l.newWindow(ctx, yield)
		defer out.close()
		ctx := out.ctx
		stack := []pendingFrame{{sources: sources}}
		listsSeen := map[string]bool{}
		stdinUsed := false
		for len(stack) > 0 {
			if ctx.Err() != nil {
				return
			}
			top := &stack[len(stack)-1]
			if len(top.sources) == 0 {
				stack = stack[:len(stack)-1]
				continue
			}
			src := strings.TrimSpace(top.sources[0])
			top.sources = top.sources[1:]
			depth := top.depth
			switch {
			case src == "-":
				if stdinUsed {
					if !out.put(Item{Err: errors.New("-: standard input named twice")}) {
						return
					}
					continue
				}
				stdinUsed = true
				in := l.Stdin
				if in == nil {
					in = os.Stdin
				}
				lines, err := readList(in, "")
				if err != nil {
					if !out.put(Item{Err: fmt.Errorf("-: %w", err)}) {
						return
					}
					continue
				}
				stack = append(stack, pendingFrame{sources: lines, list: "-", depth: depth + 1})
			case strings.HasPrefix(src, "@") && len(src) > 1:
				name := src[1:]
				abs, _ := filepath.Abs(name)
				var err error
				switch {
				case depth >= maxListDepth:
					err = fmt.Errorf("%s: lists nested more than %d deep", src, maxListDepth)
				case listsSeen[abs]:
					err = fmt.Errorf("%s: list already read (a list including itself?)", src)
				}
				var lines []string
				if err == nil {
					listsSeen[abs] = true
					lines, err = readListFile(name)
				}
				if err != nil {
					if !out.put(Item{Err: err}) {
						return
					}
					continue
				}
				stack = append(stack, pendingFrame{sources: lines, list: name, depth: depth + 1})
			default:
				if !l.expand(ctx, src, out) {
					return
				}
			}
		}
		out.drain()
	}
}

// readListFile reads a list file; relative paths in it are made relative
// to the list's directory.
func readListFile(name string) ([]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("@%s: %w", name, unwrapPathError(err))
	}
	defer f.Close()
	lines, err := readList(io.LimitReader(f, MaxFileSize), filepath.Dir(name))
	if err != nil {
		return nil, fmt.Errorf("@%s: %w", name, err)
	}
	return lines, nil
}

// readList reads sources one a line, skipping blank lines and "#"
// comments; a relative path (or @path) is joined to dir when dir is not
// "".
func readList(r io.Reader, dir string) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\uFEFF"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if dir != "" && !isURL(line) && line != "-" {
			at := ""
			if strings.HasPrefix(line, "@") {
				at, line = "@", line[1:]
			}
			if !filepath.IsAbs(line) {
				line = filepath.Join(dir, line)
			}
			line = at + line
		}
		out = append(out, line)
	}
	return out, sc.Err()
}

func (l *Loader) expand(ctx context.Context, src string, out *window) bool {
	switch {
	case isURL(src):
		return out.fetchSource(src)
	case strings.ContainsAny(src, "*?["):
		if _, err := os.Stat(src); err == nil {
			return l.expandPath(ctx, src, "", out) // a file whose name has glob characters
		}
		matches, err := filepath.Glob(src)
		if err != nil {
			return out.put(Item{Err: fmt.Errorf("%s: bad glob: %w", src, err)})
		}
		if len(matches) == 0 {
			return out.put(Item{Err: fmt.Errorf("%s: glob matches no file", src)})
		}
		for _, m := range matches {
			if !l.expandPath(ctx, m, "", out) {
				return false
			}
		}
		return true
	}
	return l.expandPath(ctx, src, "", out)
}

// expandFeed fetches the thread URL of every item of a feed.
func (l *Loader) expandFeed(ctx context.Context, body []byte, feedURL, name string, out *window) bool {
	l.count(func(s *LoaderStats) { s.Containers++ })
	entries, err := ParseFeed(body, feedURL)
	if err != nil {
		return out.put(Item{Err: fmt.Errorf("%s: %w", name, err)})
	}
	for _, e := range entries {
		if ctx.Err() != nil {
			return false
		}
		if e.Err != nil {
			if !out.put(Item{Err: fmt.Errorf("%s: %w", name, e.Err), Inside: name}) {
				return false
			}
			continue
		}
		if !out.fetchLink(e.Link, name) {
			return false
		}
	}
	return true
}

// expandSitemap fetches every page URL of a sitemap, following nested
// sitemap indexes breadth-first (iteratively), each sitemap at most once,
// up to MaxSitemapURLs URLs in all.
func (l *Loader) expandSitemap(ctx context.Context, body []byte, sitemapURL, name string, out *window) bool {
	l.count(func(s *LoaderStats) { s.Containers++ })
	limit := l.MaxSitemapURLs
	if limit <= 0 {
		limit = DefaultMaxSitemapURLs
	}
	type pending struct {
		body []byte
		url  string
	}
	queue := []pending{{body, sitemapURL}}
	visited := map[string]bool{}
	if sitemapURL != "" {
		visited[sitemapURL] = true
	}
	total := 0
	for len(queue) > 0 {
		if ctx.Err() != nil {
			return false
		}
		cur := queue[0]
		queue = queue[1:]
		where := name
		if cur.url != "" && cur.url != name {
			where = name + ": " + cur.url
		}
		if cur.body == nil { // a nested sitemap still to fetch
			if l.Fetch == nil {
				if !out.put(Item{Err: fmt.Errorf("%s: fetching URLs is not available", where), Inside: name}) {
					return false
				}
				continue
			}
			// Fetched here, not ahead: what it names comes next.
			p, err := out.fetchNow(ctx, cur.url)
			if err == nil && p == nil {
				err = errNoPage
			}
			if err != nil {
				if ctx.Err() != nil {
					return false
				}
				if !out.put(Item{Err: fmt.Errorf("%s: %w", where, err), Inside: name}) {
					return false
				}
				continue
			}
			cur.body = p.Body
			if p.URL != "" {
				cur.url = p.URL
			}
		}
		sm, err := ParseSitemap(cur.body, cur.url, limit-total+1)
		if err != nil && (sm == nil || !errors.Is(err, ErrTooManyURLs)) {
			if !out.put(Item{Err: fmt.Errorf("%s: %w", where, err), Inside: name}) {
				return false
			}
			if sm == nil {
				continue
			}
		}
		for _, loc := range sm.Locs {
			if sm.Index {
				if !visited[loc] {
					visited[loc] = true
					queue = append(queue, pending{url: loc})
				}
				continue
			}
			if total >= limit {
				return out.put(Item{Err: fmt.Errorf("%s: %w: stopped after %d URLs", name, ErrTooManyURLs, limit)})
			}
			total++
			if !out.fetchLink(loc, name) {
				return false
			}
		}
	}
	return true
}

// expandWARC yields the pages of a WARC file.
func (l *Loader) expandWARC(ctx context.Context, path, inside string, out *window) bool {
	r, err := OpenWARC(path)
	if err != nil {
		return out.put(Item{Err: err, Inside: inside})
	}
	defer r.Close()
	l.count(func(s *LoaderStats) { s.Containers++ })
	defer func() {
		l.count(func(s *LoaderStats) {
			s.WARCRecords += r.Records()
			for k, n := range r.Skipped() {
				if s.WARCSkipped == nil {
					s.WARCSkipped = map[string]int{}
				}
				s.WARCSkipped[k] += n
			}
		})
	}()
	for r.Next() {
		if ctx.Err() != nil {
			return false
		}
		if !out.put(Item{Page: r.Page(), Inside: path}) {
			return false
		}
	}
	if err := r.Err(); err != nil {
		return out.put(Item{Err: err, Inside: inside})
	}
	return true
}

func (l *Loader) expandPath(ctx context.Context, path, inside string, out *window) bool {
	info, err := os.Stat(path)
	if err != nil {
		return out.put(Item{Err: fmt.Errorf("%s: %w", path, unwrapPathError(err)), Inside: inside})
	}
	if !info.IsDir() {
		if isWARCName(path) || isWARCFile(path) {
			return l.expandWARC(ctx, path, inside, out)
		}
		p, err := ReadFile(path)
		if err != nil {
			return out.put(Item{Err: err, Inside: inside})
		}
		if inside == "" {
			switch sniffContainer(p.Body) {
			case kindFeed:
				return l.expandFeed(ctx, p.Body, "", path, out)
			case kindSitemap:
				return l.expandSitemap(ctx, p.Body, "", path, out)
			}
		}
		return out.put(Item{Page: p, Inside: inside})
	}
	l.count(func(s *LoaderStats) { s.Containers++ })
	var files []string
	walkErr := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != path && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if walkErr != nil {
		if !out.put(Item{Err: fmt.Errorf("%s: %w", path, walkErr)}) {
			return false
		}
	}
	slices.Sort(files)
	for _, f := range files {
		if ctx.Err() != nil {
			return false
		}
		if !l.expandPath(ctx, f, path, out) {
			return false
		}
	}
	return true
}

// isWARCFile reports whether the file at path starts with a WARC record,
// plain or gzip-compressed.
func isWARCFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if bytes.HasPrefix(head, []byte("WARC/")) {
		return true
	}
	if !bytes.HasPrefix(head, []byte{0x1f, 0x8b}) {
		return false
	}
	zr, err := gzip.NewReader(bytes.NewReader(head))
	if err != nil {
		return false
	}
	magic := make([]byte, 5)
	n, _ = io.ReadFull(zr, magic)
	return string(magic[:n]) == "WARC/"
}

// ReadFile reads a local file as a page, at most [MaxFileSize] bytes,
// converting it to UTF-8 with [DecodeCharset]. The page's Source is path
// as given.
func ReadFile(path string) (*Page, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	if len(body) > MaxFileSize {
		return nil, fmt.Errorf("%s: larger than %d MiB", path, MaxFileSize>>20)
	}
	return &Page{Source: path, Body: DecodeCharset(body, "")}, nil
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if ok := asPathError(err, &pe); ok {
		return pe.Err
	}
	return err
}
