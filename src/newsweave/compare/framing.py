"""Framing: the loaded and evaluative words each outlet chooses, and its scare quotes.

A fixed English lexicon (general political and news vocabulary, no names), and scare quotes: a
short lower-case phrase in quotation marks that no one is quoted as saying. A lexicon word written
with a capital inside a sentence is part of a name ("Rep. Jane Slaughter"), not the outlet's
choice; a quoted phrase that another outlet of the story also uses is the story's term
("married filing jointly") or someone's word, not a scare quote. Nor is one that its sentence
reports as someone's words ("calling the plan “a giveaway”", "his claim of “record turnout”") or
cites as a name or a label ("filed as “head of household”", "listed as “retired”").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newsweave.model import Article, QuoteRecord
from newsweave.sentences import sentence_ends

# Words that judge rather than describe: who is a "dictator", what is a "regime".
LOADED = frozenset(
    [
        "dictator",
        "dictators",
        "dictatorship",
        "despot",
        "despotic",
        "tyrant",
        "tyranny",
        "strongman",
        "autocrat",
        "autocratic",
        "regime",
        "regimes",
        "thug",
        "thugs",
        "puppet",
        "puppets",
        "mouthpiece",
        "propaganda",
        "warmonger",
        "warmongering",
        "rogue",
        "pariah",
        "hermit",
        "junta",
        "cronies",
        "crony",
        "terrorist",
        "terrorists",
        "extremist",
        "extremists",
        "radical",
        "radicals",
        "zealot",
        "fanatic",
        "fanatics",
        "militant",
        "militants",
        "insurgents",
        "rebels",
        "invasion",
        "occupation",
        "annexation",
        "massacre",
        "slaughter",
        "atrocity",
        "atrocities",
        "genocide",
        "sham",
        "bogus",
        "so-called",
    ]
)
# Evaluative modifiers of a person or group: how the outlet characterises, not what it reports.
EVALUATIVE = frozenset(
    [
        "reclusive",
        "secretive",
        "isolated",
        "powerful",
        "feared",
        "notorious",
        "infamous",
        "brutal",
        "ruthless",
        "embattled",
        "beleaguered",
        "disgraced",
        "controversial",
        "shadowy",
        "mysterious",
        "eccentric",
        "erratic",
        "volatile",
        "defiant",
        "belligerent",
        "hardline",
        "hard-line",
        "firebrand",
        "maverick",
        "iron-fisted",
        "authoritarian",
        "repressive",
        "impoverished",
        "flamboyant",
        "lavish",
        "extravagant",
        "opulent",
    ]
)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words that report a quotation as someone's: speech and naming verbs, and the nouns for what
# someone said or wrote. A quoted phrase after one of them in its sentence is quoted speech.
_REPORTING = _word_set(
    """
    say says said saying tell tells told telling call calls called calling
    describe describes described describing characterize characterizes characterized
    characterizing characterise characterises characterised dub dubs dubbed dubbing
    label labels labeled labelled labeling labelling termed brand brands branded branding
    named pronounce pronounced deem deems deemed rated list lists listed
    praise praises praised praising blast blasts blasted slam slams slammed dismiss dismissed
    dismissing decry decries decried denounce denounces denounced accuse accuses accused
    accusing criticize criticizes criticized criticizing criticise criticised lament laments
    lamented promise promised promising vow vows vowed vowing pledge pledged pledging
    tout touts touted touting urge urges urged urging warn warns warned warning write writes
    wrote written writing tweet tweeted tweeting insist insists insisted insisting argue
    argues argued arguing claim claims claimed claiming add adds added adding declare
    declares declared declaring announce announces announced quote quotes quoted quoting
    cite cites cited citing refer refers referred referring mock mocks mocked mocking deride
    derided hail hails hailed billed mischaracterized mischaracterised boast boasted
    complain complained complaining joke joked chant chanted chanting repeat repeated
    repeating admit admits admitted concede conceded predict predicted suggest suggested
    liken likens likened referenced echo echoes echoed echoing imply implies implied speak
    speaks spoke spoken talk talks talked talking term terms
    remark remarks remarked comment comments commented statement statements words phrase
    slogan description admission rhetoric assertion assertions allegation allegations
    accusation accusations speech interview letter memo report document records filing
    according
    """
)
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
_SCARE = re.compile(r"[“\"]([a-z][^“”\"\n]{1,30}?)[,.]?[”\"]")
_ARTICLES = frozenset(["a", "an", "the"])
_CONTEXT = 40


@dataclass(frozen=True, slots=True, kw_only=True)
class FramingTerm:
    article: str
    outlet: str
    term: str
    kind: str  # loaded | evaluative | scare_quote
    start: int
    end: int
    context: str


def _context(body: str, start: int, end: int) -> str:
    left = body.rfind("\n", 0, start)
    right = body.find("\n", end)
    a = max(left + 1, start - _CONTEXT)
    b = min(right if right != -1 else len(body), end + _CONTEXT)
    return body[a:b].strip()


def _word_terms(article_id: str, outlet: str, body: str) -> Iterator[FramingTerm]:
    for m in _WORD.finditer(body):
        word = m.group().lower()
        kind = "loaded" if word in LOADED else ("evaluative" if word in EVALUATIVE else None)
        if kind is None or _in_a_name(body, m.start()):
            continue
        start, end = m.start(), m.end()
        if kind == "evaluative":
            # The phrase it characterises: "notorious cartel", "shadowy network".
            nxt = _WORD.match(body, end + 1) if end < len(body) and body[end] == " " else None
            if nxt is not None and nxt.group()[0].islower():
                end = nxt.end()
        yield FramingTerm(
            article=article_id,
            outlet=outlet,
            term=body[start:end],
            kind=kind,
            start=start,
            end=end,
            context=_context(body, start, end),
        )


_NAME_ABBREVIATION = re.compile(r"\b(?:[A-Z]|Mr|Mrs|Ms|Dr|Rep|Sen|Gov|Gen|Lt|Col|Sgt|St|Jr|Sr|Rev)\.$")


def _in_a_name(body: str, start: int) -> bool:
    """A capitalised word that does not open a sentence, a line or a quotation."""
    if not body[start].isupper():
        return False
    before = body[:start].rstrip(" \t")
    if before.endswith(".") and _NAME_ABBREVIATION.search(before):
        return True  # "Helen T. Slaughter", "Rep. Slaughter": the period ends an initial
    return bool(before) and before[-1] not in ".!?\n“\"‘'(:—–-"


def _scare_quotes(
    article_id: str, outlet: str, body: str, quoted: list[tuple[int, int]], others: str
) -> Iterator[FramingTerm]:
    for m in _SCARE.finditer(body):
        words = m.group(1).split()
        if len(words) > 3 or any(s < m.end() and m.start() < e for s, e in quoted):
            continue
        if _reported_or_cited(body, m.start()):
            continue
        if re.search(rf"\b{re.escape(' '.join(words).lower().rstrip(',.'))}\b", others):
            continue  # the story's term, or someone's word: other outlets use it too
        yield FramingTerm(
            article=article_id,
            outlet=outlet,
            term=m.group(),
            kind="scare_quote",
            start=m.start(),
            end=m.end(),
            context=_context(body, m.start(), m.end()),
        )


def _reported_or_cited(body: str, start: int) -> bool:
    """Whether the sentence before a quotation mark reports what follows as someone's words
    ("calling it “…”", "a remark that “…”"), or it follows "as" (a name or a label: "filed as
    “…”") or "=" (a markup value, author="…"), not the outlet's own distancing."""
    window = body[max(0, start - 300) : start]
    opening = max(sentence_ends(window), default=0)
    before = window[opening:]
    if before.rstrip().endswith("="):
        return True
    words = [w.lower() for w in _WORD.findall(before)]
    while words and words[-1] in _ARTICLES:
        words.pop()
    return bool(words) and (words[-1] == "as" or any(w in _REPORTING for w in words))


def find_terms(articles: Iterable[Article], quotes: Iterable[QuoteRecord]) -> Iterator[FramingTerm]:
    """Framing terms in article bodies, in reading order. Reported speech is the speaker's
    wording, not the outlet's, so words inside any quote are left out: a direct or partial
    quotation, and indirect speech too ("he said the regime must go"), whose words PolNeAR's
    annotators put inside the speaker's attribution for 87 of the 93 lexicon words it held."""
    quoted: dict[str, list[tuple[int, int]]] = {}
    for q in quotes:
        quoted.setdefault(q.article, []).append((q.start, q.end))
    articles = list(articles)
    # Each outlet's words, normalised once: a quoted phrase is looked up in the other outlets'.
    by_outlet: dict[str | None, str] = {}
    for o in articles:
        by_outlet[o.outlet] = by_outlet.get(o.outlet, "") + " " + " ".join(o.body.split()).lower()
    others_of: dict[str | None, str] = {}  # the other outlets' words, joined once per outlet
    for a in articles:
        aid, body = a.id, a.body
        if a.outlet not in others_of:
            others_of[a.outlet] = " ".join(text for outlet, text in by_outlet.items() if outlet != a.outlet)
        others = others_of[a.outlet]
        outlet = a.outlet or a.source or aid
        spans = quoted.get(aid, [])
        terms = [
            t
            for t in _word_terms(aid, outlet, body)
            if not any(s <= t.start and t.end <= e for s, e in spans)
        ]
        terms.extend(_scare_quotes(aid, outlet, body, spans, others))
        yield from sorted(terms, key=lambda t: t.start)
