package fixtureserver

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Start is the fake clock's initial time in every server.
var Start = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// Server is the fixture server. Routes (GET):
//
//	/robots.txt                 the robots.txt set with SetRobots (default: 404)
//	/corpus/REL                 the corpus file REL, as is
//	/mirror/HOST/PATH           corpus feeds/sitemaps whose links point at HOST,
//	                            with "https://HOST/" rewritten to this server's
//	                            /mirror/HOST/ (see Mirror); unknown PATHs ending
//	                            in .xml are 404, others a small page
//	/page/NAME                  a small HTML page (with ETag and Last-Modified)
//	/flaky/CODE/KEY?n=N&after=S answers CODE (429, 503) N times for KEY, with
//	                            Retry-After S when given (S="date" sends an HTTP
//	                            date 5 s ahead of the clock), then a page
//	/reset/KEY?n=N              closes the connection N times, then a page
//	/hang                       never answers (until the client gives up)
//	/loop/a, /loop/b            redirect to each other
//	/redirect/N                 N redirects, then a page
//	/big?bytes=N                an HTML body of N bytes
//	/cp1252, /cp1252-meta       "café" in windows-1252 (charset in the header,
//	                            or only in a <meta>)
//	/gzip                       a gzip-encoded page
//	/sitemaps/loop.xml          a sitemap index naming itself and loop-2.xml,
//	                            which names loop.xml back; both name
//	                            /sitemaps/urls.xml, a urlset of /page/s1…s3
type Server struct {
	*httptest.Server
	// Clock is the fake clock tests hand to the fetcher; the server dates
	// Retry-After and Last-Modified with it.
	Clock *Clock
	// CorpusDir is the shared corpus directory, "" when absent.
	CorpusDir string

	mu           sync.Mutex
	robots       string
	robotsStatus int
	counts       map[string]int
	keys         map[string]int
	quit         chan struct{}
}

// New starts a server closed at the end of the test. corpusDir may be ""
// when the test does not serve corpus files.
func New(t testing.TB, corpusDir string) *Server {
	t.Helper()
	s := &Server{
		Clock:        NewClock(Start),
		CorpusDir:    corpusDir,
		robotsStatus: http.StatusNotFound,
		counts:       map[string]int{},
		keys:         map[string]int{},
		quit:         make(chan struct{}),
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		close(s.quit) // release hanging handlers first
		s.Server.Close()
	})
	return s
}

// SetRobots makes /robots.txt answer status with body.
func (s *Server) SetRobots(status int, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.robotsStatus, s.robots = status, body
}

// Count returns how many requests path (without query) received.
func (s *Server) Count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[path]
}

// Total returns how many requests the server received.
func (s *Server) Total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.counts {
		n += c
	}
	return n
}

// Mirror returns the URL under which corpus file rel (e.g.
// "feeds/yoast-sitemap-index.xml") is served with links to host
// rewritten to the server.
func (s *Server) Mirror(host, rel string) string {
	return s.URL + "/mirror/" + host + "/corpus/" + rel
}

