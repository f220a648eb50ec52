package nlp

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jdkato/prose/v3/tokenize"
	"gopkg.in/yaml.v3"
)

//go:embed lexicon/default.yaml
var defaultLexiconYAML []byte

// DefaultLexiconName is the name under which the embedded lexicon is parsed
// (it appears in error messages).
const DefaultLexiconName = "nlp/lexicon/default.yaml"

// KnownThemes are the themes THEMES.md defines. A lexicon may add others
// only by marking them `custom: true`.
var KnownThemes = []string{"accountability", "blame", "burnout", "firing", "process", "yelling"}

// ErrLexicon is wrapped by every lexicon problem; test with errors.Is.
var ErrLexicon = errors.New("invalid lexicon")

// LexiconError is one problem in a lexicon file, with its place.
type LexiconError struct {
	// Path is the file name (or the name given to ParseLexicon).
	Path string
	// Line is the 1-based line of the offending YAML node, 0 when unknown.
	Line int
	// Msg describes the problem.
	Msg string
}

// Error implements error: "PATH:LINE: MSG".
func (e *LexiconError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Unwrap returns ErrLexicon.
func (e *LexiconError) Unwrap() error { return ErrLexicon }

// Lexicon is a compiled theme lexicon. It is immutable once built and safe
// for concurrent use. The file format is documented in the package doc and
// at the top of nlp/lexicon/default.yaml.
type Lexicon struct {
	// Name is the lexicon's declared name.
	Name string
	// Version is the lexicon's declared version.
	Version string
	// SHA256 is the hex SHA-256 of the lexicon file's bytes.
	SHA256 string

	themes []*lexTheme
	cues   []*cue
	// byFirst indexes cues by the words their pattern can start with;
	// unindexed holds cues whose first element also matches by tag.
	byFirst   map[string][]*cue
	unindexed []*cue
}

// lexTheme is one theme of a lexicon.
type lexTheme struct {
	name     string
	excludes []*pattern
}

// cue is one compiled lexicon cue.
type cue struct {
	id       string
	theme    *lexTheme
	line     int
	order    int
	pat      *pattern
	requires []requirement
	excludes []*pattern
}

// elemKind is the kind of one pattern element.
type elemKind int

const (
	elemWords elemKind = iota // one word out of a set
	elemGap                   // min..max words of any kind but punctuation
)

// element is one position of a pattern.
type element struct {
	kind     elemKind
	words    map[string]bool
	tags     []string // for class elements: a word also matches by tag
	min, max int
	src      string
}

// pattern is a compiled word or phrase.
type pattern struct {
	elems []element
	src   string
}

// side says where a `near` requirement looks.
type side int

const (
	sideAround side = iota
	sideBefore
	sideAfter
)

// requirement is one constraint a cue's match must meet.
type requirement struct {
	// pos: the tag of the word matched by element at must match a glob.
	pos []string
	at  int
	// near: a word matching near must stand within `within` words of the
	// match, on side.
	near   *element
	within int
	side   side
}

// pennTags is the Penn Treebank tag set prose emits, used to validate
// `pos` requirements.
var pennTags = []string{"$", "''", "(", ")", ",", "--", ".", ":", "CC", "CD", "DT", "EX", "FW", "IN", "JJ", "JJR", "JJS", "LS", "MD", "NN", "NNP", "NNPS", "NNS", "PDT", "POS", "PRP", "PRP$", "RB", "RBR", "RBS", "RP", "SYM", "TO", "UH", "VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "WDT", "WP", "WP$", "WRB", "``", "#", "-", "NFP", "GW", "ADD", "XX", "HYPH", "AFX"}

var themeNameRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
var cueIDRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)
var gapRe = regexp.MustCompile(`^\{(\d*),(\d+)\}$`)
var yamlLineRe = regexp.MustCompile(`line (\d+)`)

var defaultLexicon = sync.OnceValues(func() (*Lexicon, error) {
	return ParseLexicon(DefaultLexiconName, defaultLexiconYAML)
})

// DefaultLexicon returns the embedded default lexicon
// (nlp/lexicon/default.yaml). It is parsed once and shared.
func DefaultLexicon() (*Lexicon, error) { return defaultLexicon() }

// DefaultLexiconYAML returns a copy of the embedded default lexicon file.
func DefaultLexiconYAML() []byte { return slices.Clone(defaultLexiconYAML) }

// LoadLexicon reads and compiles a lexicon file. Its errors carry path:line
// and wrap ErrLexicon (or the read error).
func LoadLexicon(path string) (*Lexicon, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	return ParseLexicon(path, data)
}

// ParseLexicon compiles lexicon YAML; name is used in error messages. When
// the data has problems, the error joins all of them (each a
// *LexiconError).
func ParseLexicon(name string, data []byte) (*Lexicon, error) {
	lex, errs := compileLexicon(name, data, false)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return lex, nil
}

// CheckLexicon reads the lexicon file at path and returns every problem it
// finds, each with its line: YAML errors, unknown keys, unknown themes,
// duplicate cue IDs and patterns, patterns that can never match (a word the
// tokenizer would split, a pattern made only of gaps, an unknown class or
// POS tag, a requirement pointing outside its pattern), and cues their own
// exclusions always veto. It returns nil for a good lexicon.
func CheckLexicon(path string) []error {
	data, err := os.ReadFile(path)
	if err != nil {
		return []error{fmt.Errorf("lexicon: %w", err)}
	}
	_, errs := compileLexicon(path, data, true)
	return errs
}

// Cues returns the number of cues in the lexicon.
func (l *Lexicon) Cues() int { return len(l.cues) }

// Themes returns the lexicon's theme names, sorted.
func (l *Lexicon) Themes() []string {
	out := make([]string, 0, len(l.themes))
	for _, t := range l.themes {
		out = append(out, t.name)
	}
	slices.Sort(out)
	return out
}

// CueIDs returns the IDs of the theme's cues in file order (nil for an
// unknown theme).
func (l *Lexicon) CueIDs(theme string) []string {
	var out []string
	for _, c := range l.cues {
		if c.theme.name == theme {
			out = append(out, c.id)
		}
	}
	return out
}

// compiler holds the state of one lexicon compilation.
type compiler struct {
	path      string
	errs      []error
	irregular map[string][]string
	classes   map[string]*element
	check     bool
	tokenizer *tokenize.Tokenizer
}

func (c *compiler) errorf(n *yaml.Node, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	c.errs = append(c.errs, &LexiconError{Path: c.path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// mapping returns the key/value pairs of a mapping node, reporting keys not
// in allowed and duplicate keys.
func (c *compiler) mapping(n *yaml.Node, what string, allowed ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n.Kind != yaml.MappingNode {
		c.errorf(n, "%s must be a mapping", what)
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if allowed != nil && !slices.Contains(allowed, k.Value) {
			c.errorf(k, "%s: unknown key %q (known: %s)", what, k.Value, strings.Join(allowed, ", "))
			continue
		}
		if _, dup := out[k.Value]; dup {
			c.errorf(k, "%s: duplicate key %q", what, k.Value)
			continue
		}
		out[k.Value] = v
	}
	return out
}

// scalar returns a scalar node's value, reporting other kinds.
func (c *compiler) scalar(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		c.errorf(n, "%s must be a string", what)
		return "", false
	}
	return n.Value, true
}

// stringList accepts a scalar or a sequence of scalars.
func (c *compiler) stringList(n *yaml.Node, what string) []*yaml.Node {
	switch n.Kind {
	case yaml.ScalarNode:
		return []*yaml.Node{n}
	case yaml.SequenceNode:
		var out []*yaml.Node
		for _, item := range n.Content {
			if item.Kind != yaml.ScalarNode {
				c.errorf(item, "%s: items must be strings", what)
				continue
			}
			out = append(out, item)
		}
		return out
	}
	c.errorf(n, "%s must be a string or a list of strings", what)
	return nil
}

func compileLexicon(name string, data []byte, check bool) (*Lexicon, []error) {
	sum := sha256.Sum256(data)
	lex := &Lexicon{SHA256: hex.EncodeToString(sum[:]), byFirst: map[string][]*cue{}}
	c := &compiler{path: name, irregular: map[string][]string{}, classes: map[string]*element{}, check: check, tokenizer: tokenize.New()}

	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 0
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
				line, _ = strconv.Atoi(m[1])
			}
		}
		return nil, []error{&LexiconError{Path: name, Line: line, Msg: err.Error()}}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, []error{&LexiconError{Path: name, Msg: "empty lexicon"}}
	}
	top := c.mapping(doc.Content[0], "lexicon", "name", "version", "irregular", "classes", "themes")
	if n, ok := top["name"]; ok {
		lex.Name, _ = c.scalar(n, "name")
	} else {
		c.errorf(doc.Content[0], "missing name")
	}
	if n, ok := top["version"]; ok {
		lex.Version, _ = c.scalar(n, "version")
	} else {
		c.errorf(doc.Content[0], "missing version")
	}
	if n, ok := top["irregular"]; ok {
		for base, forms := range c.mapping(n, "irregular", nil...) {
			for _, f := range c.stringList(forms, "irregular "+base) {
				c.irregular[strings.ToLower(base)] = append(c.irregular[strings.ToLower(base)], normWord(f.Value))
			}
		}
	}
	if n, ok := top["classes"]; ok && n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if !themeNameRe.MatchString(k.Value) {
				c.errorf(k, "class name %q must be lowercase letters, digits and _", k.Value)
			}
			fields := c.mapping(v, "class "+k.Value, "words", "tags")
			el := &element{kind: elemWords, words: map[string]bool{}, src: "@" + k.Value}
			if w, ok := fields["words"]; ok {
				for _, item := range c.stringList(w, "class "+k.Value+" words") {
					c.addLiteral(el, item, item.Value)
				}
			}
			if t, ok := fields["tags"]; ok {
				for _, item := range c.stringList(t, "class "+k.Value+" tags") {
					c.checkTag(item, item.Value)
					el.tags = append(el.tags, item.Value)
				}
			}
			if len(el.words) == 0 && len(el.tags) == 0 {
				c.errorf(v, "class %s has no words and no tags: it can never match", k.Value)
			}
			c.classes[k.Value] = el
		}
	} else if ok {
		c.errorf(n, "classes must be a mapping")
	}

	themesNode, ok := top["themes"]
	if !ok || themesNode.Kind != yaml.MappingNode {
		c.errorf(doc.Content[0], "missing themes mapping")
		return nil, c.errs
	}
	ids := map[string]int{}
	order := 0
	for i := 0; i+1 < len(themesNode.Content); i += 2 {
		k, v := themesNode.Content[i], themesNode.Content[i+1]
		th := &lexTheme{name: k.Value}
		if !themeNameRe.MatchString(k.Value) {
			c.errorf(k, "theme name %q must be lowercase letters, digits and _", k.Value)
		}
		for _, prev := range lex.themes {
			if prev.name == th.name {
				c.errorf(k, "duplicate theme %q", th.name)
			}
		}
		fields := c.mapping(v, "theme "+k.Value, "description", "custom", "exclude", "cues")
		custom := false
		if n, ok := fields["custom"]; ok {
			custom = n.Value == "true"
		}
		if !custom && !slices.Contains(KnownThemes, th.name) {
			c.errorf(k, "unknown theme %q (THEMES.md defines %s; mark a new theme `custom: true`)", th.name, strings.Join(KnownThemes, ", "))
		}
		if n, ok := fields["exclude"]; ok {
			for _, item := range c.stringList(n, "theme "+th.name+" exclude") {
				if p := c.compilePattern(item, item.Value); p != nil {
					th.excludes = append(th.excludes, p)
				}
			}
		}
		lex.themes = append(lex.themes, th)
		cuesNode, ok := fields["cues"]
		if !ok || cuesNode.Kind != yaml.SequenceNode || len(cuesNode.Content) == 0 {
			c.errorf(v, "theme %s has no cues list", th.name)
			continue
		}
		seen := map[string]int{}
		for _, cn := range cuesNode.Content {
			cu := c.compileCue(cn, th)
			if cu == nil {
				continue
			}
			if prev, dup := ids[cu.id]; dup {
				c.errorf(cn, "duplicate cue id %q (first at line %d)", cu.id, prev)
				continue
			}
			ids[cu.id] = cn.Line
			key := cu.pat.String() + requiresKey(cu.requires)
			if prev, dup := seen[key]; dup {
				c.errorf(cn, "cue %s repeats the pattern of the cue at line %d", cu.id, prev)
			}
			seen[key] = cn.Line
			cu.order = order
			order++
			lex.cues = append(lex.cues, cu)
		}
	}
	if len(lex.cues) == 0 && len(c.errs) == 0 {
		c.errorf(themesNode, "lexicon has no cues")
	}
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	for _, cu := range lex.cues {
		first := cu.pat.elems[0]
		if len(first.tags) > 0 {
			lex.unindexed = append(lex.unindexed, cu)
			continue
		}
		for w := range first.words {
			lex.byFirst[w] = append(lex.byFirst[w], cu)
		}
	}
	return lex, nil
}

