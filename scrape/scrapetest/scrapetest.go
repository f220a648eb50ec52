package scrapetest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/threadlens/threadlens/scrape"
)

// RepoRoot returns the repository root: the nearest ancestor of the working
// directory holding go.mod. It fails the test if there is none.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("scrapetest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// CorpusDir returns ../shared/corpus relative to the repository root. When
// it is absent the test is skipped with a message, except when the
// environment has CI=true, where a missing corpus fails the test.
func CorpusDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(RepoRoot(t), "..", "shared", "corpus")
	if _, err := os.Stat(filepath.Join(dir, "SOURCES.md")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared corpus missing at %s (required when CI=true)", dir)
		}
		t.Skipf("shared corpus not found at %s; skipping corpus test", dir)
	}
	return dir
}

// CorpusFile returns the path of a corpus file given relative to the
// corpus directory (e.g. "wordpress/lemire-json-parsing-simdjson.html"),
// skipping or failing as [CorpusDir] does.
func CorpusFile(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(CorpusDir(t), filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("corpus file %s: %v", rel, err)
	}
	return p
}

// ReadFile returns the bytes of path, failing the test on error.
func ReadFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// MaxDepth is the largest comment depth of th, 0 with no comments.
func MaxDepth(th *scrape.Thread) int {
	d := 0
	for _, c := range th.Comments {
		d = max(d, c.Depth)
	}
	return d
}
