"""Entities within one article: clean the named-entity spans, then group the mentions that
name the same thing ("Alvarez" with the full name it stands for, an acronym with its expansion,
a near-miss spelling with the right one).

Grouping follows what a reader does: a full name introduces a person and a later surname or
first name points back to the one full name that contains it, the one introduced first when
several do (a writer names the second person of a surname in full, to tell them apart); two
different full names are never merged, nor a relative ("his father, Tomas Ruiz") with the
suffixed name he lacks ("Tomas Ruiz Jr.").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "NORP", "EVENT"})
SPANS_KEY = "nw_entities"

# Words that stand before a name as its title; they are cut from a PERSON span (and kept as a role).
TITLE_WORDS = frozenset(
    [
        "president",
        "vice",
        "prime",
        "minister",
        "chancellor",
        "secretary",
        "senator",
        "sen.",
        "rep.",
        "representative",
        "governor",
        "gov.",
        "mayor",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "general",
        "gen.",
        "lt.",
        "col.",
        "colonel",
        "major",
        "maj.",
        "captain",
        "capt.",
        "admiral",
        "sergeant",
        "sgt.",
        "judge",
        "justice",
        "chief",
        "ceo",
        "chairman",
        "chairwoman",
        "chair",
        "director",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "ambassador",
        "dr.",
        "mr.",
        "mrs.",
        "ms.",
        "miss",
        "sir",
        "dame",
        "lord",
        "lady",
        "professor",
        "prof.",
        "rev.",
        "reverend",
        "father",
        "sister",
        "brother",
        "saint",
        "st.",
        "supreme",
        "leader",
        "premier",
        "commissioner",
        "officer",
        "detective",
        "inspector",
        "coach",
        "deputy",
        "foreign",
        "defense",
        "defence",
        "interior",
        "finance",
        "health",
        "state",
        "first",
    ]
)
# Nouns that head a description of a person (roles, offices, kin); generic English, no names.
PERSON_NOUNS = frozenset(
    [
        "leader",
        "president",
        "premier",
        "minister",
        "chancellor",
        "secretary",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "official",
        "officer",
        "director",
        "chairman",
        "chairwoman",
        "chair",
        "chief",
        "head",
        "ambassador",
        "envoy",
        "diplomat",
        "senator",
        "lawmaker",
        "legislator",
        "governor",
        "mayor",
        "king",
        "queen",
        "prince",
        "princess",
        "dictator",
        "ruler",
        "general",
        "commander",
        "admiral",
        "colonel",
        "captain",
        "sergeant",
        "judge",
        "prosecutor",
        "lawyer",
        "attorney",
        "defendant",
        "suspect",
        "victim",
        "witness",
        "analyst",
        "expert",
        "economist",
        "scientist",
        "researcher",
        "professor",
        "teacher",
        "doctor",
        "executive",
        "founder",
        "ceo",
        "owner",
        "manager",
        "coach",
        "player",
        "striker",
        "singer",
        "actor",
        "actress",
        "author",
        "writer",
        "journalist",
        "reporter",
        "editor",
        "activist",
        "candidate",
        "nominee",
        "sister",
        "brother",
        "daughter",
        "son",
        "mother",
        "father",
        "wife",
        "husband",
        "widow",
        "grandfather",
        "grandmother",
        "uncle",
        "aunt",
        "cousin",
        "man",
        "woman",
        "boy",
        "girl",
        "deputy",
        "aide",
        "adviser",
        "advisor",
        "negotiator",
        "regulator",
        "agent",
    ]
)
# Lower-case words that do belong in people's names ("Ludwig van Beethoven", "Osama bin Laden").
_NAME_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "da",
        "di",
        "del",
        "della",
        "du",
        "la",
        "le",
        "bin",
        "ibn",
        "al",
        "el",
        "ter",
        "ten",
        "zu",
        "dos",
        "das",
    ]
)
_FUNCTION_WORDS = frozenset({"of", "the", "and", "for", "de", "du", "la", "le", "&", "für", "der"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_EDGE_PUNCT = "\"'“”‘’()[]{}.,;:!?-–—*"


_POSSESSIVE_SUFFIX = re.compile(r"['’‘]s?$")


def name_of(span: Span) -> str:
    """A mention's name as written, without a possessive glued to its last word ("Korea‘s")."""
    return _POSSESSIVE_SUFFIX.sub("", span.text) if len(span.text) > 3 else span.text