// turn counts one more request for key and returns the count.
func (s *Server) turn(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[key]++
	return s.keys[key]
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.counts[r.URL.Path]++
	s.mu.Unlock()
	p := r.URL.Path
	q := r.URL.Query()
	switch {
	case p == "/robots.txt":
		s.mu.Lock()
		status, body := s.robotsStatus, s.robots
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	case strings.HasPrefix(p, "/corpus/"):
		s.serveCorpus(w, r, strings.TrimPrefix(p, "/corpus/"), "", "")
	case strings.HasPrefix(p, "/mirror/"):
		rest := strings.TrimPrefix(p, "/mirror/")
		host, sub, _ := strings.Cut(rest, "/")
		from := "https://" + host + "/"
		to := s.URL + "/mirror/" + host + "/"
		switch {
		case strings.HasPrefix(sub, "corpus/"):
			s.serveCorpus(w, r, strings.TrimPrefix(sub, "corpus/"), from, to)
		case s.mirrorFile(host, sub) != "":
			s.serveCorpus(w, r, s.mirrorFile(host, sub), from, to)
		case strings.HasSuffix(sub, ".xml"):
			http.NotFound(w, r)
		default:
			s.page(w, r, sub)
		}
	case strings.HasPrefix(p, "/page/"):
		s.page(w, r, strings.TrimPrefix(p, "/page/"))
	case strings.HasPrefix(p, "/flaky/"):
		parts := strings.SplitN(strings.TrimPrefix(p, "/flaky/"), "/", 2)
		code, _ := strconv.Atoi(parts[0])
		n, _ := strconv.Atoi(q.Get("n"))
		if s.turn(p) <= n {
			switch after := q.Get("after"); after {
			case "":
			case "date":
				w.Header().Set("Retry-After", s.Clock.Now().Add(5*time.Second).Format(http.TimeFormat))
			default:
				w.Header().Set("Retry-After", after)
			}
			http.Error(w, http.StatusText(code), code)
			return
		}
		s.page(w, r, p)
	case strings.HasPrefix(p, "/reset/"):
		n, _ := strconv.Atoi(q.Get("n"))
		if s.turn(p) <= n {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		}
		s.page(w, r, p)
	case p == "/hang":
		select {
		case <-r.Context().Done():
		case <-s.quit:
		}
	case p == "/loop/a":
		http.Redirect(w, r, "/loop/b", http.StatusFound)
	case p == "/loop/b":
		http.Redirect(w, r, "/loop/a", http.StatusFound)
	case strings.HasPrefix(p, "/redirect/"):
		n, _ := strconv.Atoi(strings.TrimPrefix(p, "/redirect/"))
		if n <= 0 {
			s.page(w, r, "redirected")
			return
		}
		http.Redirect(w, r, "/redirect/"+strconv.Itoa(n-1), http.StatusMovedPermanently)
	case p == "/big":
		n, _ := strconv.Atoi(q.Get("bytes"))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if q.Get("chunked") == "" {
			w.Header().Set("Content-Length", strconv.Itoa(n))
		}
		chunk := bytes.Repeat([]byte("<p>xxxxxxxxxxxxxxxxxxxxxxxxxxx</p>\n"), 1024)
		for n > 0 {
			k := min(n, len(chunk))
			if _, err := w.Write(chunk[:k]); err != nil {
				return
			}
			n -= k
		}
	case p == "/sitemaps/loop.xml", p == "/sitemaps/loop-2.xml":
		// Two indexes naming each other (and themselves) and one urlset.
		other := map[string]string{"/sitemaps/loop.xml": "/sitemaps/loop-2.xml", "/sitemaps/loop-2.xml": "/sitemaps/loop.xml"}[p]
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>%[1]s%[2]s</loc></sitemap><sitemap><loc>%[1]s%[3]s</loc></sitemap><sitemap><loc>%[1]s/sitemaps/urls.xml</loc></sitemap>
</sitemapindex>`, s.URL, p, other)
	case p == "/sitemaps/urls.xml":
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>%[1]s/page/s1</loc></url><url><loc>%[1]s/page/s2</loc></url><url><loc>%[1]s/page/s3</loc></url>
</urlset>`, s.URL)
	case p == "/cp1252":
		w.Header().Set("Content-Type", "text/html; charset=windows-1252")
		w.Write([]byte("<html><body><p>caf\xe9 \x93quoted\x94</p></body></html>"))
	case p == "/cp1252-meta":
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<html><head><meta charset="windows-1252"></head><body><p>caf` + "\xe9" + `</p></body></html>`))
	case p == "/gzip":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		fmt.Fprint(zw, "<html><body><p>compressed café</p></body></html>")
		zw.Close()
	default:
		http.NotFound(w, r)
	}
}

// mirrorFile maps a mirrored site's path to a corpus file, for the
// sitemaps and feeds the corpus holds.
func (s *Server) mirrorFile(host, sub string) string {
	switch host + "/" + sub {
	case "yoast.com/post-sitemap2.xml":
		return "feeds/yoast-post-sitemap2.xml"
	case "yoast.com/sitemap_index.xml":
		return "feeds/yoast-sitemap-index.xml"
	}
	return ""
}

// serveCorpus serves corpus file rel, replacing from with to in its body
// when from is not empty. It sets ETag and Last-Modified and answers
// conditional requests with 304.
func (s *Server) serveCorpus(w http.ResponseWriter, r *http.Request, rel, from, to string) {
	if s.CorpusDir == "" || strings.Contains(rel, "..") {
		http.NotFound(w, r)
		return
	}
	body, err := os.ReadFile(filepath.Join(s.CorpusDir, filepath.FromSlash(rel)))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if from != "" {
		body = bytes.ReplaceAll(body, []byte(from), []byte(to))
	}
	ct := mime.TypeByExtension(path.Ext(rel))
	switch path.Ext(rel) {
	case ".xml":
		ct = "application/xml"
	case ".rss":
		ct = "application/rss+xml"
	case ".gz":
		ct = "application/gzip"
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	s.conditional(w, r, fmt.Sprintf(`"%x-%d"`, len(body), len(rel)), body)
}

// page serves a small HTML page with validators.
func (s *Server) page(w http.ResponseWriter, r *http.Request, name string) {
	body := []byte(fmt.Sprintf("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title></head><body><p>Page %s.</p></body></html>", name, name))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	s.conditional(w, r, fmt.Sprintf(`"p-%x"`, len(body)), body)
}

// conditional writes body with an ETag and a Last-Modified an hour
// before the clock, or 304 when the request's validators match.
func (s *Server) conditional(w http.ResponseWriter, r *http.Request, etag string, body []byte) {
	lastMod := Start.Add(-time.Hour).Format(http.TimeFormat)
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", lastMod)
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		if inm == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	} else if ims := r.Header.Get("If-Modified-Since"); ims == lastMod {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(body)
}
