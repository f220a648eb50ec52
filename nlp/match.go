package nlp

import (
	"cmp"
	"slices"
)

// matches reports whether el matches one word (gaps are handled by the
// pattern walk). Punctuation matches only as a literal.
func (el *element) matches(w *word) bool {
	if el.words[w.norm] {
		return true
	}
	if w.punct {
		return false
	}
	for _, t := range el.tags {
		if tagMatches(t, w.tag) {
			return true
		}
	}
	return false
}

// matchAt tries p at ws[i]. On success it returns the end index (exclusive)
// and, when pos is non-nil, fills pos[k] with the index of the word matched
// by element k (-1 for gaps). Gaps prefer the shortest fill and never span
// punctuation. The walk recurses over pattern elements, whose number the
// lexicon bounds, never over input length.
func (p *pattern) matchAt(ws []word, i int, pos []int) (int, bool) {
	return p.walk(ws, 0, i, pos)
}

func (p *pattern) walk(ws []word, k, i int, pos []int) (int, bool) {
	if k == len(p.elems) {
		return i, true
	}
	el := &p.elems[k]
	if el.kind == elemGap {
		if pos != nil {
			pos[k] = -1
		}
		// Try every fill from min to max, shortest first.
		for n := 0; n <= el.max; n++ {
			if n > 0 {
				j := i + n - 1
				if j >= len(ws) || ws[j].punct {
					return 0, false
				}
			}
			if n < el.min {
				continue
			}
			if end, ok := p.walk(ws, k+1, i+n, pos); ok {
				return end, true
			}
		}
		return 0, false
	}
	if i >= len(ws) || !el.matches(&ws[i]) {
		return 0, false
	}
	if pos != nil {
		pos[k] = i
	}
	return p.walk(ws, k+1, i+1, pos)
}

// span is a match of a cue in one sentence's word stream: words [from, to).
type span struct {
	cue      *cue
	from, to int
}

// matchSentence returns the cue matches in one sentence's word stream,
// after requirements and exclusions, with same-theme matches nested in a
// longer one dropped. Order: by start, longer first, then lexicon order.
func (l *Lexicon) matchSentence(ws []word) []span {
	var out []span
	var pos []int
	lastEnd := map[*cue]int{}
	try := func(cu *cue, i int) {
		if end, ok := lastEnd[cu]; ok && i < end {
			return // no overlapping repeats of one cue
		}
		if cap(pos) < len(cu.pat.elems) {
			pos = make([]int, len(cu.pat.elems))
		}
		pos = pos[:len(cu.pat.elems)]
		end, ok := cu.pat.matchAt(ws, i, pos)
		if !ok || !cu.satisfied(ws, i, end, pos) || cu.vetoed(ws, i, end) {
			return
		}
		lastEnd[cu] = end
		out = append(out, span{cue: cu, from: i, to: end})
	}
	for i := range ws {
		for _, cu := range l.byFirst[ws[i].norm] {
			try(cu, i)
		}
		for _, cu := range l.unindexed {
			try(cu, i)
		}
	}
	if len(out) < 2 {
		return out
	}
	// Drop a match nested inside a longer match of the same theme ("fault"
	// inside "my fault"); equal spans keep the earlier cue.
	keep := out[:0:0]
	for a, x := range out {
		nested := false
		for b, y := range out {
			if a == b || x.cue.theme != y.cue.theme {
				continue
			}
			if y.from <= x.from && x.to <= y.to &&
				(y.to-y.from > x.to-x.from || (y.to-y.from == x.to-x.from && y.cue.order < x.cue.order)) {
				nested = true
				break
			}
		}
		if !nested {
			keep = append(keep, x)
		}
	}
	slices.SortStableFunc(keep, func(x, y span) int {
		return cmp.Or(cmp.Compare(x.from, y.from), cmp.Compare(y.to, x.to), cmp.Compare(x.cue.order, y.cue.order))
	})
	return keep
}

// isQuoteMark reports whether norm is a quotation mark word (typographic
// quotes are folded to ASCII by normRune).
func isQuoteMark(norm string) bool { return norm == "\"" || norm == "'" }

// satisfied checks the cue's requirements on the match ws[from:to] whose
// element k matched word pos[k]. A `near` look-around stops at punctuation
// but steps over quotation marks without counting them, so a script in
// quotes ("not “who did this”") keeps its context.
func (cu *cue) satisfied(ws []word, from, to int, pos []int) bool {
	for _, r := range cu.requires {
		if r.near == nil {
			i := pos[r.at]
			if i < 0 {
				return false
			}
			ok := false
			for _, g := range r.pos {
				if tagMatches(g, ws[i].tag) {
					ok = true
					break
				}
			}
			if !ok {
				return false
			}
			continue
		}
		found := false
		if r.side != sideAfter {
			for j, n := from-1, 0; j >= 0 && n < r.within; j-- {
				if isQuoteMark(ws[j].norm) {
					continue // quotes around a script do not end the context
				}
				if ws[j].punct {
					break
				}
				if r.near.matches(&ws[j]) {
					found = true
					break
				}
				n++
			}
		}
		if !found && r.side != sideBefore {
			for j, n := to, 0; j < len(ws) && n < r.within; j++ {
				if isQuoteMark(ws[j].norm) {
					continue
				}
				if ws[j].punct {
					break
				}
				if r.near.matches(&ws[j]) {
					found = true
					break
				}
				n++
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// vetoed reports whether an exclusion of the cue or its theme matches a
// span of the sentence that overlaps ws[from:to].
func (cu *cue) vetoed(ws []word, from, to int) bool {
	check := func(ex *pattern) bool {
		// An overlapping match starts before `to` and ends after `from`;
		// a pattern can be at most len(ws) long, so scan starts from the
		// beginning of the sentence up to to-1.
		for j := 0; j < to; j++ {
			if end, ok := ex.matchAt(ws, j, nil); ok && end > from {
				return true
			}
		}
		return false
	}
	for _, ex := range cu.excludes {
		if check(ex) {
			return true
		}
	}
	for _, ex := range cu.theme.excludes {
		if check(ex) {
			return true
		}
	}
	return false
}