def normalise_name(text: str) -> str:
    """Comparable form of a name: NFKC, straight quotes, no periods, case-folded, single spaces."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    text = _POSSESSIVE_SUFFIX.sub("", text.replace(".", ""))
    return re.sub(r"\s+", " ", text).strip().casefold()


def initials(name: str) -> str:
    """Initial letters of a name's content words: "Teachers' Union of Ireland" → "TUI"."""
    words = [w for w in re.split(r"[\s-]+", name) if w and w.casefold() not in _FUNCTION_WORDS]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def _clean_span(span: Span) -> Span | None:
    """Trim determiners, possessives, edge punctuation and (for people) titles; None for junk."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end and (doc[start].lower_ in _DETERMINERS or doc[start].text in _EDGE_PUNCT):
        start += 1
    while end > start and (doc[end - 1].text in _POSSESSIVE or doc[end - 1].text in _EDGE_PUNCT):
        end -= 1
    if span.label_ == "PERSON":
        while end - start > 1 and doc[start].lower_ in TITLE_WORDS:
            start += 1
    if start >= end:
        return None
    cleaned = doc[start:end]
    text = cleaned.text
    if "\n" in text or any(c in text for c in "[]{}<>|@#/") or not any(c.isalpha() for c in text):
        return None
    if len(text) < 2 or (span.label_ != "NORP" and text.islower()):
        return None
    label = span.label_
    if label == "PERSON" and any(
        t.is_alpha and t.is_lower and t.lower_ not in _NAME_PARTICLES for t in doc[start:end]
    ):
        label = "PRODUCT"  # "Volvo truck": a person's name has no lower-case common noun in it
    return Span(doc, start, end, label=label)


def _edit_distance_at_most_one(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = j = 0
    edits = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            i += 1
            j += 1
            continue
        edits += 1
        if edits > 1:
            return False
        if len(a) == len(b):
            if i + 1 < len(a) and a[i] == b[j + 1] and a[i + 1] == b[j]:
                i += 2  # a swap of two neighbours counts as one edit
                j += 2
                continue
            i += 1
        j += 1
    return edits + (len(b) - j) + (len(a) - i) <= 1


# NER often tags a lone surname as an organisation; it may still point back to a person.
_MAY_NAME_A_PERSON = frozenset({"PERSON", "ORG"})
# A place-typed word the text uses as someone who acts or is addressed ("Ruiz told Okafor",
# "Jordan scored") is the person the article names in full with it: the tagger mistook a surname.
_PLACE_TYPES = frozenset({"GPE", "LOC", "NORP"})
_ACTOR_ROLES = frozenset({"nsubj", "nsubjpass", "dobj", "dative"})


def near_miss(a: str, b: str, min_word: int = 4) -> bool:
    """Two names that differ by one typo in one word ("Sorensen"/"Sorenson", "Xinhau"/"Xinhua"), that word
    at least `min_word` letters long."""
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb) or a == b:
        return False
    diffs = [(x, y) for x, y in zip(ta, tb, strict=True) if x != y]
    return (
        len(diffs) == 1
        and min(len(diffs[0][0]), len(diffs[0][1])) >= min_word
        and _edit_distance_at_most_one(*diffs[0])
    )


@dataclass(slots=True)
class Cluster:
    """Mentions of one entity in one article."""

    mentions: list[Span] = field(default_factory=list)

    @property
    def label(self) -> str:
        """A person's full name makes the cluster a person, however the tagger typed the bare
        surnames that point back to it ("Ana Pereira" once, "Pereira" as an organisation five
        times); otherwise the type most mentions have."""
        if any(m.label_ == "PERSON" and len(m) > 1 and _looks_like_a_name(m) for m in self.mentions):
            return "PERSON"
        return Counter(m.label_ for m in self.mentions).most_common(1)[0][0]

    @property
    def canonical(self) -> str:
        """The fullest name: most words, then most frequent, then first seen."""
        counts = Counter(name_of(m) for m in self.mentions)
        order = {name_of(m): i for i, m in reversed(list(enumerate(self.mentions)))}
        return max(counts, key=lambda t: (len(t.split()), counts[t], -order[t]))

    @property
    def names(self) -> set[str]:
        return {normalise_name(m.text) for m in self.mentions}


def _acronym_pairs(doc: Doc, spans: list[Span]) -> dict[int, int]:
    """ "Long Name (ACR)": index of the acronym's span → index of the name's span."""
    by_start = {s.start: i for i, s in enumerate(spans)}
    pairs: dict[int, int] = {}
    for i, span in enumerate(spans):
        after = span.end
        if after + 2 < len(doc) and doc[after].text == "(" and doc[after + 2].text == ")":
            acronym = doc[after + 1].text
            if acronym.isupper() and initials(span.text) == acronym.replace(".", ""):
                j = by_start.get(after + 1)
                if j is not None:
                    pairs[j] = i
    return pairs


def _surnames_missed(doc: Doc, spans: list[Span]) -> list[Span]:
    """Later mentions of a person's surname the tagger missed ("Wierzbicki elaborated …" after
    "Police Chief Tomasz Wierzbicki"): a proper noun, after the full name, that is the last word of it. A
    surname that is also an ordinary word is only taken where the tagger reads it as a name."""
    covered = {t.i for s in spans for t in s}
    first_seen: dict[str, int] = {}
    for span in spans:
        if span.label_ == "PERSON" and len(span) > 1 and _looks_like_a_name(span):
            first_seen.setdefault(span[-1].text, span.end)
    extra: list[Span] = []
    for token in doc:
        seen = first_seen.get(token.text)
        if seen is not None and token.i >= seen and token.i not in covered and token.pos_ == "PROPN":
            neighbours = [doc[j] for j in (token.i - 1, token.i + 1) if 0 <= j < len(doc)]
            if not any(n.pos_ == "PROPN" and n.text[:1].isupper() for n in neighbours):
                extra.append(Span(doc, token.i, token.i + 1, label="PERSON"))
    return extra


def _acronyms_missed(doc: Doc, spans: list[Span]) -> list[Span]:
    """Mentions of an acronym the tagger missed: the one a name defines in brackets right after
    itself ("Name Of Body (NOB)") and every later use of it."""
    covered = {t.i for s in spans for t in s}
    extra: list[Span] = []
    for span in spans:
        after = span.end
        if not (after + 2 < len(doc) and doc[after].text == "(" and doc[after + 2].text == ")"):
            continue
        acronym = doc[after + 1].text
        if len(acronym) < 2 or not acronym.isupper() or initials(span.text) != acronym.replace(".", ""):
            continue
        for token in doc[after + 1 :]:
            if token.text == acronym and token.i not in covered:
                extra.append(Span(doc, token.i, token.i + 1, label=span.label_))
                covered.add(token.i)
    return extra


def _tokens(name: str) -> list[str]:
    return normalise_name(name).split()


def _contains_tokens(full: list[str], part: list[str]) -> bool:
    return len(part) < len(full) and all(t in full for t in part)


def _is_name_pair(span: Span, names: set[str]) -> bool:
    """ "Biden-Xi" in "the Biden-Xi summit": two known names joined, not a name of its own."""
    parts = normalise_name(span.text).split("-")
    return len(parts) == 2 and all(any(p in n.split() for n in names) for p in parts)


def cluster_mentions(doc: Doc, spans: list[Span]) -> list[Cluster]:
    """Group an article's cleaned entity spans into clusters, one per entity."""
    names = {normalise_name(s.text) for s in spans}
    spans = [s for s in spans if not _is_name_pair(s, names)]
    acronym_of = _acronym_pairs(doc, spans)
    clusters: list[Cluster] = []
    by_name: dict[str, Cluster] = {}
    # Full names first (most words first), so shorter mentions find what they point back to.
    order = sorted(range(len(spans)), key=lambda i: (-len(spans[i].text.split()), i))
    for i in order:
        span = spans[i]
        name = normalise_name(span.text)
        target = by_name.get(name)
        if target is None and i in acronym_of:
            target = by_name.get(normalise_name(spans[acronym_of[i]].text))
        if target is None:
            target = _point_back(span, clusters)
        if target is None:
            target = Cluster()
            clusters.append(target)
        target.mentions.append(span)
        by_name.setdefault(name, target)
    for cluster in clusters:
        cluster.mentions.sort(key=lambda s: s.start)
    return [c for c in clusters if c.mentions]


