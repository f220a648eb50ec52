package reddit_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/threadlens/threadlens/scrape"
	"github.com/threadlens/threadlens/scrape/reddit"
	"github.com/threadlens/threadlens/scrape/scrapetest"
)

func parse(t testing.TB, body []byte, src string, env scrape.Env) (*scrape.Thread, error) {
	t.Helper()
	return reddit.New().Parse(context.Background(), &scrape.Page{Source: src, Body: body}, env)
}

func ids(th *scrape.Thread, keep func(scrape.Comment) bool) []string {
	var out []string
	for _, c := range th.Comments {
		if keep(c) {
			out = append(out, c.ID)
		}
	}
	return out
}

func TestFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file  string
		reason      string
		wantDeleted []string
		wantOP      []string
	}{
		{
			name: "raw", file: "thread-raw.json",
			reason:      "raw_json=1 shape: nested replies, deleted and removed comments, stubs",
			wantDeleted: []string{"k1cccc", "k1eeee"},
			wantOP:      []string{"k1bbbb"},
		},
		{
			name: "escaped", file: "thread-escaped.json",
			reason:      "plain .json shape: every string HTML-escaped, body_html starting &lt;div class=&quot;md&quot;&gt;",
			wantDeleted: []string{"k1cccc", "k1eeee"},
			wantOP:      []string{"k1bbbb"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			th, err := parse(t, scrapetest.ReadFile(t, filepath.Join("testdata", tt.file)), tt.file, scrape.Env{})
			if err != nil {
				t.Fatalf("%s: %v", tt.reason, err)
			}
			if got := ids(th, func(c scrape.Comment) bool { return c.Deleted }); !slices.Equal(got, tt.wantDeleted) {
				t.Errorf("%s: deleted = %v, want %v", tt.reason, got, tt.wantDeleted)
			}
			if got := ids(th, func(c scrape.Comment) bool { return c.IsOP }); !slices.Equal(got, tt.wantOP) {
				t.Errorf("%s: is_op = %v, want %v", tt.reason, got, tt.wantOP)
			}
			if th.HiddenComments != 5 || th.MoreStubs != 2 {
				t.Errorf("%s: hidden %d stubs %d, want 5 and 2 (one continue-this-thread stub)", tt.reason, th.HiddenComments, th.MoreStubs)
			}
			// Both shapes are the same thread: one golden file.
			checkGolden(t, "thread", canonical(th))
		})
	}
}

