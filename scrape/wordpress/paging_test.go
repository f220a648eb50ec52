package wordpress

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/threadlens/threadlens/scrape"
)

// fixtureServer serves testdata/paged as a WordPress blog with paginated
// comments and counts the requests per path.
type fixtureServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newFixtureServer(t *testing.T, routes map[string]string) *fixtureServer {
	t.Helper()
	fs := &fixtureServer{hits: map[string]int{}}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		fs.hits[r.URL.Path]++
		fs.mu.Unlock()
		file, ok := routes[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		body, err := os.ReadFile(filepath.Join("testdata", "paged", file))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, strings.ReplaceAll(string(body), "{{BASE}}", fs.URL))
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *fixtureServer) hitsOf(path string) int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.hits[path]
}

func (fs *fixtureServer) total() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n := 0
	for _, h := range fs.hits {
		n += h
	}
	return n
}

// plainFetch is a minimal scrape.FetchFunc: one http.Get, body capped.
func plainFetch(ctx context.Context, u string) (*scrape.Page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, err
	}
	return &scrape.Page{Source: u, URL: resp.Request.URL.String(), Body: body, FetchedAt: time.Now()}, nil
}

var pagedRoutes = map[string]string{
	"/2024/05/boss-yells/":                "post.html",
	"/2024/05/boss-yells/comment-page-1/": "comment-page-1.html",
	"/2024/05/boss-yells/comment-page-2/": "comment-page-2.html",
	"/2024/05/boss-yells/comment-page-3/": "post.html",
}

func TestPaginatedComments(t *testing.T) {
	t.Parallel()
	wantOrder := []string{"101", "104", "105", "102", "103", "107", "108", "109", "111", "110"}
	wantParents := map[string]string{"104": "101", "105": "104", "107": "103", "111": "109"}
	tests := []struct {
		name   string
		start  string
		fetch  bool
		want   []string
		reason string
	}{
		{
			name: "from post URL", start: "/2024/05/boss-yells/", fetch: true, want: wantOrder,
			reason: "the post URL shows the newest page (3); pages 1 and 2 come first in the merged tree",
		},
		{
			name: "from first page", start: "/2024/05/boss-yells/comment-page-1/", fetch: true, want: wantOrder,
			reason: "only Newer Comments / rel=next links lead on; page 3 comes from page 2's link",
		},
		{
			name: "from middle page", start: "/2024/05/boss-yells/comment-page-2/", fetch: true, want: wantOrder,
			reason: "links in both directions",
		},
		{
			name: "no fetch", start: "/2024/05/boss-yells/", fetch: false, want: []string{"109", "111", "110"},
			reason: "without Env.Fetch only the given page is parsed, silently",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, pagedRoutes)
			page, err := plainFetch(context.Background(), srv.URL+tc.start)
			if err != nil {
				t.Fatal(err)
			}
			env := scrape.Env{}
			if tc.fetch {
				env.Fetch = plainFetch
			}
			th, err := New().Parse(context.Background(), page, env)
			if err != nil {
				t.Fatalf("Parse: %v (%s)", err, tc.reason)
			}
			var got []string
			for _, c := range th.Comments {
				got = append(got, c.ID)
				if want := wantParents[c.ID]; c.ParentID != want {
					t.Errorf("comment %s: parent %q, want %q", c.ID, c.ParentID, want)
				}
				checkCommentText(t, c)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("comments %v, want %v (%s)", got, tc.want, tc.reason)
			}
			host := strings.TrimPrefix(srv.URL, "http://")
			if want := "wordpress:" + host + "/2024/05/boss-yells"; th.ID != want {
				t.Errorf("thread ID %q, want %q", th.ID, want)
			}
			if th.DeclaredComments == nil || *th.DeclaredComments != 11 {
				t.Errorf("declared = %s, want 11", ptrString(th.DeclaredComments))
			}
			for path := range pagedRoutes {
				if n := srv.hitsOf(path); n > 1 {
					t.Errorf("%s fetched %d times", path, n)
				}
			}
			if !tc.fetch && srv.total() != 1 {
				t.Errorf("%d requests without Env.Fetch, want 1 (the test's own)", srv.total())
			}
			if tc.start == "/2024/05/boss-yells/" && srv.hitsOf("/2024/05/boss-yells/comment-page-3/") != 0 {
				t.Error("comment-page-3 fetched although the post URL already showed page 3")
			}
			if tc.name == "from post URL" {
				checkGolden(t, "paged", goldenOf(th, false, srv.URL))
			}
		})
	}
}

