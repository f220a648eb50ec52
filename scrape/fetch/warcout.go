package fetch

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/nlnwa/gowarc/v3"
)

// warcWriter appends response records, one gzip member each, to a
// .warc.gz file, so that a later run given only that file rebuilds the
// same pages (scrape.OpenWARC reads them back).
type warcWriter struct {
	mu   sync.Mutex
	path string
	f    *os.File
}

// openWARCWriter opens path for appending (a file of several runs is a
// valid WARC) and writes a warcinfo record.
func openWARCWriter(path, software string, now time.Time) (*warcWriter, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("WARC output: %w", err)
		}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("WARC output: %w", err)
	}
	w := &warcWriter{path: path, f: f}
	b := gowarc.NewRecordBuilder(gowarc.Warcinfo, gowarc.WithAddMissingDigest(true))
	fmt.Fprintf(b, "software: %s\r\nformat: WARC File Format 1.1\r\n", software)
	b.AddWarcHeaderTime(gowarc.WarcDate, now.UTC())
	b.AddWarcHeader(gowarc.WarcFilename, filepath.Base(path))
	b.AddWarcHeader(gowarc.ContentType, gowarc.ApplicationWarcFields)
	if err := w.append(b); err != nil {
		f.Close()
		return nil, err
	}
	return w, nil
}

// write appends one response record: the HTTP status line, the response
// headers (without transfer and content encodings, which the body no
// longer has) and the body as served.
func (w *warcWriter) write(target string, status int, header http.Header, body []byte, at time.Time) error {
	var head bytes.Buffer
	fmt.Fprintf(&head, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	keys := make([]string, 0, len(header))
	for k := range header {
		switch k {
		case "Content-Encoding", "Content-Length", "Transfer-Encoding", "Connection", "Set-Cookie", headerCache, headerFetchedAt:
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range header[k] {
			fmt.Fprintf(&head, "%s: %s\r\n", k, v)
		}
	}
	fmt.Fprintf(&head, "Content-Length: %d\r\n\r\n", len(body))
	b := gowarc.NewRecordBuilder(gowarc.Response, gowarc.WithAddMissingDigest(true))
	if _, err := b.Write(head.Bytes()); err != nil {
		return err
	}
	if _, err := b.Write(body); err != nil {
		return err
	}
	b.AddWarcHeader(gowarc.WarcTargetURI, target)
	b.AddWarcHeaderTime(gowarc.WarcDate, at.UTC())
	b.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
	return w.append(b)
}

func (w *warcWriter) append(b gowarc.WarcRecordBuilder) error {
	rec, _, err := b.Build()
	if err != nil {
		return fmt.Errorf("WARC record: %w", err)
	}
	defer rec.Close()
	var member bytes.Buffer
	gz := gzip.NewWriter(&member)
	if _, _, err := gowarc.NewMarshaler().Marshal(gz, rec, 0); err != nil {
		return fmt.Errorf("WARC record: %w", err)
	}
	if err := gz.Close(); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	_, err = w.f.Write(member.Bytes())
	return err
}

// Close syncs and closes the file.
func (w *warcWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.f.Sync(); err != nil {
		w.f.Close()
		return err
	}
	return w.f.Close()
}
