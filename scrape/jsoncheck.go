package scrape

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// MaxJSONDepth is the deepest nesting of JSON objects and arrays the
// adapters accept; deeper input is rejected with [ErrTooDeep] before it is
// decoded.
const MaxJSONDepth = 10000

// utf8BOM is skipped at the start of JSON pages saved by some tools.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// CheckJSON scans body once, counting brackets outside strings, and
// returns a *ParseError naming adapter and source when the JSON nests
// deeper than [MaxJSONDepth] (wrapping [ErrTooDeep]), is empty, closes a
// bracket it never opened, or ends inside a value — a file cut short
// (wrapping [ErrMalformed]). It does not otherwise validate the JSON; the
// decoder that follows does. It returns nil when the brackets balance.
func CheckJSON(adapter, source string, body []byte) error {
	body = bytes.TrimPrefix(body, utf8BOM)
	fail := func(off int, sentinel error, format string, args ...any) error {
		return &ParseError{
			Adapter: adapter,
			Source:  source,
			Line:    lineAt(body, off),
			Err:     fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...),
		}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return &ParseError{Adapter: adapter, Source: source, Err: fmt.Errorf("%w: no JSON value", ErrMalformed)}
	}
	depth := 0
	inString, escaped := false, false
	for i, b := range body {
		if inString {
			switch {
			case escaped:
				escaped = false
			case b == '\\':
				escaped = true
			case b == '"':
				inString = false
			}
			continue
		}
		switch b {
		case '"':
			inString = true
		case '{', '[':
			depth++
			if depth > MaxJSONDepth {
				return fail(i, ErrTooDeep, "JSON nests deeper than %d levels at byte %d", MaxJSONDepth, i)
			}
		case '}', ']':
			depth--
			if depth < 0 {
				return fail(i, ErrMalformed, "unbalanced %q at byte %d", b, i)
			}
		}
	}
	if inString || depth > 0 {
		return fail(len(body), ErrMalformed,
			"truncated JSON: input ends after %d bytes inside an unfinished value (%d open brackets)", len(body), depth)
	}
	return nil
}

// UnmarshalJSON checks body with [CheckJSON] and then decodes it into v
// with [json.Unmarshal]. Every failure is a *ParseError naming adapter and
// source, with the line of a syntax error; decoding errors wrap
// [ErrMalformed].
func UnmarshalJSON(adapter, source string, body []byte, v any) error {
	if err := CheckJSON(adapter, source, body); err != nil {
		return err
	}
	body = bytes.TrimPrefix(body, utf8BOM)
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	pe := &ParseError{Adapter: adapter, Source: source, Err: fmt.Errorf("%w: %v", ErrMalformed, err)}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		pe.Line = lineAt(body, int(syn.Offset)-1) // Offset is just past the bad byte
		if syn.Offset >= int64(len(body)) {
			pe.Err = fmt.Errorf("%w: truncated JSON: %v", ErrMalformed, err)
		}
	case errors.As(err, &typ):
		pe.Line = lineAt(body, int(typ.Offset))
	}
	return pe
}

// lineAt returns the 1-based line of byte offset off in body.
func lineAt(body []byte, off int) int {
	off = min(max(off, 0), len(body))
	return bytes.Count(body[:off], []byte{'\n'}) + 1
}