func TestCorpus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file                    string
		comments, depth         int
		declared, hidden, stubs int
		reason                  string
	}{
		{"reddit-funny-3hahrw-ba_dum_tsss.json", 476, 10, 543, 61, 18, "full thread with continue-this-thread stubs"},
		{"reddit-announcements-n49rw-were_back.json", 485, 10, 1412, 1060, 177, "old-style data, many more stubs"},
		{"reddit-askreddit-6wmniq-conspiracy-cringe-context-dma3mi5.json", 200, 7, 6280, 6290, 192, "permalink-context slice of a big thread"},
		{"reddit-iama-57dw9a-undecided-voter-context-d8r4im1.json", 145, 10, 16697, 0, 1, "comment-permalink slice: one top-level comment"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			path := scrapetest.CorpusFile(t, "reddit/"+tt.file)
			th, err := parse(t, scrapetest.ReadFile(t, path), path, scrape.Env{})
			if err != nil {
				t.Fatalf("%s: %v", tt.reason, err)
			}
			if len(th.Comments) != tt.comments || scrapetest.MaxDepth(th) != tt.depth {
				t.Errorf("%s: %d comments depth %d, want %d depth %d", tt.reason, len(th.Comments), scrapetest.MaxDepth(th), tt.comments, tt.depth)
			}
			if th.DeclaredComments == nil || *th.DeclaredComments != tt.declared {
				t.Errorf("%s: declared %v, want %d", tt.reason, th.DeclaredComments, tt.declared)
			}
			if th.HiddenComments != tt.hidden || th.MoreStubs != tt.stubs {
				t.Errorf("%s: hidden %d stubs %d, want %d and %d", tt.reason, th.HiddenComments, th.MoreStubs, tt.hidden, tt.stubs)
			}
			if th.Repairs.Total() != 0 {
				t.Errorf("%s: repairs %+v, want none", tt.reason, th.Repairs)
			}
			if !strings.HasPrefix(th.URL, "https://www.reddit.com/r/") || th.Title == "" {
				t.Errorf("%s: url %q title %q", tt.reason, th.URL, th.Title)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	raw := scrapetest.ReadFile(t, filepath.Join("testdata", "thread-raw.json"))
	tests := []struct {
		name   string
		body   string
		want   error
		reason string
	}{
		{"too deep", strings.Repeat("[", 10001) + strings.Repeat("]", 10001), scrape.ErrTooDeep, "nesting beyond 10,000 levels is refused before decoding"},
		{"truncated", string(raw[:len(raw)/2]), scrape.ErrMalformed, "a file cut in half is a clear error"},
		{"object", `{"kind": "Listing", "data": {"children": []}}`, scrape.ErrNoThread, "a subreddit listing is not a thread"},
		{"empty array", `[]`, scrape.ErrNoThread, "no listings at all"},
		{"no post", `[{"kind":"Listing","data":{"children":[]}},{"kind":"Listing","data":{"children":[]}}]`, scrape.ErrNoThread, "the first listing must hold the post"},
		{"empty", ``, scrape.ErrMalformed, "no JSON value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			th, err := parse(t, []byte(tt.body), "src/"+tt.name+".json", scrape.Env{})
			if th != nil || !errors.Is(err, tt.want) {
				t.Fatalf("%s: got %v, %v; want error %v", tt.reason, th, err, tt.want)
			}
			var pe *scrape.ParseError
			if !errors.As(err, &pe) || pe.Source != "src/"+tt.name+".json" || pe.Adapter != "reddit" {
				t.Errorf("%s: error %v does not name the source and adapter", tt.reason, err)
			}
			if tt.name == "truncated" && !strings.Contains(err.Error(), "truncated") {
				t.Errorf("%s: error %q does not say truncated", tt.reason, err)
			}
		})
	}
}

// deepThread builds a thread whose comments form one chain n deep.
func deepThread(n int) []byte {
	var b strings.Builder
	b.WriteString(`[{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"id":"p1","title":"deep","author":"op"}}]}},{"kind":"Listing","data":{"children":[`)
	for i := range n {
		parent := "t3_p1"
		if i > 0 {
			parent = fmt.Sprintf("t1_c%d", i-1)
		}
		fmt.Fprintf(&b, `{"kind":"t1","data":{"id":"c%d","parent_id":"%s","author":"a","body_html":"<p>%d</p>","replies":`, i, parent, i)
		if i < n-1 {
			b.WriteString(`{"kind":"Listing","data":{"children":[`)
		} else {
			b.WriteString(`""`)
		}
	}
	for i := range n {
		b.WriteString(`}}`)
		if i < n-1 {
			b.WriteString(`]}}`)
		}
	}
	b.WriteString(`]}}]`)
	return []byte(b.String())
}

func TestDeepChain(t *testing.T) {
	t.Parallel()
	const n = 1000
	th, err := parse(t, deepThread(n), "deep.json", scrape.Env{})
	if err != nil {
		t.Fatal(err)
	}
	if len(th.Comments) != n || scrapetest.MaxDepth(th) != n {
		t.Errorf("a %d-deep reply chain: got %d comments depth %d", n, len(th.Comments), scrapetest.MaxDepth(th))
	}
}

func TestJSONURL(t *testing.T) {
	t.Parallel()
	const want = "https://www.reddit.com/r/funny/comments/3hahrw/ba_dum_tsss.json?raw_json=1"
	tests := []struct {
		in, want string
		ok       bool
		reason   string
	}{
		{"https://www.reddit.com/r/funny/comments/3hahrw/ba_dum_tsss/", want, true, "canonical URL with trailing slash"},
		{"https://old.reddit.com/r/funny/comments/3hahrw/ba_dum_tsss", want, true, "old reddit without trailing slash"},
		{"https://www.reddit.com/r/funny/comments/3hahrw/ba_dum_tsss/?sort=top&utm_source=share", want, true, "query dropped"},
		{"https://reddit.com/r/funny/comments/3hahrw/ba_dum_tsss.json", want, true, "already JSON"},
		{"http://np.reddit.com/r/funny/comments/3hahrw/ba_dum_tsss/", want, true, "other subdomains and http"},
		{"https://www.reddit.com/comments/3hahrw/", "https://www.reddit.com/comments/3hahrw.json?raw_json=1", true, "no subreddit, no slug"},
		{"https://redd.it/3hahrw", "https://www.reddit.com/comments/3hahrw.json?raw_json=1", true, "short link"},
		{"https://www.reddit.com/r/IAmA/comments/57dw9a/im_american/d8r4im1/", "https://www.reddit.com/r/IAmA/comments/57dw9a/im_american/d8r4im1.json?raw_json=1", true, "comment permalink kept"},
		{"https://www.reddit.com/r/funny/", "", false, "a subreddit is not a thread"},
		{"https://example.com/r/funny/comments/3hahrw/x/", "", false, "not reddit"},
		{"ftp://www.reddit.com/r/funny/comments/3hahrw/x/", "", false, "not http"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			t.Parallel()
			got, ok := reddit.JSONURL(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("JSONURL(%q) = %q, %v; want %q, %v (%s)", tt.in, got, ok, tt.want, tt.ok, tt.reason)
			}
		})
	}
}

