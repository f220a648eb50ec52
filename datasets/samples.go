package datasets

import (
	"embed"
	"io/fs"
	"path"
	"strings"

	"github.com/threadlens/threadlens/scrape"
)

//go:embed samples/*.txt
var samplesFS embed.FS

// SamplePages returns the bundled sample threads (samples/*.txt, textdump
// format) as pages in name order, each with Source "sample:<name>" where
// name is the file name without ".txt".
func SamplePages() []*scrape.Page {
	entries, err := fs.ReadDir(samplesFS, "samples")
	if err != nil {
		return nil // cannot happen: the folder is embedded
	}
	var pages []*scrape.Page
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		body, err := samplesFS.ReadFile(path.Join("samples", e.Name()))
		if err != nil {
			continue
		}
		name := strings.TrimSuffix(e.Name(), ".txt")
		pages = append(pages, &scrape.Page{Source: "sample:" + name, Body: body})
	}
	return pages
}
