package datasets

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// lockName is the advisory lock that serialises commits (and dataset
// creation and recovery) of the processes writing one dataset.
const lockName = ".lock"

// journalName is the commit journal: written once every new file is
// complete, it lists the renames still to do and the manifest to write.
// Its presence means "roll this commit forward".
const journalName = "_commit.json"

// stagingPrefix starts the hidden folder of each run's temporary files.
const stagingPrefix = ".staging-"

var errLocked = errors.New("locked by another process")

// ErrDuplicateThread is returned by [Writer.Add] for a thread already added
// in the same run.
var ErrDuplicateThread = errors.New("thread added twice in one run")

// WriterOptions configure [OpenWriter].
type WriterOptions struct {
	// Buckets is the number of buckets of a new dataset (0 means
	// [DefaultBuckets]). For an existing dataset it must be 0 or equal to
	// the dataset's: the count is fixed at creation.
	Buckets int
	// Shard restricts the writer to the buckets it owns.
	Shard Shard
	// Lexicon is the lexicon the run analyses with.
	Lexicon LexiconInfo
	// Version is the threadlens version recorded in the manifest.
	Version string
}

// Writer adds threads to a dataset directory in one run and commits them
// atomically. Add stages rows in a hidden folder of the dataset; Commit
// rewrites the touched buckets and then the manifest; until Commit's
// renames, the previous dataset is untouched. Several Writers (processes)
// may work on one dataset at once when their shards are disjoint: commits
// are serialised by a lock file.
//
// A Writer is not safe for concurrent use; call Add from one goroutine.
type Writer struct {
	dir         string
	opts        WriterOptions
	man         *Manifest
	staging     string
	stagingLock *os.File
	tables      []tableIO
	added       map[string]ThreadEntry
	touched     map[int]map[string]bool
	done        bool
	// crashAt makes Commit stop as if killed at a step ("journal": after
	// the journal is durable; "rename": after the first rename). Tests only.
	crashAt string
	// keepStaging is set once a commit's journal is durable.
	keepStaging bool
}

// errSimulatedCrash is returned by a Commit stopped by crashAt.
var errSimulatedCrash = errors.New("simulated crash")