// requiresKey renders requirements for duplicate detection.
func requiresKey(rs []requirement) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "|%v@%d", r.pos, r.at)
		if r.near != nil {
			fmt.Fprintf(&b, "|near %s %d %d", r.near.src, r.within, r.side)
		}
	}
	return b.String()
}

// compileCue compiles one cue mapping.
func (c *compiler) compileCue(n *yaml.Node, th *lexTheme) *cue {
	fields := c.mapping(n, "cue", "id", "word", "forms", "inflect", "phrase", "requires", "exclude", "note")
	if n.Kind != yaml.MappingNode {
		return nil
	}
	idNode, ok := fields["id"]
	if !ok {
		c.errorf(n, "cue without id")
		return nil
	}
	cu := &cue{theme: th, line: n.Line}
	cu.id, _ = c.scalar(idNode, "id")
	if !cueIDRe.MatchString(cu.id) {
		c.errorf(idNode, "cue id %q must be lowercase letters, digits, '.', '_' and '-'", cu.id)
	}
	wordNode, hasWord := fields["word"]
	phraseNode, hasPhrase := fields["phrase"]
	formsNode, hasForms := fields["forms"]
	switch {
	case hasWord && hasPhrase:
		c.errorf(n, "cue %s: give either word or phrase, not both", cu.id)
		return nil
	case hasWord:
		w, _ := c.scalar(wordNode, "word")
		if strings.ContainsAny(w, " \t|*@{}+") {
			c.errorf(wordNode, "cue %s: word %q must be one plain word (use phrase for patterns)", cu.id, w)
			return nil
		}
		if parts := c.splitWord(w); len(parts) != 1 {
			c.errorf(wordNode, "cue %s: word %q is split by the tokenizer into %q: use a phrase", cu.id, w, parts)
			return nil
		}
		inflect := true
		if in, ok := fields["inflect"]; ok {
			inflect = in.Value != "false"
		}
		el := element{kind: elemWords, words: map[string]bool{}, src: w}
		if hasForms {
			c.addLiteral(&el, wordNode, w)
			for _, f := range c.stringList(formsNode, "forms") {
				c.addLiteral(&el, f, f.Value)
			}
		} else if inflect {
			for _, f := range inflections(normWord(w), c.irregular) {
				c.addLiteral(&el, wordNode, f)
			}
		} else {
			c.addLiteral(&el, wordNode, w)
		}
		if len(el.words) == 0 {
			return nil
		}
		cu.pat = &pattern{elems: []element{el}, src: w}
	case hasPhrase:
		if hasForms {
			c.errorf(formsNode, "cue %s: forms apply to word cues; mark phrase words with + or list alternatives a|b", cu.id)
		}
		cu.pat = c.compilePattern(phraseNode, phraseNode.Value)
		if cu.pat == nil {
			return nil
		}
	default:
		c.errorf(n, "cue %s: needs a word or a phrase", cu.id)
		return nil
	}
	if rn, ok := fields["requires"]; ok {
		items := []*yaml.Node{rn}
		if rn.Kind == yaml.SequenceNode {
			items = rn.Content
		}
		for _, item := range items {
			if r, ok := c.compileRequirement(item, cu); ok {
				cu.requires = append(cu.requires, r)
			}
		}
	}
	if en, ok := fields["exclude"]; ok {
		for _, item := range c.stringList(en, "exclude") {
			if p := c.compilePattern(item, item.Value); p != nil {
				cu.excludes = append(cu.excludes, p)
			}
		}
	}
	if c.check {
		// A cue whose own canonical text is vetoed by one of its exclusions
		// can never produce a hit.
		canon := cu.pat.canonical()
		if canon != nil {
			for _, ex := range append(slices.Clone(cu.excludes), th.excludes...) {
				if len(ex.elems) <= len(canon) && ex.matchesWithin(canon) {
					c.errorf(n, "cue %s: its exclusion %q vetoes the cue's own text %q: it can never match", cu.id, ex.src, cu.pat.src)
				}
			}
		}
	}
	return cu
}

