// Command vaderscore is a developer tool that scores texts with
// [nlp.Sentiment], the Go port of vaderSentiment 3.3.2, for differential
// tests against the Python reference
// (datasets/tests/test_vader_differential.py).
//
// It reads JSON lines {"id": ..., "text": "..."} on standard input and
// writes one JSON line {"id": ..., "compound": ..., "pos": ..., "neu": ...,
// "neg": ...} per input record, in input order; id is echoed unchanged and
// may be any JSON value. Typographic quotes are made ASCII before scoring,
// as nlp.Sentiment always does.
//
// Usage:
//
//	go build -o /tmp/vaderscore ./cmd/vaderscore
//	echo '{"id": 1, "text": "VADER is VERY SMART!!!"}' | /tmp/vaderscore
//
// Exit status: 0 when every record was scored, 1 when the input holds a
// record that is not a JSON object with a string "text" (the records
// before it are written), 2 on a usage error.
package main
