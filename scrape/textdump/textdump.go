package textdump

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/threadlens/threadlens/scrape"
)

// Name is the adapter's name and site.
const Name = scrape.SiteTextdump

// ErrNumbering means a comment's header number differs from its position
// among its siblings as [scrape.BuildTree] computed it: a gap (a held or
// deleted comment) or a repeated number. The thread is still returned.
var ErrNumbering = errors.New("comment numbering does not match sibling positions")

// maxProblems caps how many problems one parse reports individually.
const maxProblems = 20

// tabWidth is the tab stop used for tabs in leading white space.
const tabWidth = 8

// maxSlugRunes caps the length of the title slug.
const maxSlugRunes = 100

// New returns the textdump adapter. It is stateless and safe for
// concurrent use.
func New() scrape.Adapter { return adapter{} }

type adapter struct{}

// Name implements [scrape.Adapter].
func (adapter) Name() string { return Name }

// Sniff implements [scrape.Adapter]: the head does not start like HTML,
// XML or JSON and holds at least one line shaped like a comment header or
// the "{ N comments… }" count line.
func (adapter) Sniff(_ string, head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\uFEFF"))
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) == 0 {
		return false
	}
	if looksMarkup(trimmed) {
		return false
	}
	for len(head) > 0 {
		var line []byte
		if i := bytes.IndexAny(head, "\r\n"); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			line, head = head, nil
		}
		s := string(line)
		cols, lead := indentation(s)
		content := strings.TrimRightFunc(s[lead:], unicode.IsSpace)
		if cols < 2 {
			if _, ok := parseCountLine(content); ok {
				return true
			}
			continue
		}
		if cols%2 == 0 {
			if _, _, ok := parseHeader(content); ok {
				return true
			}
		}
	}
	return false
}

// looksMarkup reports whether trimmed (a head without leading white
// space) starts like HTML, XML or JSON rather than like a title: "<" then
// a letter, "!", "?" or "/"; "{" then a quote or "}"; "[" then a JSON
// value. A title such as "[Update] My boss…" or "<3 my team" is not markup.
func looksMarkup(trimmed []byte) bool {
	if len(trimmed) < 2 {
		return false
	}
	rest := bytes.TrimLeft(trimmed[1:], " \t\r\n")
	if len(rest) == 0 {
		return trimmed[0] == '{' || trimmed[0] == '['
	}
	next := rest[0]
	switch trimmed[0] {
	case '<':
		next = trimmed[1]
		return next == '!' || next == '?' || next == '/' || ('a' <= next|0x20 && next|0x20 <= 'z')
	case '{':
		return next == '"' || next == '}'
	case '[':
		return strings.IndexByte("{[\"]-0123456789tfn", next) >= 0
	}
	return false
}

// Parse implements [scrape.Adapter]. See the package documentation for
// the format and how ambiguous lines are decided. Problems that leave a
// usable thread (numbering gaps, too-deep headers, badly indented lines)
// are returned as an error beside the thread: one *[scrape.ParseError]
// per problem (at most 20, then a summary), joined with errors.Join.
func (adapter) Parse(ctx context.Context, p *scrape.Page, _ scrape.Env) (*scrape.Thread, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t, problems := parse(p.Source, p.Body)
	if t != nil {
		t.FetchedAt = p.FetchedAt
	}
	return t, problems.err()
}

// line is one input line with its precomputed shape.
type line struct {
	text    string // the line without its newline
	indent  int    // columns of leading white space
	lead    int    // bytes of leading white space
	content string // text after the leading white space, right-trimmed
	blank   bool

	// Header shape (set when header is true).
	header bool
	number int
	author string
	// follows is the lookahead rule: the next non-blank line is what a
	// header's next line must be (see the package documentation).
	follows bool
	// closedLikeHeader: the next non-blank line indented no deeper than
	// this one is a header, the closing line or the end of input, as
	// after a real comment's subtree (a list item's is its comment's text).
	closedLikeHeader bool
}

// open is one comment on the current chain of ancestors, by depth.
type open struct {
	path string // the comment's ID; for missing levels, the last real path + ".0"
}

// problems collects the ParseErrors of one parse.
type problems struct {
	source string
	list   []error
	more   int
}