// compileRequirement compiles one `requires` item: {pos: TAGS, at: N} or
// {near: ELEMENT, within: N, side: before|after|around}.
func (c *compiler) compileRequirement(n *yaml.Node, cu *cue) (requirement, bool) {
	fields := c.mapping(n, "requires", "pos", "at", "near", "within", "side")
	r := requirement{within: 3}
	posNode, hasPos := fields["pos"]
	nearNode, hasNear := fields["near"]
	if hasPos == hasNear {
		c.errorf(n, "cue %s: each requirement needs exactly one of pos or near", cu.id)
		return r, false
	}
	if at, ok := fields["at"]; ok {
		v, err := strconv.Atoi(at.Value)
		if err != nil || v < 0 || v >= len(cu.pat.elems) {
			c.errorf(at, "cue %s: at %q is not an element index of the pattern (0..%d)", cu.id, at.Value, len(cu.pat.elems)-1)
			return r, false
		}
		if cu.pat.elems[v].kind == elemGap {
			c.errorf(at, "cue %s: at %d points at a gap", cu.id, v)
			return r, false
		}
		r.at = v
	}
	if hasPos {
		for _, t := range c.stringList(posNode, "pos") {
			for _, alt := range strings.Split(t.Value, "|") {
				c.checkTag(t, alt)
				r.pos = append(r.pos, alt)
			}
		}
		return r, len(r.pos) > 0
	}
	v, _ := c.scalar(nearNode, "near")
	el, ok := c.compileElement(nearNode, v)
	if !ok || el.kind == elemGap {
		c.errorf(nearNode, "cue %s: near must be a word, alternatives or @class", cu.id)
		return r, false
	}
	r.near = &el
	if w, ok := fields["within"]; ok {
		v, err := strconv.Atoi(w.Value)
		if err != nil || v < 1 || v > 20 {
			c.errorf(w, "cue %s: within must be 1..20", cu.id)
			return r, false
		}
		r.within = v
	}
	if s, ok := fields["side"]; ok {
		switch s.Value {
		case "before":
			r.side = sideBefore
		case "after":
			r.side = sideAfter
		case "around":
			r.side = sideAround
		default:
			c.errorf(s, "cue %s: side must be before, after or around", cu.id)
			return r, false
		}
	}
	return r, true
}

