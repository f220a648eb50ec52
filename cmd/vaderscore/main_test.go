package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestScore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want, wantErr, reason string
	}{
		{
			name:   "two records",
			in:     `{"id": 1, "text": "The book was good."}` + "\n" + `{"id": "b", "text": ""}` + "\n",
			want:   `{"id":1,"compound":0.4404,"pos":0.492,"neu":0.508,"neg":0}` + "\n" + `{"id":"b","compound":0,"pos":0,"neu":0,"neg":0}` + "\n",
			reason: "ids are echoed unchanged, in order",
		},
		{
			name:   "typographic quote",
			in:     `{"id": [1, 2], "text": "It isn\u2019t good."}`,
			want:   `{"id":[1,2],"compound":-0.3412,"pos":0,"neu":0.454,"neg":0.546}` + "\n",
			reason: "quotes are made ASCII so n't negates (python: -0.3412 on the ASCII text)",
		},
		{
			name:   "missing id",
			in:     `{"text": "ok"}`,
			want:   `{"id":null,"compound":0.296,"pos":1,"neu":0,"neg":0}` + "\n",
			reason: "a missing id becomes null",
		},
		{
			name:    "no text",
			in:      `{"id": 1, "text": "good"}{"id": 2}`,
			want:    `{"id":1,"compound":0.4404,"pos":1,"neu":0,"neg":0}` + "\n",
			wantErr: `record 2: no string field "text"`,
			reason:  "records before the bad one are written",
		},
		{
			name:    "not json",
			in:      `hello`,
			wantErr: "record 1:",
			reason:  "syntax errors name the record",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			err := score(strings.NewReader(tc.in), &out)
			if tc.wantErr == "" && err != nil {
				t.Fatalf("score: %v (%s)", err, tc.reason)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("score error = %v, want %q (%s)", err, tc.wantErr, tc.reason)
			}
			if got := out.String(); got != tc.want {
				t.Errorf("score output\n got  %s\n want %s(%s)", got, tc.want, tc.reason)
			}
		})
	}
}
