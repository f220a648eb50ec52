package scrape

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"
	"time"

	"github.com/nlnwa/gowarc/v3"
)

// Kinds of WARC record a [WARCReader] skips, as keys of its Skipped map.
// Record types are counted under their WARC-Type name ("request",
// "revisit", "metadata", "warcinfo", "resource", …).
const (
	// WARCSkipNon200 counts response records whose HTTP status is not 200.
	WARCSkipNon200 = "non-200"
	// WARCSkipNotPage counts 200 responses that are neither HTML nor JSON
	// (images, scripts, style sheets).
	WARCSkipNotPage = "not-page"
	// WARCSkipMalformed counts responses whose HTTP message or content
	// encoding could not be read.
	WARCSkipMalformed = "malformed"
	// WARCSkipTooLarge counts responses larger than [MaxFileSize].
	WARCSkipTooLarge = "too-large"
)

// WARCReader reads the pages of a WARC file (.warc or .warc.gz, WARC 1.0
// or 1.1) with gowarc, in the Scanner shape:
//
//	r, err := scrape.OpenWARC(path)
//	for r.Next() { use(r.Page()) }
//	err = r.Err(); r.Close()
//
// Every "response" record with HTTP status 200 and an HTML or JSON body is
// a page whose Source and URL are its WARC-Target-URI and whose FetchedAt
// is its WARC-Date; a chunked transfer encoding is undone and a gzip or
// deflate content encoding decoded, then the body is converted to UTF-8
// with [DecodeCharset]. Other records are skipped and counted by kind
// ([WARCReader.Skipped]). A malformed HTTP message in one record (such as
// the status line "HTTP/1.1 200 OK200 OK") skips or tolerates that record
// and does not end the file.
type WARCReader struct {
	path    string
	reader  *gowarc.WarcFileReader
	page    *Page
	err     error
	records int
	skipped map[string]int
}

// OpenWARC opens the WARC file at path.
func OpenWARC(path string) (*WARCReader, error) {
	r, err := gowarc.NewWarcFileReader(path, 0,
		// SkipParseBlock: we read the HTTP message ourselves, leniently.
		// SpecViolation ErrWarn (not ErrIgnore): it makes gowarc keep the
		// block while validating digests, so it can still be read after.
		gowarc.WithSkipParseBlock(),
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn),
		gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrWarn),
	)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	return &WARCReader{path: path, reader: r, skipped: map[string]int{}}, nil
}

// Next advances to the next page, skipping other records. It returns false
// at the end of the file or on an error that makes the rest unreadable
// (see Err).
func (r *WARCReader) Next() bool {
	r.page = nil
	if r.err != nil {
		return false
	}
	for {
		rec, err := r.reader.Next()
		if err == io.EOF {
			return false
		}
		if err != nil {
			r.err = fmt.Errorf("%s: record %d: %w", r.path, r.records+1, err)
			_ = rec.Close()
			return false
		}
		r.records++
		page, skip := r.readRecord(rec.WarcRecord)
		_ = rec.Close()
		if page != nil {
			r.page = page
			return true
		}
		r.skipped[skip]++
	}
}

// Page returns the current page; valid after Next returned true.
func (r *WARCReader) Page() *Page { return r.page }

// Err returns the error that stopped Next early, nil at a clean end.
func (r *WARCReader) Err() error { return r.err }

// Records returns how many WARC records were read so far.
func (r *WARCReader) Records() int { return r.records }

// Skipped returns how many records were skipped so far, by kind: WARC-Type
// names for records that are not responses, the WARCSkip* constants for
// responses that are not pages. The map is the reader's own; do not
// modify it.
func (r *WARCReader) Skipped() map[string]int { return r.skipped }

// Close closes the file.
func (r *WARCReader) Close() error { return r.reader.Close() }

// readRecord returns the page held by rec, or the kind it is skipped as.
func (r *WARCReader) readRecord(rec gowarc.WarcRecord) (*Page, string) {
	if rec == nil {
		return nil, WARCSkipMalformed
	}
	if rec.Type() != gowarc.Response {
		return nil, strings.ToLower(rec.Type().String())
	}
	header := rec.WarcHeader()
	if n, err := rec.ContentLength(); err == nil && n > MaxFileSize {
		return nil, WARCSkipTooLarge
	}
	raw, err := rec.Block().RawBytes()
	if err != nil {
		return nil, WARCSkipMalformed
	}
	status, httpHeader, body, err := readHTTPResponse(raw)
	if err != nil {
		return nil, WARCSkipMalformed
	}
	if status != http.StatusOK {
		return nil, WARCSkipNon200
	}
	contentType := httpHeader.Get("Content-Type")
	if !isPageType(contentType, body) {
		return nil, WARCSkipNotPage
	}
	target := strings.Trim(header.Get(gowarc.WarcTargetURI), "<> ")
	p := &Page{Source: target, URL: target, ContentType: contentType, Body: DecodeCharset(body, contentType)}
	if t, err := rec.Date(); err == nil {
		p.FetchedAt = t.UTC()
	} else if t, err := time.Parse(time.RFC3339, header.Get(gowarc.WarcDate)); err == nil {
		p.FetchedAt = t.UTC()
	}
	return p, ""
}

