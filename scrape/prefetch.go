package scrape

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// DefaultConcurrency is how many URLs a [Loader] fetches at once when its
// Concurrency is 0.
const DefaultConcurrency = 8

// errNoPage is returned for a FetchFunc that returned neither a page nor
// an error.
var errNoPage = errors.New("fetch returned no page")

// future is one position of a [window]: an Item that is ready, or a
// fetch running in its own goroutine. The fetch goroutine writes item,
// container, body and base before closing done, and the consumer reads
// them only after; the other fields belong to the consumer.
type future struct {
	done chan struct{}
	item Item
	// container is kindFeed or kindSitemap when a URL that may be a
	// container (named directly) turned out to be one; body and base are
	// then what to expand, in place, when the future reaches the head.
	container containerKind
	body      []byte
	base      string
	// src and inside are the URL as given and its container ("" when
	// named directly); set before the fetch starts.
	src, inside string
	// claimed is the URL this position recorded as first seen ("" when
	// none). A feed or sitemap expanded in place runs after later
	// positions were planned; it takes such a claim back (see
	// window.firstSeen).
	claimed string
	// duplicate is set by the consumer when an earlier position (a
	// container expanded in place) turned out to hold the same link: the
	// position is then skipped, as fetching one URL at a time would have
	// done. Only positions inside a container are ever dropped.
	duplicate bool
	// cancel stops the fetch; nil for a ready position.
	cancel context.CancelFunc
}

// window yields the Items of one level of expansion in source order while
// up to size of them are fetched ahead. The sources themselves are one
// level; a feed or sitemap fetched by URL is expanded in place with a
// nested window (its parent's later positions wait in their queue), so at
// most two windows exist and at most 2×size pages are held. All fetches,
// of every window, share one semaphore of size slots, so at most size
// Fetch calls run at once.
//
// Everything but the fetch goroutines runs on the consumer's goroutine:
// planning (walking sources, reading lists and local files, expanding
// containers, deduplicating links), Rewrite, the stats, and yield.
type window struct {
	l      *Loader
	ctx    context.Context
	yield  func(Item) bool
	size   int
	queue  []*future
	parent *window
	shared *windowShared
}

// windowShared is what all windows of one Pages call share.
type windowShared struct {
	cancel context.CancelFunc
	sem    chan struct{}
	wg     sync.WaitGroup
}

// newWindow starts the top-level window of one Pages call; close must be
// called when the call ends.
func (l *Loader) newWindow(ctx context.Context, yield func(Item) bool) *window {
	size := l.Concurrency
	if size <= 0 {
		size = DefaultConcurrency
	}
	ctx, cancel := context.WithCancel(ctx)
	return &window{
		l:      l,
		ctx:    ctx,
		yield:  yield,
		size:   size,
		shared: &windowShared{cancel: cancel, sem: make(chan struct{}, size)},
	}
}

// close cancels the fetches still running and waits for their goroutines,
// so none outlives the Pages call.
func (w *window) close() {
	w.shared.cancel()
	w.shared.wg.Wait()
}

// nested returns the window of a container expanded in place at w's head.
func (w *window) nested() *window {
	return &window{l: w.l, ctx: w.ctx, yield: w.yield, size: w.size, parent: w, shared: w.shared}
}

// put adds a ready item at the next position.
func (w *window) put(it Item) bool {
	if len(w.queue) == 0 {
		return w.deliver(&future{item: it})
	}
	if !w.makeRoom() {
		return false
	}
	f := &future{done: make(chan struct{}), item: it}
	close(f.done)
	w.queue = append(w.queue, f)
	return true
}

// fetchSource adds a fetch of a URL named directly at the next position;
// a feed or sitemap response is expanded in place. A URL named directly
// is fetched even when an earlier position had it.
func (w *window) fetchSource(src string) bool {
	// Room first: making room may expand a container, which must see
	// only the links of positions before this one.
	if !w.makeRoom() {
		return false
	}
	return w.start(src, "", true, w.l.firstSeen(src))
}

// fetchLink adds a fetch of a link found in container inside at the next
// position, unless an earlier position had the link (then it is skipped
// and counted as a duplicate).
func (w *window) fetchLink(link, inside string) bool {
	if !w.makeRoom() {
		return false
	}
	if !w.firstSeen(link) {
		w.l.count(func(s *LoaderStats) { s.Duplicates++ })
		return true
	}
	return w.start(link, inside, false, true)
}

