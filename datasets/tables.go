package datasets

import (
	"os"
	"path/filepath"
)

// tableIO is one table's part of a run: staging writers per bucket and the
// merge of a bucket's old file with the staged rows. Implemented by
// tableOf[T] for each row type.
type tableIO interface {
	name() string
	// stage appends rows' rows of this table to the bucket's staging file.
	stage(bucket int, rows *ThreadRows) error
	// closeStaging finishes every staging file.
	closeStaging() error
	// merge writes outPath: oldPath's rows whose thread is not in replaced,
	// then the bucket's staged rows. It returns the rows written.
	merge(bucket int, oldPath, outPath string, replaced map[string]bool) (int64, error)
	// writeEmpty writes a file with the schema and no rows.
	writeEmpty(path string) error
	// abort closes and removes every staging file.
	abort()
}

type tableOf[T any] struct {
	table      string
	stagingDir string
	rowsOf     func(*ThreadRows) []T
	threadOf   func(*T) string
	writers    map[int]*fileWriter[T]
}

func newTable[T any](table, stagingDir string, rowsOf func(*ThreadRows) []T, threadOf func(*T) string) *tableOf[T] {
	return &tableOf[T]{table: table, stagingDir: stagingDir, rowsOf: rowsOf, threadOf: threadOf, writers: map[int]*fileWriter[T]{}}
}

// newTables returns the six tables staging under stagingDir.
func newTables(stagingDir string) []tableIO {
	return []tableIO{
		newTable(TableThreads, stagingDir,
			func(r *ThreadRows) []ThreadRow { return []ThreadRow{r.Thread} },
			func(r *ThreadRow) string { return r.ThreadID }),
		newTable(TableComments, stagingDir,
			func(r *ThreadRows) []CommentRow { return r.Comments },
			func(r *CommentRow) string { return r.ThreadID }),
		newTable(TableSentences, stagingDir,
			func(r *ThreadRows) []SentenceRow { return r.Sentences },
			func(r *SentenceRow) string { return r.ThreadID }),
		newTable(TableThemeHits, stagingDir,
			func(r *ThreadRows) []ThemeHitRow { return r.ThemeHits },
			func(r *ThemeHitRow) string { return r.ThreadID }),
		newTable(TableEntities, stagingDir,
			func(r *ThreadRows) []EntityRow { return r.Entities },
			func(r *EntityRow) string { return r.ThreadID }),
		newTable(TableTokens, stagingDir,
			func(r *ThreadRows) []TokenRow { return r.Tokens },
			func(r *TokenRow) string { return r.ThreadID }),
	}
}

func (t *tableOf[T]) name() string { return t.table }

func (t *tableOf[T]) stagingPath(bucket int) string {
	return filepath.Join(t.stagingDir, "staged", t.table, partFile(bucket))
}

func (t *tableOf[T]) stage(bucket int, rows *ThreadRows) error {
	w := t.writers[bucket]
	if w == nil {
		var err error
		w, err = createFileWriter[T](t.stagingPath(bucket), t.table, stagingRowsPerRowGroup)
		if err != nil {
			return err
		}
		t.writers[bucket] = w
	}
	return w.write(t.rowsOf(rows))
}

func (t *tableOf[T]) closeStaging() error {
	var first error
	for b, w := range t.writers {
		if err := w.close(); err != nil && first == nil {
			first = err
		}
		delete(t.writers, b)
	}
	return first
}

func (t *tableOf[T]) abort() {
	for b, w := range t.writers {
		w.abort()
		delete(t.writers, b)
	}
}

func (t *tableOf[T]) merge(bucket int, oldPath, outPath string, replaced map[string]bool) (int64, error) {
	out, err := createFileWriter[T](outPath, t.table, RowsPerRowGroup)
	if err != nil {
		return 0, err
	}
	keep := make([]T, 0, readBatch)
	err = eachRow(oldPath, func(batch []T) error {
		keep = keep[:0]
		for i := range batch {
			if !replaced[t.threadOf(&batch[i])] {
				keep = append(keep, batch[i])
			}
		}
		return out.write(keep)
	})
	if err == nil {
		err = eachRow(t.stagingPath(bucket), out.write)
	}
	if err == nil {
		err = out.close()
		if err == nil {
			return out.rows, nil
		}
		os.Remove(outPath)
		return 0, err
	}
	out.abort()
	return 0, err
}

func (t *tableOf[T]) writeEmpty(path string) error {
	w, err := createFileWriter[T](path, t.table, RowsPerRowGroup)
	if err != nil {
		return err
	}
	return w.close()
}
