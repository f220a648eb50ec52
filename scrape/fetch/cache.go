package fetch

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Response headers the cache adds for the Fetcher above it.
const (
	// headerCache is "hit" for a response served from the cache without
	// asking the server (offline), "revalidated" after a 304.
	headerCache = "X-Threadlens-Cache"
	// headerFetchedAt is when the cached bytes were fetched or last
	// revalidated (RFC 3339).
	headerFetchedAt = "X-Threadlens-Fetched-At"
)

// cacheMeta is the JSON first line of a cache file; the raw body follows.
type cacheMeta struct {
	URL       string      `json:"url"`
	Status    int         `json:"status"`
	Header    http.Header `json:"header"`
	FetchedAt time.Time   `json:"fetched_at"`
}

// diskCache stores raw responses (status 200 and permanent redirects) in
// Dir, one file per URL named by the SHA-256 of the URL, written to a
// temporary file and renamed so a killed run never leaves half an entry.
// Online, a cached entry with an ETag or Last-Modified makes the request
// conditional and a 304 is answered from the cache; offline, entries are
// served as they are and a miss is ErrNotCached.
type diskCache struct {
	next    http.RoundTripper
	dir     string
	offline bool
	clock   Clock
	stats   *counters
	logger  *slog.Logger
}

func (c *diskCache) path(u string) string {
	sum := sha256.Sum256([]byte(u))
	name := hex.EncodeToString(sum[:])
	return filepath.Join(c.dir, name[:2], name+".resp")
}

// load opens the cache entry for u; the returned file is positioned at
// the body. It returns nil, nil, nil on a miss.
func (c *diskCache) load(u string) (*cacheMeta, *os.File, *bufio.Reader, error) {
	f, err := os.Open(c.path(u))
	if os.IsNotExist(err) {
		return nil, nil, nil, nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	br := bufio.NewReader(f)
	line, err := br.ReadBytes('\n')
	var meta cacheMeta
	if err == nil {
		err = json.Unmarshal(line, &meta)
	}
	if err != nil || meta.URL != u {
		f.Close()
		return nil, nil, nil, nil // unreadable or hash collision: a miss
	}
	return &meta, f, br, nil
}

func (c *diskCache) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet {
		return c.next.RoundTrip(req)
	}
	key := req.URL.String()
	meta, f, body, err := c.load(key)
	if err != nil {
		c.logger.Warn("cache unreadable", "url", key, "err", err)
	}
	if c.offline {
		if meta == nil {
			return nil, ErrNotCached
		}
		c.stats.cacheHits.Add(1)
		return cachedResponse(req, meta, f, body, "hit"), nil
	}
	if meta != nil {
		etag, lastMod := meta.Header.Get("ETag"), meta.Header.Get("Last-Modified")
		if etag == "" && lastMod == "" {
			f.Close()
			meta = nil // nothing to revalidate with: fetch afresh
		} else {
			req = req.Clone(req.Context())
			if etag != "" {
				req.Header.Set("If-None-Match", etag)
			}
			if lastMod != "" {
				req.Header.Set("If-Modified-Since", lastMod)
			}
		}
	}
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		if meta != nil {
			f.Close()
		}
		return nil, err
	}
	if resp.StatusCode == http.StatusNotModified && meta != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		// Keep validators the 304 updates, and note the revalidation time.
		for _, h := range []string{"ETag", "Last-Modified", "Cache-Control", "Expires"} {
			if v := resp.Header.Get(h); v != "" {
				meta.Header.Set(h, v)
			}
		}
		meta.FetchedAt = c.clock.Now().UTC()
		c.stats.notModified.Add(1)
		c.stats.cacheHits.Add(1)
		cached := cachedResponse(req, meta, f, body, "revalidated")
		// Rewrite the entry's header line with the new time (best effort).
		if data, err := io.ReadAll(body); err == nil {
			f.Close()
			if err := c.store(meta, data); err != nil {
				c.logger.Warn("cache write failed", "url", key, "err", err)
			}
			cached.Body = io.NopCloser(bytes.NewReader(data))
		}
		return cached, nil
	}
	if meta != nil {
		f.Close()
	}
	fresh := &cacheMeta{URL: key, Status: resp.StatusCode, Header: storableHeader(resp.Header), FetchedAt: c.clock.Now().UTC()}
	switch resp.StatusCode {
	case http.StatusOK:
		resp.Body = &cacheWriter{ReadCloser: resp.Body, cache: c, meta: fresh}
	case http.StatusMovedPermanently, http.StatusPermanentRedirect:
		// The client never reads a redirect's body; store the redirect
		// now so offline runs can follow it.
		if err := c.store(fresh, nil); err != nil {
			c.logger.Warn("cache write failed", "url", key, "err", err)
		}
	}
	return resp, nil
}

// storableHeader drops hop-by-hop and encoding headers: the stored body
// is already decoded.
func storableHeader(h http.Header) http.Header {
	out := h.Clone()
	for _, k := range []string{"Content-Encoding", "Content-Length", "Transfer-Encoding", "Connection", "Set-Cookie", "Keep-Alive"} {
		out.Del(k)
	}
	return out
}

func cachedResponse(req *http.Request, meta *cacheMeta, f *os.File, body *bufio.Reader, how string) *http.Response {
	h := meta.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set(headerCache, how)
	h.Set(headerFetchedAt, meta.FetchedAt.Format(time.RFC3339Nano))
	return &http.Response{
		Status:        strconv.Itoa(meta.Status) + " " + http.StatusText(meta.Status),
		StatusCode:    meta.Status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          readCloser{Reader: body, Closer: f},
		ContentLength: -1,
		Request:       req,
	}
}

type readCloser struct {
	io.Reader
	io.Closer
}

// store writes an entry atomically: temp file, fsync, rename.
func (c *diskCache) store(meta *cacheMeta, body []byte) error {
	return c.storeFrom(meta, bytes.NewReader(body))
}

func (c *diskCache) storeFrom(meta *cacheMeta, body io.Reader) error {
	final := c.path(meta.URL)
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(final), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	line, err := json.Marshal(meta)
	if err != nil {
		tmp.Close()
		return err
	}
	w := bufio.NewWriter(tmp)
	w.Write(line)
	w.WriteByte('\n')
	if _, err := io.Copy(w, body); err != nil {
		tmp.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), final)
}

// cacheWriter tees a response body into memory and stores it when the
// body has been read to its end; a body abandoned early (too large,
// cancelled) is not stored. The Fetcher bounds bodies, so the copy is
// bounded too.
type cacheWriter struct {
	io.ReadCloser
	cache *diskCache
	meta  *cacheMeta
	buf   bytes.Buffer
	done  bool
}

func (w *cacheWriter) Read(p []byte) (int, error) {
	n, err := w.ReadCloser.Read(p)
	w.buf.Write(p[:n])
	if err == io.EOF && !w.done {
		w.done = true
		if serr := w.cache.store(w.meta, w.buf.Bytes()); serr != nil {
			w.cache.logger.Warn("cache write failed", "url", w.meta.URL, "err", serr)
		}
	}
	return n, err
}