func (ps *problems) add(lineNo int, err error) {
	if len(ps.list) >= maxProblems {
		ps.more++
		return
	}
	ps.list = append(ps.list, &scrape.ParseError{Adapter: Name, Source: ps.source, Line: lineNo, Err: err})
}

func (ps *problems) err() error {
	slices.SortStableFunc(ps.list, func(a, b error) int {
		return cmp.Compare(a.(*scrape.ParseError).Line, b.(*scrape.ParseError).Line)
	})
	switch {
	case len(ps.list) == 0:
		return nil
	case len(ps.list) == 1:
		return ps.list[0]
	}
	list := ps.list
	if ps.more > 0 {
		list = append(list[:len(list):len(list)], &scrape.ParseError{Adapter: Name, Source: ps.source,
			Err: fmt.Errorf("%d more problems not listed", ps.more)})
	}
	return errors.Join(list...)
}

// parse turns a textdump into a thread. It returns a nil thread only when
// the input has no title (or no content at all).
func parse(source string, body []byte) (*scrape.Thread, *problems) {
	ps := &problems{source: source}
	lines := splitLines(body)

	// The title is the first non-blank line.
	titleAt := -1
	for i := range lines {
		if !lines[i].blank {
			titleAt = i
			break
		}
	}
	if titleAt < 0 {
		ps.add(0, scrape.ErrEmpty)
		return nil, ps
	}
	title := lines[titleAt].content
	if _, ok := parseCountLine(title); ok || isClosing(&lines[titleAt]) ||
		(lines[titleAt].header && lines[titleAt].indent >= 2) {
		ps.add(titleAt+1, fmt.Errorf("%w: no title: the first line is %q, not a title", scrape.ErrMalformed, title))
		return nil, ps
	}

	t := &scrape.Thread{
		ID:     Name + ":" + Slug(title),
		Site:   Name,
		Source: source,
		Title:  title,
	}

	// The count line: the first line after the title shaped like one.
	countAt := -1
	for i := titleAt + 1; i < len(lines); i++ {
		if lines[i].blank || lines[i].indent >= 2 {
			continue
		}
		if isClosing(&lines[i]) {
			break
		}
		if n, ok := parseCountLine(lines[i].content); ok {
			countAt = i
			if n >= 0 {
				t.DeclaredComments = &n
			} else {
				ps.add(i+1, fmt.Errorf("%w: comment count too large: %q", scrape.ErrMalformed, lines[i].content))
			}
			break
		}
	}

	var (
		comments []scrape.Comment
		numbers  []int // header number of each comment
		lineNos  []int // 1-based header line of each comment
		text     textBuilder
		post     textBuilder
		chain    []open             // chain[d-1] is the open comment at depth d
		used     = map[string]int{} // ID → last ~N suffix given to it (1: none)
		dups     int
	)
	inPost := true // collecting the post body
	if countAt >= 0 {
		for i := titleAt + 1; i < countAt; i++ {
			post.addLine(&lines[i], -1)
		}
		inPost = false
	}
	start := titleAt + 1
	if countAt >= 0 {
		start = countAt + 1
	}
	bodyIndent := 0 // indentation of the current comment's body lines
	finish := func() {
		if len(comments) > 0 {
			comments[len(comments)-1].Text = text.String()
		}
		text.reset()
	}
	end := len(lines)
	for i := start; i < len(lines); i++ {
		ln := &lines[i]
		if ln.blank {
			if inPost {
				post.addBlank()
			} else {
				text.addBlank()
			}
			continue
		}
		if ln.indent < 2 && isClosing(ln) {
			end = i
			break
		}
		if ln.header && isHeaderHere(ln, inPost, chain) {
			depth := ln.indent / 2
			if depth > len(chain)+1 {
				ps.add(i+1, fmt.Errorf("%w: comment header at depth %d under a comment at depth %d; kept as an orphan",
					scrape.ErrMalformed, depth, len(chain)))
			}
			finish()
			inPost = false
			// Close deeper comments, open placeholders for missing levels.
			chain = chain[:min(len(chain), depth-1)]
			if len(chain) < depth-1 {
				// Every missing level shares one placeholder path
				// ("3.0"), so a line indented by thousands of tabs
				// cannot build thousands of ever longer IDs.
				missing := open{path: pathOf(chain, "0")}
				for len(chain) < depth-1 {
					chain = append(chain, missing)
				}
			}
			id := pathOf(chain, strconv.Itoa(ln.number))
			if _, taken := used[id]; taken {
				// A repeated number: suffix it as BuildTree would, here,
				// so that this comment's replies point at it.
				dups++
				base := id
				for n := used[base] + 1; ; n++ {
					if _, taken := used[base+"~"+strconv.Itoa(n)]; !taken {
						used[base] = n
						id = base + "~" + strconv.Itoa(n)
						break
					}
				}
			}
			used[id] = max(used[id], 1)
			parentID := ""
			if depth > 1 {
				parentID = chain[depth-2].path
			}
			chain = append(chain, open{path: id})
			comments = append(comments, scrape.Comment{
				ID:        id,
				ParentID:  parentID,
				Author:    ln.author,
				DepthHint: depth,
			})
			numbers = append(numbers, ln.number)
			lineNos = append(lineNos, i+1)
			bodyIndent = 2*depth + 2
			continue
		}
		switch {
		case inPost:
			post.addLine(ln, -1)
		case len(comments) == 0:
			ps.add(i+1, fmt.Errorf("%w: text before the first comment header ignored: %q", scrape.ErrMalformed, clip(ln.content)))
		default:
			if ln.indent < bodyIndent {
				ps.add(i+1, fmt.Errorf("%w: body line indented %d columns, its comment's body is indented %d",
					scrape.ErrMalformed, ln.indent, bodyIndent))
			}
			text.addLine(ln, bodyIndent)
		}
	}
	finish()
	if end < len(lines) {
		for i := end + 1; i < len(lines); i++ {
			if lines[i].header && lines[i].indent >= 2 {
				ps.add(i+1, fmt.Errorf("%w: comment headers after %q ignored", scrape.ErrMalformed, lines[end].content))
				break
			}
		}
	}
	t.Body = post.String()

	comments, rep := scrape.BuildTree(comments)
	rep.DuplicateIDs += dups
	t.Comments = comments
	t.Repairs = rep

	// Check positions against header numbers, once per sibling group.
	reported := map[string]bool{}
	for i := range comments {
		c := &comments[i]
		if c.Position == numbers[i] || reported[c.ParentID] {
			continue
		}
		reported[c.ParentID] = true
		ps.add(lineNos[i], fmt.Errorf("%w: comment %s is numbered %d but is sibling %d (a held, deleted or misnumbered comment?)",
			ErrNumbering, c.ID, numbers[i], c.Position))
	}
	return t, ps
}

