"""Differences between outlets: within a claim group (figures, dates, negation, certainty,
attribution), and across the story (titles for one person, one name spelt two ways)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import combinations

from newsweave.compare.records import ClaimUnit, Difference, content_lemmas, outlet_of, times_agree
from newsweave.model import Article, EntityRecord, EntityRole
from newsweave.nlp.hedges import HEDGES

# Two claims disagree on a date or on negation only when they state the same thing otherwise:
# this share of their content words in common. Looser pairs are neighbours in one story, and
# their dates and negations are about different things ("haven't said whether …" / "none …
# exploded").
_SAME_STATEMENT = 0.5


def disagreements(members: Sequence[ClaimUnit]) -> list[tuple[str, ClaimUnit, ClaimUnit]]:
    """Pairs of claims from different outlets that state the same thing but give it different
    dates, or one denies what the other states. (Figures are compared story-wide: `figures`.)"""
    found = []
    for a, b in combinations(members, 2):
        if a.outlet == b.outlet:
            continue
        same = _same_statement(a, b)
        if same and a.times and b.times and not times_agree(a.times, b.times):
            found.append(("date", a, b))
        elif (same and a.polarity != b.polarity) or _denies(a, b) or _denies(b, a):
            found.append(("polarity", a, b))
    return found


def _denies(negative: ClaimUnit, positive: ClaimUnit) -> bool:
    """`negative` denies what `positive` states: the same verb of the same subject, said not to be
    so ("the inquiry has not found a cause" / "the inquiry found the cause"), or a thing it says
    there is none of that the other says was done ("no arrests were made" / "police arrested two
    men"); and `positive` does not deny it too. The language layer leaves out what states
    nothing alone (suppositions, questions, "not … until", verbs of saying): `predicates`."""
    denied = {p.removeprefix("not ") for p in negative.predicates if p.startswith("not ")}
    none_of = {p.removeprefix("no ") for p in negative.predicates if p.startswith("no ")}
    for stated in positive.predicates:
        if stated.startswith(("not ", "no ")) or f"not {stated}" in positive.predicates:
            continue
        if stated in negative.predicates:  # "X was arrested, but no arrests of Y were made"
            continue
        if ("@" in stated and stated in denied) or stated.split("@")[0] in none_of:
            return True
    return False


def _same_statement(a: ClaimUnit, b: ClaimUnit) -> bool:
    wa, wb = content_lemmas(a.reading, a.lemmas), content_lemmas(b.reading, b.lemmas)
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= _SAME_STATEMENT


def by_kind(
    conflicts: Iterable[tuple[str, ClaimUnit, ClaimUnit]],
) -> dict[str, list[tuple[ClaimUnit, ClaimUnit]]]:
    out: dict[str, list[tuple[ClaimUnit, ClaimUnit]]] = defaultdict(list)
    for kind, a, b in conflicts:
        out[kind].append((a, b))
    return out


def conflict(gid: str, about: str, kind: str, pairs: Sequence[tuple[ClaimUnit, ClaimUnit]]) -> Difference:
    """One difference per kind and group, citing each outlet's claim once."""
    cited: dict[str, ClaimUnit] = {}
    for a, b in pairs:
        cited.setdefault(a.outlet, a)
        cited.setdefault(b.outlet, b)
    return Difference(
        kind=kind,
        about=about[:120],
        spans=tuple({"article": c.article, "text": c.text} for c in cited.values()),
        note=f"{_joined(sorted(cited))} {_DISAGREE[kind]}",
        group=gid,
    )


_DISAGREE = {
    "number": "give different figures",
    "date": "give different dates",
    "polarity": "contradict each other: one says it is so, the other that it is not",
}


def _joined(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# Verbs that put a statement on someone's word as a charge or an assertion in dispute. "The coast
# guard said the boat was found off Malta" attributes a fact routinely; "rival firms accuse X of
# selling drones" presents it as contested.
_ALLEGING = frozenset(
    {"accuse", "allege", "claim", "charge", "contend", "argue", "assert", "insist", "maintain",
     "complain", "blame", "suspect"}
)  # fmt: skip
_HEDGE_REACH = 3  # words after a hedge that it bears on ("possible violation of …")
_QUOTED = re.compile(r"“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)|‘[^’]*’(?!\w)")  # closed or running to the end
_TEXT_WORD = re.compile(r"[\w’'-]+")
_Test = Callable[[ClaimUnit, ClaimUnit], bool]
_Note = Callable[[ClaimUnit, ClaimUnit], str]


def certainty_and_attribution(gid: str, about: str, members: Sequence[ClaimUnit]) -> list[Difference]:
    """One outlet states the fact outright; another hedges that very fact ("violates" / "a
    possible violation"), or puts it on someone's word as a charge ("accused X of …")."""
    asserted = [c for c in members if c.certainty == "asserted" and c.source is None]
    contrasts: list[tuple[str, _Test, _Note]] = [
        ("certainty", _hedges_the_shared_fact, lambda a, o: f"{a.outlet} asserts it; {o.outlet} hedges it"),
        (
            "attribution",
            lambda o, a: o.source is not None and _alleges(o),
            lambda a, o: f"{a.outlet} states it as fact; {o.outlet} attributes it to {o.source}",
        ),
    ]
    out = []
    for kind, differs, note in contrasts:
        pair = next(
            ((a, o) for a in asserted for o in members if o.outlet != a.outlet and differs(o, a)), None
        )
        if pair is not None:
            a, o = pair
            out.append(
                Difference(
                    kind=kind,
                    about=about[:120],
                    spans=({"article": a.article, "text": a.text}, {"article": o.article, "text": o.text}),
                    note=note(a, o),
                    group=gid,
                )
            )
    return out


def _hedges_the_shared_fact(hedged: ClaimUnit, asserted: ClaimUnit) -> bool:
    """A hedge of `hedged`, in its own words (not inside quotation marks: "calling them
    “suspected …”" quotes someone), bears on words `asserted` states too, other than names (to
    their first five letters: "possible violation" / "violates")."""
    if hedged.certainty != "hedged" or not hedged.hedges:
        return False
    tokens = _TEXT_WORD.findall(_QUOTED.sub(" ", hedged.text.lower()))
    names = _name_words(hedged) | _name_words(asserted)
    stated = {w[:5] for w in content_lemmas(asserted.reading, asserted.lemmas) - names}
    for i, token in enumerate(tokens):
        if token in hedged.hedges:
            reach = content_lemmas(" ".join(tokens[i + 1 : i + 1 + _HEDGE_REACH]), hedged.lemmas)
            if {w[:5] for w in reach} & stated:
                return True
    return False


def _name_words(claim: ClaimUnit) -> set[str]:
    return {w for name in claim.entities for w in name.lower().split()}


_SOURCE_REACH = 3  # words after the source's name in which its verb stands ("the allies have accused")


def _alleges(claim: ClaimUnit) -> bool:
    """The claim's source charges it: an alleging verb right after the source's name ("the
    allies have accused", "X claimed"), not an alleging word elsewhere ("indicted on charges",
    "the suspect")."""
    text = claim.text.lower()
    names = [claim.source.lower(), claim.source.lower().split()[-1]] if claim.source else []
    for name in names:
        at = text.find(name)
        if at < 0:
            continue
        after = re.findall(r"[a-z]+", text[at + len(name) :])[:_SOURCE_REACH]
        return any(claim.lemmas.get(w, w) in _ALLEGING for w in after)
    return False


_CLAUSE_BREAK = re.compile(r"[,;:.!?()—–]")


def hedged_things(claims: Sequence[ClaimUnit], outlets: Mapping[str, str]) -> list[Difference]:
    """One `certainty` difference per thing an outlet hedges in its own words ("a probable crane
    failure": the language layer's `hedged_terms`) that another outlet names outright: in its own
    words (outside quotation marks), with no hedge before it in its clause, in a claim that
    shares another content word with the hedging one (two claims that only name the same thing
    may say different things of it: "died of apparent heart failure" / "had heart failure")."""
    hedging = [(c, t) for c in claims for t in c.hedged_terms]
    if not hedging:
        return []
    own = [_QUOTED.sub(" ", c.text.lower()).replace("’", "'") for c in claims]
    by_word: dict[str, set[int]] = defaultdict(set)
    for i, text in enumerate(own):
        for token in _TEXT_WORD.findall(text):
            by_word[token].add(i)
    lemmas = [content_lemmas(c.text, c.lemmas) for c in claims]
    index = {c.id: i for i, c in enumerate(claims)}
    out = []
    seen: set[str] = set()
    for claim, term in hedging:
        words_ = term.replace("’", "'").split()
        if term in seen or not words_:
            continue
        outlet = outlets.get(claim.article, claim.outlet)
        context = lemmas[index[claim.id]] - content_lemmas(term, claim.lemmas)
        holders = set.intersection(*(by_word.get(w, set()) for w in words_))
        for j in sorted(holders):
            other = claims[j]
            if outlets.get(other.article, other.outlet) == outlet or term in other.hedged_terms:
                continue
            if context & lemmas[j] and _named_outright(own[j], words_):
                seen.add(term)
                out.append(_hedged_difference(term, other, claim, outlets))
                break
    return out


def _named_outright(text: str, term: list[str]) -> bool:
    """The words of `term` in a row in `text`, with no hedge before them in their clause ("may
    have followed a crane failure" hedges it)."""
    pattern = r"(?<![\w'-])" + r"\s+".join(re.escape(w) for w in term) + r"(?![\w'-])"
    for m in re.finditer(pattern, text):
        clause = _CLAUSE_BREAK.split(text[: m.start()])[-1]
        if not HEDGES & set(_TEXT_WORD.findall(clause)):
            return True
    return False


def _hedged_difference(
    term: str, stating: ClaimUnit, hedging: ClaimUnit, outlets: Mapping[str, str]
) -> Difference:
    said, doubted = (outlets.get(c.article, c.outlet) for c in (stating, hedging))
    return Difference(
        kind="certainty",
        about=term,
        spans=(
            {"article": stating.article, "text": stating.text, "claim": stating.id},
            {"article": hedging.article, "text": hedging.text, "claim": hedging.id},
        ),
        note=f"{said} names {term!r} outright; {doubted} hedges it",
    )


# Nouns that name a post someone holds: titles differ only where both name a post. "A CNN
# contributor" and "former director of national intelligence" are two things one person is,
# not two answers to one question.
_OFFICES = frozenset(
    {
        "president", "vice", "director", "spokesperson", "spokesman", "spokeswoman", "secretary",
        "minister", "chairman", "chairwoman", "chair", "senator", "representative", "congressman",
        "congresswoman", "governor", "mayor", "judge", "justice", "attorney", "prosecutor",
        "ambassador", "commander", "general", "chief", "head", "leader", "deputy", "premier",
        "chancellor", "speaker", "sheriff", "commissioner", "administrator", "officer", "envoy",
        "adviser", "advisor", "counsel", "treasurer", "mp", "lawmaker", "official", "master",
        "manager", "executive", "ceo", "captain", "superintendent", "inspector", "dean", "editor",
        "founder",
    }
)  # fmt: skip
# Written forms of titles, so that "Sen." and "Senator" are one title.
_TITLE_ABBREVIATIONS = {
    "sen": "senator", "rep": "representative", "gov": "governor", "lt": "lieutenant", "gen": "general",
    "sec": "secretary", "atty": "attorney", "pres": "president", "dir": "director", "amb": "ambassador",
    "cmdr": "commander", "supt": "superintendent", "dep": "deputy", "asst": "assistant",
}  # fmt: skip
# A post held before is not a post held now: "former director" and "senator" do not disagree.
_PAST = frozenset({"former", "ex", "then", "onetime", "late", "outgoing", "retired"})
_STEM = 5  # titles agree when they share a word to its first five letters ("senate", "senator")


def _office_words(text: str) -> frozenset[str] | None:
    """The words of a current post ("deputy spokesperson for the party"), or None when the role
    is no post: an honorific, a party tag ("R-Ohio"), an age, a relative, a past post."""
    raw = re.findall(r"[a-z]+", text.lower().replace(".", ""))
    expanded = [_TITLE_ABBREVIATIONS.get(w, w) for w in raw]
    if _PAST & set(expanded) or not _OFFICES & set(expanded):
        return None
    return frozenset(w[:_STEM] for w in expanded if w not in {"the", "a", "an", "of", "for", "to", "and"})


def title_and_naming(entities: Iterable[EntityRecord], articles: Mapping[str, Article]) -> list[Difference]:
    """Different posts the outlets give one person; spelling variants of one name (merged)."""
    outlets = {aid: outlet_of(a) for aid, a in articles.items()}
    out = []
    for e in entities:
        if e.type == "PERSON":
            titles = _posts_by_outlet(e.roles, outlets)
            if len(titles) >= 2 and _posts_disagree([words for _, words in titles.values()]):
                out.append(
                    Difference(
                        kind="title",
                        about=e.name,
                        spans=tuple(
                            {"article": r.article, "text": _as_written(articles[r.article], r)}
                            for r, _ in titles.values()
                        ),
                        note="the outlets give different titles",
                    )
                )
        out.extend(_naming(e, outlets))
    return out


def _posts_by_outlet(
    roles: Iterable[EntityRole], outlets: Mapping[str, str]
) -> dict[str, tuple[EntityRole, frozenset[str]]]:
    """Each outlet's fullest post for the person (the role with the most words that names one)."""
    posts: dict[str, tuple[EntityRole, frozenset[str]]] = {}
    for r in roles:
        words_ = _office_words(r.text) if r.article in outlets else None
        if words_ is None:
            continue
        outlet = outlets[r.article]
        if outlet not in posts or len(words_) > len(posts[outlet][1]):
            posts[outlet] = (r, words_)
    return posts


def _posts_disagree(posts: Sequence[frozenset[str]]) -> bool:
    """Two outlets whose posts for one person share no word: one says one post, one another."""
    return any(not a & b for a, b in combinations(posts, 2))


def _as_written(article: Article, role: EntityRole) -> str:
    """The role with the article in front of it, as the text has it ("the deputy spokesperson…")."""
    body = article.body
    start, end = role.start, role.end
    if body[start:end] != role.text:  # the span as written: "his younger brother", "the …"
        return body[start:end] if body[start:end].endswith(role.text) else role.text
    before = re.search(r"\b(the|a|an)\s+$", body[max(0, start - 5) : start], re.IGNORECASE)
    return body[start - len(before.group()) if before else start : end]


def _naming(entity: EntityRecord, outlets: Mapping[str, str]) -> list[Difference]:
    names_by_outlet: dict[str, set[str]] = defaultdict(set)
    for m in entity.mentions:
        if m.kind == "name" and m.article in outlets:
            names_by_outlet[outlets[m.article]].add(m.text)
    variants = []
    for (oa, na), (ob, nb) in combinations(sorted(names_by_outlet.items()), 2):
        # Sorted: a set's order changes with PYTHONHASHSEED, and the export must not.
        for x in sorted(na - nb):
            y = next((y for y in sorted(nb - na) if _spelling_variant(x, y)), None)
            if y is not None:
                variants.append((oa, x, ob, y))
    if not variants:
        return []
    article_of: dict[tuple[str | None, str], str] = {}
    for m in entity.mentions:
        article_of.setdefault((outlets.get(m.article), m.text), m.article)
    oa, x, ob, y = variants[0]
    return [
        Difference(
            kind="naming",
            about=entity.name,
            spans=({"article": article_of[(oa, x)], "text": x}, {"article": article_of[(ob, y)], "text": y}),
            note="spelling variants of one name, merged as one entity (not a conflict)",
        )
    ]


def variant_entities(entities: Sequence[EntityRecord], outlets: Mapping[str, str]) -> list[Difference]:
    """Two entities of one type whose names differ by a letter or two, each named by different
    outlets and never side by side in one article: one entity spelled two ways ("Pieter Vroom"
    / "Pieter Vrom"). Noted as a naming difference, not a conflict of fact."""
    out = []
    for a, b in combinations(entities, 2):
        arts_a, arts_b = set(a.articles) & set(outlets), set(b.articles) & set(outlets)
        if a.type != b.type or not arts_a or not arts_b or arts_a & arts_b:
            continue
        if {outlets[x] for x in arts_a} & {outlets[x] for x in arts_b}:
            continue
        if _spelling_variant(a.name, b.name):
            out.append(
                Difference(
                    kind="naming",
                    about=a.name,
                    spans=(
                        {"article": sorted(arts_a)[0], "text": a.name},
                        {"article": sorted(arts_b)[0], "text": b.name},
                    ),
                    note="spelling variants of one name across outlets (not a conflict)",
                )
            )
    return out


def _spelling_variant(a: str, b: str) -> bool:
    """Names that differ by a letter or two, not by a word ("Sorensen" / "Sorenson")."""
    if a.lower() == b.lower() or len(a.split()) != len(b.split()):
        return False
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.85
