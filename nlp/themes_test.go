package nlp_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/threadlens/threadlens/nlp"
)

var (
	sharedOnce     sync.Once
	sharedAnalyzer *nlp.Analyzer
	sharedErr      error
)

// analyzer returns one default analyzer shared by the package's tests.
func analyzer(t testing.TB) *nlp.Analyzer {
	t.Helper()
	sharedOnce.Do(func() { sharedAnalyzer, sharedErr = nlp.NewAnalyzer(nil) })
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedAnalyzer
}

// findHit returns the first hit of theme whose match equals match (any
// match when match is "").
func findHit(a nlp.Analysis, theme, match string) (nlp.Hit, bool) {
	for _, h := range a.Hits {
		if h.Theme == theme && (match == "" || h.Match == match) {
			return h, true
		}
	}
	return nlp.Hit{}, false
}

func hitsString(a nlp.Analysis) string {
	var b strings.Builder
	for _, h := range a.Hits {
		fmt.Fprintf(&b, "[%s %s %q neg=%v hedge=%v] ", h.Theme, h.Cue, h.Match, h.Negated, h.Hedged)
	}
	return b.String()
}

// TestThemeFlags checks the negated and hedged flags (THEMES.md) on the
// hit of one theme.
func TestThemeFlags(t *testing.T) {
	t.Parallel()
	a := analyzer(t)
	tests := []struct {
		name, text, theme, match string
		negated, hedged          bool
		reason                   string
	}{
		{"dont-blame", "I don't blame you at all.", "blame", "blame", true, false, "cue is the object of don't"},
		{"dont-blame-curly", "I don’t blame you at all.", "blame", "blame", true, false, "n’t with a typographic apostrophe"},
		{"no-one-yelled", "No one yelled at me.", "yelling", "yelled", true, false, "'no one' before the cue"},
		{"nobody-yelled", "Nobody yelled at me, thankfully.", "yelling", "yelled", true, false, "nobody directly before"},
		{"never-written-up", "He was never written up for it.", "firing", "written up", true, false, "never within four words"},
		{"wasnt-fired", "She wasn't fired.", "firing", "fired", true, false, "n't right before"},
		{"not-my-fault", "It was not my fault.", "blame", "my fault", true, false, "not directly before a phrase cue"},
		{"window-five", "I did not, in any way at all, blame her.", "blame", "blame", false, false, "comma closes the clause"},
		{"far-negator", "Nothing about this job makes me want to scream.", "yelling", "scream", false, false, "negator six words before is outside the window"},
		{"but-boundary", "I wasn't there but he yelled anyway.", "yelling", "yelled", false, false, "'but' starts a new clause"},
		{"and-new-subject", "I wasn't tired and I yelled.", "yelling", "yelled", false, false, "'and' + new subject starts a new clause"},
		{"and-same-subject", "He never cursed and yelled.", "yelling", "yelled", true, false, "'and' joining verbs keeps the negation"},
		{"or-same-subject", "He didn't scream or yell.", "yelling", "yell", true, false, "'or' joining verbs keeps the negation"},
		{"semicolon", "It wasn't easy; he yelled.", "yelling", "yelled", false, false, "semicolon is a clause boundary"},
		{"dash", "Don't worry — nobody blamed you.", "blame", "blamed", true, false, "the negator after the dash counts"},
		{"dash-boundary", "Nobody knew — he yelled at all of us.", "yelling", "yelled", false, false, "em dash closes the negator's clause"},
		{"not-only", "Not only did he yell, he threw things.", "yelling", "yell", false, false, "'not only' does not negate"},
		{"no-doubt", "No doubt they'll blame the new hire.", "blame", "blame", false, false, "'no doubt' does not negate"},
		{"without", "She left without blaming anyone.", "blame", "blaming", true, false, "without is a negator"},
		{"hardly", "They hardly yelled at all.", "yelling", "yelled", true, false, "hardly is a negator"},
		{"cannot", "You cannot blame yourself.", "blame", "blame", true, false, "cannot is one token"},
		{"cant", "You can't blame yourself for this.", "blame", "blame", true, false, "ca n't"},
		{"neither", "Neither of them apologized.", "accountability", "apologized", true, false, "neither two words before"},
		{"no-det", "There was no yelling.", "yelling", "yelling", true, false, "no as a determiner"},
		{"plain", "My boss yelled at me in front of everyone.", "yelling", "yelled", false, false, "plain statement"},
		{"question", "Will I be fired?", "firing", "fired", false, true, "a question is hedged"},
		{"question-quote", "Did he really say “you’re fired?”", "firing", "fired", false, true, "question mark inside closing quotes"},
		{"if", "If they fire you, you'll get severance.", "firing", "fire", false, true, "conditional"},
		{"if-nobody", "If nobody yells at you, count yourself lucky.", "yelling", "yells", true, true, "both flags hold"},
		{"unless", "Unless you own it, they will keep blaming you.", "blame", "blaming", false, true, "unless is a hedge"},
		{"maybe", "Maybe she was just burned out.", "burnout", "burned out", false, true, "maybe"},
		{"might", "You might get written up for this.", "firing", "written up", false, true, "might"},
		{"could", "They could fire you for that.", "firing", "fire", false, true, "could"},
		{"would-hypo", "I would apologize to the client first.", "accountability", "apologize", false, true, "hypothetical would"},
		{"would-habitual", "He would yell at us every single day.", "yelling", "yell", false, false, "habitual would is not a hedge"},
		{"id-would", "I'd apologize right away.", "accountability", "apologize", false, true, "'d = would"},
		{"id-had", "I'd been yelled at before.", "yelling", "yelled", false, false, "'d = had before a participle"},
		{"wonder", "I wonder whether they blamed her.", "blame", "blamed", false, true, "I wonder"},
		{"wondering", "I'm wondering why nobody apologized.", "accountability", "apologized", true, true, "I'm wondering is a hedge; nobody negates"},
		{"in-case", "Keep notes in case they try to blame you.", "blame", "blame", false, true, "in case"},
		{"probably", "They'll probably let her go.", "firing", "let her go", false, true, "probably"},
		{"may-month", "In May my boss yelled at me.", "yelling", "yelled", false, false, "May the month is not a hedge"},
		{"may-modal", "They may blame you anyway.", "blame", "blame", false, true, "may the modal"},
		{"whether", "Whether or not you were burned out, tell them.", "burnout", "burned out", true, true, "whether hedges; 'not' two words before negates"},
		{"question-later", "Who yelled? Nobody did.", "yelling", "yelled", false, true, "the question is the cue's own sentence"},
		{"statement-after-question", "Was it bad? He yelled at me.", "yelling", "yelled", false, false, "scope is the sentence, not the comment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			an := a.Analyze(tt.text)
			h, ok := findHit(an, tt.theme, tt.match)
			if !ok {
				t.Fatalf("no %s hit %q in %q (%s); hits: %s", tt.theme, tt.match, tt.text, tt.reason, hitsString(an))
			}
			if h.Negated != tt.negated || h.Hedged != tt.hedged {
				t.Errorf("%q: %s %q negated=%v hedged=%v, want %v %v (%s)", tt.text, h.Cue, h.Match, h.Negated, h.Hedged, tt.negated, tt.hedged, tt.reason)
			}
		})
	}
}

