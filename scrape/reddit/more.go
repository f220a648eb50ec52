package reddit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/threadlens/threadlens/scrape"
)

// MaxMoreRequests bounds the requests one thread's stub expansion makes
// (morechildren batches and continue-this-thread permalinks together).
const MaxMoreRequests = 100

// maxMoreIDs is the most comment ids one morechildren request asks for,
// the API's documented limit.
const maxMoreIDs = 100

// maxMoreRounds bounds how often stubs brought by a fetch are fetched in
// turn.
const maxMoreRounds = 8

// moreChildrenURL is the morechildren endpoint; the tests point it at an
// httptest server through the Fetch function, not by changing it.
const moreChildrenURL = "https://www.reddit.com/api/morechildren.json"

// moreResponse is the body of /api/morechildren with api_type=json: a flat
// list of things (comments and further stubs) carrying their parent_id.
type moreResponse struct {
	JSON struct {
		Errors [][]any `json:"errors"`
		Data   struct {
			Things []thing `json:"things"`
		} `json:"data"`
	} `json:"json"`
}

// expand fetches the tree's stubs, round by round, and puts what they
// bring in their place. It stops at MaxMoreRequests requests; stubs left
// are still counted by thread().
func (t *tree) expand(ctx context.Context, fetch scrape.FetchFunc) error {
	var errs []error
	requests := 0
	tried := make(map[*stub]bool)
	for range maxMoreRounds {
		var more, cont []*stub
		for _, s := range t.stubs() {
			if tried[s] {
				continue
			}
			tried[s] = true
			if s.cont {
				cont = append(cont, s)
			} else {
				more = append(more, s)
			}
		}
		if len(more)+len(cont) == 0 || requests >= MaxMoreRequests {
			break
		}
		n, err := t.fetchMore(ctx, fetch, more, MaxMoreRequests-requests)
		requests += n
		if err != nil {
			errs = append(errs, err)
		}
		for _, s := range cont {
			if requests >= MaxMoreRequests || ctx.Err() != nil {
				break
			}
			requests++
			if err := t.fetchContinue(ctx, fetch, s); err != nil {
				errs = append(errs, err)
			}
		}
		if ctx.Err() != nil {
			errs = append(errs, ctx.Err())
			break
		}
	}
	return errors.Join(errs...)
}

// stubs lists the stubs still in the tree, in document order.
func (t *tree) stubs() []*stub {
	var out []*stub
	stack := reversed(t.kids[""])
	seen := make(map[string]bool)
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if e.stub != nil {
			out = append(out, e.stub)
			continue
		}
		if seen[e.id] {
			continue
		}
		seen[e.id] = true
		stack = append(stack, reversed(t.kids[e.id])...)
	}
	return out
}

// fetchMore asks /api/morechildren for the children of stubs, at most
// maxMoreIDs ids and budget requests, and splices the answers in. It
// returns the number of requests made.
func (t *tree) fetchMore(ctx context.Context, fetch scrape.FetchFunc, stubs []*stub, budget int) (int, error) {
	owner := make(map[string]*stub)
	byParent := make(map[string]*stub)
	var ids []string
	for _, s := range stubs {
		for _, id := range s.children {
			id = strings.TrimPrefix(id, "t1_")
			if _, dup := owner[id]; dup || id == "" {
				continue
			}
			owner[id] = s
			ids = append(ids, id)
		}
		if _, ok := byParent[s.parent]; !ok {
			byParent[s.parent] = s
		}
	}
	collected := make(map[*stub][]entry)
	asked := make(map[string]bool)
	var errs []error
	requests := 0
	for start := 0; start < len(ids) && requests < budget && ctx.Err() == nil; start += maxMoreIDs {
		batch := ids[start:min(start+maxMoreIDs, len(ids))]
		requests++
		q := url.Values{}
		q.Set("api_type", "json")
		q.Set("link_id", "t3_"+t.postID)
		q.Set("children", strings.Join(batch, ","))
		q.Set("raw_json", "1")
		u := moreChildrenURL + "?" + q.Encode()
		things, err := getMore(ctx, fetch, u)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, id := range batch {
			asked[id] = true
		}
		for i := range things {
			th := &things[i]
			d := &th.Data
			id := strings.TrimPrefix(d.ID, "t1_")
			pk := parentKey(d.ParentID)
			target := byParent[pk]
			if s, ok := owner[id]; ok && th.Kind == "t1" {
				target = s
			}
			var placed []entry
			switch th.Kind {
			case "t1":
				if _, dup := t.comments[id]; dup || id == "" {
					continue
				}
				top, err := t.addListing([]thing{*th}, pk, true)
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", u, err))
					continue
				}
				placed = top
			case "more":
				s := &stub{parent: pk, of: pk, count: d.Count, children: d.Children}
				s.cont = d.ID == "_" || len(d.Children) == 0
				if target != nil {
					s.parent = target.parent
				}
				placed = []entry{{stub: s}}
			default:
				continue
			}
			if target != nil {
				collected[target] = append(collected[target], placed...)
			} else {
				t.kids[pk] = append(t.kids[pk], placed...)
			}
		}
	}
	for _, s := range stubs {
		var left []string
		for _, id := range s.children {
			if !asked[strings.TrimPrefix(id, "t1_")] {
				left = append(left, id)
			}
		}
		got := collected[s]
		if len(left) == 0 {
			t.splice(s, got)
			continue
		}
		fetched := 0
		for _, e := range got {
			if e.stub == nil {
				fetched++
			}
		}
		s.children = left
		s.count = max(s.count-fetched, len(left))
		t.splice(s, append(got, entry{stub: s}))
	}
	return requests, errors.Join(errs...)
}

