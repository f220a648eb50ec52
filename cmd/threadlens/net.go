package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"

	"github.com/threadlens/threadlens/scrape"
	"github.com/threadlens/threadlens/scrape/fetch"
	"github.com/threadlens/threadlens/scrape/hackernews"
	"github.com/threadlens/threadlens/scrape/reddit"
)

// netFlags configure fetching from the web.
type netFlags struct {
	rate         float64
	contact      string
	cacheDir     string
	offline      bool
	warcOut      string
	redditMore   bool
	ignoreRobots bool
	maxTries     int
	concurrency  int
}

func (n *netFlags) register(fs *flag.FlagSet) {
	fs.Float64Var(&n.rate, "rate", fetch.DefaultRate, "at most `N` requests per second to one host (hosts are limited separately; robots.txt Crawl-delay can only slow it)")
	fs.StringVar(&n.contact, "contact", "", "your `URL-or-EMAIL`, sent in the User-Agent so site operators can reach you")
	fs.StringVar(&n.cacheDir, "cache", "", "raw-response cache `DIR` for conditional GETs and --offline (default OUT/.cache/http)")
	fs.BoolVar(&n.offline, "offline", false, "serve URLs from the cache only; never touch the network")
	fs.StringVar(&n.warcOut, "warc-out", "", "append every fetched response to this WARC `FILE` (.warc.gz); a later run with it as source rebuilds the dataset")
	fs.BoolVar(&n.redditMore, "reddit-more", false, "fetch the comments hidden behind Reddit \"load more\" stubs")
	fs.BoolVar(&n.ignoreRobots, "ignore-robots", false, "do not obey robots.txt (only for sites you own)")
	fs.IntVar(&n.concurrency, "fetchers", scrape.DefaultConcurrency, "at most `N` pages fetched at once across hosts (each host still gets --rate)")
	fs.IntVar(&n.maxTries, "tries", fetch.DefaultMaxTries, "`N` tries per URL on timeouts, 429 and 5xx, with exponential backoff")
}

// network is the program's one polite HTTP client and the loader using it.
type network struct {
	fetcher *fetch.Fetcher
	loader  *scrape.Loader
	env     scrape.Env
}

// open builds the one Fetcher of the run (cache in OUT/.cache/http unless
// --cache says otherwise) and the Loader that expands sources with it.
func (n *netFlags) open(out string, stdin io.Reader, logger *slog.Logger) (*network, error) {
	cacheDir := n.cacheDir
	if cacheDir == "" {
		cacheDir = filepath.Join(out, ".cache", "http")
	}
	if n.rate <= 0 {
		return nil, usagef("--rate must be positive")
	}
	f, err := fetch.New(fetch.Config{
		Version:      version,
		Contact:      n.contact,
		Rate:         n.rate,
		CacheDir:     cacheDir,
		Offline:      n.offline,
		IgnoreRobots: n.ignoreRobots,
		WARCOut:      n.warcOut,
		MaxTries:     n.maxTries,
		Logger:       logger,
	})
	if err != nil {
		return nil, err
	}
	if n.concurrency < 1 {
		return nil, usagef("--fetchers must be at least 1")
	}
	loader := &scrape.Loader{Fetch: f.Fetch, Rewrite: rewriteThreadURL, Stdin: stdin, Concurrency: n.concurrency}
	return &network{
		fetcher: f,
		loader:  loader,
		env:     scrape.Env{Fetch: f.Fetch, RedditMore: n.redditMore},
	}, nil
}

// rewriteThreadURL fetches Reddit and Hacker News threads in their JSON
// form, which holds the whole tree.
func rewriteThreadURL(u string) string {
	if j, ok := reddit.JSONURL(u); ok {
		return j
	}
	if j, ok := hackernews.ItemURLs(u); ok {
		return j
	}
	return u
}

// Close flushes the cache and any WARC being written.
func (n *network) Close() error { return n.fetcher.Close() }

// summary is the fetch and expansion statistics line, "" when nothing was
// fetched or expanded.
func (n *network) summary() string {
	s := n.fetcher.Stats()
	ls := n.loader.Stats()
	line := ""
	if s.Requests > 0 || s.CacheHits > 0 || s.Failures > 0 {
		line = fmt.Sprintf("fetched %d pages: %d downloaded (%d bytes), %d not modified (304), %d from cache, %d retries, %d robots.txt denials, %d failed",
			s.Pages, s.Downloaded, s.Bytes, s.NotModified, s.CacheHits, s.Retries, s.RobotsDenied, s.Failures)
	}
	if ls.Containers > 0 {
		if line != "" {
			line += "\n"
		}
		line += fmt.Sprintf("expanded %d directories/feeds/sitemaps/WARCs into %d pages; %d duplicate links, %d WARC records read",
			ls.Containers, ls.ContainerPages, ls.Duplicates, ls.WARCRecords)
		for _, kind := range slices.Sorted(maps.Keys(ls.WARCSkipped)) {
			line += fmt.Sprintf(", %d %s skipped", ls.WARCSkipped[kind], kind)
		}
	}
	return line
}
