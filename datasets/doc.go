// Package datasets owns the on-disk dataset that threadlens writes: the
// Parquet row schemas of its six tables (threads, comments, sentences,
// theme_hits, entities, tokens), the atomic [Writer] with its
// _manifest.json, incremental upserts and sharding, and the batch [Build]
// that drives sources → scrape → nlp → tables.
//
// Layout of a dataset directory:
//
//	out/
//	  _manifest.json                  written last by every commit
//	  threads/part-00000.parquet      one file per bucket and table
//	  comments/part-00000.parquet
//	  …
//
// Each thread belongs to one of N buckets, bucketOf(thread_id) =
// FNV-1a-64(thread_id) mod N, with N fixed when the dataset is created. A
// run stages the rows of the threads it (re)analyses in a hidden
// .staging-* folder, then rewrites only the buckets it touched: the old
// bucket file minus the replaced threads, plus the new rows, written to a
// temporary file, fsynced and renamed into place. Unchanged threads (same
// content hash, same lexicon) are skipped before analysis. A [Shard]
// restricts a run to the buckets with bucket % N == K, so several machines
// can share one dataset. SCHEMA.md is the data dictionary.
//
// The bundled sample threads (samples/*.txt, textdump format) are embedded
// and processed when Build is given no sources.
package datasets
