package wordpress

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/threadlens/threadlens/scrape"
	"golang.org/x/net/html"
)

// elements returns the element nodes under root in document order, by an
// iterative pre-order walk.
func elements(root *html.Node) []*html.Node {
	var out []*html.Node
	n := root
	for n != nil {
		if n.Type == html.ElementNode {
			out = append(out, n)
		}
		if n.FirstChild != nil {
			n = n.FirstChild
			continue
		}
		for n != nil && n != root && n.NextSibling == nil {
			n = n.Parent
		}
		if n == nil || n == root {
			break
		}
		n = n.NextSibling
	}
	return out
}

// pageComments is what one page yields: its comments with parents
// resolved on that page, and the variant that matched.
type pageComments struct {
	variant  *Variant
	comments []scrape.Comment
	// excluded counts pingbacks and trackbacks left out.
	excluded int
	// owner maps an element to the index (in the variant's container list)
	// of the comment container it belongs to; absent means none.
	owner map[*html.Node]int
	// ids maps a comment ID on this page to true.
	ids map[string]bool
}

// container is one matched comment container before it becomes a Comment.
type container struct {
	node      *html.Node
	id        string
	depthHint int
	excluded  bool
	domParent int // index of the nearest enclosing container, -1 for none
	parent    int // resolved parent index, -1 for top level
}

// extractComments finds the page's comments with the first variant that
// applies. nodes are the page's elements in document order.
func (s *Selectors) extractComments(nodes []*html.Node) pageComments {
	for _, v := range s.Variants {
		if v.Detect != nil && !anyMatch(nodes, v.Detect) {
			continue
		}
		var found []*html.Node
		for _, n := range nodes {
			if v.Comment.Match(n) {
				found = append(found, n)
			}
		}
		if len(found) == 0 {
			continue
		}
		return v.extract(nodes, found)
	}
	return pageComments{}
}

func anyMatch(nodes []*html.Node, sel *Selector) bool {
	for _, n := range nodes {
		if sel.Match(n) {
			return true
		}
	}
	return false
}

// extract turns the matched containers into comments.
func (v *Variant) extract(nodes, found []*html.Node) pageComments {
	// Identities first: a container nested in another with the same ID
	// (li#comment-5 > article#comment-5) is the same comment.
	isContainer := make(map[*html.Node]int, len(found))
	var cs []container
	for _, n := range found {
		id := v.nodeID(n)
		if id != "" {
			if up := nearestContainer(n.Parent, isContainer); up >= 0 && cs[up].id == id {
				continue
			}
		}
		isContainer[n] = len(cs)
		cs = append(cs, container{node: n, id: id, depthHint: v.depthOf(n), excluded: v.Exclude.Match(n)})
	}
	// Ownership: each element belongs to its nearest enclosing container.
	// nodes is in pre-order, so a parent is always settled before its
	// children.
	owner := make(map[*html.Node]int, len(nodes))
	var owned []*html.Node
	for _, n := range nodes {
		if i, ok := isContainer[n]; ok {
			owner[n] = i
			owned = append(owned, n)
			continue
		}
		if n.Parent != nil {
			if i, ok := owner[n.Parent]; ok {
				owner[n] = i
				owned = append(owned, n)
			}
		}
	}
	for i := range cs {
		cs[i].domParent = -1
		if p := cs[i].node.Parent; p != nil {
			if o, ok := owner[p]; ok {
				cs[i].domParent = o
			}
		}
	}
	// Inner ids (div-comment-N) for containers without their own.
	if v.IDInner != nil {
		for _, n := range owned {
			i := owner[n]
			if cs[i].id != "" || n == cs[i].node || !v.IDInner.Match(n) {
				continue
			}
			cs[i].id = matchID(v.IDPattern, attr(n, "id"))
		}
	}
	resolveParents(cs)

	authors := firstOwned(owned, owner, len(cs), v.Author)
	ownAuthors := firstOwned(owned, owner, len(cs), v.AuthorOwn)
	times := firstOwned(owned, owner, len(cs), v.Time)
	ownTimes := firstOwned(owned, owner, len(cs), v.TimeOwnText)
	contents := firstOwned(owned, owner, len(cs), v.Content)

	// Comments in document order; replies of an excluded container go to
	// its nearest kept ancestor.
	out := pageComments{variant: v, owner: owner, ids: map[string]bool{}}
	for i, c := range cs {
		if c.excluded {
			out.excluded++
			continue
		}
		p := c.parent
		for p >= 0 && cs[p].excluded {
			p = cs[p].parent
		}
		com := scrape.Comment{
			ID:        c.id,
			DepthHint: c.depthHint,
			IsOP:      v.OP.Match(c.node),
		}
		if p >= 0 {
			// A parent without an ID leaves the reply top level: BuildTree
			// names ID-less comments by their place in the merged thread,
			// which is not known yet.
			com.ParentID = cs[p].id
		}
		if a := authors[i]; a != nil {
			com.Author = foldSpace(textContent(a))
		}
		if a := ownAuthors[i]; com.Author == "" && a != nil {
			com.Author = foldSpace(ownText(a))
		}
		if t := times[i]; t != nil {
			com.PostedRaw = foldSpace(textContent(t))
			for _, key := range v.TimeAttrs {
				dt, ok := attrOK(t, key)
				if !ok {
					continue
				}
				if com.PostedRaw == "" {
					com.PostedRaw = strings.TrimSpace(dt)
				}
				if at, ok := parseZoned(dt); ok {
					com.PostedAt = &at
					break
				}
			}
		} else if t := ownTimes[i]; t != nil {
			com.PostedRaw = foldSpace(ownText(t))
		}
		if body := contents[i]; body != nil {
			com.Text = scrape.TextFromHTML(v.contentClone(body, i, owner))
		}
		if com.ID != "" {
			out.ids[com.ID] = true
		}
		out.comments = append(out.comments, com)
	}
	return out
}

