package scrape

import (
	"strconv"
	"testing"
)

type flat struct{ id, parent string }

func mk(rows ...flat) []Comment {
	out := make([]Comment, len(rows))
	for i, r := range rows {
		out[i] = Comment{ID: r.id, ParentID: r.parent}
	}
	return out
}

func TestBuildTree(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		reason   string
		in       []Comment
		wantID   []string
		wantPar  []string
		depth    []int
		position []int
		repairs  Repairs
	}{
		{
			name:     "simple",
			reason:   "a reply nests under its parent; siblings are numbered in document order",
			in:       mk(flat{"1", ""}, flat{"2", "1"}, flat{"3", "1"}, flat{"4", ""}),
			wantID:   []string{"1", "2", "3", "4"},
			wantPar:  []string{"", "1", "1", ""},
			depth:    []int{1, 2, 2, 1},
			position: []int{1, 1, 2, 2},
		},
		{
			name:     "orphan",
			reason:   "a parent that is not in the thread makes the comment top level",
			in:       mk(flat{"1", ""}, flat{"2", "99"}),
			wantID:   []string{"1", "2"},
			wantPar:  []string{"", ""},
			depth:    []int{1, 1},
			position: []int{1, 2},
			repairs:  Repairs{Orphans: 1},
		},
		{
			name:     "duplicate",
			reason:   "a repeated ID is suffixed, and replies keep pointing at the first",
			in:       mk(flat{"1", ""}, flat{"1", ""}, flat{"2", "1"}),
			wantID:   []string{"1", "1~2", "2"},
			wantPar:  []string{"", "", "1"},
			depth:    []int{1, 1, 2},
			position: []int{1, 2, 1},
			repairs:  Repairs{DuplicateIDs: 1},
		},
		{
			name:     "cycle",
			reason:   "a loop of parents is cut at its first comment in the page",
			in:       mk(flat{"a", "c"}, flat{"b", "a"}, flat{"c", "b"}),
			wantID:   []string{"a", "b", "c"},
			wantPar:  []string{"", "a", "b"},
			depth:    []int{1, 2, 3},
			position: []int{1, 1, 1},
			repairs:  Repairs{Cycles: 1},
		},
		{
			name:     "self parent",
			reason:   "a comment replying to itself is a one-comment cycle",
			in:       mk(flat{"a", "a"}),
			wantID:   []string{"a"},
			wantPar:  []string{""},
			depth:    []int{1},
			position: []int{1},
			repairs:  Repairs{Cycles: 1},
		},
		{
			name:     "reply before parent",
			reason:   "document order need not be tree order",
			in:       mk(flat{"2", "1"}, flat{"1", ""}),
			wantID:   []string{"2", "1"},
			wantPar:  []string{"1", ""},
			depth:    []int{2, 1},
			position: []int{1, 1},
		},
		{
			name:     "empty id",
			reason:   "a comment without ID gets a positional one",
			in:       mk(flat{"", ""}, flat{"x", ""}),
			wantID:   []string{"c1", "x"},
			wantPar:  []string{"", ""},
			depth:    []int{1, 1},
			position: []int{1, 2},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, rep := BuildTree(tc.in)
			if rep != tc.repairs {
				t.Errorf("repairs = %+v, want %+v (%s)", rep, tc.repairs, tc.reason)
			}
			for i, c := range got {
				if c.ID != tc.wantID[i] || c.ParentID != tc.wantPar[i] || c.Depth != tc.depth[i] || c.Position != tc.position[i] || c.DocOrder != i+1 {
					t.Errorf("comment %d = {id %q parent %q depth %d pos %d order %d}, want {%q %q %d %d %d} (%s)",
						i, c.ID, c.ParentID, c.Depth, c.Position, c.DocOrder,
						tc.wantID[i], tc.wantPar[i], tc.depth[i], tc.position[i], i+1, tc.reason)
				}
			}
		})
	}
}

func TestBuildTreeDeepAndWide(t *testing.T) {
	t.Parallel()
	const deep = 10000
	chain := make([]Comment, deep)
	for i := range chain {
		chain[i].ID = strconv.Itoa(i)
		if i > 0 {
			chain[i].ParentID = strconv.Itoa(i - 1)
		}
	}
	// Reverse document order so the walk starts at the deepest leaf.
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	got, _ := BuildTree(chain)
	if got[0].Depth != deep {
		t.Errorf("deepest comment depth = %d, want %d", got[0].Depth, deep)
	}
	const wide = 100000
	flat := make([]Comment, wide+1)
	flat[0].ID = "root"
	for i := 1; i <= wide; i++ {
		flat[i] = Comment{ID: strconv.Itoa(i), ParentID: "root"}
	}
	got, _ = BuildTree(flat)
	if got[wide].Position != wide || got[wide].Depth != 2 {
		t.Errorf("last sibling = pos %d depth %d, want %d, 2", got[wide].Position, got[wide].Depth, wide)
	}
}

func FuzzBuildTree(f *testing.F) {
	f.Add("1,;2,1;3,2;4,9;5,5;1,3")
	f.Fuzz(func(t *testing.T, spec string) {
		var cs []Comment
		for _, part := range splitAll(spec, ';') {
			id, parent, _ := cut(part, ',')
			cs = append(cs, Comment{ID: id, ParentID: parent})
		}
		got, _ := BuildTree(cs)
		byID := map[string]Comment{}
		for _, c := range got {
			if _, dup := byID[c.ID]; dup {
				t.Fatalf("duplicate id %q after repair", c.ID)
			}
			byID[c.ID] = c
		}
		for _, c := range got {
			if c.ParentID == "" {
				if c.Depth != 1 {
					t.Fatalf("top-level %q depth %d", c.ID, c.Depth)
				}
				continue
			}
			p, ok := byID[c.ParentID]
			if !ok {
				t.Fatalf("parent %q of %q missing", c.ParentID, c.ID)
			}
			if c.Depth != p.Depth+1 {
				t.Fatalf("depth of %q = %d, parent depth %d", c.ID, c.Depth, p.Depth)
			}
		}
	})
}

func splitAll(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == sep {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

func cut(s string, sep byte) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}