def _typo_word_length(label: str) -> int:
    # "Maria"/"Mario" are two people: a person's names differ by one letter only when long.
    return 7 if label == "PERSON" else 4


def _looks_like_a_name(span: Span) -> bool:
    """Capitalised words, not an acronym ("O.A.S." is not the "Oas" of a three-part name)."""
    return all(t.text[:1].isupper() and not t.text.isupper() and "." not in t.text for t in span)


# Generational suffixes: "Jr." and "Sr." tell a father and a son of one name apart.
GENERATION_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Descriptions that make a bare name a relative of the suffixed person, not that person.
KINSHIP_WORDS = frozenset(
    {
        "father",
        "mother",
        "son",
        "daughter",
        "brother",
        "sister",
        "uncle",
        "aunt",
        "grandfather",
        "grandmother",
        "grandson",
        "granddaughter",
        "nephew",
        "niece",
        "cousin",
        "dad",
        "mom",
    }
)


def _point_back(span: Span, clusters: Iterable[Cluster]) -> Cluster | None:
    """The cluster a shorter, abbreviated or misspelt mention refers to, if exactly clear."""
    name = normalise_name(span.text)
    part = name.split()
    compact = name.replace(" ", "").upper()
    candidates: list[Cluster] = []
    relative = _described_as_relative(span)
    for cluster in clusters:
        for full in cluster.names:
            full_tokens = full.split()
            if relative and len(part) > 1 and GENERATION_SUFFIXES & (set(full_tokens) - set(part)):
                continue  # "his father, Tomas Ruiz" is not "Tomas Ruiz Jr."
            if (
                (
                    _may_name_a_person(span)
                    and cluster.label == "PERSON"
                    and _looks_like_a_name(span)
                    and _contains_tokens(full_tokens, part)
                )
                or (len(compact) >= 2 and span.text.replace(".", "").isupper() and initials(full) == compact)
                or (span.label_ == cluster.label and near_miss(name, full, _typo_word_length(span.label_)))
            ):
                candidates.append(cluster)
                break
    if not candidates:
        return None
    # Several full names contain "Alvarez": a reader takes the one introduced first.
    return min(candidates, key=lambda c: c.mentions[0].start)