// nodeID reads the comment ID from the container's own attributes.
func (v *Variant) nodeID(n *html.Node) string {
	for _, key := range v.IDAttrs {
		if val, ok := attrOK(n, key); ok {
			if id := matchID(v.IDPattern, val); id != "" {
				return id
			}
		}
	}
	return ""
}

func matchID(re *regexp.Regexp, val string) string {
	m := re.FindStringSubmatch(strings.TrimSpace(val))
	for _, g := range m[min(1, len(m)):] {
		if g != "" {
			return g
		}
	}
	return ""
}

// depthOf reads a depth-N hint from the class tokens or, for mangled
// start tags, from the attribute names.
func (v *Variant) depthOf(n *html.Node) int {
	if v.Depth == nil {
		return 0
	}
	try := func(s string) int {
		m := v.Depth.FindStringSubmatch(s)
		if len(m) < 2 {
			return 0
		}
		d, err := strconv.Atoi(m[1])
		if err != nil || d < 1 || d > 1<<20 {
			return 0
		}
		return d
	}
	for _, tok := range strings.Fields(attr(n, "class")) {
		if d := try(tok); d > 0 {
			return d
		}
	}
	for _, a := range n.Attr {
		if d := try(a.Key); d > 0 {
			return d
		}
	}
	return 0
}

// nearestContainer returns the index of the nearest container at or above
// n, or -1.
func nearestContainer(n *html.Node, isContainer map[*html.Node]int) int {
	for ; n != nil; n = n.Parent {
		if i, ok := isContainer[n]; ok {
			return i
		}
	}
	return -1
}

// resolveParents sets each container's parent. When every container
// carries a depth-N hint and the hints form a valid sequence (the first
// is 1, none jumps more than one level deeper), the hints win: the parent
// is the nearest previous container one level up. This repairs markup
// whose DOM nesting is broken (a </li> before the children list, stray
// </li>, start tags an HTML parser cannot close). Otherwise the DOM
// nesting decides.
func resolveParents(cs []container) {
	useHints := len(cs) > 0
	last := make([]int, 0, 16) // last[d-1] = index of the latest container at depth d
	for i := range cs {
		d := cs[i].depthHint
		if d < 1 || d > len(last)+1 {
			useHints = false
			break
		}
		last = append(last[:d-1], i)
	}
	last = last[:0]
	for i := range cs {
		if !useHints {
			cs[i].parent = cs[i].domParent
			continue
		}
		d := cs[i].depthHint
		last = append(last[:d-1], i)
		if d == 1 {
			cs[i].parent = -1
		} else {
			cs[i].parent = last[d-2]
		}
	}
}