// TestThemeSenses checks that cues fire on their theme's meaning and stay
// quiet on the "not this" column of THEMES.md.
func TestThemeSenses(t *testing.T) {
	t.Parallel()
	a := analyzer(t)
	tests := []struct {
		name, text, theme string
		want              bool
		reason            string
	}{
		// blame
		{"blame-verb", "They blamed the intern for the outage.", "blame", true, "blaming someone"},
		{"blame-game", "Nobody wants to play the blame game.", "blame", true, "talk about blaming is blame"},
		{"my-fault", "Honestly it was my fault.", "blame", true, "self-blame"},
		{"her-fault", "It was entirely her fault.", "blame", true, "fault attributed to a person"},
		{"companys-fault", "That's the company's fault, not yours.", "blame", true, "possessive fault"},
		{"scapegoat", "They scapegoated the new guy.", "blame", true, "scapegoating"},
		{"bus", "She threw me under the bus in the meeting.", "blame", true, "idiom"},
		{"messed-up", "I really messed up on the invoice.", "blame", true, "self-blame with a gap"},
		{"fault-tolerant", "The system is fault-tolerant by design.", "blame", false, "technical sense"},
		{"mistake-only", "The report had a typo in the second table.", "blame", false, "describing a mistake without attributing fault"},
		// accountability
		{"own-it", "Own it and move on.", "accountability", true, "owning the mistake"},
		{"own-up", "He owned up to the error.", "accountability", true, "own up"},
		{"my-own", "Learn from your own experience.", "accountability", false, "'own' as an adjective"},
		{"take-resp", "I took full responsibility for the mistake.", "accountability", true, "taking responsibility"},
		{"take-on-resp", "She wants to take on more responsibility next year.", "accountability", false, "job duties, not owning a mistake"},
		{"tell-boss", "Tell your boss right away.", "accountability", true, "telling the boss promptly"},
		{"tell-boss-vacation", "I told my boss about my vacation plans.", "accountability", false, "telling the boss something else"},
		{"admitted-hospital", "She was admitted to the hospital overnight.", "accountability", false, "hospital sense of admit"},
		{"admit-mistake", "Just admit you made a mistake.", "accountability", true, "admitting"},
		{"happen-again", "Make sure it won't happen again.", "accountability", true, "committing to prevent a repeat"},
		{"apologise", "I apologised to the client.", "accountability", true, "British spelling"},
		// burnout
		{"burnt-out", "I was completely burnt out by March.", "burnout", true, "irregular burnt"},
		{"burned-out-bulb", "The bulb burned out again.", "burnout", false, "light bulb"},
		{"exhausted", "I was exhausted after the audit.", "burnout", true, "exhaustion"},
		{"exhausted-options", "We exhausted all our options.", "burnout", false, "used up options"},
		{"sixty-hour", "I was working 60-hour weeks.", "burnout", true, "long hours"},
		{"no-sleep", "I was running on no sleep.", "burnout", true, "lack of sleep"},
		{"stress-verb", "I want to stress that this matters.", "burnout", false, "'stress' meaning emphasise"},
		{"tired-of", "I'm so tired of his excuses.", "burnout", false, "annoyance, not exhaustion"},
		{"stretched-thin", "The team is stretched thin.", "burnout", true, "idiom"},
		// yelling
		{"screamed", "He screamed at her in the hallway.", "yelling", true, "screaming"},
		{"berated", "My manager berated me for an hour.", "yelling", true, "berating"},
		{"tore-into", "She tore into me over the typo.", "yelling", true, "idiom"},
		{"blew-up-at", "He blew up at the whole team.", "yelling", true, "blow up at"},
		{"raised-voice", "He never raised his voice.", "yelling", true, "raised voice (negated, still tagged)"},
		{"shout-out", "Shout out to the night shift!", "yelling", false, "a shout-out is praise"},
		{"caps", "THIS IS NOT OKAY AT ALL.", "yelling", false, "ALL CAPS is the shouting number, not the theme"},
		{"ice-cream", "We had ice cream after work.", "yelling", false, "no scream in ice cream"},
		// firing
		{"fired", "My boss fired me on Friday.", "firing", true, "fired as a verb"},
		{"got-fired", "She got fired for it.", "firing", true, "passive fired"},
		{"kitchen-fire", "There was a kitchen fire at the office.", "firing", false, "noun fire"},
		{"fire-drill", "We had a fire drill at noon.", "firing", false, "fire drill"},
		{"fired-up", "I'm fired up about the new project.", "firing", false, "excited"},
		{"firing-up-laptop", "I was firing up my laptop when it happened.", "firing", false, "starting a machine"},
		{"firing-up-grill", "He's firing up the grill this weekend.", "firing", false, "starting a grill"},
		{"ceasefire", "The ceasefire held.", "firing", false, "one token, not the word fire"},
		{"fire-off", "I fired off an angry email.", "firing", false, "sending quickly"},
		{"let-go", "They let him go after the audit.", "firing", true, "let go with a person"},
		{"was-let-go", "I was let go last spring.", "firing", true, "passive let go"},
		{"let-go-of", "You need to let go of the grudge.", "firing", false, "let go of an idea"},
		{"let-it-go", "Just let it go.", "firing", false, "let it go"},
		{"let-him-go-home", "They let him go home early.", "firing", false, "allowed to leave"},
		{"written-up", "I got written up for being late.", "firing", true, "discipline"},
		{"pip", "They put her on a PIP last month.", "firing", true, "performance improvement plan"},
		{"resign", "He resigned the next day.", "firing", true, "resigning"},
		{"resigned-to", "I'm resigned to the fact that it's over.", "firing", false, "acceptance"},
		{"lose-job", "I was terrified I'd lose my job.", "firing", true, "losing a job"},
		{"laid-off", "Half the team got laid off.", "firing", true, "layoff"},
		{"suspended", "He was suspended without pay.", "firing", true, "suspension"},
		// process
		{"second-eyes", "Payroll needs a second set of eyes.", "process", true, "second reviewer"},
		{"checklist", "Use a checklist before every release.", "process", true, "checklist"},
		{"audit", "The audit caught the error.", "process", true, "audit"},
		{"process-noun", "There was no process for approving refunds.", "process", true, "a missing procedure"},
		{"processed-food", "Processed food is bad for you.", "process", false, "processed food"},
		{"process-server", "A process server showed up at his door.", "process", false, "legal process server"},
		{"hiring-process", "The hiring process took months.", "process", false, "not a systemic check"},
		{"in-the-process", "I'm in the process of moving.", "process", false, "idiom"},
		{"be-careful", "I'll be more careful next time.", "process", false, "one person promising to be careful"},
		{"swiss-cheese", "It's a classic Swiss cheese failure.", "process", true, "Swiss cheese model"},
		{"checks-balances", "There were no checks and balances.", "process", true, "checks and balances"},
		{"procedure-medical", "She had a minor procedure on Tuesday.", "process", false, "medical procedure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			an := a.Analyze(tt.text)
			_, got := findHit(an, tt.theme, "")
			if got != tt.want {
				t.Errorf("%q: %s tagged=%v, want %v (%s); hits: %s", tt.text, tt.theme, got, tt.want, tt.reason, hitsString(an))
			}
		})
	}
}
