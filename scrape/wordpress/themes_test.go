package wordpress

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/threadlens/threadlens/scrape"
	"github.com/threadlens/threadlens/scrape/scrapetest"
)

// themeCase is one fixture of testdata/themes: the same invented
// advice-column thread as a theme or comment plugin renders it (see
// testdata/themes/README.md for the template each one follows).
type themeCase struct {
	name, file string
	// variant is the selector set that must claim the page.
	variant string
	// parents maps every comment ID to its parent ("" for top level).
	parents map[string]string
	// depth is the maximum depth.
	depth int
	// ops are the comments by the post's author.
	ops []string
	// stamp formats a comment's shown date and clock time as the theme
	// words it; zoned lists the comments whose time carries a zone.
	stamp func(date, clock string) string
	zoned []string
	// declared is the count in the comments title.
	declared int
	reason   string
}

// The fixtures' thread, written out by hand: 501 → 502 → 503 (by the post's
// author) → 504; pingback 505 (left out); 506 → 507 (post's author); 508
// awaiting moderation with a blockquote and a <br>.
var (
	themeParents = map[string]string{"501": "", "502": "501", "503": "502", "504": "503", "506": "", "507": "506", "508": ""}
	themeOrder   = []string{"501", "502", "503", "504", "506", "507", "508"}
	themeAuthors = map[string]string{
		"501": "Marguerite L.", "502": "Dev Okafor", "503": "Alison Park", "504": "Marguerite L.",
		"506": "Tomasz W.", "507": "Alison Park", "508": "R. Quinn",
	}
	themeTexts = map[string]string{
		"501": "Start a private log today: date, task, who saw you do it. Credit thieves count on nobody remembering the details.\n\nThen copy your manager on the final version of anything you hand off.",
		"502": "A log is fine, but talk to the coworker first. Some people honestly do not notice they say “I” where they mean “we”.",
		"503": "Both good points. I would add one thing: at the next team meeting, present your own piece before anyone else gets the chance.",
		"504": "Fair. Talking first costs nothing, and the log is still there if the talk goes nowhere.",
		"506": "My old boss did this for two years. What finally worked was asking him, in front of his own manager, to walk everyone through the numbers he had “built”.",
		"507": "Ha, the walk-us-through-the-numbers test is brutal and completely fair.",
		"508": "present your own piece before anyone else gets the chance\n\nThis is the part people skip.\nIt works even on video calls.",
	}
	// themeShown is each comment's date and clock time as shown.
	themeShown = map[string][2]string{
		"501": {"March 5, 2024", "2:12 pm"}, "502": {"March 5, 2024", "4:40 pm"},
		"503": {"March 6, 2024", "9:05 am"}, "504": {"March 6, 2024", "11:30 am"},
		"506": {"March 7, 2024", "8:00 am"}, "507": {"March 7, 2024", "7:45 pm"},
		"508": {"March 8, 2024", "10:00 am"},
	}
	// themeUTC is each comment's time in UTC (506 was written -05:00, 507
	// +01:00).
	themeUTC = map[string]string{
		"501": "2024-03-05T14:12:00Z", "502": "2024-03-05T16:40:00Z", "503": "2024-03-06T09:05:00Z",
		"504": "2024-03-06T11:30:00Z", "506": "2024-03-07T13:00:00Z", "507": "2024-03-07T18:45:00Z",
		"508": "2024-03-08T10:00:00Z",
	}
	allButNaive = []string{"501", "502", "503", "506", "507", "508"}
	allZoned    = []string{"501", "502", "503", "504", "506", "507", "508"}
)

func stampAt(date, clock string) string { return date + " at " + clock }
func stampDate(date, _ string) string   { return date }
func stampFormat(f string) func(string, string) string {
	return func(date, clock string) string { return fmt.Sprintf(f, date, clock) }
}

