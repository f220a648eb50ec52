package wordpress

import (
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"gopkg.in/yaml.v3"
)

// defaultSelectorsYAML is the embedded selector data (selectors.yaml).
//
//go:embed selectors.yaml
var defaultSelectorsYAML []byte

// defaultSelectors loads and validates the embedded data once.
var defaultSelectors = sync.OnceValues(func() (*Selectors, error) {
	return ParseSelectors(defaultSelectorsYAML)
})

// Selectors is the validated selector data that drives the adapter: the
// markup variants tried in order, where the post's metadata is, how the
// declared count is worded and where the comment pages are linked.
type Selectors struct {
	// Sniff lists lower-case markers of a WordPress page's first bytes.
	Sniff []string
	// DeepRepairs rewrite a page's bytes, in order, when it nests too
	// deeply to be parsed as is.
	DeepRepairs []Rewrite
	// Variants are the comment markup families, tried in order.
	Variants []*Variant
	// Post locates the post's own fields.
	Post PostSelectors
	// Count locates and reads the declared comment count.
	Count CountRules
	// Pagination locates links to the thread's other comment pages.
	Pagination PaginationSelectors
}

// Rewrite replaces every match of Find in a page's bytes by Replace
// (regexp.ReplaceAll syntax, $1 for groups).
type Rewrite struct {
	Find    *regexp.Regexp
	Replace []byte
}

// Variant is one markup family of comments. See selectors.yaml for the
// meaning of each field.
type Variant struct {
	// Name names the variant in logs and tests.
	Name string
	// Detect, when set, must match somewhere in the page.
	Detect *Selector
	// Comment matches the comment containers (pingbacks included).
	Comment *Selector
	// Exclude matches containers that are not comments (pingbacks).
	Exclude *Selector
	// IDAttrs are the container's attributes holding the comment ID.
	IDAttrs []string
	// IDInner matches inner elements whose id holds it (div-comment-N).
	IDInner *Selector
	// IDPattern extracts the ID: its first non-empty group.
	IDPattern *regexp.Regexp
	// Depth reads depth-N from class tokens and attribute names.
	Depth *regexp.Regexp
	// OP matches the container of a comment by the post's author.
	OP *Selector
	// Author, AuthorOwn (own text nodes), Time, TimeOwnText (own text
	// nodes) and Content are tried in order inside each comment.
	Author, AuthorOwn, Time, TimeOwnText, Content []*Selector
	// TimeAttrs are the time element's attributes that may hold a
	// machine-readable time with a zone (or Unix seconds), tried in order;
	// ["datetime"] by default.
	TimeAttrs []string
	// Strip is removed from the content before its text is taken.
	Strip *Selector
	// Children matches reply lists, never part of a comment's text.
	Children *Selector
}

// PostSelectors locates the post's fields; each list is tried in order.
type PostSelectors struct {
	URL, Title, Author, Published, Body []ValueRule
	// BodyStrip is removed from the body before text extraction.
	BodyStrip *Selector
}

// ValueRule reads a value from the first element matching Select: the
// attribute Attr, or the element's text when Attr is empty.
type ValueRule struct {
	Select *Selector
	Attr   string
}

// CountRules find the declared comment count.
type CountRules struct {
	// Select lists the elements whose text may hold the count, in order.
	Select []*Selector
	// Patterns read the count from such a text (named group "n").
	Patterns []*regexp.Regexp
	// Words maps a number written as a word ("one", "eine") to its value.
	Words map[string]int
}

// PaginationSelectors locate comment-page links and the current page.
type PaginationSelectors struct {
	Links      *Selector
	Current    *Selector
	Permalinks *Selector
}

// Selector is a compiled CSS selector group with its source text.
type Selector struct {
	cascadia.SelectorGroup
	// Text is the selector as written in the data.
	Text string
}

// Match reports whether n matches s; a nil s matches nothing.
func (s *Selector) Match(n *html.Node) bool {
	return s != nil && n.Type == html.ElementNode && s.SelectorGroup.Match(n)
}

// MatchAll returns the elements of n's subtree (n included) that match s,
// in document order, by an iterative walk. With Filter it makes s a
// goquery.Matcher.
func (s *Selector) MatchAll(n *html.Node) []*html.Node {
	var out []*html.Node
	for _, e := range elements(n) {
		if s.Match(e) {
			out = append(out, e)
		}
	}
	return out
}

// Filter returns the nodes that match s.
func (s *Selector) Filter(nodes []*html.Node) []*html.Node {
	var out []*html.Node
	for _, n := range nodes {
		if s.Match(n) {
			out = append(out, n)
		}
	}
	return out
}

