package wordpress

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/threadlens/threadlens/scrape"
)

func TestZZDump(t *testing.T) {
	wp := New()
	filepath.WalkDir("/work/shared/corpus", func(p string, d fs.DirEntry, err error) error {
		if d.IsDir() { return nil }
		b, _ := os.ReadFile(p)
		h := b[:min(len(b), scrape.SniffLen)]
		fmt.Printf("%v %s\n", wp.Sniff("", h), p)
		return nil
	})
}

func TestZZVariant(t *testing.T) {
	a := New().(*Adapter)
	for _, tc := range corpusCases {
		b, _ := os.ReadFile("/work/shared/corpus/" + tc.file)
		pg, err := a.parsePage(&scrape.Page{Body: b})
		if err != nil { t.Fatal(err) }
		fmt.Println(tc.name, pg.comments.variant.Name, len(pg.comments.comments))
	}
}
