package main

import (
	"flag"
	"io"
	"log/slog"

	"github.com/threadlens/threadlens/scrape"
)

// netFlags configure fetching from the web.
type netFlags struct{}

func (n *netFlags) register(fs *flag.FlagSet) {}

// network is the program's one polite HTTP client and the loader using it.
type network struct {
	loader *scrape.Loader
	env    scrape.Env
}

func (n *netFlags) open(out string, stdin io.Reader, logger *slog.Logger) (*network, error) {
	return &network{loader: &scrape.Loader{}}, nil
}

// Close flushes the cache and any WARC being written.
func (n *network) Close() error { return nil }

// summary is the fetch statistics line, "" when nothing was fetched.
func (n *network) summary() string { return "" }