// The YAML shapes. Scalars that need compiling are yaml.Node so errors can
// name their line.
type rawVariant struct {
	Name        yaml.Node `yaml:"name"`
	Detect      yaml.Node `yaml:"detect"`
	Comment     yaml.Node `yaml:"comment"`
	Exclude     yaml.Node `yaml:"exclude"`
	ID          rawID     `yaml:"id"`
	Depth       yaml.Node `yaml:"depth"`
	OP          yaml.Node `yaml:"op"`
	Author      yaml.Node `yaml:"author"`
	AuthorOwn   yaml.Node `yaml:"author_own_text"`
	Time        yaml.Node `yaml:"time"`
	TimeOwnText yaml.Node `yaml:"time_own_text"`
	TimeAttrs   []string  `yaml:"time_attrs"`
	Content     yaml.Node `yaml:"content"`
	Strip       yaml.Node `yaml:"strip"`
	Children    yaml.Node `yaml:"children"`
}

type rawID struct {
	Attrs   []string  `yaml:"attrs"`
	Inner   yaml.Node `yaml:"inner"`
	Pattern yaml.Node `yaml:"pattern"`
}

type rawRewrite struct {
	Find    yaml.Node `yaml:"find"`
	Replace string    `yaml:"replace"`
}

type rawValueRule struct {
	Select yaml.Node `yaml:"select"`
	Attr   string    `yaml:"attr"`
}

type rawPost struct {
	URL       []rawValueRule `yaml:"url"`
	Title     []rawValueRule `yaml:"title"`
	Author    []rawValueRule `yaml:"author"`
	Published []rawValueRule `yaml:"published"`
	Body      []rawValueRule `yaml:"body"`
	BodyStrip yaml.Node      `yaml:"body_strip"`
}

type rawCount struct {
	Select   yaml.Node      `yaml:"select"`
	Patterns yaml.Node      `yaml:"patterns"`
	Words    map[string]int `yaml:"words"`
}

type rawPagination struct {
	Links      yaml.Node `yaml:"links"`
	Current    yaml.Node `yaml:"current"`
	Permalinks yaml.Node `yaml:"permalinks"`
}