// moreServer serves the reddit API from testdata/more, or generates a
// comment for each requested id when gen is set. It records requests.
type moreServer struct {
	*httptest.Server
	t        testing.TB
	gen      bool
	fail     bool
	mu       sync.Mutex
	requests []*url.URL
}

func newMoreServer(t testing.TB, gen, fail bool) *moreServer {
	s := &moreServer{t: t, gen: gen, fail: fail}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *moreServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.URL)
	s.mu.Unlock()
	if s.fail {
		http.Error(w, "boom", http.StatusInternalServerError)
		return
	}
	q := r.URL.Query()
	if q.Get("raw_json") != "1" {
		http.Error(w, "raw_json=1 expected", http.StatusBadRequest)
		return
	}
	switch {
	case r.URL.Path == "/api/morechildren.json":
		children := strings.Split(q.Get("children"), ",")
		if q.Get("api_type") != "json" || !strings.HasPrefix(q.Get("link_id"), "t3_") || len(children) > 100 {
			http.Error(w, "bad morechildren request", http.StatusBadRequest)
			return
		}
		if s.gen {
			var things []string
			for _, id := range children {
				things = append(things, fmt.Sprintf(`{"kind":"t1","data":{"id":%q,"parent_id":"t3_gen","author":"g","body_html":"<p>x</p>","replies":""}}`, id))
			}
			fmt.Fprintf(w, `{"json":{"errors":[],"data":{"things":[%s]}}}`, strings.Join(things, ","))
			return
		}
		http.ServeFile(w, r, filepath.Join("testdata", "more", "morechildren-"+q.Get("children")+".json"))
	case strings.HasPrefix(r.URL.Path, "/comments/"):
		name := strings.ReplaceAll(strings.Trim(strings.TrimSuffix(r.URL.Path, ".json"), "/"), "/", "-")
		http.ServeFile(w, r, filepath.Join("testdata", "more", name+".json"))
	default:
		http.NotFound(w, r)
	}
}

