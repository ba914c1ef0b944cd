"""Roles: the titles and descriptions an article gives a person, per article.

Three shapes, read from the dependency parse:
- apposition after the name: "NAME, the top official for X at Y," (split at "and" when it
  lists several roles);
- the name in apposition to a description before it: "his daughter, NAME" — a possessive
  pronoun there is made explicit ("daughter of <the person it points to>");
- title words before the name: "White House spokesperson NAME", "President NAME".
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsweave.nlp.entities import PERSON_NOUNS, TITLE_WORDS
from newsweave.nlp.entities import SPANS_KEY as ENTITIES_KEY
from newsweave.nlp.references import SPANS_KEY as REFERENCES_KEY

SPANS_KEY = "nw_roles"
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
_POSSESSIVE_PRONOUNS = frozenset({"his", "her", "their", "its"})
_MAX_ROLE_TOKENS = 25
# What can head a description of one person after the name: a singular noun ("a lawyer"), a
# name ("D-Ill."), an age ("41").
_ONE_PERSON_TAGS = frozenset({"NN", "NNP", "CD"})


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].is_punct or doc[start].lower_ in {"and", "or", "who", "which"}):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in {"and", "or"}):
        end -= 1
    return start, end


def _subtree_span(token: Token, exclude: set[int]) -> tuple[int, int]:
    """The contiguous stretch of `token`'s subtree that does not reach into `exclude`."""
    indices = [t.i for t in token.subtree if t.i not in exclude]
    start = end = token.i
    ordered = set(indices)
    while start - 1 in ordered:
        start -= 1
    while end + 1 in ordered:
        end += 1
    return start, end + 1


def _second_roles(head: Token) -> list[Token]:
    """Coordinated roles inside an apposition ("director of X and wife of Y"): a conjunct that
    is a person noun, wherever the parser attached it."""
    return [
        t
        for t in head.subtree
        if t.dep_ == "conj" and t.pos_ == "NOUN" and (t.head == head or t.lemma_.lower() in PERSON_NOUNS)
    ]


def _appositions_after(mention: Span) -> list[tuple[int, int]]:
    roles = []
    own = set(range(mention.start, mention.end))
    for child in mention.root.children:
        if child.dep_ != "appos" or child.i < mention.end or child.ent_type_ == "PERSON":
            continue
        if child.tag_ not in _ONE_PERSON_TAGS:
            continue  # "NAME, dressed in a blue suit,", "NAME, herself", "NAME, both": no role
        others = _second_roles(child)
        cut = {t.i for o in others for t in o.subtree}
        roles.append(_subtree_span(child, cut | own))
        roles += [_subtree_span(o, own) for o in others]
    return roles


def _description_before(mention: Span) -> tuple[int, int, Token | None] | None:
    """ "his daughter, NAME": the description NAME stands in apposition to, and its possessor."""
    root = mention.root
    head = root.head
    if root.dep_ != "appos" or head.i >= mention.start or head.pos_ not in {"NOUN", "PROPN"}:
        return None
    if head.ent_type_:  # "Brussels, NAME" is not a description
        return None
    start, end = _subtree_span(head, {t.i for t in root.subtree})
    possessor = next((c for c in head.children if c.dep_ == "poss"), None)
    return start, min(end, mention.start), possessor


def _titles_before(mention: Span) -> tuple[int, int] | None:
    doc = mention.doc
    start = mention.start
    while start > 0:
        token = doc[start - 1]
        in_np = (token.head.i >= start and token.head.i < mention.end) or token.dep_ in _MODIFIER_DEPS
        if token.dep_ in _MODIFIER_DEPS and in_np and token.pos_ in {"NOUN", "PROPN", "ADJ"}:
            start -= 1
            continue
        break
    if start == mention.start:
        return None
    words = {t.lower_ for t in doc[start : mention.start]}
    has_title = bool(words & TITLE_WORDS) or any(t.pos_ == "NOUN" for t in doc[start : mention.start])
    return (start, mention.start) if has_title else None


def _without_determiner(span: Span) -> str:
    start = span.start + (1 if span[0].dep_ == "det" else 0)
    return span.doc[start : span.end].text


def _antecedent(doc: Doc, before: int, referents: list[Span], exclude: str) -> Span | None:
    """The person a possessive pronoun at `before` points to: the closest earlier other person
    named in their own right (not one introduced by an apposition, as in "his father, X, and his
    grandfather, Y", where both "his" point past X) or referred to ("He and his wife, X": the
    "he" the references resolved, not a name further back)."""
    earlier = [p for p in referents if p.end <= before and p.kb_id_ != exclude]
    main = [p for p in earlier if p.root.dep_ not in {"appos", "conj"}]
    pool = main or earlier
    return pool[-1] if pool else None


class RoleFinder:
    """spaCy component: role spans in `doc.spans["nw_roles"]`; each span's `kb_id_` is the
    canonical name of the person it describes, and its label the role's text as written (with
    a possessive pronoun made explicit)."""

    def __init__(self, nlp: Language, name: str, *, spans_key: str = SPANS_KEY) -> None:
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        people = [s for s in doc.spans.get(ENTITIES_KEY, []) if s.label_ == "PERSON"]
        # Who a possessive can point to: the people named, and the pronouns and descriptions
        # the references resolved to one of them, in reading order.
        referents = sorted([*people, *doc.spans.get(REFERENCES_KEY, [])], key=lambda s: s.start)
        roles: list[Span] = []
        seen: set[tuple[int, int, str]] = set()

        def add(start: int, end: int, person: Span, text: str | None = None) -> None:
            start, end = _trim(doc, start, end)
            if end <= start or end - start > _MAX_ROLE_TOKENS or (start, end, person.kb_id_) in seen:
                return
            seen.add((start, end, person.kb_id_))
            label = text or doc[start:end].text
            roles.append(Span(doc, start, end, label=label, kb_id=person.kb_id_))

        for reference in doc.spans.get(REFERENCES_KEY, []):
            if reference.label_ == "NOMINAL":
                person = next((p for p in people if p.kb_id_ == reference.kb_id_), None)
                if person is not None:
                    add(reference.start, reference.end, person, _without_determiner(reference))
        for person in people:
            for start, end in _appositions_after(person):
                add(start, end, person)
            if described := _description_before(person):
                start, end, possessor = described
                text = None
                if possessor is not None and possessor.lower_ in _POSSESSIVE_PRONOUNS:
                    owner = _antecedent(doc, possessor.i, referents, person.kb_id_)
                    core = doc[possessor.i + 1 : end]
                    text = f"{core.text.strip(' ,')} of {owner.kb_id_}" if owner is not None else None
                add(start, end, person, text)
            if titled := _titles_before(person):
                add(*titled, person)
        doc.spans[self.spans_key] = sorted(roles, key=lambda s: s.start)
        return doc
