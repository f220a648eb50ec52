"""Generated stress sentences and golden cases for the VADER port.

nlp.Sentiment (nlp/vader.go) is a port of vaderSentiment 3.3.2 and must score
every text exactly as the Python package does. This module makes the texts
that probe each rule of the reference: boosters and dampeners, negations
(straight and typographic "n't"), "but", ALL-CAPS emphasis, "!"/"?" runs,
emoticons, emoji, "kind of", "least", "never so", "without a doubt", special
idioms, "no" at the start, mixed case, Unicode whitespace and case.

    stress_sentences(n, seed)  deterministic generated sentences
    GOLDEN_CASES               named cases with the reason each exists

Run as a script to rewrite the Go golden file from the Python reference
(needs vaderSentiment==3.3.2):

    python datasets/tests/vader_stress.py --golden nlp/testdata/vader/reference.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

# Typographic quotes become ASCII before scoring, as in nlp.Sentiment.
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def normalise_quotes(text: str) -> str:
    """Return text with ’ ‘ “ ” made ASCII, as nlp.Sentiment does."""
    return text.translate(QUOTES)


SUBJECTS = ["The manager", "My boss", "HR", "She", "They", "The team", "This policy",
            "I", "You", "Your coworker", "The LW", "Everyone", "Nobody", "It", "He"]
VERBS = ["is", "was", "seems", "felt", "looks", "has been", "will be", "sounds", "became"]
POSITIVE = ["good", "great", "love", "happy", "excellent", "nice", "helpful", "fair", "kind",
            "fun", "wonderful", "amazing", "supportive", "reasonable", "glad", "calm", "best",
            "thanks", "lol", "hearts", "heart", "yay", "ok", "fine", "sweet", "awesome", "like"]
NEGATIVE = ["bad", "terrible", "hate", "awful", "angry", "unfair", "blame", "fired", "yelling",
            "stressed", "toxic", "horrible", "worst", "sad", "rude", "hurt", "fault", "stupid",
            "annoying", "doubt", "stop", "broken", "beating", "sux", "shit", "bomb", "death", "die"]
NEUTRAL = ["the", "a", "meeting", "office", "email", "and", "then", "of", "to", "for", "with",
           "about", "work", "at", "very", "really", "this", "that", "so", "or", "nor", "kind",
           "sort", "least", "never", "without", "no", "but", "not", "right", "yeah", "ass", "bus",
           "hand", "mouth", "cut", "mustard", "weather", "under", "red", "in", "black", "just",
           "enough", "heart", "if", "maybe", "question"]
BOOSTERS = ["very", "really", "extremely", "so", "totally", "incredibly", "hardly", "barely",
            "slightly", "somewhat", "sort of", "kind of", "kinda", "just enough", "more", "most",
            "less", "little", "effing", "friggin", "uber", "quite", "absolutely", "sorta",
            "kind-of", "kindof", "hella", "fucking", "almost", "partly"]
NEGATIONS = ["not", "never", "isn't", "don't", "wasn't", "can't", "won't", "without", "no",
             "nor", "rarely", "despite", "isn\u2019t", "don\u2019t", "didn\u2019t", "ain't",
             "uh-uh", "couldn't", "cannot", "nothing", "none", "neither", "nope", "seldom",
             "isnt", "dont", "ISN'T", "Don't", "wouldn't", "shan't", "n't"]
PUNCT_RUNS = ["", "", ".", ".", "!", "!!", "!!!", "!!!!", "!!!!!!", "?", "??", "???", "????",
              "?!?!", "...", "!?", "?!!", ",", ";", ":"]
EMOTICONS = [":)", ":-)", ":(", ":D", ":P", "<3", "</3", ";)", ":/", "xD", "(:", ":-\u00de",
             ":'(", "=)", ":-D", "XD", ":p", "8)", "D:", "^_^", ":|", ":*", "o.O", ":-P"]
EMOJI = ["\U0001F600", "\U0001F602", "\U0001F621", "\U0001F498", "\U0001F622", "\U0001F44D",
         "\U0001F44E", "\U0001F642", "\u2764\ufe0f", "\U0001F525", "\U0001F494", "\u2728",
         "\u00a9", "\u00ae", "\U0001F44D\U0001F3FD", "\U0001F1FA\U0001F1F8", "\U0001F937\u200d\u2640\ufe0f",
         "\U0001F644", "\U0001F62D", "\U0001F389", "\u263a", "\U0001F920"]
IDIOMS = ["the shit", "the bomb", "bad ass", "badass", "bus stop", "yeah right", "kiss of death",
          "to die for", "beating heart", "broken heart", "cut the mustard", "hand to mouth",
          "in the red", "under the weather", "upper hand", "break a leg", "at least",
          "very least", "the least", "never so", "never this", "without a doubt",
          "without doubt", "kind of", "sort of", "no or", "no nor", "can't stand", "fed up",
          "screwed up", "( '}{' )"]
SPACES = [" "] * 12 + ["  ", "\t", "\n", "\n\n", "\u00a0", "\u2003", "\u3000", "\u001f", "\u0085",
                       "\r\n", "\u2028", "\u200b"]
UNICODE_WORDS = ["\u0130yi", "\u03a3\u039f\u03a3", "\u1f00\u03a3", "\u212aind", "\u01c5ood",
                 "\u24bc\u24c4\u24c4\u24b9", "\u24d6\u24de\u24de\u24d3", "STRA\u00dfE", "\ufb00",
                 "caf\u00e9", "na\u00efve", "\u00c9NORME", "\u0130", "GR\u00dcN", "\u00aaa",
                 "\u0131", "\u2160", "\u2170", "stra\u00dfe", "\u1e9e", "\U0001D400\U0001D401"]


def _caps(rng: random.Random, word: str) -> str:
    roll = rng.random()
    if roll < 0.15:
        return word.upper()
    if roll < 0.22:
        return word.capitalize()
    if roll < 0.26:
        return "".join(c.upper() if rng.random() < 0.5 else c for c in word)
    return word


def _wrap(rng: random.Random, word: str) -> str:
    roll = rng.random()
    if roll < 0.06:
        return "(" + word + ")"
    if roll < 0.10:
        return '"' + word + '"'
    if roll < 0.13:
        return "\u201c" + word + "\u201d"
    if roll < 0.16:
        return "--" + word + "--"
    if roll < 0.19:
        return word + rng.choice(["!", "?", ".", ",", "!!", "...", "'s", ":"])
    if roll < 0.21:
        return "'" + word + "'"
    return word


def _random_tokens(rng: random.Random) -> list[str]:
    pools = [(POSITIVE, 5), (NEGATIVE, 5), (NEUTRAL, 8), (BOOSTERS, 4), (NEGATIONS, 4),
             (EMOTICONS, 1), (EMOJI, 1), (IDIOMS, 2), (UNICODE_WORDS, 1)]
    weights = [w for _, w in pools]
    tokens = []
    for _ in range(rng.randint(1, 16)):
        pool = rng.choices([p for p, _ in pools], weights)[0]
        tokens.append(_wrap(rng, _caps(rng, rng.choice(pool))))
    return tokens


def _template(rng: random.Random) -> str:
    s, v = rng.choice(SUBJECTS), rng.choice(VERBS)
    p, n = rng.choice(POSITIVE), rng.choice(NEGATIVE)
    b, neg = rng.choice(BOOSTERS), rng.choice(NEGATIONS)
    i = rng.choice(IDIOMS)
    templates = [
        f"{s} {v} {b} {p} but {neg} {b} {n}",
        f"{s} {v} {neg} {p}, but {s.lower()} {v} {n}",
        f"{p} but {p}",
        f"{n} {n} but {n} {p} {n}",
        f"No {p} {n}",
        f"No, {s.lower()} {v} {p}",
        f"no {n} or {p}",
        f"{s} {v} at least {p}",
        f"{s} {v} the least {p} one",
        f"least {p}",
        f"very least {n}",
        f"{s} never {v} so {p}",
        f"{s} {v} never this {n}",
        f"Without a doubt, {b} {p} idea",
        f"without doubt {n}",
        f"{s} {v} kind of {p}",
        f"{s} {v} sort of {n} and kind of {p}",
        f"{s} {v} {i}",
        f"{i} {p} {n}",
        f"{s.upper()} {v.upper()} {p.upper()}",
        f"{s} {v} {p.upper()} and {b.upper()} {n}",
        f"{s} {v} {neg} {i}",
        f"{b} {b} {p}",
        f"{neg} {b} {p}",
        f"{neg} {neg} {n}",
        f"{s}'s {n} {rng.choice(EMOJI)}{rng.choice(EMOJI)} {p}",
        f"{p}{rng.choice(EMOJI)}{n}",
        f"{rng.choice(EMOJI)} {rng.choice(EMOTICONS)}",
        f"{s} {v} {p} {rng.choice(EMOTICONS)} {n}",
        f"{n}, but {n}, but {p}",
    ]
    return rng.choice(templates)


def stress_sentences(n: int = 2500, seed: int = 20240611) -> list[str]:
    """Return n deterministic stress sentences (same n and seed, same list)."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        if k % 3 == 0:
            body = _template(rng)
        else:
            tokens = _random_tokens(rng)
            body = tokens[0]
            for tok in tokens[1:]:
                body += rng.choice(SPACES) + tok
        if rng.random() < 0.1:
            body = rng.choice(SPACES) + body
        out.append(body + rng.choice(PUNCT_RUNS) + (rng.choice(SPACES) if rng.random() < 0.1 else ""))
    return out


