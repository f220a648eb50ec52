package datasets

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/threadlens/threadlens/scrape"
)

// ContentHash is the hex SHA-256 of what a thread says, over the parsed
// thread: its ID, title, author, body, and for each comment in document
// order its ID, parent ID, author, posted time (or raw wording), deleted
// flag and text. Where the page came from, when it was fetched and the
// declared count are left out, so the same thread read from a saved file
// or re-fetched unchanged hashes the same. Every field is length-prefixed.
func ContentHash(t *scrape.Thread) string {
	h := sha256.New()
	field := func(s string) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	field("threadlens-content-v1")
	field(t.ID)
	field(t.Title)
	field(t.Author)
	field(t.Body)
	field(timeKey(t.PublishedAt, ""))
	field(strconv.Itoa(len(t.Comments)))
	for i := range t.Comments {
		c := &t.Comments[i]
		field(c.ID)
		field(c.ParentID)
		field(c.Author)
		field(timeKey(c.PostedAt, c.PostedRaw))
		field(strconv.FormatBool(c.Deleted))
		field(c.Text)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func timeKey(t *time.Time, raw string) string {
	if t != nil {
		return t.UTC().Format(time.RFC3339Nano)
	}
	return "raw:" + raw
}

// bucketOf returns the bucket of threadID among n: FNV-1a 64 of the ID's
// bytes, modulo n. It is part of the on-disk format: changing it would
// put stored threads in the wrong files.
func bucketOf(threadID string, n int) int {
	var h hash.Hash64 = fnv.New64a()
	h.Write([]byte(threadID))
	return int(h.Sum64() % uint64(n))
}

// BucketOf returns the bucket that holds threadID in a dataset of n
// buckets (n > 0).
func BucketOf(threadID string, n int) int { return bucketOf(threadID, n) }

// partFile is the file name of a bucket in every table folder.
func partFile(bucket int) string { return fmt.Sprintf("part-%05d.parquet", bucket) }

// Shard restricts a run to the buckets b with b % N == K. The zero value
// (N == 0) is the whole dataset.
type Shard struct {
	// K is this shard's index, 0 ≤ K < N.
	K int
	// N is the number of shards; 0 or 1 means unsharded.
	N int
}

// ParseShard parses "k/n" (e.g. "3/8"); "" is the zero Shard.
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{}, nil
	}
	ks, ns, ok := strings.Cut(s, "/")
	k, kerr := strconv.Atoi(strings.TrimSpace(ks))
	n, nerr := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || kerr != nil || nerr != nil {
		return Shard{}, fmt.Errorf("shard %q: want k/n, e.g. 0/4", s)
	}
	sh := Shard{K: k, N: n}
	return sh, sh.Validate()
}

// Validate reports whether the shard is well formed.
func (s Shard) Validate() error {
	if s.N == 0 && s.K == 0 {
		return nil
	}
	if s.N < 1 || s.K < 0 || s.K >= s.N {
		return fmt.Errorf("shard %d/%d: want 0 ≤ k < n", s.K, s.N)
	}
	return nil
}

// Owns reports whether the shard owns bucket.
func (s Shard) Owns(bucket int) bool { return s.N <= 1 || bucket%s.N == s.K }

// String returns "k/n", or "" for the whole dataset.
func (s Shard) String() string {
	if s.N <= 1 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.K, s.N)
}