// OpenWriter opens (creating when needed) the dataset in dir for one run.
// A new dataset gets opts.Buckets buckets and an empty file per bucket and
// table, so every table can be globbed from the start. A commit left half
// done by a killed run is rolled forward and stale staging folders are
// removed first.
func OpenWriter(dir string, opts WriterOptions) (*Writer, error) {
	if err := opts.Shard.Validate(); err != nil {
		return nil, err
	}
	if opts.Buckets < 0 {
		return nil, fmt.Errorf("buckets must be positive, got %d", opts.Buckets)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	lock, err := lockFile(filepath.Join(dir, lockName), true)
	if err != nil {
		return nil, fmt.Errorf("%s: lock: %w", dir, err)
	}
	defer unlock(lock)
	if err := recoverDataset(dir); err != nil {
		return nil, err
	}
	man, err := ReadManifest(dir)
	switch {
	case isNotExist(err):
		man, err = createDataset(dir, opts)
		if err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	case opts.Buckets != 0 && opts.Buckets != man.Buckets:
		return nil, fmt.Errorf("%s: the dataset has %d buckets; the bucket count is fixed when a dataset is created (asked for %d)", dir, man.Buckets, opts.Buckets)
	}
	staging, err := os.MkdirTemp(dir, stagingPrefix)
	if err != nil {
		return nil, err
	}
	// The staging folder's own lock tells other processes it is alive.
	stagingLock, err := lockFile(filepath.Join(staging, lockName), false)
	if err != nil {
		os.RemoveAll(staging)
		return nil, err
	}
	return &Writer{
		dir:         dir,
		opts:        opts,
		man:         man,
		staging:     staging,
		stagingLock: stagingLock,
		tables:      newTables(staging),
		added:       map[string]ThreadEntry{},
		touched:     map[int]map[string]bool{},
	}, nil
}

// createDataset writes an empty dataset: one empty file per bucket and
// table, then the manifest. The caller holds the lock.
func createDataset(dir string, opts WriterOptions) (*Manifest, error) {
	for _, t := range Tables {
		files, _ := filepath.Glob(filepath.Join(dir, t, "*.parquet"))
		if len(files) > 0 {
			return nil, fmt.Errorf("%s: has Parquet files in %s/ but no %s; not creating a dataset over them", dir, t, ManifestFile)
		}
	}
	buckets := opts.Buckets
	if buckets == 0 {
		buckets = DefaultBuckets
	}
	tmp, err := os.MkdirTemp(dir, stagingPrefix)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	for _, t := range newTables(tmp) {
		if err := os.MkdirAll(filepath.Join(dir, t.name()), 0o755); err != nil {
			return nil, err
		}
		for b := range buckets {
			path := filepath.Join(tmp, t.name(), partFile(b))
			if err := t.writeEmpty(path); err != nil {
				return nil, err
			}
			if err := os.Rename(path, filepath.Join(dir, t.name(), partFile(b))); err != nil {
				return nil, err
			}
		}
		if err := syncDir(filepath.Join(dir, t.name())); err != nil {
			return nil, err
		}
	}
	now := time.Now().UTC()
	m := &Manifest{
		SchemaVersion:     SchemaVersion,
		ThreadlensVersion: opts.Version,
		Buckets:           buckets,
		Lexicon:           opts.Lexicon,
		Created:           now,
		Updated:           now,
		Runs:              []RunRecord{},
		Threads:           map[string]ThreadEntry{},
	}
	m.recount()
	if err := writeManifest(dir, m); err != nil {
		return nil, err
	}
	return m, nil
}

// Dir returns the dataset directory.
func (w *Writer) Dir() string { return w.dir }

// Buckets returns the dataset's bucket count.
func (w *Writer) Buckets() int { return w.man.Buckets }

// Manifest returns the manifest as it was when the writer was opened.
// The caller must not modify it.
func (w *Writer) Manifest() *Manifest { return w.man }

// Owns reports whether this writer's shard owns threadID's bucket.
func (w *Writer) Owns(threadID string) bool {
	return w.opts.Shard.Owns(bucketOf(threadID, w.man.Buckets))
}

// Unchanged reports whether the dataset already holds threadID with this
// content hash, analysed with the writer's lexicon: such a thread needs
// no analysis and no rewrite.
func (w *Writer) Unchanged(threadID, contentHash string) bool {
	return w.man.Unchanged(threadID, contentHash, w.opts.Lexicon.SHA256)
}

// Add stages every row of one thread. It replaces the thread's stored rows
// at Commit. Adding a thread twice in a run returns [ErrDuplicateThread];
// a thread outside the writer's shard is an error.
func (w *Writer) Add(rows *ThreadRows) error {
	if w.done {
		return errors.New("datasets: Add after Commit or Abort")
	}
	id := rows.Thread.ThreadID
	if id == "" {
		return errors.New("datasets: thread without thread_id")
	}
	if _, dup := w.added[id]; dup {
		return fmt.Errorf("%s: %w", id, ErrDuplicateThread)
	}
	bucket := bucketOf(id, w.man.Buckets)
	if !w.opts.Shard.Owns(bucket) {
		return fmt.Errorf("%s: bucket %d is not in shard %s", id, bucket, w.opts.Shard)
	}
	for _, t := range w.tables {
		if err := t.stage(bucket, rows); err != nil {
			return fmt.Errorf("stage %s: %w", t.name(), err)
		}
	}
	var fetched *time.Time
	if rows.Thread.FetchedAt != nil {
		f := rows.Thread.FetchedAt.UTC()
		fetched = &f
	}
	w.added[id] = ThreadEntry{
		ContentHash:   rows.Thread.ContentHash,
		LexiconSHA256: rows.Thread.LexiconSHA256,
		Rows:          rows.Counts(),
		Bucket:        bucket,
		File:          partFile(bucket),
		FetchedAt:     fetched,
		Source:        rows.Thread.Source,
	}
	if w.touched[bucket] == nil {
		w.touched[bucket] = map[string]bool{}
	}
	w.touched[bucket][id] = true
	return nil
}

// Added returns how many threads were added in this run.
func (w *Writer) Added() int { return len(w.added) }

// journal is the content of _commit.json. Paths are relative to the
// dataset directory.
type journal struct {
	Staging  string      `json:"staging"`
	Renames  [][2]string `json:"renames"`
	Manifest *Manifest   `json:"manifest"`
}

// Commit makes the run's threads part of the dataset and records run in
// the manifest (its Lexicon and version are filled in). Only the buckets
// that received threads are rewritten. It returns the manifest as
// committed. The Writer is finished afterwards, whatever the result.
func (w *Writer) Commit(run RunRecord) (*Manifest, error) {
	if w.done {
		return nil, errors.New("datasets: Commit after Commit or Abort")
	}
	w.done = true
	defer w.cleanup()
	for _, t := range w.tables {
		if err := t.closeStaging(); err != nil {
			return nil, err
		}
	}
	lock, err := lockFile(filepath.Join(w.dir, lockName), true)
	if err != nil {
		return nil, fmt.Errorf("%s: lock: %w", w.dir, err)
	}
	defer unlock(lock)
	if err := recoverDataset(w.dir); err != nil {
		return nil, err
	}
	// Re-read: another shard may have committed since we opened.
	man, err := ReadManifest(w.dir)
	if err != nil {
		return nil, err
	}
	if man.Buckets != w.man.Buckets {
		return nil, fmt.Errorf("%s: bucket count changed during the run (%d → %d)", w.dir, w.man.Buckets, man.Buckets)
	}
	relStaging, err := filepath.Rel(w.dir, w.staging)
	if err != nil {
		return nil, err
	}
	j := journal{Staging: relStaging}
	for _, bucket := range slices.Sorted(maps.Keys(w.touched)) {
		replaced := w.touched[bucket]
		for _, t := range w.tables {
			final := filepath.Join(t.name(), partFile(bucket))
			out := filepath.Join(relStaging, "final", final)
			if _, err := t.merge(bucket, filepath.Join(w.dir, final), filepath.Join(w.dir, out), replaced); err != nil {
				return nil, fmt.Errorf("merge %s: %w", final, err)
			}
			j.Renames = append(j.Renames, [2]string{out, final})
		}
	}
	now := time.Now().UTC()
	for id, e := range w.added {
		e.Written = now
		man.Threads[id] = e
	}
	man.recount()
	man.SchemaVersion = SchemaVersion
	man.ThreadlensVersion = w.opts.Version
	man.Lexicon = w.opts.Lexicon
	man.Updated = now
	run.Shard = w.opts.Shard.String()
	run.Lexicon = w.opts.Lexicon
	run.ThreadlensVersion = w.opts.Version
	if len(run.Sources) > maxRecordedSources {
		more := len(run.Sources) - maxRecordedSources
		run.Sources = append(run.Sources[:maxRecordedSources:maxRecordedSources], fmt.Sprintf("… and %d more", more))
	}
	if run.Finished.IsZero() {
		run.Finished = now
	}
	man.Runs = append(man.Runs, run)
	j.Manifest = man
	data, err := json.Marshal(j)
	if err != nil {
		return nil, err
	}
	// The commit point: once the journal is durable, the commit happens,
	// now or in the next process that opens the dataset.
	if err := writeFileAtomic(filepath.Join(w.dir, journalName), data); err != nil {
		return nil, err
	}
	// From here on the staging folder holds files the journal needs: on
	// failure it stays for the next opener to roll forward.
	w.keepStaging = true
	if w.crashAt == "journal" {
		return nil, errSimulatedCrash
	}
	if err := applyJournal(w.dir, &j, w.crashAt == "rename"); err != nil {
		return nil, err
	}
	w.man = man
	return man, nil
}

// Abort discards the run's staged rows; the dataset is unchanged.
func (w *Writer) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	for _, t := range w.tables {
		t.abort()
	}
	w.cleanup()
	return nil
}

