"""Pronouns and descriptions that refer to a person ("she said", "the deputy minister told
reporters"), resolved where they are the subject of a speech or action verb, as quote
attribution needs.

The rule is a reader's: such a subject points to the person most recently in focus, that is
the latest person named as the subject of a clause (or, failing that, named at all) in the last
few sentences. A description must be headed by a noun for a person's role or kin.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsweave.nlp.entities import PERSON_NOUNS
from newsweave.nlp.entities import SPANS_KEY as ENTITIES_KEY

SPANS_KEY = "nw_references"
_PRONOUNS = frozenset({"he", "she"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_LOOKBACK_SENTENCES = 3


SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "add",
        "state",
        "announce",
        "claim",
        "declare",
        "note",
        "explain",
        "insist",
        "argue",
        "write",
        "report",
        "confirm",
        "deny",
        "warn",
        "comment",
        "respond",
        "reply",
        "ask",
        "acknowledge",
        "admit",
        "suggest",
        "proclaim",
        "tweet",
        "testify",
        "conclude",
        "predict",
        "estimate",
        "assert",
        "stress",
        "emphasize",
        "emphasise",
        "recall",
        "describe",
        "call",
        "continue",
        "read",
        "boast",
        "complain",
        "shout",
        "yell",
        "whisper",
        "remark",
        "observe",
        "post",
        "plead",
        "pledge",
        "retort",
        "counter",
        "sing",
        "wonder",
        "joke",
        "quip",
        "urge",
        "vow",
        "promise",
        "accuse",
    ]
)
_FEMALE = frozenset(
    [
        "she",
        "her",
        "hers",
        "herself",
        "sister",
        "daughter",
        "mother",
        "wife",
        "woman",
        "queen",
        "princess",
        "spokeswoman",
        "chairwoman",
        "actress",
        "widow",
        "grandmother",
        "aunt",
        "girl",
        "niece",
        "mrs.",
        "ms.",
        "mrs",
        "ms",
        "madam",
    ]
)
_MALE = frozenset(
    [
        "he",
        "him",
        "his",
        "himself",
        "brother",
        "son",
        "father",
        "husband",
        "man",
        "king",
        "prince",
        "spokesman",
        "chairman",
        "actor",
        "widower",
        "grandfather",
        "uncle",
        "boy",
        "nephew",
        "mr.",
        "mr",
        "sir",
    ]
)


_QUOTATION = re.compile(r"“[^“”\n]*”|\"[^\"\n]*\"")


def quoted_chars(text: str) -> list[tuple[int, int]]:
    """Character ranges inside double quotation marks, within one paragraph."""
    return [(m.start(), m.end()) for m in _QUOTATION.finditer(text)]


def _is_subject(person: Span) -> bool:
    """Named as a clause's subject, or in apposition to one ("his sister, NAME, said")."""
    root = person.root
    return root.dep_ in _SUBJECT_DEPS or (root.dep_ == "appos" and root.head.dep_ in _SUBJECT_DEPS)


def _gender_evidence(doc: Doc, people: list[Span]) -> dict[str, str]:
    """What the text says of each person's gender: kin and role words in apposition, honorifics."""
    evidence: dict[str, str] = {}
    for person in people:
        near = {person.root.head.lower_} if person.root.dep_ == "appos" else set()
        near |= {c.lower_ for c in person.root.children if c.dep_ == "appos"}
        if person.start > 0:
            near.add(doc[person.start - 1].lower_)
        if near & _FEMALE:
            evidence.setdefault(person.kb_id_, "F")
        elif near & _MALE:
            evidence.setdefault(person.kb_id_, "M")
    return evidence


def _agrees(pronoun: str, person: Span, gender: dict[str, str]) -> bool:
    known = gender.get(person.kb_id_)
    return known is None or known == ("F" if pronoun in _FEMALE else "M")


def _in_focus(
    sentence_starts: list[int],
    token: Token,
    people: list[Span],
    gender: dict[str, str],
    quoted: list[tuple[int, int]],
) -> Span | None:
    """The person in focus before `token`: the latest subject, else the latest mention, among
    those whose known gender does not contradict a pronoun."""
    index = bisect_right(sentence_starts, token.i) - 1
    window_start = sentence_starts[max(0, index - _LOOKBACK_SENTENCES)]
    earlier = [p for p in people if window_start <= p.start and p.end <= token.i]
    if token.lower_ in _PRONOUNS:
        earlier = [p for p in earlier if _agrees(token.lower_, p, gender)]
    subjects = [p for p in earlier if _is_subject(p)]
    pool = subjects or earlier
    if not pool or (token.lower_ in _PRONOUNS and _nearer_description(token, pool[-1], quoted)):
        return None
    return pool[-1]