def _may_name_a_person(span: Span) -> bool:
    if span.label_ in _MAY_NAME_A_PERSON:
        return True
    return span.label_ in _PLACE_TYPES and len(span) == 1 and span.root.dep_ in _ACTOR_ROLES


def _in_apposition(span: Span) -> list[Token]:
    """The heads of what a name stands in apposition with, either side of it."""
    root = span.root
    linked = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        linked.append(root.head)
    return linked


def _described_as_relative(span: Span) -> bool:
    """ "his father, NAME", "NAME, her son": a name in apposition with a kinship word."""
    return any(t.lemma_.lower() in KINSHIP_WORDS for t in _in_apposition(span))


def _described_as_person(span: Span) -> bool:
    """ "NAME, head of research at X": a name in apposition with a person's role is a person,
    whatever the tagger said."""
    return any(t.pos_ == "NOUN" and t.lemma_.lower() in PERSON_NOUNS for t in _in_apposition(span))


class EntityResolver:
    """spaCy component: cleaned entity mentions in `doc.spans["nw_entities"]`, each span's
    `kb_id_` holding the canonical name of the entity it mentions within the article."""

    def __init__(self, nlp: Language, name: str, *, spans_key: str = SPANS_KEY) -> None:
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        spans = [c for e in doc.ents if e.label_ in ENTITY_TYPES and (c := _clean_span(e)) is not None]
        spans = spans + _acronyms_missed(doc, spans)
        spans = sorted(spans + _surnames_missed(doc, spans), key=lambda s: s.start)
        resolved: list[Span] = []
        for cluster in cluster_mentions(doc, spans):
            label, canonical = cluster.label, cluster.canonical
            if label == "ORG" and any(_described_as_person(m) for m in cluster.mentions):
                label = "PERSON"
            resolved += [Span(doc, m.start, m.end, label=label, kb_id=canonical) for m in cluster.mentions]
        doc.spans[self.spans_key] = sorted(resolved, key=lambda s: s.start)
        return doc