// fetch sends requests for www.reddit.com to the test server.
func (s *moreServer) fetch(ctx context.Context, u string) (*scrape.Page, error) {
	pu, err := url.Parse(u)
	if err != nil {
		return nil, err
	}
	if pu.Host != "www.reddit.com" {
		return nil, fmt.Errorf("unexpected host %s", pu.Host)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+pu.RequestURI(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.Client().Do(req)
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
	return &scrape.Page{Source: u, URL: u, Body: body}, nil
}

func TestMoreExpansion(t *testing.T) {
	t.Parallel()
	srv := newMoreServer(t, false, false)
	env := scrape.Env{Fetch: srv.fetch, RedditMore: true}
	th, err := parse(t, scrapetest.ReadFile(t, filepath.Join("testdata", "thread-raw.json")), "thread-raw.json", env)
	if err != nil {
		t.Fatal(err)
	}
	wantOrder := []string{"k1aaaa", "k1bbbb", "k1cccc", "k1dddd", "k1kkkk", "k1eeee", "k1ffff", "k1gggg", "k1iiii", "k1hhhh", "k1jjjj"}
	if got := ids(th, func(scrape.Comment) bool { return true }); !slices.Equal(got, wantOrder) {
		t.Errorf("fetched comments replace their stubs in place:\n got %v\nwant %v", got, wantOrder)
	}
	if th.MoreStubs != 0 || th.HiddenComments != 0 || th.Repairs.Total() != 0 {
		t.Errorf("every stub expanded: stubs %d hidden %d repairs %+v", th.MoreStubs, th.HiddenComments, th.Repairs)
	}
	if len(srv.requests) != 3 {
		t.Errorf("want 3 requests (2 morechildren rounds, 1 continue-thread), got %d: %v", len(srv.requests), srv.requests)
	}
	checkGolden(t, "thread-expanded", canonical(th))

	// Without RedditMore nothing is fetched.
	quiet := newMoreServer(t, false, false)
	if _, err := parse(t, scrapetest.ReadFile(t, filepath.Join("testdata", "thread-raw.json")), "thread-raw.json", scrape.Env{Fetch: quiet.fetch}); err != nil || len(quiet.requests) != 0 {
		t.Errorf("stubs are not fetched by default: err %v, %d requests", err, len(quiet.requests))
	}
}

// stubThread builds a thread with one top-level comment and one more stub
// holding n child ids.
func stubThread(n int) []byte {
	children := make([]string, n)
	for i := range children {
		children[i] = fmt.Sprintf(`"g%d"`, i)
	}
	return fmt.Appendf(nil, `[{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"id":"gen","title":"t","author":"op"}}]}},`+
		`{"kind":"Listing","data":{"children":[{"kind":"t1","data":{"id":"first","parent_id":"t3_gen","author":"a","body_html":"<p>hi</p>","replies":""}},`+
		`{"kind":"more","data":{"id":"g0","parent_id":"t3_gen","count":%d,"children":[%s]}}]}}]`, n, strings.Join(children, ","))
}

func TestMoreBatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		ids          int
		fail         bool
		wantRequests int
		wantComments int
		wantStubs    int
		wantErr      bool
		reason       string
	}{
		{"batches", 250, false, 3, 251, 0, false, "at most 100 ids per morechildren request"},
		{"bounded", 100*reddit.MaxMoreRequests + 50, false, reddit.MaxMoreRequests, 1 + 100*reddit.MaxMoreRequests, 1, false, "expansion stops at MaxMoreRequests; the rest stays a stub"},
		{"failing", 20, true, 1, 1, 1, true, "a failed fetch returns the thread and the error; the stub stays counted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newMoreServer(t, true, tt.fail)
			th, err := parse(t, stubThread(tt.ids), tt.name+".json", scrape.Env{Fetch: srv.fetch, RedditMore: true})
			if (err != nil) != tt.wantErr || th == nil {
				t.Fatalf("%s: thread %v err %v, want error %v", tt.reason, th != nil, err, tt.wantErr)
			}
			if len(srv.requests) != tt.wantRequests || len(th.Comments) != tt.wantComments || th.MoreStubs != tt.wantStubs {
				t.Errorf("%s: %d requests, %d comments, %d stubs; want %d, %d, %d", tt.reason,
					len(srv.requests), len(th.Comments), th.MoreStubs, tt.wantRequests, tt.wantComments, tt.wantStubs)
			}
			if tt.wantStubs > 0 && th.HiddenComments == 0 {
				t.Errorf("%s: an unexpanded stub keeps its hidden count", tt.reason)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"thread-raw.json", "thread-escaped.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(deepThread(5))
	f.Add([]byte(`[{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"id":"x"}}]}},{"kind":"Listing","data":{"children":[{"kind":"t1","data":{"id":"a","parent_id":"t1_a","replies":{"kind":"Listing","data":{"children":[{"kind":"t1","data":{"id":"a"}}]}}}}]}}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		th, err := reddit.New().Parse(context.Background(), &scrape.Page{Source: "fuzz", Body: body}, scrape.Env{})
		if th == nil {
			if err == nil {
				t.Fatal("no thread and no error")
			}
			return
		}
		depth := map[string]int{}
		for _, c := range th.Comments {
			if _, dup := depth[c.ID]; dup {
				t.Fatalf("duplicate id %s", c.ID)
			}
			depth[c.ID] = c.Depth
		}
		for _, c := range th.Comments {
			if c.ParentID == "" {
				if c.Depth != 1 {
					t.Fatalf("top-level comment %s at depth %d", c.ID, c.Depth)
				}
				continue
			}
			d, ok := depth[c.ParentID]
			if !ok {
				t.Fatalf("comment %s: parent %s missing", c.ID, c.ParentID)
			}
			if c.Depth != d+1 {
				t.Fatalf("comment %s: depth %d under parent depth %d", c.ID, c.Depth, d)
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(scrapetest.CorpusDir(b), "reddit", "*.json"))
	for _, path := range files {
		body := scrapetest.ReadFile(b, path)
		b.Run(filepath.Base(path), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			n := 0
			for b.Loop() {
				th, err := parse(b, body, path, scrape.Env{})
				if err != nil {
					b.Fatal(err)
				}
				n += len(th.Comments)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "comments/s")
		})
	}
}
