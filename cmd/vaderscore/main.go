package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/threadlens/threadlens/nlp"
)

// record is one input line.
type record struct {
	ID   json.RawMessage `json:"id"`
	Text *string         `json:"text"`
}

// result is one output line.
type result struct {
	ID       json.RawMessage `json:"id"`
	Compound float64         `json:"compound"`
	Pos      float64         `json:"pos"`
	Neu      float64         `json:"neu"`
	Neg      float64         `json:"neg"`
}

func main() {
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: vaderscore < records.jsonl > scores.jsonl")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	err := score(os.Stdin, out)
	if flushErr := out.Flush(); err == nil {
		err = flushErr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "vaderscore:", err)
		os.Exit(1)
	}
}

// score reads records from r and writes their scores to w.
func score(r io.Reader, w io.Writer) error {
	dec := json.NewDecoder(bufio.NewReader(r))
	enc := json.NewEncoder(w)
	for n := 1; ; n++ {
		var rec record
		err := dec.Decode(&rec)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("record %d: %w", n, err)
		}
		if rec.Text == nil {
			return fmt.Errorf("record %d: no string field \"text\"", n)
		}
		if rec.ID == nil {
			rec.ID = json.RawMessage("null")
		}
		s := nlp.Sentiment(*rec.Text)
		if err := enc.Encode(result{ID: rec.ID, Compound: s.Compound, Pos: s.Pos, Neu: s.Neu, Neg: s.Neg}); err != nil {
			return err
		}
	}
}
