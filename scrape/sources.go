package scrape

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// MaxFileSize is the largest local file read as one page.
const MaxFileSize = 64 << 20

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

// Loader expands sources — files, directories and globs — into pages.
// The zero value reads local files only.
type Loader struct {
	// Fetch, when not nil, is used for http(s) URLs.
	Fetch FetchFunc
}

// Pages yields one Item per page found in sources, in order. Directories
// are walked in lexical order (hidden files and directories skipped);
// globs are expanded with filepath.Glob. The sequence stops early when ctx
// is cancelled.
func (l *Loader) Pages(ctx context.Context, sources []string) iter.Seq[Item] {
	return func(yield func(Item) bool) {
		for _, src := range sources {
			if ctx.Err() != nil {
				return
			}
			if !l.expand(ctx, src, yield) {
				return
			}
		}
	}
}

func (l *Loader) expand(ctx context.Context, src string, yield func(Item) bool) bool {
	switch {
	case isURL(src):
		if l.Fetch == nil {
			return yield(Item{Err: fmt.Errorf("%s: fetching URLs is not available", src)})
		}
		p, err := l.Fetch(ctx, src)
		if err != nil {
			return yield(Item{Err: fmt.Errorf("%s: %w", src, err)})
		}
		p.Source = src
		return yield(Item{Page: p})
	case strings.ContainsAny(src, "*?["):
		matches, err := filepath.Glob(src)
		if err != nil {
			return yield(Item{Err: fmt.Errorf("%s: bad glob: %w", src, err)})
		}
		if len(matches) == 0 {
			return yield(Item{Err: fmt.Errorf("%s: glob matches no file", src)})
		}
		for _, m := range matches {
			if !l.expandPath(ctx, m, "", yield) {
				return false
			}
		}
		return true
	}
	return l.expandPath(ctx, src, "", yield)
}

func (l *Loader) expandPath(ctx context.Context, path, inside string, yield func(Item) bool) bool {
	info, err := os.Stat(path)
	if err != nil {
		return yield(Item{Err: fmt.Errorf("%s: %w", path, unwrapPathError(err)), Inside: inside})
	}
	if !info.IsDir() {
		p, err := ReadFile(path)
		if err != nil {
			return yield(Item{Err: err, Inside: inside})
		}
		return yield(Item{Page: p, Inside: inside})
	}
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
		if !yield(Item{Err: fmt.Errorf("%s: %w", path, walkErr)}) {
			return false
		}
	}
	slices.Sort(files)
	for _, f := range files {
		if ctx.Err() != nil {
			return false
		}
		if !l.expandPath(ctx, f, path, yield) {
			return false
		}
	}
	return true
}

// ReadFile reads a local file as a page, at most [MaxFileSize] bytes.
// The page's Source is path as given.
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
	return &Page{Source: path, Body: body}, nil
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