// start appends a fetch of src (through Rewrite) to a queue with room and
// starts it. inside is the container it was found in; when container is
// true a feed or sitemap response is expanded in place. claimed is true
// when src was recorded as first seen for this position.
func (w *window) start(src, inside string, container, claimed bool) bool {
	if w.l.Fetch == nil {
		return w.put(Item{Err: fmt.Errorf("%s: fetching URLs is not available", src), Inside: inside})
	}
	target := src
	if w.l.Rewrite != nil {
		target = w.l.Rewrite(src)
	}
	ctx, cancel := context.WithCancel(w.ctx)
	f := &future{done: make(chan struct{}), src: src, inside: inside, cancel: cancel}
	if claimed {
		f.claimed = src
	}
	w.queue = append(w.queue, f)
	w.shared.wg.Add(1)
	go func() {
		defer w.shared.wg.Done()
		defer close(f.done)
		defer cancel()
		p, err := w.fetchNow(ctx, target)
		switch {
		case err != nil:
			f.item = Item{Err: fmt.Errorf("%s: %w", src, err), Inside: inside}
			return
		case p == nil:
			f.item = Item{Err: fmt.Errorf("%s: %w", src, errNoPage), Inside: inside}
			return
		}
		p.Source = src
		if container {
			if kind := sniffContainer(p.Body); kind == kindFeed || kind == kindSitemap {
				f.container, f.body, f.base = kind, p.Body, p.URL
				if f.base == "" {
					f.base = target
				}
				return
			}
		}
		f.item = Item{Page: p, Inside: inside}
	}()
	return true
}

// fetchNow calls Fetch once a fetch slot is free. The planner calls it
// directly for nested sitemaps, which decide what comes next.
func (w *window) fetchNow(ctx context.Context, u string) (*Page, error) {
	select {
	case w.shared.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-w.shared.sem }()
	return w.l.Fetch(ctx, u)
}

// makeRoom yields head positions until the queue has room for one more.
func (w *window) makeRoom() bool {
	for len(w.queue) >= w.size {
		if !w.popHead() {
			return false
		}
	}
	return true
}

// drain yields every position still queued.
func (w *window) drain() bool {
	for len(w.queue) > 0 {
		if !w.popHead() {
			return false
		}
	}
	return true
}

// popHead waits for the head position and delivers it. It returns false
// when the consumer stopped or ctx was cancelled (nothing more is yielded
// then).
func (w *window) popHead() bool {
	f := w.queue[0]
	w.queue[0] = nil
	w.queue = w.queue[1:]
	select {
	case <-f.done:
	case <-w.ctx.Done():
		return false
	}
	if w.ctx.Err() != nil {
		return false
	}
	return w.deliver(f)
}

// deliver yields a ready position, or expands the feed or sitemap it
// turned out to be.
func (w *window) deliver(f *future) bool {
	switch {
	case f.duplicate:
		return true // counted when it was found out
	case f.container == kindFeed:
		sub := w.nested()
		return w.l.expandFeed(w.ctx, f.body, f.base, f.src, sub) && sub.drain()
	case f.container == kindSitemap:
		sub := w.nested()
		return w.l.expandSitemap(w.ctx, f.body, f.base, f.src, sub) && sub.drain()
	}
	if f.item.Page != nil && f.item.Inside != "" {
		w.l.count(func(s *LoaderStats) { s.ContainerPages++ })
	}
	return w.yield(f.item)
}

// firstSeen records link, found in the container being planned in w, and
// reports whether no earlier position of the run had it.
//
// A container fetched by URL is expanded only when it reaches the head,
// after later positions were planned and claimed their links. Such a
// claim is taken back so the outcome is the one of fetching one URL at a
// time: the earlier position (this container's) fetches the link; a
// later copy inside a container becomes a skipped duplicate (its fetch is
// cancelled); a later URL named directly is still fetched, as named URLs
// always are.
func (w *window) firstSeen(link string) bool {
	if w.l.firstSeen(link) {
		return true
	}
	for p := w.parent; p != nil; p = p.parent {
		for _, f := range p.queue {
			if f.claimed != link {
				continue
			}
			f.claimed = ""
			if f.inside != "" {
				f.duplicate = true
				f.cancel()
				w.l.count(func(s *LoaderStats) { s.Duplicates++ })
			}
			return true
		}
	}
	return false
}
