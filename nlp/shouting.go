package nlp

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// acronyms are ALL-CAPS words that are not shouting. Words of one or two
// letters never count, so only the list's 3+-letter entries matter; the
// short ones document intent. A caps word that contains a digit ("MP3",
// "401K") or stands alone in parentheses ("(ROI)") is treated as an
// acronym too.
var acronyms = setOf(
	"HR", "PTO", "CEO", "CFO", "COO", "CTO", "CIO", "CMO", "CHRO", "VP", "SVP", "EVP", "AVP",
	"USA", "US", "UK", "EU", "UN", "NYC", "NASA", "FBI", "CIA", "IRS", "DMV", "NHS", "USPS", "UPS", "DHL",
	"FYI", "ASAP", "IMO", "IMHO", "TLDR", "TL", "DR", "LOL", "LMAO", "ROFL", "OMG", "WTF", "BTW", "IDK",
	"TBH", "SMH", "AFAIK", "IIRC", "TIL", "AMA", "ELI5", "NSFW", "FWIW", "YMMV", "IANAL", "ETA", "EOD",
	"COB", "OOO", "WFH", "RTO", "AAM", "OP", "LW", "PIP", "IT", "QA", "KPI", "OKR", "ROI", "SOP", "SLA",
	"NDA", "HIPAA", "OSHA", "EEOC", "ADA", "FMLA", "FLSA", "NLRB", "ERISA", "COBRA", "LLC", "INC", "LTD",
	"API", "JSON", "HTML", "CSS", "URL", "PDF", "SQL", "AWS", "IBM", "BBC", "CNN", "NPR", "PBS", "ESPN",
	"NFL", "NBA", "MLB", "NHL", "PHD", "MBA", "CPA", "RN", "MD", "DDS", "ICU", "ER", "EMT", "PTSD", "ADHD",
	"OCD", "COVID", "AIDS", "HIV", "FAQ", "DIY", "RSVP", "AKA", "ATM", "GPS", "USB", "CPU", "RAM", "SSD",
	"HVAC", "ISO", "GDPR", "SEC", "IPO", "CRM", "ERP", "SAP", "SAAS", "AI", "ML", "GPT", "LLM", "TV", "PC",
	"ID", "OK", "AM", "PM", "EST", "PST", "CST", "MST", "GMT", "UTC", "ASL", "LGBT", "LGBTQ", "NATO",
	"UNICEF", "YMCA", "HOA", "DOJ", "DOD", "VA", "PR", "CV", "HQ", "RIP", "DM", "IRL", "ICYMI",
	"MVP", "POC", "SME", "SSN", "W2", "PPE", "CDC", "FDA", "EPA", "TSA", "DHS", "NYPD", "LAPD",
)

// Shouting returns the share of the text's letters that stand in ALL-CAPS
// words of three or more letters, acronyms aside (see acronyms), in
// [0, 1]; 0 for a text with no letters. A word is a run of letters,
// digits and apostrophes ("DON'T" is one word of four letters).
func Shouting(text string) float64 {
	letters, shouted := 0, 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		// One word: [i, j).
		j := i
		nLetters, allUpper, hasDigit := 0, true, false
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !isWordRune(r) {
				break
			}
			switch {
			case unicode.IsLetter(r):
				nLetters++
				if !unicode.IsUpper(r) {
					allUpper = false
				}
			case unicode.IsDigit(r):
				hasDigit = true
			}
			j += size
		}
		letters += nLetters
		if allUpper && nLetters >= 3 && !hasDigit && !acronymWord(text, i, j) {
			shouted += nLetters
		}
		i = j
	}
	if letters == 0 {
		return 0
	}
	return float64(shouted) / float64(letters)
}

// isWordRune reports whether r belongs to a word for Shouting.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '\u2019'
}

// acronymWord reports whether the caps word text[i:j] is an acronym: listed
// (with a plural or possessive "s" dropped), or alone in parentheses.
func acronymWord(text string, i, j int) bool {
	w := strings.Trim(text[i:j], "'\u2019")
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'S"), "\u2019S")
	if acronyms[w] || acronyms[strings.TrimSuffix(w, "S")] && len(w) > 3 {
		return true
	}
	return i > 0 && text[i-1] == '(' && j < len(text) && text[j] == ')'
}