var themeCases = []themeCase{
	{
		name: "block theme", file: "block-twentytwentyfour.html", variant: "block-theme",
		parents: map[string]string{"501": "", "502": "501", "503": "502", "504": "502", "506": "", "507": "506", "508": ""},
		depth:   3, ops: []string{"503", "507"}, stamp: stampDate, zoned: allZoned, declared: 7,
		reason: "core/comment-template (Twenty Twenty-Four comments pattern), replies in a bare <ol>; with a maximum depth of 3 " +
			"the depth-4 reply's li is written into its parent's li, which an HTML parser closes: it reads as a sibling (depth-3 class)",
	},
	{
		name: "astra", file: "astra.html", variant: "astra", parents: themeParents, depth: 4,
		ops: []string{"503", "507"}, stamp: stampAt, zoned: allButNaive, declared: 7,
		reason: "li#li-comment-N > article#comment-N.ast-comment, section.ast-comment-content with the reply wrap inside",
	},
	{
		name: "oceanwp", file: "oceanwp.html", variant: "oceanwp", parents: themeParents, depth: 4,
		ops: []string{"503", "507"}, stamp: stampDate, declared: 7,
		reason: "li.comment-container without comment classes, bypostauthor on the child article, nested div.comment-content, 'This Post Has 7 Comments'",
	},
	{
		name: "neve", file: "neve.html", variant: "neve", parents: themeParents, depth: 4,
		ops: []string{"503", "507"}, stamp: stampAt, zoned: allButNaive, declared: 7,
		reason: "li#comment-item-N closed at once, replies in a sibling li.children: only the depth classes give the tree",
	},
	{
		name: "divi", file: "divi.html", variant: "elegant-themes", parents: themeParents, depth: 4,
		ops: []string{"503", "507"}, stamp: stampFormat("on %s at %s"), declared: 7,
		reason: "et_custom_comments_display: li#li-comment-N > article#comment-N.comment-body, dates without a zone, pingbacks in ol.pinglist",
	},
	{
		name: "blocksy", file: "blocksy.html", variant: "blocksy", parents: themeParents, depth: 4,
		ops: []string{"503", "507"}, stamp: stampFormat("%s / %s"), declared: 7,
		reason: "article.ct-comment-inner, date link beside the edit and reply links in div.ct-comment-meta-data",
	},
	{
		name: "twenty twenty", file: "twentytwenty.html", variant: "core-html5", parents: themeParents, depth: 4,
		ops: []string{"503", "507"}, stamp: stampAt, zoned: allButNaive, declared: 7,
		reason: "TwentyTwenty_Walker_Comment with style div: div#comment-N containers nested without a list",
	},
	{
		name: "twenty twelve", file: "twentytwelve.html", variant: "li-comment-article", parents: themeParents, depth: 4,
		ops: []string{"503", "507"}, stamp: stampAt, zoned: allButNaive, declared: 7,
		reason: "twentytwelve_comment: li#li-comment-N > article#comment-N.comment, 'Post author' beside b.fn",
	},
	{
		name: "kadence", file: "kadence.html", variant: "core-html5", parents: themeParents, depth: 4,
		ops: []string{"503", "507"}, stamp: stampAt, zoned: allButNaive, declared: 7,
		reason: "core html5 walker (short_ping) inside Kadence's ol.comment-list",
	},
	{
		name: "hello elementor", file: "hello-elementor.html", variant: "core-html5", parents: themeParents, depth: 4,
		ops: []string{"503", "507"}, stamp: stampAt, zoned: allButNaive, declared: 7,
		reason: "core html5 walker, count in h3.title-comments '7 Responses'",
	},
	{
		name: "storefront", file: "storefront.html", variant: "core-classic", parents: themeParents, depth: 4,
		ops: []string{"503", "507"}, stamp: stampDate, zoned: allButNaive, declared: 7,
		reason: "storefront_comment: div.comment-body, time[datetime] in the meta, text in div.comment-content > div.comment-text",
	},
	{
		name: "newspaper", file: "newspaper-tagdiv.html", variant: "tagdiv", parents: themeParents, depth: 4,
		stamp: stampFormat("%s At %s"), zoned: allZoned, declared: 7,
		reason: "td_comment: no depth or bypostauthor classes, time[pubdate] in Unix seconds, bare <em> moderation note, duplicate id on div.comment-meta",
	},
	{
		name: "sahifa", file: "sahifa-tielabs.html", variant: "tielabs", parents: themeParents, depth: 4,
		ops: []string{"503", "507"}, stamp: stampAt, declared: 7,
		reason: "tie_custom_comments: classless li#comment-N, comment classes on div.comment-wrap, author and meta inside div.comment-content",
	},
	{
		name: "wpdiscuz", file: "wpdiscuz.html", variant: "wpdiscuz", parents: themeParents, depth: 4,
		ops: []string{"503", "507"}, stamp: stampFormat("%s %s"), declared: 7,
		reason: "wpDiscuz 7: nested div#wpd-comm-ID_PARENT wrappers, wpd_comment_level-N, post author class on the inner wrap",
	},
}

