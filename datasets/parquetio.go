package datasets

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/parquet-go/parquet-go"
)

// RowsPerRowGroup bounds the row groups of the dataset's files, so writers
// flush as they go and readers can stream.
const RowsPerRowGroup = 64 << 10

// stagingRowsPerRowGroup is smaller: a run keeps one staging writer open
// per bucket and table, and each buffers one row group in memory.
const stagingRowsPerRowGroup = 4 << 10

// readBatch is how many rows are read at a time when copying files.
const readBatch = 1024

// Schema returns the Parquet schema of table, or nil for an unknown name.
// Its String() form is the reviewed golden file testdata/<table>.schema.
func Schema(table string) *parquet.Schema {
	switch table {
	case TableThreads:
		return schemaFor[ThreadRow](table)
	case TableComments:
		return schemaFor[CommentRow](table)
	case TableSentences:
		return schemaFor[SentenceRow](table)
	case TableThemeHits:
		return schemaFor[ThemeHitRow](table)
	case TableEntities:
		return schemaFor[EntityRow](table)
	case TableTokens:
		return schemaFor[TokenRow](table)
	}
	return nil
}

func schemaFor[T any](table string) *parquet.Schema {
	var zero T
	return parquet.NewSchema(table, parquet.SchemaOf(zero))
}

// fileWriter writes rows of type T to one Parquet file at path, created
// fresh. Close fsyncs the file; the caller renames it into place.
type fileWriter[T any] struct {
	path string
	f    *os.File
	w    *parquet.GenericWriter[T]
	rows int64
}

func createFileWriter[T any](path, table string, rowsPerGroup int64) (*fileWriter[T], error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	w := parquet.NewGenericWriter[T](f,
		schemaFor[T](table),
		parquet.Compression(&parquet.Zstd),
		parquet.MaxRowsPerRowGroup(rowsPerGroup),
		parquet.CreatedBy("threadlens", "", ""),
	)
	return &fileWriter[T]{path: path, f: f, w: w}, nil
}

func (fw *fileWriter[T]) write(rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	if _, err := fw.w.Write(rows); err != nil {
		return fmt.Errorf("%s: %w", fw.path, err)
	}
	fw.rows += int64(len(rows))
	return nil
}

// close finishes the file: footer, fsync, close.
func (fw *fileWriter[T]) close() error {
	err := fw.w.Close()
	if err == nil {
		err = fw.f.Sync()
	}
	if cerr := fw.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", fw.path, err)
	}
	return nil
}

// abort closes and removes the file.
func (fw *fileWriter[T]) abort() {
	fw.f.Close()
	os.Remove(fw.path)
}

// eachRow streams the rows of the Parquet file at path in batches; a
// missing file has no rows.
func eachRow[T any](path string, fn func(batch []T) error) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if info.Size() == 0 {
		return nil
	}
	pf, err := parquet.OpenFile(f, info.Size())
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	r := parquet.NewGenericReader[T](pf)
	defer r.Close()
	for {
		// A fresh batch each time: callers may keep rows (ReadTable).
		buf := make([]T, readBatch)
		n, err := r.Read(buf)
		if n > 0 {
			if ferr := fn(buf[:n]); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
}

// ReadTable reads every row of table T from the dataset in dir (all bucket
// files of the table's folder). It holds the whole table in memory: meant
// for tests and small datasets; stream with a Parquet reader otherwise.
func ReadTable[T any](dir, table string) ([]T, error) {
	files, err := filepath.Glob(filepath.Join(dir, table, "*.parquet"))
	if err != nil {
		return nil, err
	}
	var rows []T
	for _, f := range files {
		err := eachRow(f, func(batch []T) error {
			rows = append(rows, batch...)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// syncDir fsyncs a directory so that renames into it are durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// writeFileAtomic writes data to path via a temporary file in the same
// directory: write, fsync, close, rename, fsync the directory.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return syncDir(dir)
}
