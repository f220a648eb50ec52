package datasets

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// SchemaVersion is the version of the dataset layout and table schemas
// written in the manifest; it changes when a column changes meaning or
// type.
const SchemaVersion = 1

// ManifestFile is the manifest's name inside the dataset directory.
const ManifestFile = "_manifest.json"

// DefaultBuckets is the number of buckets of a new dataset when none is
// given.
const DefaultBuckets = 16

// Manifest is the content of _manifest.json: what the dataset holds and how
// it was made. It is rewritten (atomically) last by every commit, so it
// always describes complete files.
type Manifest struct {
	// SchemaVersion is [SchemaVersion] when the dataset was last written.
	SchemaVersion int `json:"schema_version"`
	// ThreadlensVersion is the version of the program that last wrote.
	ThreadlensVersion string `json:"threadlens_version"`
	// Buckets is the number of buckets, fixed at creation.
	Buckets int `json:"buckets"`
	// Lexicon is the lexicon of the latest run.
	Lexicon LexiconInfo `json:"lexicon"`
	// Created is when the dataset was created.
	Created time.Time `json:"created"`
	// Updated is when the dataset was last committed.
	Updated time.Time `json:"updated"`
	// Tables maps each table to its total row count.
	Tables TableCounts `json:"tables"`
	// Runs lists every committed run, oldest first.
	Runs []RunRecord `json:"runs"`
	// Threads maps a thread_id to what is stored for it.
	Threads map[string]ThreadEntry `json:"threads"`
}

// LexiconInfo names a theme lexicon.
type LexiconInfo struct {
	// Name is the lexicon's declared name.
	Name string `json:"name"`
	// SHA256 is the hex SHA-256 of the lexicon file.
	SHA256 string `json:"sha256"`
}

// RunRecord describes one committed run.
type RunRecord struct {
	// Started and Finished bound the run.
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	// Sources are the sources as given (at most [maxRecordedSources],
	// then a note of how many more).
	Sources []string `json:"sources"`
	// Shard is "k/n" for a sharded run, "" otherwise.
	Shard string `json:"shard,omitempty"`
	// Lexicon is the lexicon the run analysed with.
	Lexicon LexiconInfo `json:"lexicon"`
	// ThreadlensVersion is the program version of the run.
	ThreadlensVersion string `json:"threadlens_version"`
	// Counts are the run's counts: threads_written, threads_unchanged,
	// failures, skipped_pages and the rows written per table.
	Counts map[string]int64 `json:"counts"`
}

// ThreadEntry is the manifest's record of one stored thread.
type ThreadEntry struct {
	// ContentHash is the thread's [ContentHash] when it was written.
	ContentHash string `json:"content_hash"`
	// LexiconSHA256 is the lexicon that tagged it.
	LexiconSHA256 string `json:"lexicon_sha256"`
	// Rows are its row counts per table.
	Rows TableCounts `json:"rows"`
	// Bucket is its bucket; File is the file name in every table folder
	// that holds its rows ("part-00007.parquet").
	Bucket int    `json:"bucket"`
	File   string `json:"file"`
	// FetchedAt is when its page was fetched, nil when unknown.
	FetchedAt *time.Time `json:"fetched_at"`
	// Source is where it was read from.
	Source string `json:"source"`
	// Written is when its rows were written.
	Written time.Time `json:"written"`
}

const maxRecordedSources = 100

// ReadManifest reads dir's _manifest.json. A missing manifest is an error
// wrapping os.ErrNotExist.
func ReadManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	if m.Buckets <= 0 {
		return nil, fmt.Errorf("%s: buckets must be positive, got %d", filepath.Join(dir, ManifestFile), m.Buckets)
	}
	if m.Threads == nil {
		m.Threads = map[string]ThreadEntry{}
	}
	if m.Tables == nil {
		m.Tables = TableCounts{}
	}
	return &m, nil
}

// writeManifest writes m atomically as dir's _manifest.json.
func writeManifest(dir string, m *Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, ManifestFile), append(data, '\n'))
}

// recount recomputes the per-table totals from the thread entries.
func (m *Manifest) recount() {
	m.Tables = TableCounts{}
	for _, t := range Tables {
		m.Tables[t] = 0
	}
	for _, e := range m.Threads {
		m.Tables.Add(e.Rows)
	}
}

// Unchanged reports whether the dataset holds threadID with the same
// content hash, analysed with the lexicon lexiconSHA.
func (m *Manifest) Unchanged(threadID, contentHash, lexiconSHA string) bool {
	e, ok := m.Threads[threadID]
	return ok && e.ContentHash == contentHash && e.LexiconSHA256 == lexiconSHA
}

func isNotExist(err error) bool { return errors.Is(err, os.ErrNotExist) }