// readHTTPResponse reads an HTTP/1.x response message leniently: the
// status code is the second field of the status line whatever follows it,
// header lines without a colon are ignored, a chunked body is de-chunked
// when it really is chunked (browser-made WARCs keep the header over an
// already de-chunked body), and gzip/deflate content is decoded. The body
// is read up to MaxFileSize bytes.
func readHTTPResponse(raw io.Reader) (int, http.Header, []byte, error) {
	br := bufio.NewReader(raw)
	line, err := br.ReadString('\n')
	if err != nil && line == "" {
		return 0, nil, nil, fmt.Errorf("no status line: %w", err)
	}
	fields := strings.Fields(line)
	if len(fields) < 2 || !strings.HasPrefix(fields[0], "HTTP/") {
		return 0, nil, nil, fmt.Errorf("bad status line %q", strings.TrimSpace(line))
	}
	code, err := strconv.Atoi(fields[1][:min(3, len(fields[1]))])
	if err != nil {
		return 0, nil, nil, fmt.Errorf("bad status code in %q", strings.TrimSpace(line))
	}
	header := http.Header{}
	for {
		l, err := br.ReadString('\n')
		l = strings.TrimRight(l, "\r\n")
		if l == "" {
			break // end of header (or of input)
		}
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) != "" {
			header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
		}
		if err != nil {
			break
		}
	}
	body, err := io.ReadAll(io.LimitReader(br, MaxFileSize+1))
	if err != nil {
		return 0, nil, nil, err
	}
	if len(body) > MaxFileSize {
		return 0, nil, nil, fmt.Errorf("body larger than %d MiB", MaxFileSize>>20)
	}
	if strings.Contains(strings.ToLower(header.Get("Transfer-Encoding")), "chunked") && looksChunked(body) {
		if dechunked, err := io.ReadAll(io.LimitReader(httputil.NewChunkedReader(bytes.NewReader(body)), MaxFileSize)); err == nil {
			body = dechunked
		}
	}
	switch strings.ToLower(strings.TrimSpace(header.Get("Content-Encoding"))) {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return 0, nil, nil, err
		}
		if body, err = io.ReadAll(io.LimitReader(zr, MaxFileSize)); err != nil {
			return 0, nil, nil, err
		}
	case "deflate":
		// "deflate" is zlib-wrapped by the spec, raw deflate in practice
		// from some servers.
		var zr io.Reader
		if z, err := zlib.NewReader(bytes.NewReader(body)); err == nil {
			zr = z
		} else {
			zr = flate.NewReader(bytes.NewReader(body))
		}
		if body, err = io.ReadAll(io.LimitReader(zr, MaxFileSize)); err != nil {
			return 0, nil, nil, err
		}
	default:
		return 0, nil, nil, fmt.Errorf("unsupported content encoding %q", header.Get("Content-Encoding"))
	}
	return code, header, body, nil
}

// looksChunked reports whether body starts with a chunk-size line.
func looksChunked(body []byte) bool {
	end := bytes.IndexByte(body[:min(len(body), 64)], '\n')
	if end <= 0 {
		return false
	}
	size := bytes.TrimRight(body[:end], "\r")
	if i := bytes.IndexByte(size, ';'); i >= 0 {
		size = size[:i]
	}
	size = bytes.TrimSpace(size)
	if len(size) == 0 {
		return false
	}
	_, err := strconv.ParseUint(string(size), 16, 64)
	return err == nil
}

// isPageType reports whether a response with this Content-Type (or, when
// it has none, this body) is an HTML or JSON page.
func isPageType(contentType string, body []byte) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil || mediaType == "" {
		trimmed := bytes.TrimLeft(body, " \t\r\n\xef\xbb\xbf")
		if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
			return true
		}
		mediaType, _, _ = mime.ParseMediaType(http.DetectContentType(body))
	}
	switch mediaType {
	case "text/html", "application/xhtml+xml", "application/json", "text/json":
		return true
	}
	return strings.HasSuffix(mediaType, "+json")
}

// isWARCName reports whether a file name has a WARC extension.
func isWARCName(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".warc") || strings.HasSuffix(n, ".warc.gz")
}