// firstOwned returns, per container, the first element it owns that
// matches the earliest selector of sels that matches any of its elements.
func firstOwned(owned []*html.Node, owner map[*html.Node]int, n int, sels []*Selector) []*html.Node {
	out := make([]*html.Node, n)
	left := n
	for _, sel := range sels {
		if left == 0 {
			break
		}
		for _, node := range owned {
			i := owner[node]
			if out[i] != nil || !sel.Match(node) {
				continue
			}
			out[i] = node
			left--
		}
	}
	return out
}

// contentClone copies the content element of container idx, leaving out
// what the variant strips, reply lists, and everything that belongs to
// another (nested) comment. The copy is detached from the document.
func (v *Variant) contentClone(root *html.Node, idx int, owner map[*html.Node]int) *html.Node {
	keep := func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		if o, ok := owner[n]; ok && o != idx {
			return false
		}
		return !v.Strip.Match(n) && !v.Children.Match(n)
	}
	return cloneFiltered(root, keep)
}

// cloneFiltered deep-copies root (iteratively), skipping the subtrees of
// descendants for which keep is false.
func cloneFiltered(root *html.Node, keep func(*html.Node) bool) *html.Node {
	copyOf := func(n *html.Node) *html.Node {
		return &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace, Attr: n.Attr}
	}
	top := copyOf(root)
	type frame struct{ src, dst *html.Node }
	stack := []frame{{root, top}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		// Push children in reverse so they are appended in order: append
		// the copies now, descend later.
		var kids []frame
		for c := f.src.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.CommentNode || !keep(c) {
				continue
			}
			cp := copyOf(c)
			f.dst.AppendChild(cp)
			kids = append(kids, frame{c, cp})
		}
		for k := len(kids) - 1; k >= 0; k-- {
			stack = append(stack, kids[k])
		}
	}
	return top
}

// textContent is the concatenated text of n's subtree without script and
// style, by an iterative walk.
func textContent(root *html.Node) string {
	var b strings.Builder
	n := root
	for n != nil {
		descend := true
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "noscript", "template":
				descend = false
			}
			if blockLike(n.Data) {
				b.WriteByte(' ')
			}
		}
		if descend && n.FirstChild != nil {
			n = n.FirstChild
			continue
		}
		for n != nil && n != root && n.NextSibling == nil {
			n = n.Parent
		}
		if n == nil || n == root {
			break
		}
		n = n.NextSibling
	}
	return b.String()
}

func blockLike(tag string) bool {
	switch tag {
	case "p", "div", "br", "li", "span", "h1", "h2", "h3", "h4", "h5", "h6", "time":
		return true
	}
	return false
}

// ownText is the text of n's direct text children only.
func ownText(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// foldSpace trims s and folds runs of white space to one space.
func foldSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// zonedLayouts are the machine-readable time forms accepted; each carries
// a zone. A time without one is never guessed.
var zonedLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04:05 -0700",
	time.RFC1123Z,
}

// parseZoned parses a machine-readable time that names its zone and
// returns it in UTC. A bare integer of 9 to 11 digits is Unix seconds and
// one of 13 digits Unix milliseconds (tagDiv themes write the GMT time as
// <time pubdate="1709651640">); both are zone-free instants.
func parseZoned(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if n := len(s); (n >= 9 && n <= 11) || n == 13 {
		if v, err := strconv.ParseInt(s, 10, 64); err == nil && v > 0 {
			if n == 13 {
				return time.UnixMilli(v).UTC(), true
			}
			return time.Unix(v, 0).UTC(), true
		}
	}
	for _, layout := range zonedLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
