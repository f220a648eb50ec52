package scrape

import (
	"strconv"
)

// BuildTree rebuilds the reply tree of comments given in document order.
//
// Each comment's ID and ParentID are read; Depth, Position and DocOrder are
// recomputed. Defects are repaired, never fatal: an empty ID gets a
// positional ID ("c7" for the 7th comment); a repeated ID gets a suffix
// ("123~2"); a comment whose parent is missing becomes top level; a parent
// chain that loops is cut at its first comment in document order, which
// becomes top level. Repairs are
// counted in the returned [Repairs]. A reply that precedes its parent in
// document order is kept where it is.
//
// The walk is iterative, so a chain 10,000 deep or 100,000 siblings cost
// no stack. The slice is modified in place and returned.
func BuildTree(comments []Comment) ([]Comment, Repairs) {
	var rep Repairs
	index := make(map[string]int, len(comments))
	seen := make(map[string]int, len(comments))
	// Pass 1: identities.
	for i := range comments {
		c := &comments[i]
		c.DocOrder = i + 1
		if c.ID == "" {
			c.ID = "c" + strconv.Itoa(i+1)
		}
		if _, dup := index[c.ID]; dup {
			rep.DuplicateIDs++
			base := c.ID
			for n := seen[base] + 1; ; n++ {
				candidate := base + "~" + strconv.Itoa(n)
				if _, taken := index[candidate]; !taken {
					seen[base] = n
					c.ID = candidate
					break
				}
			}
		} else {
			seen[c.ID] = 1
		}
		index[c.ID] = i
	}
	// Pass 2: orphans and self-parents.
	for i := range comments {
		c := &comments[i]
		if c.ParentID == "" {
			continue
		}
		if p, ok := index[c.ParentID]; !ok {
			rep.Orphans++
			c.ParentID = ""
		} else if p == i {
			rep.Cycles++
			c.ParentID = ""
		}
	}
	// Pass 3: depths, iteratively, cutting cycles.
	const (
		unvisited = 0
		onPath    = 1
		done      = 2
	)
	state := make([]uint8, len(comments))
	var path []int
	for i := range comments {
		if state[i] == done {
			continue
		}
		for {
			path = path[:0]
			cur := i
			cycle := false
			for state[cur] != done {
				if state[cur] == onPath {
					// The chain loops back to cur: cut the loop at its
					// member that comes first in the page, which becomes
					// top level, then walk again.
					first := cur
					for k := len(path) - 1; k >= 0 && path[k] != cur; k-- {
						if path[k] < first {
							first = path[k]
						}
					}
					comments[first].ParentID = ""
					rep.Cycles++
					cycle = true
					break
				}
				state[cur] = onPath
				path = append(path, cur)
				pid := comments[cur].ParentID
				if pid == "" {
					break
				}
				cur = index[pid]
			}
			if cycle {
				for _, n := range path {
					state[n] = unvisited
				}
				continue
			}
			for k := len(path) - 1; k >= 0; k-- {
				n := path[k]
				if comments[n].ParentID == "" {
					comments[n].Depth = 1
				} else {
					comments[n].Depth = comments[index[comments[n].ParentID]].Depth + 1
				}
				state[n] = done
			}
			break
		}
	}
	// Pass 4: positions among siblings in document order.
	children := make(map[string]int, len(comments))
	for i := range comments {
		children[comments[i].ParentID]++
		comments[i].Position = children[comments[i].ParentID]
	}
	return comments, rep
}