// checkTag reports a POS glob that matches no Penn Treebank tag.
func (c *compiler) checkTag(n *yaml.Node, glob string) {
	for _, t := range pennTags {
		if tagMatches(glob, t) {
			return
		}
	}
	c.errorf(n, "POS tag %q matches no Penn Treebank tag: it can never match", glob)
}

// tagMatches reports whether tag matches glob ("VB*" matches VBD).
func tagMatches(glob, tag string) bool {
	ok, err := path.Match(glob, tag)
	return err == nil && ok
}

// compilePattern compiles phrase syntax: space-separated elements, each a
// word ("fault"), an inflected word ("blame+"), alternatives
// ("my|your|his"), a class ("@person"), one wildcard word ("*") or a gap
// ("{0,2}").
func (c *compiler) compilePattern(n *yaml.Node, src string) *pattern {
	p := &pattern{src: src}
	fields := strings.Fields(src)
	if len(fields) == 0 {
		c.errorf(n, "empty pattern")
		return nil
	}
	for _, f := range fields {
		if f == "*" || gapRe.MatchString(f) {
			el, ok := c.compileElement(n, f)
			if ok {
				p.elems = append(p.elems, el)
			}
			continue
		}
		// A plain word that the tokenizer splits ("don't", "burned-out")
		// becomes several elements, so it matches the text's word stream.
		if !strings.ContainsAny(f, "|@+") {
			parts := c.splitWord(f)
			if len(parts) == 0 {
				c.errorf(n, "pattern %q: %q has no word", src, f)
				return nil
			}
			for _, part := range parts {
				p.elems = append(p.elems, element{kind: elemWords, words: map[string]bool{part: true}, src: part})
			}
			continue
		}
		el, ok := c.compileElement(n, f)
		if !ok {
			return nil
		}
		p.elems = append(p.elems, el)
	}
	if len(p.elems) == 0 {
		return nil
	}
	if p.elems[0].kind == elemGap || p.elems[len(p.elems)-1].kind == elemGap {
		c.errorf(n, "pattern %q starts or ends with a wildcard or gap: it adds nothing and is not allowed", src)
		return nil
	}
	if c.check {
		if alt, word, ok := splitAlternative(p); ok {
			c.errorf(n, "pattern %q: alternative %q repeats the neighbouring word %q: alternatives are single words (\"the mistake|the error\" is the, mistake|the, error); write one cue per multi-word option", src, alt, word)
		}
	}
	return p
}