// isHeaderHere decides whether a header-shaped line opens a comment, given
// where the parser is: in the post body (no count line seen), before the
// first comment (after the count line), or inside a comment at depth
// len(chain).
func isHeaderHere(ln *line, inPost bool, chain []open) bool {
	depth := ln.indent / 2
	current := len(chain)
	switch {
	case inPost:
		// Ambiguous with the post body: only a first top-level comment.
		return depth == 1 && ln.number == 1 && ln.follows
	case current == 0:
		// After the count line nothing else can be there.
		return ln.follows
	case depth <= current:
		// Indented less than the current body: cannot be body text.
		return true
	default:
		// Exactly where the current comment's body lines sit (or deeper):
		// a first reply must be numbered 1 and be followed like a header,
		// and its subtree must end at a header, not at more body text of
		// the current comment.
		return ln.number == 1 && ln.follows && ln.closedLikeHeader
	}
}

// pathOf returns the ID of a child numbered last under the end of chain.
func pathOf(chain []open, last string) string {
	if len(chain) == 0 {
		return last
	}
	return chain[len(chain)-1].path + "." + last
}

// splitLines normalises the input (BOM, CRLF/CR, invalid UTF-8), splits it
// into lines and computes each line's shape, then, in one backward pass,
// the lookahead rule of every header-shaped line.
func splitLines(body []byte) []line {
	s := string(bytes.TrimPrefix(body, []byte("\uFEFF")))
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	s = strings.TrimSuffix(s, "\n")
	raw := strings.Split(s, "\n")
	lines := make([]line, len(raw))
	for i, r := range raw {
		ln := &lines[i]
		ln.text = r
		ln.indent, ln.lead = indentation(r)
		ln.content = strings.TrimRightFunc(r[ln.lead:], unicode.IsSpace)
		ln.blank = ln.content == ""
		if !ln.blank && ln.indent >= 2 && ln.indent%2 == 0 {
			ln.number, ln.author, ln.header = parseHeader(ln.content)
		}
	}
	// Backward pass: next non-blank line and the lookahead rule, and the
	// next non-blank line not indented deeper (a monotonic stack).
	next := -1
	var shallower []int
	for i := len(lines) - 1; i >= 0; i-- {
		ln := &lines[i]
		if ln.blank {
			continue
		}
		for len(shallower) > 0 && lines[shallower[len(shallower)-1]].indent > ln.indent {
			shallower = shallower[:len(shallower)-1]
		}
		if ln.header {
			ln.follows = follows(lines, ln, next)
			if len(shallower) > 0 {
				nx := &lines[shallower[len(shallower)-1]]
				ln.closedLikeHeader = nx.header || isClosing(nx)
			} else {
				ln.closedLikeHeader = true
			}
		}
		shallower = append(shallower, i)
		next = i
	}
	return lines
}

