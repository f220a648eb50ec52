package scrape

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// xmlDeclEncoding finds the encoding pseudo-attribute of an XML declaration.
var xmlDeclEncoding = regexp.MustCompile(`^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// DecodeCharset returns body converted to UTF-8, the form [Page.Body]
// holds. The encoding is taken, in order, from a byte-order mark or the
// charset parameter of contentType (the HTTP header); then from an XML
// declaration's encoding; then, when the whole body is valid UTF-8, UTF-8;
// then from an HTML <meta charset> in the first KiB; else windows-1252
// (the WHATWG default). Valid UTF-8 deliberately wins over a <meta>
// declaration: static exports that kept a stale "iso-8859-1" meta over
// UTF-8 bytes are more common than Latin-1 text that happens to be valid
// UTF-8.
//
// JSON (contentType application/json or +json) is returned unchanged: it
// is UTF-8 by definition. When an XML body is converted, its declaration's
// encoding is rewritten to UTF-8 so XML parsers do not decode it twice.
// The result may share memory with body.
func DecodeCharset(body []byte, contentType string) []byte {
	mediaType, _, _ := mime.ParseMediaType(contentType)
	if mediaType == "application/json" || strings.HasSuffix(mediaType, "+json") || mediaType == "text/json" {
		return body
	}
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	decl := xmlDeclEncoding.FindSubmatchIndex(trimmed)
	if !certain && decl != nil {
		if e, n := charset.Lookup(string(trimmed[decl[2]:decl[3]])); e != nil {
			enc, name, certain = e, n, true
		}
	}
	if !certain && utf8.Valid(body) {
		return body
	}
	if name == "utf-8" {
		if utf8.Valid(body) {
			return body
		}
		// Declared UTF-8 but broken: replace invalid bytes rather than
		// guessing another encoding.
		return bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	if decl != nil {
		// Rewrite the declaration in the decoded copy (its offset is the
		// same: the declaration is ASCII and so is the leading space).
		lead := len(out) - len(bytes.TrimLeft(out, " \t\r\n"))
		if m := xmlDeclEncoding.FindSubmatchIndex(out[lead:]); m != nil {
			fixed := make([]byte, 0, len(out))
			fixed = append(fixed, out[:lead+m[2]]...)
			fixed = append(fixed, "UTF-8"...)
			fixed = append(fixed, out[lead+m[3]:]...)
			out = fixed
		}
	}
	return out
}