// splitAlternative reports an alternatives element (a|b) one of whose
// alternatives is the word of a neighbouring one-word element, the mark of
// a multi-word option that the space split ("the mistake|the error").
func splitAlternative(p *pattern) (alt, word string, ok bool) {
	single := func(i int) (string, bool) {
		if i < 0 || i >= len(p.elems) {
			return "", false
		}
		el := &p.elems[i]
		if el.kind != elemWords || len(el.words) != 1 || len(el.tags) > 0 || strings.ContainsAny(el.src, "|@+") {
			return "", false
		}
		for w := range el.words {
			return w, true
		}
		return "", false
	}
	for i := range p.elems {
		el := &p.elems[i]
		if el.kind != elemWords || !strings.Contains(el.src, "|") {
			continue
		}
		for _, a := range strings.Split(el.src, "|") {
			if strings.HasPrefix(a, "@") {
				continue
			}
			a = normWord(strings.TrimSuffix(a, "+"))
			for _, j := range []int{i - 1, i + 1} {
				if w, ok := single(j); ok && w == a {
					return a, w, true
				}
			}
		}
	}
	return "", "", false
}

// compileElement compiles one element of phrase syntax.
func (c *compiler) compileElement(n *yaml.Node, f string) (element, bool) {
	el := element{kind: elemWords, words: map[string]bool{}, src: f}
	if f == "*" {
		return element{kind: elemGap, min: 1, max: 1, src: f}, true
	}
	if m := gapRe.FindStringSubmatch(f); m != nil {
		lo := 0
		if m[1] != "" {
			lo, _ = strconv.Atoi(m[1])
		}
		hi, _ := strconv.Atoi(m[2])
		if lo > hi || hi > 8 {
			c.errorf(n, "gap %s: need min <= max <= 8", f)
			return el, false
		}
		return element{kind: elemGap, min: lo, max: hi, src: f}, true
	}
	for _, alt := range strings.Split(f, "|") {
		if alt == "" {
			c.errorf(n, "empty alternative in %q", f)
			return el, false
		}
		if name, ok := strings.CutPrefix(alt, "@"); ok {
			cl, ok := c.classes[name]
			if !ok {
				c.errorf(n, "unknown class @%s (classes must be defined before themes)", name)
				return el, false
			}
			for w := range cl.words {
				el.words[w] = true
			}
			el.tags = append(el.tags, cl.tags...)
			continue
		}
		if base, ok := strings.CutSuffix(alt, "+"); ok {
			for _, form := range inflections(normWord(base), c.irregular) {
				c.addLiteral(&el, n, form)
			}
			continue
		}
		c.addLiteral(&el, n, alt)
	}
	return el, len(el.words) > 0 || len(el.tags) > 0
}

