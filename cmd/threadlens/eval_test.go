package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threadlens/threadlens/scrape/scrapetest"
)

func TestEvalVerbs(t *testing.T) {
	root := scrapetest.RepoRoot(t)
	gold := filepath.Join(root, "datasets", "gold")
	dir := t.TempDir()
	badLexicon := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(badLexicon, []byte("name: bad\nthemes:\n  gossip:\n    cues: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sheet := filepath.Join(dir, "sheet.csv")
	if err := os.WriteFile(sheet, []byte("theme,cue,correct\nblame,blame.blame,y\nblame,blame.blame,n\nfiring,firing.fire,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		run      func(context.Context, []string, io.Writer, io.Writer) error
		args     []string
		wantOut  string
		wantCode int // 0 ok, 1 problems, 2 usage
		reason   string
	}{
		{"eval gold", runEval, []string{"--gold", gold}, "macro-F1", 0, "the table the brief asks for"},
		{"eval gold json", runEval, []string{"--gold", gold, "--json"}, `"macro_f1"`, 0, "machine-readable output"},
		{"eval validated", runEval, []string{"--validated", sheet}, "not judged: 1", 0, "a filled sheet gives precision with n and unjudged rows"},
		{"eval agreement", runEval, []string{"--gold", gold, "--agreement", filepath.Join(gold, "labels.jsonl")}, "kappa", 0, "kappa of a labeling with itself"},
		{"eval both modes", runEval, []string{"--gold", gold, "--validated", sheet}, "", 2, "--gold and --validated are exclusive"},
		{"eval nothing", runEval, nil, "", 2, "one mode is required"},
		{"eval help", runEval, []string{"-h"}, "", 0, "-h prints help and succeeds"},
		{"sample no dir", runSample, []string{"--theme", "blame"}, "", 2, "the dataset directory is required"},
		{"sample bad flag", runSample, []string{"--bogus", dir}, "", 2, "unknown flags are usage errors"},
		{"lexicon no verb", runLexicon, []string{badLexicon}, "", 2, "only 'lexicon check FILE' exists"},
		{"lexicon check bad", runLexicon, []string{"check", badLexicon}, "bad.yaml", 1, "problems are printed with the file name and exit 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := tt.run(context.Background(), tt.args, &stdout, &stderr)
			code := 0
			var ue usageError
			var coded interface{ ExitCode() int }
			switch {
			case err == nil:
			case errors.As(err, &coded):
				code = coded.ExitCode()
			case errors.As(err, &ue):
				code = 2
			default:
				t.Fatalf("unexpected error %v (%s)", err, tt.reason)
			}
			if code != tt.wantCode || !strings.Contains(stdout.String(), tt.wantOut) {
				t.Errorf("code %d (err %v), stdout %.300q; want code %d and %q (%s)", code, err, stdout.String(), tt.wantCode, tt.wantOut, tt.reason)
			}
			if strings.HasSuffix(tt.name, "json") && !json.Valid(stdout.Bytes()) {
				t.Errorf("--json output is not valid JSON")
			}
		})
	}
}

func TestLexiconCheckDefault(t *testing.T) {
	path := filepath.Join(scrapetest.RepoRoot(t), "nlp", "lexicon", "default.yaml")
	if _, err := os.Stat(path); err != nil {
		t.Skip("no default lexicon file yet")
	}
	var stdout, stderr bytes.Buffer
	if err := runLexicon(context.Background(), []string{"check", path}, &stdout, &stderr); err != nil {
		t.Fatalf("default lexicon: %v\n%s", err, stdout.String())
	}
	if !strings.HasPrefix(stdout.String(), "ok: ") || !strings.Contains(stdout.String(), " cues in ") {
		t.Errorf("stdout %q, want \"ok: N cues in M themes\"", stdout.String())
	}
}
