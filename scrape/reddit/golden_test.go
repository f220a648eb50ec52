package reddit_test

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/threadlens/threadlens/scrape"
	"github.com/threadlens/threadlens/scrape/scrapetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// canonical renders th as the canonical JSON golden files hold.
func canonical(th *scrape.Thread) []byte { return scrapetest.ThreadJSON(th) }

// checkGolden compares got with testdata/golden/name.json, or rewrites it
// under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	scrapetest.Golden(t, filepath.Join("testdata", "golden", name+".json"), got, *update)
}