// addLiteral adds one literal word to el, reporting words the tokenizer
// would split (they could never match a single word of text).
func (c *compiler) addLiteral(el *element, n *yaml.Node, w string) {
	parts := c.splitWord(w)
	switch {
	case len(parts) == 0:
		c.errorf(n, "%q has no word", w)
	case len(parts) > 1:
		c.errorf(n, "%q is split by the tokenizer into %q: it can never match one word; write the parts as separate phrase words", w, parts)
	default:
		el.words[parts[0]] = true
	}
}

// splitWord runs a literal through the same tokenizer and splitting as the
// analysed text, returning the normalised words.
func (c *compiler) splitWord(w string) []string {
	var ws []word
	for i, tok := range c.tokenizer.Tokenize(w) {
		ws = appendWords(ws, tok.Text, utf8.RuneCountInString(w[:tok.Start]), tok.Start, "", i)
	}
	out := make([]string, 0, len(ws))
	for _, x := range ws {
		out = append(out, x.norm)
	}
	return out
}

// String renders a pattern canonically (sorted alternatives).
func (p *pattern) String() string {
	var b strings.Builder
	for i, el := range p.elems {
		if i > 0 {
			b.WriteByte(' ')
		}
		if el.kind == elemGap {
			fmt.Fprintf(&b, "{%d,%d}", el.min, el.max)
			continue
		}
		ws := make([]string, 0, len(el.words))
		for w := range el.words {
			ws = append(ws, w)
		}
		slices.Sort(ws)
		b.WriteString(strings.Join(ws, "|"))
		if len(el.tags) > 0 {
			b.WriteString("/" + strings.Join(el.tags, "|"))
		}
	}
	return b.String()
}

