package scrape

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       string
		want     error
		wantLine int
		reason   string
	}{
		{"ok", `{"a": [1, {"b": "}]\"["}]}`, nil, 0, "brackets inside strings (and escaped quotes) do not count"},
		{"bom", "\uFEFF[1]", nil, 0, "a UTF-8 byte order mark is skipped"},
		{"at limit", strings.Repeat("[", MaxJSONDepth) + strings.Repeat("]", MaxJSONDepth), nil, 0, "exactly 10,000 levels is allowed"},
		{"too deep", strings.Repeat("[", MaxJSONDepth+1), ErrTooDeep, 1, "one level more is refused"},
		{"truncated", "{\n\"a\": [1, 2", ErrMalformed, 2, "a file cut short"},
		{"truncated string", `{"a": "abc`, ErrMalformed, 1, "cut inside a string"},
		{"unbalanced", "[]\n]", ErrMalformed, 2, "a closing bracket never opened"},
		{"empty", " \n", ErrMalformed, 0, "no value at all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CheckJSON("x", "src.json", []byte(tt.in))
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("CheckJSON = %v, want %v (%s)", err, tt.want, tt.reason)
			}
			if err == nil {
				return
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Source != "src.json" || pe.Adapter != "x" || pe.Line != tt.wantLine {
				t.Errorf("%v: want a ParseError for src.json line %d (%s)", err, tt.wantLine, tt.reason)
			}
		})
	}
}

func TestUnmarshalJSONSyntaxLine(t *testing.T) {
	t.Parallel()
	var v any
	err := UnmarshalJSON("x", "src.json", []byte("{\n\"a\": tru\n}"), &v)
	var pe *ParseError
	if !errors.Is(err, ErrMalformed) || !errors.As(err, &pe) || pe.Line != 2 {
		t.Errorf("UnmarshalJSON = %v, want ErrMalformed at line 2", err)
	}
}
