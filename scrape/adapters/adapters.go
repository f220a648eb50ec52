package adapters

import (
	"github.com/threadlens/threadlens/scrape"
	"github.com/threadlens/threadlens/scrape/discourse"
	"github.com/threadlens/threadlens/scrape/hackernews"
	"github.com/threadlens/threadlens/scrape/reddit"
	"github.com/threadlens/threadlens/scrape/textdump"
	"github.com/threadlens/threadlens/scrape/wordpress"
)

// Default returns a new registry of every adapter in precedence order:
// structured formats first (JSON), then HTML sites, plain text last.
func Default() *scrape.Registry {
	return scrape.NewRegistry(
		reddit.New(),
		hackernews.New(),
		discourse.New(),
		wordpress.New(),
		// ADAPTERS: each helper adds its adapter's constructor on its own line,
		// in this order: reddit, hackernews, discourse, wordpress, textdump.
		textdump.New(),
	)
}
