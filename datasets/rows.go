package datasets

import (
	"time"
)

// Table names: each is a folder of the dataset holding one Parquet file per
// bucket (threads/part-00007.parquet).
const (
	TableThreads   = "threads"
	TableComments  = "comments"
	TableSentences = "sentences"
	TableThemeHits = "theme_hits"
	TableEntities  = "entities"
	TableTokens    = "tokens"
)

// Tables lists every table name in the order they are written.
var Tables = []string{TableThreads, TableComments, TableSentences, TableThemeHits, TableEntities, TableTokens}

// The row types below are the dataset contract (DESIGN.md, "The dataset
// contract"); SCHEMA.md documents every column. Conventions forced by
// parquet-go v0.32:
//   - times are *time.Time with timestamp(microsecond): an optional INT64
//     TIMESTAMP(MICROS, UTC), null when unknown (a bare time.Time would be
//     nanoseconds and a zero time would be written as 1754-08-30);
//   - nullable ints and strings are pointers ("optional" on a plain scalar
//     would turn 0 into NULL);
//   - lists carry the "list" tag so they are a standard LIST, not a bare
//     repeated field;
//   - counts, depths, positions, indexes and offsets are int32 (INT32).
// Compression (ZSTD) is set for every column by the writer.

// ThreadRow is one row of the threads table: one per thread.
type ThreadRow struct {
	// ThreadID is the stable thread identity, "site:native-id".
	ThreadID string `parquet:"thread_id,dict"`
	// Site is the adapter's site name ("wordpress", "reddit", …).
	Site string `parquet:"site,dict"`
	// Source is the URL or path the page came from, as given.
	Source string `parquet:"source"`
	// URL is the canonical URL, nil when unknown.
	URL *string `parquet:"url,optional"`
	// Title is the post's title.
	Title string `parquet:"title"`
	// Author is the post's author ("" when the page does not say).
	Author string `parquet:"author"`
	// PublishedAt is when the post was published (UTC), nil when unknown.
	PublishedAt *time.Time `parquet:"published_at,optional,timestamp(microsecond)"`
	// Body is the post's text.
	Body string `parquet:"body"`
	// DeclaredComments is the comment count the page shows, nil when none.
	DeclaredComments *int32 `parquet:"declared_comments,optional"`
	// NComments is the number of comments in the comments table.
	NComments int32 `parquet:"n_comments"`
	// NRepaired counts orphans + duplicate IDs + cycles fixed.
	NRepaired int32 `parquet:"n_repaired"`
	// HiddenComments counts comments the page refers to but does not hold.
	HiddenComments int32 `parquet:"hidden_comments"`
	// ContentHash is the hex SHA-256 of the parsed thread (see ContentHash).
	ContentHash string `parquet:"content_hash"`
	// FetchedAt is when the page bytes were obtained, nil when unknown.
	FetchedAt *time.Time `parquet:"fetched_at,optional,timestamp(microsecond)"`
	// LexiconSHA256 is the SHA-256 of the lexicon that tagged the thread.
	LexiconSHA256 string `parquet:"lexicon_sha256,dict"`
	// Themes are the distinct themes of the thread's comments, sorted;
	// empty, not null, when none.
	Themes []string `parquet:"themes,list"`
	// NThemeHits is the number of evidence hits over all comments.
	NThemeHits int32 `parquet:"n_theme_hits"`
	// CompoundMean is the mean of the comments' compound scores, 0 for a
	// thread without comments.
	CompoundMean float64 `parquet:"compound_mean"`
}

// CommentRow is one row of the comments table: one per comment.
type CommentRow struct {
	// ThreadID is the thread's identity.
	ThreadID string `parquet:"thread_id,dict"`
	// CommentID is the site-native comment ID, unique within the thread.
	CommentID string `parquet:"comment_id"`
	// ParentID is the comment replied to, nil for a top-level comment.
	ParentID *string `parquet:"parent_id,optional"`
	// Depth is 1 for top level.
	Depth int32 `parquet:"depth"`
	// Position is the 1-based rank among siblings.
	Position int32 `parquet:"position"`
	// DocOrder is the 1-based rank in the page.
	DocOrder int32 `parquet:"doc_order"`
	// Author is the commenter's display name.
	Author string `parquet:"author"`
	// IsOP reports whether the commenter is the post's author.
	IsOP bool `parquet:"is_op"`
	// PostedAt is when the comment was posted (UTC), nil when unknown.
	PostedAt *time.Time `parquet:"posted_at,optional,timestamp(microsecond)"`
	// PostedRaw is the page's own wording of the time, nil when none.
	PostedRaw *string `parquet:"posted_raw,optional"`
	// Text is the comment's plain text; offsets in the other tables are
	// code points into it.
	Text string `parquet:"text"`
	// IsDeleted marks a comment whose body the site removed.
	IsDeleted bool `parquet:"is_deleted"`
	// NSentences is the number of sentences.
	NSentences int32 `parquet:"n_sentences"`
	// NTokens is the number of tokens.
	NTokens int32 `parquet:"n_tokens"`
	// Compound is VADER's compound score of the whole text, in [-1, 1].
	Compound float64 `parquet:"compound"`
	// Pos is VADER's positive proportion.
	Pos float64 `parquet:"pos"`
	// Neu is VADER's neutral proportion.
	Neu float64 `parquet:"neu"`
	// Neg is VADER's negative proportion.
	Neg float64 `parquet:"neg"`
	// CompoundMean is the mean of the sentences' compound scores.
	CompoundMean float64 `parquet:"compound_mean"`
	// Polarity is "negative", "neutral" or "positive" from Compound.
	Polarity string `parquet:"polarity,dict"`
	// Shouting is the share of letters in ALL-CAPS words, in [0, 1].
	Shouting float64 `parquet:"shouting"`
	// Themes are the comment's distinct themes, sorted; empty, not null.
	Themes []string `parquet:"themes,list"`
	// NThemeHits is the number of evidence hits in the comment.
	NThemeHits int32 `parquet:"n_theme_hits"`
}