# Named golden cases for nlp/testdata/vader/reference.json: (name, reason, text).
GOLDEN_CASES = [
    ("empty", "no words: all zeros", ""),
    ("whitespace only", "strip and split leave no words", " \t\n\u00a0 "),
    ("neutral", "no lexicon words: neu 1, compound 0", "The meeting is on Tuesday."),
    ("readme positive", "reference README example", "VADER is smart, handsome, and funny."),
    ("readme exclamation", "one '!' adds 0.292", "VADER is smart, handsome, and funny!"),
    ("readme booster", "'very' boosts the next word", "VADER is very smart, handsome, and funny."),
    ("readme caps", "ALL-CAPS words among others add 0.733", "VADER is VERY SMART, handsome, and FUNNY."),
    ("readme caps and bangs", "caps, boosters and '!!!' together", "VADER is VERY SMART, handsome, and FUNNY!!!"),
    ("readme slang", "'uber' and 'friggin' boosters", "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!"),
    ("negation nor", "'not' and 'nor' negate", "VADER is not smart, handsome, nor funny."),
    ("at least isn't", "'at least' does not negate; isn't does", "At least it isn't a horrible book."),
    ("kind of", "'kind of' dampens and 'kind' is not scored", "The book was only kind of good."),
    ("but rule", "before 'but' halves, after it 1.5x",
     "The plot was good, but the characters are uncompelling and the dialog is not great."),
    ("caps slang", "SUX is in the lexicon; caps emphasis", "Today SUX!"),
    ("kinda but lol", "kinda dampener with but", "Today only kinda sux! But I'll get by, lol"),
    ("emoticons", "tokens stripping to <= 2 characters stay whole, so :) and :D are emoticons", "Make sure you :) or :D today!"),
    ("emoji", "emoji replaced by their descriptions", "Catch utf-8 emoji such as \U0001F498 and \U0001F48B and \U0001F601"),
    ("not bad at all", "capitalised negation", "Not bad at all"),
    ("never good", "never negates", "Sentiment analysis has never been good."),
    ("never this good", "'never this' boosts by 1.25", "Sentiment analysis has never been this good!"),
    ("are shit", "'shit' alone is negative", "Most automated sentiment analysis tools are shit."),
    ("the shit", "special case 'the shit' = 3", "With VADER, sentiment analysis is the shit!"),
    ("bad ass", "special case 'bad ass' = 1.5", "On the other hand, VADER is quite bad ass"),
    ("badass", "lexicon badass with '!'", "VADER is such a badass!"),
    ("without a doubt", "'without a doubt' does not negate", "Without a doubt, excellent idea."),
    ("least compelling", "'the least' negates", "Roger Dodger is one of the least compelling variations on this theme."),
    ("at least compelling", "'at least' keeps", "Roger Dodger is at least compelling as a variation on the theme."),
    ("typographic n't", "’ becomes ' so isn’t negates", "It isn\u2019t good."),
    ("typographic quotes", "“ ” become \" and are stripped", "\u201cGreat\u201d job, she said"),
    ("so quirk", "A and (B) or (C): 'so' two words back boosts without 'never'", "it was so very good"),
    ("this quirk", "'this' right before via the start_i=2 branch", "I am really this happy"),
    ("but first equal", "list.index: of two equal scores the first is scaled twice",
     "good good but good"),
    ("but equal after", "equal scores on both sides of but", "bad but bad bad"),
    ("two buts", "only the first 'but' counts", "good but bad but great"),
    ("no at start", "'no' before a lexicon word scores 0 and negates it", "No problem at all"),
    ("no alone", "'no' alone keeps its own valence", "No."),
    ("no or nor", "'no X or Y' negates Y", "no love or hate"),
    ("NO caps zero", "caps on a 0.0 valence subtracts 0.733", "NO GOOD idea here"),
    ("bus stop", "special case 'bus stop' = 0", "I waited at the bus stop for an hour"),
    ("beating heart", "special case 'beating heart' = 3.5", "her strong beating heart was there"),
    ("broken heart", "no special case: lexicon words broken and heart", "a truly broken heart"),
    ("hearts", "lexicon words heart and hearts", "hearts and heart <3"),
    ("kind of idiom", "booster bigram kind of adds B_DECR", "it is kind of a good plan"),
    ("question runs", "two or three '?' add 0.18 each", "Is this good??"),
    ("question flood", "four or more '?' add 0.96", "Is this good????"),
    ("bang cap", "more than four '!' count as four", "Great!!!!!!!"),
    ("mixed case", "lowercased lookups; isupper false on mixed case", "GrEaT job, really GOOD"),
    ("all caps", "all words caps: no cap differential", "THIS IS GREAT"),
    ("tab split", "str.split splits on tabs and newlines", "good\tbad\ngreat"),
    ("unicode space", "str.split splits on NBSP, em space and U+001F", "good\u00a0bad\u2003great\u001fok"),
    ("zero width", "U+200B is not whitespace for Python", "good\u200bbad great"),
    ("dotted I", "İ lowercases to i + U+0307", "\u0130 LOVE it"),
    ("kelvin", "K (Kelvin sign) lowercases to k", "\u212aIND of GOOD"),
    ("circled caps", "Other_Uppercase letters count for isupper", "\u24bc\u24c4\u24c4\u24b9 good GREAT"),
    ("punct strip short", "stripping to <= 2 characters keeps the token", "ok! no. :-) (:"),
    ("emoji glued", "an emoji between letters gains a space before, none after",
     "great\U0001F600awful \U0001F622\U0001F622sad"),
    ("emoji modifier", "skin tone modifier is its own lexicon entry", "\U0001F44D\U0001F3FD thanks"),
    ("copyright", "© is in the emoji lexicon", "\u00a9 2020 all rights reserved"),
    ("uh-uh", "negation with hyphen", "uh-uh not good"),
    ("despite", "despite negates", "despite good reviews"),
    ("the least", "'least' preceded by 'very' does not negate", "the very least good"),
    ("fed up", "multi-word lexicon entries never match a single token", "I am fed up"),
    ("emoticon thorn", "':-Þ' lowercases to ':-þ' which is not a key", "ok :-\u00de"),
    ("pos neg neu mix", "positive, negative and neutral shares in one text", "good bad ok"),
    ("long comment", "a paragraph with many rules",
     "I can't believe HR did this. It was NOT fair, and honestly the manager was kind of rude!!! "
     "But the team was so supportive :) and I'm really grateful \U0001F64F. No regrets?? Maybe."),
]


def reference_scores(texts: list[str]) -> list[dict]:
    """Score texts (quotes normalised) with the Python reference."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return [analyzer.polarity_scores(normalise_quotes(t)) for t in texts]


def write_golden(path: Path) -> None:
    """Write the golden cases with reference scores as canonical JSON."""
    scores = reference_scores([text for _, _, text in GOLDEN_CASES])
    cases = [
        {"name": name, "reason": reason, "text": text,
         "want": {k: scores[i][k] for k in ("compound", "pos", "neu", "neg")}}
        for i, (name, reason, text) in enumerate(GOLDEN_CASES)
    ]
    names = [c["name"] for c in cases]
    if len(set(names)) != len(names):
        sys.exit("duplicate golden case names")
    path.write_text(json.dumps(cases, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--golden", type=Path, help="write the Go golden file here")
    parser.add_argument("--print", type=int, metavar="N", help="print N stress sentences")
    args = parser.parse_args()
    if args.golden:
        write_golden(args.golden)
    if args.print:
        for s in stress_sentences(args.print):
            print(json.dumps(s, ensure_ascii=False))


if __name__ == "__main__":
    main()