// follows reports whether the next non-blank line (index next, -1 for the
// end of input) is what follows a header: a line indented exactly two
// more, or — for a header without a body — the end, the closing line, a
// header indented less, or a later sibling header that itself follows.
func follows(lines []line, ln *line, next int) bool {
	if next < 0 {
		return true
	}
	nx := &lines[next]
	switch {
	case nx.indent == ln.indent+2:
		return true
	case nx.indent < 2 && isClosing(nx):
		return true
	case nx.indent < ln.indent:
		return nx.header
	case nx.indent == ln.indent:
		return nx.header && nx.number > ln.number && nx.follows
	}
	return false
}

// indentation returns the columns and bytes of s's leading white space:
// a space or no-break space is one column, a tab advances to the next
// multiple of tabWidth.
func indentation(s string) (cols, n int) {
	for n < len(s) {
		switch {
		case s[n] == ' ':
			cols++
			n++
		case s[n] == '\t':
			cols += tabWidth - cols%tabWidth
			n++
		case strings.HasPrefix(s[n:], "\u00a0"):
			cols++
			n += len("\u00a0")
		default:
			return cols, n
		}
	}
	return cols, n
}

// parseHeader parses the content of a header line (after its indentation,
// right-trimmed): "<n>. <author>*" with n ≥ 1. The last "*" closes the
// header; the author is everything between ". " and it, trimmed.
func parseHeader(content string) (number int, author string, ok bool) {
	digits := 0
	for digits < len(content) && content[digits] >= '0' && content[digits] <= '9' {
		digits++
	}
	if digits == 0 || digits > 9 || !strings.HasPrefix(content[digits:], ". ") || !strings.HasSuffix(content, "*") {
		return 0, "", false
	}
	rest := content[digits+1 : len(content)-1] // " author"
	if len(rest) == 0 {
		return 0, "", false // "1.*": the star is not after ". "
	}
	n, err := strconv.Atoi(content[:digits])
	if err != nil || n < 1 {
		return 0, "", false
	}
	return n, strings.TrimSpace(rest), true
}

// parseCountLine parses "{ N comments… read them below }" (also "...",
// "1 comment", "1,234 comments", any wording after the count). It returns
// -1 and true for a count line whose number does not fit.
func parseCountLine(content string) (int, bool) {
	if !strings.HasPrefix(content, "{") || !strings.HasSuffix(content, "}") {
		return 0, false
	}
	s := strings.TrimLeft(content[1:], " \t\u00a0")
	digits := 0
	var b strings.Builder
	for digits < len(s) {
		c := s[digits]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
			digits++
			continue
		case c == ',' && b.Len() > 0 && digits+3 < len(s) &&
			isDigit(s[digits+1]) && isDigit(s[digits+2]) && isDigit(s[digits+3]):
			digits++
			continue
		}
		break
	}
	if b.Len() == 0 {
		return 0, false
	}
	rest := strings.TrimLeft(s[digits:], " \t\u00a0")
	lower := strings.ToLower(rest)
	if !strings.HasPrefix(lower, "comment") {
		return 0, false
	}
	after := lower[len("comment"):]
	after = strings.TrimPrefix(after, "s")
	if after != "" {
		r, _ := utf8.DecodeRuneInString(after)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return 0, false // "commentary"
		}
	}
	if b.Len() > 9 {
		return -1, true
	}
	n, err := strconv.Atoi(b.String())
	if err != nil {
		return -1, true
	}
	return n, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isClosing reports whether ln is the "Comments are closed." line.