func readTheme(t testing.TB, file string) []byte {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", "themes", file))
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func TestThemes(t *testing.T) {
	t.Parallel()
	a := New().(*Adapter)
	for _, tc := range themeCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := readTheme(t, tc.file)
			if !a.Sniff("", body[:min(len(body), scrape.SniffLen)]) {
				t.Errorf("not sniffed as WordPress (%s)", tc.reason)
			}
			pg, err := a.parsePage(&scrape.Page{Body: body})
			if err != nil {
				t.Fatal(err)
			}
			if v := pg.comments.variant; v == nil || v.Name != tc.variant {
				t.Errorf("variant = %v, want %s", v, tc.variant)
			}
			th, err := a.Parse(context.Background(), &scrape.Page{Source: tc.file, Body: body}, scrape.Env{})
			if err != nil {
				t.Fatal(err)
			}
			if th.ID != "wordpress:advice.example.org/2024/03/coworker-takes-credit" {
				t.Errorf("thread ID = %q", th.ID)
			}
			if th.DeclaredComments == nil || *th.DeclaredComments != tc.declared {
				t.Errorf("declared = %s, want %d", ptrString(th.DeclaredComments), tc.declared)
			}
			if len(th.Comments) != len(themeOrder) {
				t.Fatalf("%d comments, want %d (%s)", len(th.Comments), len(themeOrder), tc.reason)
			}
			if th.Repairs.Total() != 0 {
				t.Errorf("repairs = %+v, want none", th.Repairs)
			}
			ops := map[string]bool{}
			for _, id := range tc.ops {
				ops[id] = true
			}
			zoned := map[string]bool{}
			for _, id := range tc.zoned {
				zoned[id] = true
			}
			maxDepth := 0
			for i, c := range th.Comments {
				maxDepth = max(maxDepth, c.Depth)
				if c.ID != themeOrder[i] {
					t.Errorf("comment %d is %s, want %s", i, c.ID, themeOrder[i])
				}
				if want := tc.parents[c.ID]; c.ParentID != want {
					t.Errorf("comment %s: parent %q, want %q (%s)", c.ID, c.ParentID, want, tc.reason)
				}
				if want := themeAuthors[c.ID]; c.Author != want {
					t.Errorf("comment %s: author %q, want %q", c.ID, c.Author, want)
				}
				if c.IsOP != ops[c.ID] {
					t.Errorf("comment %s: is_op %v, want %v", c.ID, c.IsOP, ops[c.ID])
				}
				shown := themeShown[c.ID]
				if want := tc.stamp(shown[0], shown[1]); c.PostedRaw != want {
					t.Errorf("comment %s: posted_raw %q, want %q", c.ID, c.PostedRaw, want)
				}
				switch {
				case zoned[c.ID] && (c.PostedAt == nil || c.PostedAt.Format(time.RFC3339) != themeUTC[c.ID]):
					t.Errorf("comment %s: posted_at %s, want %s", c.ID, timeString(c.PostedAt), themeUTC[c.ID])
				case !zoned[c.ID] && c.PostedAt != nil:
					t.Errorf("comment %s: posted_at %s from a time without a zone", c.ID, timeString(c.PostedAt))
				}
				if want := themeTexts[c.ID]; c.Text != want {
					t.Errorf("comment %s: text\n got %q\nwant %q", c.ID, c.Text, want)
				}
				checkCommentText(t, c)
				for _, chrome := range []string{c.Author, "Reply", "says", "awaiting moderation", "Pingback", "Desk Notes"} {
					if strings.Contains(c.Text, chrome) {
						t.Errorf("comment %s: text holds %q", c.ID, chrome)
					}
				}
			}
			if maxDepth != tc.depth {
				t.Errorf("max depth %d, want %d (%s)", maxDepth, tc.depth, tc.reason)
			}
		})
	}
}

// TestSniffWholeCorpus checks that the sniff claims exactly the HTML pages
// of the corpus's wordpress/ directory: no feed, sitemap, JSON, WARC or
// Hacker News page.
func TestSniffWholeCorpus(t *testing.T) {
	t.Parallel()
	dir := scrapetest.CorpusDir(t)
	a := New()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		want := strings.HasPrefix(rel, "wordpress"+string(filepath.Separator)) && strings.HasSuffix(rel, ".html")
		if got := a.Sniff("", body[:min(len(body), scrape.SniffLen)]); got != want {
			t.Errorf("%s: Sniff = %v, want %v", rel, got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