def _nearer_description(pronoun: Token, person: Span, quoted: list[tuple[int, int]]) -> bool:
    """Someone unnamed whom the text describes, of the pronoun's gender, owned by a pronoun of
    the other one, between the person in focus and the pronoun in its sentence and outside
    quotation marks: "Ruiz blamed his wife, saying she …". That "she" is the wife, not the
    person in focus (whose "his" it is). Crediting her words to the person in focus is wrong
    twice: the words are hers, and the gender the guess records misleads every later "he".
    A description of the pronoun's own gender ("his brother …, he said") is no such sign."""
    words, other = (_FEMALE, "his") if pronoun.lower_ in _FEMALE else (_MALE, "her")
    start = max(person.end, pronoun.sent.start)
    return any(
        t.pos_ == "NOUN"
        and t.lower_ in words
        and any(c.dep_ == "poss" and c.lower_ == other for c in t.children)
        and not any(a <= t.idx < b for a, b in quoted)
        for t in pronoun.doc[start : pronoun.i]
    )


def _titled(doc: Doc, token: Token, people: list[Span]) -> Span | None:
    """The one person the text titles with the description's head noun before `token`
    ("President Ana Ruiz" … "the president said"; "Ruiz, the president of …"): a description
    names a post, and the holder of that post is who it means, whoever was last in focus."""
    head = token.lemma_.lower()
    holders: dict[str, Span] = {}
    for person in people:
        if person.end > token.i:
            break
        titles = {doc[person.start - 1].lemma_.lower()} if person.start > 0 else set()
        titles |= {c.lemma_.lower() for c in person.root.children if c.dep_ == "appos"}
        if person.root.dep_ == "appos":
            titles.add(person.root.head.lemma_.lower())
        if head in titles:
            holders[person.kb_id_] = person
    return next(iter(holders.values())) if len(holders) == 1 else None


def _description(token: Token, named: set[int]) -> tuple[int, int] | None:
    """A definite, singular description headed by a person noun: "the deputy spokesperson for X"."""
    if token.tag_ != "NN" or token.lemma_.lower() not in PERSON_NOUNS:
        return None
    determiners = [c for c in token.children if c.dep_ in {"det", "poss"}]
    if not determiners or determiners[0].lower_ in {"a", "an", "some", "any", "no", "every"}:
        return None
    conj = {t.i for c in token.children if c.dep_ in {"conj", "cc"} for t in c.subtree}
    extent = sorted(t.i for t in token.subtree if t.i not in conj)
    if named & set(extent):
        return None  # "his sister, NAME": the name is right there
    return extent[0], extent[-1] + 1


class ReferenceResolver:
    """spaCy component: `doc.spans["nw_references"]` with the subjects that are pronouns
    (label PRONOUN) or descriptions (label NOMINAL); `kb_id_` names the person they refer to."""

    def __init__(self, nlp: Language, name: str, *, spans_key: str = SPANS_KEY) -> None:
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        quoted = quoted_chars(doc.text)
        # A person named inside a quotation is the speaker's subject, not the narrator's: "“…as
        # President Ruiz has asked me…,” she said" is not about Ruiz.
        people = [
            s
            for s in doc.spans.get(ENTITIES_KEY, [])
            if s.label_ == "PERSON" and not any(a <= s.start_char < b for a, b in quoted)
        ]
        named = {t.i for p in people for t in p}
        gender = _gender_evidence(doc, people)
        sentence_starts = [s.start for s in doc.sents]  # once: `doc.sents` walks the whole doc
        found: list[Span] = []
        for token in doc:
            if token.dep_ not in _SUBJECT_DEPS or token.i in named or token.head.pos_ not in {"VERB", "AUX"}:
                continue
            speech = token.head.lemma_.lower() in SPEECH_VERBS
            if token.lower_ in _PRONOUNS:
                extent, label = (token.i, token.i + 1), "PRONOUN"
            elif speech and (description := _description(token, named)) is not None:
                extent, label = description, "NOMINAL"
            else:
                continue
            person = (_titled(doc, token, people) if label == "NOMINAL" else None) or _in_focus(
                sentence_starts, token, people, gender, quoted
            )
            if person is not None:
                found.append(Span(doc, *extent, label=label, kb_id=person.kb_id_))
                if label == "PRONOUN":
                    gender.setdefault(person.kb_id_, "F" if token.lower_ in _FEMALE else "M")
        doc.spans[self.spans_key] = found
        return doc