func isClosing(ln *line) bool {
	s := strings.TrimSuffix(ln.content, ".")
	return strings.EqualFold(s, "Comments are closed")
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

// textBuilder assembles a text from lines: paragraphs separated by "\n\n",
// single line breaks kept, trailing white space trimmed.
type textBuilder struct {
	b       strings.Builder
	pending bool // a blank line was seen since the last text line
	hasText bool
}

func (tb *textBuilder) reset() { *tb = textBuilder{} }

func (tb *textBuilder) addBlank() {
	if tb.hasText {
		tb.pending = true
	}
}

// addLine appends a non-blank line, removing strip columns of its leading
// white space (a tab that straddles the cut leaves spaces), or all of it
// when the line is indented less; strip < 0 keeps the line as written.
func (tb *textBuilder) addLine(ln *line, strip int) {
	if ln.blank {
		tb.addBlank()
		return
	}
	if tb.hasText {
		if tb.pending {
			tb.b.WriteString("\n\n")
		} else {
			tb.b.WriteByte('\n')
		}
	}
	tb.pending = false
	tb.hasText = true
	if strip < 0 {
		tb.b.WriteString(strings.TrimRightFunc(ln.text, unicode.IsSpace))
		return
	}
	if ln.indent <= strip {
		tb.b.WriteString(ln.content)
		return
	}
	// Cut exactly strip columns.
	cols, n := 0, 0
	for cols < strip {
		switch {
		case ln.text[n] == '\t':
			cols += tabWidth - cols%tabWidth
			n++
		case ln.text[n] == ' ':
			cols++
			n++
		default: // no-break space
			cols++
			n += len("\u00a0")
		}
	}
	for ; cols > strip; cols-- {
		tb.b.WriteByte(' ')
	}
	tb.b.WriteString(strings.TrimRightFunc(ln.text[n:], unicode.IsSpace))
}

func (tb *textBuilder) String() string { return tb.b.String() }

// Slug returns the thread-ID slug of a title: lowercase ASCII letters and
// digits, words joined by single hyphens. Accented letters are
// transliterated (é→e, ß→ss, æ→ae, ø→o, ł→l), apostrophes are dropped
// ("Don’t"→"dont"), "&" becomes "and", anything else separates words. The
// slug is cut at a word boundary to at most 100 characters, a longer one
// ending in 8 hex digits of the SHA-256 of its full slug. A title with
// no letters or digits left gets "t-" plus 12 hex digits of its SHA-256.
func Slug(title string) string {
	var b strings.Builder
	hyphen := false
	emit := func(s string) {
		if hyphen && b.Len() > 0 {
			b.WriteByte('-')
		}
		hyphen = false
		b.WriteString(s)
	}
	for _, r := range norm.NFKD.String(title) {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			emit(string(unicode.ToLower(r)))
		case unicode.Is(unicode.Mn, r):
			// combining accent left by NFKD: drop
		case r == '\'' || r == '’' || r == '‘' || r == 'ʼ' || r == '`' || r == '´':
			// apostrophes join the word: drop
		case r == '&':
			hyphen = true
			emit("and")
			hyphen = true
		default:
			if t, ok := translit[unicode.ToLower(r)]; ok {
				emit(t)
			} else {
				hyphen = true
			}
		}
	}
	slug := b.String()
	if len(slug) > maxSlugRunes {
		// Cut at a word boundary and add a short hash of the whole slug, so
		// long titles that share their first 100 characters stay distinct.
		sum := sha256.Sum256([]byte(slug))
		cut := slug[:maxSlugRunes-9]
		if i := strings.LastIndexByte(cut, '-'); i > 0 {
			cut = cut[:i]
		}
		slug = strings.TrimRight(cut, "-") + "-" + hex.EncodeToString(sum[:4])
	}
	if slug == "" {
		sum := sha256.Sum256([]byte(title))
		return "t-" + hex.EncodeToString(sum[:6])
	}
	return slug
}

// translit maps letters NFKD does not decompose to ASCII.
var translit = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d",
	'ð': "d", 'þ': "th", 'ı': "i", 'ħ': "h", 'ŋ': "ng", 'ſ': "s",
}