// getMore fetches one morechildren answer and returns its things.
func getMore(ctx context.Context, fetch scrape.FetchFunc, u string) ([]thing, error) {
	p, err := fetch(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("more comments %s: %w", u, err)
	}
	var resp moreResponse
	if err := scrape.UnmarshalJSON(scrape.SiteReddit, u, p.Body, &resp); err != nil {
		return nil, err
	}
	if len(resp.JSON.Errors) > 0 {
		return nil, fmt.Errorf("more comments %s: reddit says %v", u, resp.JSON.Errors)
	}
	return resp.JSON.Data.Things, nil
}

// fetchContinue expands a continue-this-thread stub from the permalink
// JSON of the comment it continues.
func (t *tree) fetchContinue(ctx context.Context, fetch scrape.FetchFunc, s *stub) error {
	if s.of == "" {
		return nil
	}
	u := "https://www.reddit.com/comments/" + t.postID + "/_/" + s.of + ".json?raw_json=1"
	if pl := t.plain(t.links[s.of]); strings.HasPrefix(pl, "/") {
		u = "https://www.reddit.com" + strings.TrimSuffix(pl, "/") + ".json?raw_json=1"
	}
	p, err := fetch(ctx, u)
	if err != nil {
		return fmt.Errorf("continue thread %s: %w", u, err)
	}
	var doc []listing
	if err := scrape.UnmarshalJSON(scrape.SiteReddit, u, p.Body, &doc); err != nil {
		return err
	}
	if len(doc) < 2 {
		return fmt.Errorf("continue thread %s: %w: no comments listing", u, scrape.ErrMalformed)
	}
	for i := range doc[1].Data.Children {
		th := &doc[1].Data.Children[i]
		if th.Kind != "t1" || strings.TrimPrefix(th.Data.ID, "t1_") != s.of {
			continue
		}
		var entries []entry
		if r := strings.TrimSpace(string(th.Data.Replies)); strings.HasPrefix(r, "{") {
			var l listing
			if err := json.Unmarshal(th.Data.Replies, &l); err != nil {
				return fmt.Errorf("continue thread %s: %w", u, err)
			}
			entries, err = t.addListing(l.Data.Children, s.of, true)
			if err != nil {
				return fmt.Errorf("continue thread %s: %w", u, err)
			}
		}
		t.splice(s, entries)
		return nil
	}
	return fmt.Errorf("continue thread %s: %w: comment %s not in the answer", u, scrape.ErrMalformed, s.of)
}

// splice replaces stub s in its parent's child list by entries.
func (t *tree) splice(s *stub, entries []entry) {
	list := t.kids[s.parent]
	for i, e := range list {
		if e.stub != s {
			continue
		}
		out := make([]entry, 0, len(list)-1+len(entries))
		out = append(out, list[:i]...)
		out = append(out, entries...)
		out = append(out, list[i+1:]...)
		t.kids[s.parent] = out
		return
	}
}