// canonical returns one word sequence the pattern matches (the
// alphabetically first alternative of each element, gaps at their minimum
// filled with "x"), or nil when an element matches only by tag.
func (p *pattern) canonical() []word {
	var out []word
	for _, el := range p.elems {
		if el.kind == elemGap {
			for range el.min {
				out = append(out, word{norm: "x"})
			}
			continue
		}
		if len(el.words) == 0 {
			return nil
		}
		ws := make([]string, 0, len(el.words))
		for w := range el.words {
			ws = append(ws, w)
		}
		slices.Sort(ws)
		out = append(out, word{norm: ws[0]})
	}
	for i := range out {
		out[i].start, out[i].end = i, i+1
	}
	return out
}

// matchesWithin reports whether p matches anywhere in ws.
func (p *pattern) matchesWithin(ws []word) bool {
	for i := range ws {
		if _, ok := p.matchAt(ws, i, nil); ok {
			return true
		}
	}
	return false
}

// inflections returns w with its regular English inflections (-s/-es/-ies,
// -ed/-d/-ied, -ing with e-dropping and consonant doubling) and any
// irregular forms. Over-generation is harmless: forms that are not words
// never occur in text.
func inflections(w string, irregular map[string][]string) []string {
	forms := []string{w}
	add := func(f ...string) { forms = append(forms, f...) }
	add(irregular[w]...)
	runes := []rune(w)
	n := len(runes)
	if n == 0 {
		return forms
	}
	last := runes[n-1]
	isVowel := func(r rune) bool { return strings.ContainsRune("aeiou", r) }
	consonantY := n >= 2 && last == 'y' && !isVowel(runes[n-2])
	switch {
	case consonantY:
		stem := string(runes[:n-1])
		add(stem+"ies", stem+"ied", w+"ing")
	case strings.HasSuffix(w, "ie"):
		stem := string(runes[:n-2])
		add(w+"s", w+"d", stem+"ying")
	case last == 'e':
		stem := string(runes[:n-1])
		add(w+"s", w+"d", stem+"ing")
		if strings.HasSuffix(w, "ee") || strings.HasSuffix(w, "ye") || strings.HasSuffix(w, "oe") {
			add(w + "ing")
		}
	default:
		if strings.HasSuffix(w, "s") || strings.HasSuffix(w, "x") || strings.HasSuffix(w, "z") ||
			strings.HasSuffix(w, "ch") || strings.HasSuffix(w, "sh") || strings.HasSuffix(w, "o") {
			add(w + "es")
		} else {
			add(w + "s")
		}
		add(w+"ed", w+"ing")
		// Consonant-vowel-consonant endings double ("stop" → "stopped").
		if n >= 3 && !isVowel(last) && isVowel(runes[n-2]) && !isVowel(runes[n-3]) &&
			!strings.ContainsRune("wxy", last) && unicodeLetter(last) {
			add(w+string(last)+"ed", w+string(last)+"ing")
		}
	}
	slices.Sort(forms)
	return slices.Compact(forms)
}

func unicodeLetter(r rune) bool { return r >= 'a' && r <= 'z' }