// ParseSelectors decodes and validates selector data in the format of the
// embedded selectors.yaml. Every selector and regexp is compiled; the
// first problem is returned as an error naming its line ("line 42: …").
// Unknown keys are errors too, so a typo cannot silently disable a rule.
func ParseSelectors(data []byte) (*Selectors, error) {
	var raw struct {
		Sniff       []string      `yaml:"sniff"`
		DeepRepairs []rawRewrite  `yaml:"deep_repairs"`
		Variants    []rawVariant  `yaml:"variants"`
		Post        rawPost       `yaml:"post"`
		Count       rawCount      `yaml:"count"`
		Pagination  rawPagination `yaml:"pagination"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("wordpress selectors: %w", err)
	}
	c := &compiler{}
	s := &Selectors{}
	for _, m := range raw.Sniff {
		if m = strings.ToLower(strings.TrimSpace(m)); m != "" {
			s.Sniff = append(s.Sniff, m)
		}
	}
	for i := range raw.DeepRepairs {
		items := c.scalars(&raw.DeepRepairs[i].Find)
		if len(items) != 1 {
			c.fail(&raw.DeepRepairs[i].Find, "deep repair needs one find pattern")
			continue
		}
		re, err := regexp.Compile(items[0].Value)
		if err != nil {
			c.fail(items[0], "bad pattern %q: %v", items[0].Value, err)
			continue
		}
		s.DeepRepairs = append(s.DeepRepairs, Rewrite{Find: re, Replace: []byte(raw.DeepRepairs[i].Replace)})
	}
	if len(raw.Variants) == 0 {
		return nil, errors.New("wordpress selectors: no variants")
	}
	names := map[string]bool{}
	for i := range raw.Variants {
		rv := &raw.Variants[i]
		v := &Variant{Name: rv.Name.Value}
		c.context = rv.Name.Line
		if v.Name == "" {
			c.fail(&rv.Name, "variant %d has no name", i+1)
		} else if names[v.Name] {
			c.fail(&rv.Name, "variant %q defined twice", v.Name)
		}
		names[v.Name] = true
		v.Detect = c.selector(&rv.Detect, false)
		v.Comment = c.selector(&rv.Comment, true)
		v.Exclude = c.selector(&rv.Exclude, false)
		v.IDAttrs = rv.ID.Attrs
		if len(v.IDAttrs) == 0 {
			v.IDAttrs = []string{"id"}
		}
		v.IDInner = c.selector(&rv.ID.Inner, false)
		v.IDPattern = c.regexp(&rv.ID.Pattern, true)
		v.Depth = c.regexp(&rv.Depth, false)
		v.OP = c.selector(&rv.OP, false)
		v.Author = c.selectorList(&rv.Author)
		v.AuthorOwn = c.selectorList(&rv.AuthorOwn)
		v.Time = c.selectorList(&rv.Time)
		v.TimeOwnText = c.selectorList(&rv.TimeOwnText)
		for _, a := range rv.TimeAttrs {
			if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
				v.TimeAttrs = append(v.TimeAttrs, a)
			}
		}
		if len(v.TimeAttrs) == 0 {
			v.TimeAttrs = []string{"datetime"}
		}
		v.Content = c.selectorList(&rv.Content)
		if len(v.Content) == 0 {
			c.fail(&rv.Comment, "variant %q has no content selector", v.Name)
		}
		v.Strip = c.selector(&rv.Strip, false)
		v.Children = c.selector(&rv.Children, false)
		s.Variants = append(s.Variants, v)
	}
	c.context = 0
	s.Post.URL = c.valueRules(raw.Post.URL)
	s.Post.Title = c.valueRules(raw.Post.Title)
	s.Post.Author = c.valueRules(raw.Post.Author)
	s.Post.Published = c.valueRules(raw.Post.Published)
	s.Post.Body = c.valueRules(raw.Post.Body)
	s.Post.BodyStrip = c.selector(&raw.Post.BodyStrip, false)
	s.Count.Select = c.selectorList(&raw.Count.Select)
	for _, n := range c.scalars(&raw.Count.Patterns) {
		re := c.regexp(n, true)
		if re != nil && re.SubexpIndex("n") < 0 {
			c.fail(n, "count pattern %q has no group (?P<n>…)", n.Value)
		}
		if re != nil {
			s.Count.Patterns = append(s.Count.Patterns, re)
		}
	}
	s.Count.Words = map[string]int{}
	for w, n := range raw.Count.Words {
		s.Count.Words[strings.ToLower(w)] = n
	}
	s.Pagination.Links = c.selector(&raw.Pagination.Links, false)
	s.Pagination.Current = c.selector(&raw.Pagination.Current, false)
	s.Pagination.Permalinks = c.selector(&raw.Pagination.Permalinks, false)
	if c.err != nil {
		return nil, fmt.Errorf("wordpress selectors: %w", c.err)
	}
	return s, nil
}

// compiler compiles YAML scalars, keeping the first error with its line.
type compiler struct {
	err error
	// context is the line reported for a missing key (the enclosing
	// entry's line), 0 when unknown.
	context int
}

func (c *compiler) fail(n *yaml.Node, format string, args ...any) {
	if c.err != nil {
		return
	}
	msg := fmt.Sprintf(format, args...)
	switch {
	case n != nil && n.Line > 0:
		msg = fmt.Sprintf("line %d: %s", n.Line, msg)
	case c.context > 0:
		msg = fmt.Sprintf("line %d: %s", c.context, msg)
	}
	c.err = errors.New(msg)
}

// scalars returns n itself when it is a scalar, or its items when it is a
// sequence of scalars.
func (c *compiler) scalars(n *yaml.Node) []*yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case 0:
		return nil
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil
		}
		return []*yaml.Node{n}
	case yaml.SequenceNode:
		var out []*yaml.Node
		for _, item := range n.Content {
			if item.Kind == yaml.AliasNode && item.Alias != nil {
				item = item.Alias
			}
			if item.Kind != yaml.ScalarNode {
				c.fail(item, "expected a string")
				continue
			}
			out = append(out, item)
		}
		return out
	}
	c.fail(n, "expected a string or a list of strings")
	return nil
}

func (c *compiler) selector(n *yaml.Node, required bool) *Selector {
	items := c.scalars(n)
	if len(items) == 0 {
		if required {
			c.fail(n, "missing required selector")
		}
		return nil
	}
	if len(items) > 1 {
		c.fail(items[1], "expected one selector group, got a list (join with commas)")
		return nil
	}
	return c.compile(items[0])
}

func (c *compiler) selectorList(n *yaml.Node) []*Selector {
	var out []*Selector
	for _, item := range c.scalars(n) {
		if s := c.compile(item); s != nil {
			out = append(out, s)
		}
	}
	return out
}

func (c *compiler) compile(n *yaml.Node) *Selector {
	text := strings.Join(strings.Fields(n.Value), " ")
	if text == "" {
		c.fail(n, "empty selector")
		return nil
	}
	g, err := cascadia.ParseGroup(text)
	if err != nil {
		c.fail(n, "bad selector %q: %v", text, err)
		return nil
	}
	return &Selector{SelectorGroup: g, Text: text}
}

func (c *compiler) regexp(n *yaml.Node, required bool) *regexp.Regexp {
	items := c.scalars(n)
	if len(items) == 0 {
		if required {
			c.fail(n, "missing required pattern")
		}
		return nil
	}
	re, err := regexp.Compile(items[0].Value)
	if err != nil {
		c.fail(items[0], "bad pattern %q: %v", items[0].Value, err)
		return nil
	}
	if re.NumSubexp() < 1 {
		c.fail(items[0], "pattern %q has no capturing group", items[0].Value)
		return nil
	}
	return re
}

func (c *compiler) valueRules(rules []rawValueRule) []ValueRule {
	var out []ValueRule
	for i := range rules {
		s := c.selector(&rules[i].Select, true)
		if s != nil {
			out = append(out, ValueRule{Select: s, Attr: rules[i].Attr})
		}
	}
	return out
}