func (w *Writer) cleanup() {
	for _, t := range w.tables {
		t.abort()
	}
	unlock(w.stagingLock)
	w.stagingLock = nil
	if !w.keepStaging {
		os.RemoveAll(w.staging)
		return
	}
	// The commit went through (journal removed): the folder is garbage.
	if _, err := os.Stat(filepath.Join(w.dir, journalName)); isNotExist(err) {
		os.RemoveAll(w.staging)
	}
}

// applyJournal performs a journal's renames (those not yet done), writes
// its manifest and removes the journal.
// With crashAfterOneRename it stops after the first rename (tests).
func applyJournal(dir string, j *journal, crashAfterOneRename bool) error {
	dirs := map[string]bool{}
	for _, r := range j.Renames {
		from, to := filepath.Join(dir, r[0]), filepath.Join(dir, r[1])
		if _, err := os.Stat(from); isNotExist(err) {
			continue // done before a crash
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		if err := os.Rename(from, to); err != nil {
			return err
		}
		if crashAfterOneRename {
			return errSimulatedCrash
		}
		dirs[filepath.Dir(to)] = true
	}
	for d := range dirs {
		if err := syncDir(d); err != nil {
			return err
		}
	}
	if err := writeManifest(dir, j.Manifest); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(dir, journalName)); err != nil {
		return err
	}
	return syncDir(dir)
}

// recoverDataset rolls a journaled commit forward and removes staging
// folders whose run is gone. The caller holds the dataset lock.
func recoverDataset(dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, journalName))
	switch {
	case err == nil:
		var j journal
		if err := json.Unmarshal(data, &j); err != nil || j.Manifest == nil {
			// A journal is written atomically, so this is not a torn write.
			return fmt.Errorf("%s: unreadable commit journal %s: %v", dir, journalName, err)
		}
		if err := applyJournal(dir, &j, false); err != nil {
			return fmt.Errorf("%s: finishing an interrupted commit: %w", dir, err)
		}
	case !isNotExist(err):
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), stagingPrefix) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		l, err := lockFile(filepath.Join(path, lockName), false)
		if errors.Is(err, errLocked) {
			continue // a live run's staging
		}
		unlock(l)
		os.RemoveAll(path)
	}
	return nil
}