// SentenceRow is one row of the sentences table: one per sentence.
type SentenceRow struct {
	// ThreadID is the thread's identity.
	ThreadID string `parquet:"thread_id,dict"`
	// CommentID is the comment holding the sentence.
	CommentID string `parquet:"comment_id,dict"`
	// SentenceIndex is the 0-based sentence number in the comment.
	SentenceIndex int32 `parquet:"sentence_index"`
	// Start is the code-point offset of the sentence in the comment text.
	Start int32 `parquet:"start"`
	// End is the code-point offset just past the sentence.
	End int32 `parquet:"end"`
	// Text is the sentence as written.
	Text string `parquet:"text"`
	// Compound is VADER's compound score of the sentence.
	Compound float64 `parquet:"compound"`
	// Pos is VADER's positive proportion.
	Pos float64 `parquet:"pos"`
	// Neu is VADER's neutral proportion.
	Neu float64 `parquet:"neu"`
	// Neg is VADER's negative proportion.
	Neg float64 `parquet:"neg"`
}

// ThemeHitRow is one row of the theme_hits table: one per evidence hit.
type ThemeHitRow struct {
	// ThreadID is the thread's identity.
	ThreadID string `parquet:"thread_id,dict"`
	// CommentID is the comment holding the hit.
	CommentID string `parquet:"comment_id,dict"`
	// Theme is the theme's name ("blame", …).
	Theme string `parquet:"theme,dict"`
	// Cue is the lexicon cue's ID that matched.
	Cue string `parquet:"cue,dict"`
	// SentenceIndex is the sentence holding the match.
	SentenceIndex int32 `parquet:"sentence_index"`
	// Start is the code-point offset of the match in the comment text.
	Start int32 `parquet:"start"`
	// End is the code-point offset just past the match.
	End int32 `parquet:"end"`
	// Match is the matched text, text[start:end].
	Match string `parquet:"match"`
	// Negated is set when a negator governs the cue.
	Negated bool `parquet:"negated"`
	// Hedged is set when the sentence is conditional, uncertain or a
	// question.
	Hedged bool `parquet:"hedged"`
}

// EntityRow is one row of the entities table: one per named entity.
type EntityRow struct {
	// ThreadID is the thread's identity.
	ThreadID string `parquet:"thread_id,dict"`
	// CommentID is the comment holding the entity.
	CommentID string `parquet:"comment_id,dict"`
	// SentenceIndex is the sentence holding the entity.
	SentenceIndex int32 `parquet:"sentence_index"`
	// Start is the code-point offset of the entity in the comment text.
	Start int32 `parquet:"start"`
	// End is the code-point offset just past the entity.
	End int32 `parquet:"end"`
	// Text is the entity as written.
	Text string `parquet:"text"`
	// Label is the entity type (PERSON, GPE, ORGANIZATION).
	Label string `parquet:"label,dict"`
}

// TokenRow is one row of the tokens table: one per token.
type TokenRow struct {
	// ThreadID is the thread's identity.
	ThreadID string `parquet:"thread_id,dict"`
	// CommentID is the comment holding the token.
	CommentID string `parquet:"comment_id,dict"`
	// SentenceIndex is the sentence holding the token.
	SentenceIndex int32 `parquet:"sentence_index"`
	// TokenIndex is the 0-based token number within its sentence.
	TokenIndex int32 `parquet:"token_index"`
	// Start is the code-point offset of the token in the comment text.
	Start int32 `parquet:"start"`
	// End is the code-point offset just past the token.
	End int32 `parquet:"end"`
	// Text is the token as written.
	Text string `parquet:"text"`
	// Tag is the Penn Treebank part-of-speech tag.
	Tag string `parquet:"tag,dict"`
}

// ThreadRows holds every row of one thread, across all tables.
type ThreadRows struct {
	// Thread is the thread's row.
	Thread ThreadRow
	// Comments are the comment rows in document order.
	Comments []CommentRow
	// Sentences are the sentence rows.
	Sentences []SentenceRow
	// ThemeHits are the evidence hit rows.
	ThemeHits []ThemeHitRow
	// Entities are the entity rows.
	Entities []EntityRow
	// Tokens are the token rows.
	Tokens []TokenRow
}

// Counts returns the number of rows per table.
func (r *ThreadRows) Counts() TableCounts {
	return TableCounts{
		TableThreads:   1,
		TableComments:  int64(len(r.Comments)),
		TableSentences: int64(len(r.Sentences)),
		TableThemeHits: int64(len(r.ThemeHits)),
		TableEntities:  int64(len(r.Entities)),
		TableTokens:    int64(len(r.Tokens)),
	}
}

// TableCounts maps a table name to a row count.
type TableCounts map[string]int64

// Add adds other's counts to c.
func (c TableCounts) Add(other TableCounts) {
	for k, v := range other {
		c[k] += v
	}
}