// loopServer serves /loop/comment-page-N/ for every N, each page linking
// to itself, N-1 and N+1 in several spellings; /ring/ has two pages that
// link to each other.
func loopServer(t *testing.T) *fixtureServer {
	t.Helper()
	pageRE := regexp.MustCompile(`^/(loop|ring)/comment-page-(\d+)/?$`)
	fs := &fixtureServer{hits: map[string]int{}}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		fs.hits[r.URL.Path]++
		fs.mu.Unlock()
		m := pageRE.FindStringSubmatch(r.URL.Path)
		if m == nil {
			http.NotFound(w, r)
			return
		}
		n, _ := strconv.Atoi(m[2])
		base := fs.URL + "/" + m[1] + "/"
		var links []int
		if m[1] == "loop" {
			links = []int{n, n - 1, n + 1}
		} else {
			links = []int{1, 2}
		}
		var nav strings.Builder
		for _, k := range links {
			if k < 1 {
				continue
			}
			fmt.Fprintf(&nav, `<a class="page-numbers" href="%scomment-page-%d/#comments">%d</a>`, base, k, k)
			fmt.Fprintf(&nav, `<a class="page-numbers" href="%scomment-page-%d">%d</a>`, base, k, k)
			fmt.Fprintf(&nav, `<a class="page-numbers" href="/%s/comment-page-%d/#comment-1">%d</a>`, m[1], k, k)
		}
		fmt.Fprintf(w, `<!DOCTYPE html><html><head><link rel="canonical" href="%scomment-page-%d/#comments">
<link rel="stylesheet" href="/wp-content/x.css"></head><body>
<div id="comments"><ol class="comment-list">
<li id="comment-%d" class="comment depth-1"><article class="comment-body"><footer class="comment-meta"><b class="fn">A%d</b>
<div class="comment-metadata"><time datetime="2024-01-01T00:00:00Z">Jan 1</time></div></footer>
<div class="comment-content"><p>Comment on page %d.</p></div></article></li>
</ol><nav class="comment-navigation"><div class="nav-links">%s</div></nav></div></body></html>`,
			base, n, 1000+n, n, n, nav.String())
	}))
	t.Cleanup(fs.Close)
	return fs
}

func TestPaginationLoops(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		start     string
		wantPages int
		wantErr   bool
		reason    string
	}{
		{
			name: "ring", start: "/ring/comment-page-1/", wantPages: 2,
			reason: "two pages linking to each other and themselves: each fetched once",
		},
		{
			name: "endless", start: "/loop/comment-page-1/", wantPages: MaxCommentPages + 1, wantErr: true,
			reason: "an endless chain of next pages stops at MaxCommentPages with an error and the comments so far",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := loopServer(t)
			page, err := plainFetch(context.Background(), srv.URL+tc.start)
			if err != nil {
				t.Fatal(err)
			}
			th, err := New().Parse(context.Background(), page, scrape.Env{Fetch: plainFetch})
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v (%s)", err, tc.wantErr, tc.reason)
			}
			if th == nil {
				t.Fatal("nil thread")
			}
			if len(th.Comments) != tc.wantPages {
				t.Errorf("%d comments (one per page), want %d (%s)", len(th.Comments), tc.wantPages, tc.reason)
			}
			srv.mu.Lock()
			defer srv.mu.Unlock()
			for path, n := range srv.hits {
				if n > 1 {
					t.Errorf("%s fetched %d times", path, n)
				}
			}
			for i := 1; i < len(th.Comments); i++ {
				if th.Comments[i-1].ID >= th.Comments[i].ID && len(th.Comments[i-1].ID) == len(th.Comments[i].ID) {
					t.Errorf("comments out of page order at %d: %s then %s", i, th.Comments[i-1].ID, th.Comments[i].ID)
					break
				}
			}
		})
	}
}

func TestPaginationCancelled(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, pagedRoutes)
	page, err := plainFetch(context.Background(), srv.URL+"/2024/05/boss-yells/")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	th, err := New().Parse(ctx, page, scrape.Env{Fetch: plainFetch})
	if err == nil {
		t.Fatal("no error from a cancelled context")
	}
	if th == nil || len(th.Comments) != 3 {
		t.Fatalf("want the first page's 3 comments with the error, got %v", th)
	}
}
