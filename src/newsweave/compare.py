"""Cross-source comparison within a story: which claims state the same fact, who carries them,
where the outlets differ, and where each got it.

It reads the records the language layer exported (claims, quotes, entities, time values) for the
articles of one story and returns claim groups, differences and framing terms:
- alignment: for each pair of articles, claims are matched one to one (maximum total
  similarity), and a match counts when its similarity, meaning and words together with shared
  entities and time values, clears a threshold; matches chain into groups. A claim no other
  outlet matches is a group of its own: a single-source fact.
- differences: in a group, numbers or dates that disagree, one outlet asserting what another
  hedges (certainty) or attributes to someone (attribution); across the story, different titles
  for one person, and spelling variants of one name (noted, not a conflict).
- provenance: each claim's chain from its source through a channel to the outlet; copies of one
  article and outlets repeating one source count once as independent sources.
- framing: loaded and evaluative words and scare quotes, per outlet.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsweave import framing as framing_terms

Record = Mapping[str, Any]
Encoder = Callable[[Sequence[str]], NDArray[np.float32]]

# Two articles' claims that are each other's best match count as one fact from this combined
# similarity on (0.75 meaning + 0.25 shared words, plus bonuses for shared entities, times and
# quoted words).
ALIGN_THRESHOLD = 0.48
# Any pair this similar is the same fact, whatever else matches better.
STRONG_THRESHOLD = 0.70
_TIE = 0.02
_STEM = 6
_MEANING_WEIGHT = 0.75
_ENTITY_BONUS = 0.03
_TIME_BONUS = 0.06
_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "as",
        "from",
        "has",
        "have",
        "had",
        "he",
        "she",
        "they",
        "his",
        "her",
        "their",
        "him",
        "them",
        "who",
        "which",
        "what",
        "when",
        "where",
        "while",
        "also",
        "than",
        "then",
        "there",
        "not",
        "no",
        "so",
        "said",
        "says",
        "say",
        "would",
        "will",
        "can",
        "could",
        "may",
        "might",
        "about",
        "after",
        "before",
        "into",
        "over",
        "more",
        "most",
        "other",
        "such",
        "only",
        "own",
        "same",
        "just",
    ]
)
_NUMBER = re.compile(r"\d[\d,.]*")


@dataclass(frozen=True, slots=True, kw_only=True)
class Provenance:
    article: str
    outlet: str
    chain: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimGroup:
    id: str
    story: str
    claims: tuple[str, ...]
    text: str
    status: str  # shared | unique | conflict
    outlets: tuple[str, ...]
    independent_sources: int
    stances: dict[str, str]  # article id -> supports | contradicts | mentions
    provenance: tuple[Provenance, ...]
    times: tuple[str, ...]
    numbers: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Difference:
    kind: str  # number | date | certainty | attribution | title | naming
    about: str
    spans: tuple[dict[str, str], ...]
    note: str
    group: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    story: str
    groups: tuple[ClaimGroup, ...]
    differences: tuple[Difference, ...]
    framing: tuple[framing_terms.FramingTerm, ...] = field(default_factory=tuple)

    def records(self) -> dict[str, list[dict[str, Any]]]:
        """The export contract's `claim_groups`, `differences` and `framing` entries."""
        return {
            "claim_groups": [_plain(asdict(g)) for g in self.groups],
            "differences": [_plain(asdict(d)) for d in self.differences],
            "framing": [_plain(asdict(f)) for f in self.framing],
        }


def _plain(value: Any) -> Any:
    """JSON shapes: tuples become lists, as they would after a round trip through a file."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class _Claim:
    id: str
    article: str
    outlet: str
    text: str
    start: int
    end: int
    certainty: str
    source: str | None  # None: the outlet states it
    polarity: str
    entities: frozenset[str]
    numbers: tuple[str, ...]
    times: frozenset[str]
    via: str | None
    context: str = ""  # what a clause cut from its sentence is about ("Putin's gift" for "which …")

    @property
    def reading(self) -> str:
        """The claim as a reader understands it: with its context when the clause lacks one."""
        return f"{self.context} {self.text}" if self.context else self.text


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def _stems(text: str) -> set[str]:
    """Content words cut to their first letters, a crude stemmer that is enough to meet
    "violates" with "violation" and "supplier" with "supplied"."""
    return {w[:_STEM] for w in _words(text)}


def _outlet(article: Record) -> str:
    return str(
        article.get("outlet") or article.get("outlet_domain") or article.get("source") or article["id"]
    )


def _claims(
    claims: Iterable[Record],
    articles: Mapping[str, Record],
    timexes: Iterable[Record],
    quotes: Iterable[Record],
) -> list[_Claim]:
    times_by_article: dict[str, list[Record]] = defaultdict(list)
    for t in timexes:
        if t.get("field", "body") == "body" and t.get("value"):
            times_by_article[t["article"]].append(t)
    quotes_by_article: dict[str, list[Record]] = defaultdict(list)
    for q in quotes:
        quotes_by_article[q["article"]].append(q)
    out = []
    for c in claims:
        article = articles.get(c["article"])
        if article is None:
            continue
        start, end = int(c["start"]), int(c["end"])
        inside = [t for t in times_by_article[c["article"]] if start <= t["start"] and t["end"] <= end]
        via = next(
            (
                q.get("via")
                for q in quotes_by_article[c["article"]]
                if q.get("via") and q["start"] < end and start < q["end"]
            ),
            None,
        )
        outlet_states = c.get("source_kind", "outlet") == "outlet" or not c.get("attributed_to")
        out.append(
            _Claim(
                id=c["id"],
                article=c["article"],
                outlet=_outlet(article),
                text=c["text"],
                start=start,
                end=end,
                certainty=c.get("certainty", "asserted"),
                source=None if outlet_states else str(c["attributed_to"]),
                polarity=c.get("polarity", "positive"),
                entities=frozenset(c.get("entities", [])),
                numbers=tuple(c.get("numbers", [])),
                times=frozenset(str(t["value"]) for t in inside if _is_calendar(str(t["value"]))),
                via=via,
                context=str(c.get("context") or ""),
            )
        )
    return out


def _is_calendar(value: str) -> bool:
    return bool(re.match(r"^\d{4}", value))


def _incidence(sets: Sequence[Iterable[str]]) -> Any:
    """A sparse claims x features matrix with a 1 where a claim has a feature."""
    from scipy.sparse import csr_matrix

    index: dict[str, int] = {}
    rows, cols = [], []
    for r, features in enumerate(sets):
        for f in set(features):
            rows.append(r)
            cols.append(index.setdefault(f, len(index)))
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sets), max(len(index), 1)))


def _similarity(claims: Sequence[_Claim], encode: Encoder) -> NDArray[np.float64]:
    """Pairwise similarity of all claims: meaning (sentence vectors), shared content words
    (idf-weighted over this story), shared entities and calendar values."""
    vectors = encode([c.reading for c in claims]).astype(np.float64)
    meaning = vectors @ vectors.T
    words = _incidence([_stems(c.reading) for c in claims])
    idf = np.log((1 + len(claims)) / (1 + np.asarray(words.sum(axis=0)).ravel())) + 1
    weighted = words.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    weighted = weighted.multiply(1 / np.maximum(norms, 1e-12)[:, None]).tocsr()
    lexical = (weighted @ weighted.T).toarray()
    entity = np.minimum(
        (_incidence([c.entities for c in claims]) @ _incidence([c.entities for c in claims]).T).toarray(), 3
    )
    times = _incidence([c.times for c in claims])
    time = ((times @ times.T).toarray() > 0).astype(np.float64)
    score: NDArray[np.float64] = (
        _MEANING_WEIGHT * meaning
        + (1 - _MEANING_WEIGHT) * lexical
        + _ENTITY_BONUS * entity
        + _TIME_BONUS * time
    )
    return score


def _matches(claims: Sequence[_Claim], score: NDArray[np.float64]) -> list[tuple[float, int, int]]:
    """Matches between each pair of articles: two claims that are each other's best match
    (within a hair: near-ties count) and clear the threshold, or any pair far above it."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        by_article[c.article].append(i)
    pairs = []
    for a, b in combinations(sorted(by_article), 2):
        rows, cols = by_article[a], by_article[b]
        block = score[np.ix_(rows, cols)]
        best_in_row = block.max(axis=1, keepdims=True)
        best_in_col = block.max(axis=0, keepdims=True)
        mutual = (block >= best_in_row - _TIE) & (block >= best_in_col - _TIE) & (block >= ALIGN_THRESHOLD)
        strong = block >= STRONG_THRESHOLD
        for r, k in zip(*np.nonzero(mutual | strong), strict=True):
            pairs.append((float(block[r, k]), rows[int(r)], cols[int(k)]))
    return pairs


def _components(claims: Sequence[_Claim], edges: Iterable[tuple[float, int, int]]) -> list[list[int]]:
    """Groups from matches, strongest first; two groups join only when no article is in both,
    so a chain of loose matches cannot pull a whole story into one group."""
    parent = list(range(len(claims)))
    articles = [{c.article} for c in claims]

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, a, b in sorted(edges, reverse=True):
        ra, rb = find(a), find(b)
        if ra != rb and not articles[ra] & articles[rb]:
            parent[ra] = rb
            articles[rb] |= articles[ra]
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(claims)):
        groups[find(i)].append(i)
    return sorted(groups.values(), key=lambda g: min(g))


def _number_values(numbers: Iterable[str]) -> dict[str, set[str]]:
    """Numbers by what they count: {"percent": {"87.29"}, "rounds": {"millions"}}."""
    out: dict[str, set[str]] = defaultdict(set)
    for n in numbers:
        parts = n.lower().split()
        unit = parts[-1] if len(parts) > 1 else ""
        value = _NUMBER.search(n)
        if value and unit:
            out[unit].add(value.group().rstrip(".,"))
    return out


def _disagreements(members: Sequence[_Claim]) -> list[tuple[str, _Claim, _Claim]]:
    """Pairs of claims from different outlets whose numbers (same unit) or dates differ."""
    found = []
    for a, b in combinations(members, 2):
        if a.outlet == b.outlet:
            continue
        na, nb = _number_values(a.numbers), _number_values(b.numbers)
        if any(na[u] and nb[u] and not na[u] & nb[u] for u in set(na) & set(nb)):
            found.append(("number", a, b))
        elif a.times and b.times and not _times_agree(a.times, b.times):
            found.append(("date", a, b))
        elif a.polarity != b.polarity:
            found.append(("polarity", a, b))
    return found


def _times_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Days agree when one value is the other or lies within it (2024-03-15 within 2024-03)."""
    return any(x.startswith(y) or y.startswith(x) for x in a for y in b)


def _stance(claim: _Claim, contradicted: set[str]) -> str:
    if claim.id in contradicted:
        return "contradicts"
    if claim.source is None and claim.certainty == "asserted":
        return "supports"
    return "mentions"


def _chain(claim: _Claim) -> tuple[str, ...]:
    links = [claim.source] if claim.source else []
    if claim.via and claim.via not in links:
        links.append(claim.via)
    return (*links, claim.outlet)


def _independent_sources(
    members: Sequence[_Claim], original: Mapping[str, str], outlets: Mapping[str, str]
) -> int:
    """Origins, not outlets: a copy counts as its original, and outlets quoting one source once."""
    origins = set()
    for c in members:
        if c.source:
            origins.add(("source", c.source.lower()))
        else:
            first = original.get(c.article, c.article)
            origins.add(("outlet", outlets.get(first, c.outlet)))
    return len(origins)


def _group(
    story: str,
    number: int,
    members: list[_Claim],
    original: Mapping[str, str],
    outlets_by_article: Mapping[str, str],
) -> tuple[ClaimGroup, list[Difference]]:
    gid = f"g-{story}-{number}"
    outlets = tuple(
        sorted({outlets_by_article.get(original.get(c.article, c.article), c.outlet) for c in members})
    )
    conflicts = _disagreements(members)
    contradicted = {b.id for kind, _, b in conflicts if kind == "polarity"}
    status = "unique" if len(outlets) < 2 else ("conflict" if conflicts else "shared")
    # The representative: the claim most outlets would recognise, i.e. the longest asserted one.
    lead = max(members, key=lambda c: (c.source is None, c.certainty == "asserted", -abs(len(c.text) - 160)))
    group = ClaimGroup(
        id=gid,
        story=story,
        claims=tuple(c.id for c in members),
        text=lead.text,
        status=status,
        outlets=outlets,
        independent_sources=_independent_sources(members, original, outlets_by_article),
        stances={c.article: _stance(c, contradicted) for c in members},
        provenance=tuple(Provenance(article=c.article, outlet=c.outlet, chain=_chain(c)) for c in members),
        times=tuple(sorted({t for c in members for t in c.times})),
        numbers=tuple(sorted({n for c in members for n in c.numbers})),
    )
    differences = [_conflict(gid, lead.text, kind, pairs) for kind, pairs in _by_kind(conflicts).items()]
    if len(outlets) >= 2:
        differences.extend(_certainty_and_attribution(gid, lead.text, members))
    return group, differences


def _by_kind(conflicts: Iterable[tuple[str, _Claim, _Claim]]) -> dict[str, list[tuple[_Claim, _Claim]]]:
    out: dict[str, list[tuple[_Claim, _Claim]]] = defaultdict(list)
    for kind, a, b in conflicts:
        out[kind].append((a, b))
    return out


def _conflict(gid: str, about: str, kind: str, pairs: Sequence[tuple[_Claim, _Claim]]) -> Difference:
    """One difference per kind and group, citing each outlet's claim once."""
    cited: dict[str, _Claim] = {}
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


def _certainty_and_attribution(gid: str, about: str, members: Sequence[_Claim]) -> list[Difference]:
    out = []
    by_outlet: dict[str, list[_Claim]] = defaultdict(list)
    for c in members:
        by_outlet[c.outlet].append(c)
    asserted = [c for c in members if c.certainty == "asserted" and c.source is None]
    hedged = [c for c in members if c.certainty == "hedged"]
    attributed = [c for c in members if c.source is not None]
    for a in asserted:
        h = next((h for h in hedged if h.outlet != a.outlet), None)
        if h is not None:
            out.append(
                Difference(
                    kind="certainty",
                    about=about[:120],
                    spans=({"article": a.article, "text": a.text}, {"article": h.article, "text": h.text}),
                    note=f"{a.outlet} asserts it; {h.outlet} hedges it",
                    group=gid,
                )
            )
            break
    for a in asserted:
        t = next((t for t in attributed if t.outlet != a.outlet), None)
        if t is not None:
            out.append(
                Difference(
                    kind="attribution",
                    about=about[:120],
                    spans=({"article": a.article, "text": a.text}, {"article": t.article, "text": t.text}),
                    note=f"{a.outlet} states it as fact; {t.outlet} attributes it to {t.source}",
                    group=gid,
                )
            )
            break
    return out


_KINSHIP = re.compile(
    r"\b(sister|brother|daughter|son|wife|husband|father|mother|uncle|aunt|niece|nephew|cousin|"
    r"grandson|granddaughter|grandfather|grandmother|widow|partner)\b",
    re.IGNORECASE,
)


def _title_and_naming(entities: Iterable[Record], articles: Mapping[str, Record]) -> list[Difference]:
    """Different titles the outlets give one person; spelling variants of one name (merged)."""
    outlets = {aid: _outlet(a) for aid, a in articles.items()}
    out = []
    for e in entities:
        titles: dict[str, Record] = {}
        for r in e.get("roles", []):
            # Kinship says who someone is to another, not what post they hold.
            if r["article"] in outlets and not _KINSHIP.search(r["text"]):
                titles.setdefault(outlets[r["article"]], r)
        if e.get("type") == "PERSON" and len(titles) >= 2 and not _roles_overlap(list(titles.values())):
            out.append(
                Difference(
                    kind="title",
                    about=str(e["name"]),
                    spans=tuple(
                        {"article": r["article"], "text": _as_written(articles[r["article"]], r)}
                        for r in titles.values()
                    ),
                    note="the outlets give different titles",
                )
            )
        out.extend(_naming(e, outlets))
    return out


def _as_written(article: Record, role: Record) -> str:
    """The role with the article in front of it, as the text has it ("the deputy spokesperson…")."""
    body = str(article.get("body") or "")
    start, end = role.get("start"), role.get("end")
    if start is None:
        return str(role["text"])
    if body[start:end] != role["text"]:  # the span as written: "his powerful sister", "the …"
        return body[start:end] if body[start:end].endswith(role["text"]) else str(role["text"])
    before = re.search(r"\b(the|a|an)\s+$", body[max(0, start - 5) : start], re.IGNORECASE)
    return body[start - len(before.group()) if before else start : end]


def _roles_overlap(roles: Sequence[Record]) -> bool:
    """Roles that say the same thing ("spokesperson" within "Kremlin spokesperson")."""
    sets = [_words(r["text"]) for r in roles]
    return all(a <= b or b <= a for a, b in combinations(sets, 2))


def _naming(entity: Record, outlets: Mapping[str, str]) -> list[Difference]:
    names_by_outlet: dict[str, set[str]] = defaultdict(set)
    for m in entity.get("mentions", []):
        if m.get("kind", "name") == "name" and m["article"] in outlets:
            names_by_outlet[outlets[m["article"]]].add(m["text"])
    variants = []
    for (oa, na), (ob, nb) in combinations(sorted(names_by_outlet.items()), 2):
        for x in na - nb:
            y = next((y for y in nb - na if _spelling_variant(x, y)), None)
            if y is not None:
                variants.append((oa, x, ob, y))
    if not variants:
        return []
    article_of: dict[tuple[str | None, str], str] = {}
    for m in entity.get("mentions", []):
        article_of.setdefault((outlets.get(m["article"]), m["text"]), m["article"])
    oa, x, ob, y = variants[0]
    return [
        Difference(
            kind="naming",
            about=str(entity["name"]),
            spans=({"article": article_of[(oa, x)], "text": x}, {"article": article_of[(ob, y)], "text": y}),
            note="spelling variants of one name, merged as one entity (not a conflict)",
        )
    ]


def _variant_entities(entities: Sequence[Record], outlets: Mapping[str, str]) -> list[Difference]:
    """Two entities of one type whose names differ by a letter or two, each named by different
    outlets and never side by side in one article: one entity spelled two ways ("Pieter Vroom"
    / "Pieter Vrom"). Noted as a naming difference, not a conflict of fact."""
    out = []
    for a, b in combinations(entities, 2):
        arts_a, arts_b = set(a.get("articles", [])) & set(outlets), set(b.get("articles", [])) & set(outlets)
        if a.get("type") != b.get("type") or not arts_a or not arts_b or arts_a & arts_b:
            continue
        if {outlets[x] for x in arts_a} & {outlets[x] for x in arts_b}:
            continue
        if _spelling_variant(str(a["name"]), str(b["name"])):
            out.append(
                Difference(
                    kind="naming",
                    about=str(a["name"]),
                    spans=(
                        {"article": sorted(arts_a)[0], "text": str(a["name"])},
                        {"article": sorted(arts_b)[0], "text": str(b["name"])},
                    ),
                    note="spelling variants of one name across outlets (not a conflict)",
                )
            )
    return out


def _spelling_variant(a: str, b: str) -> bool:
    """Names that differ by a letter or two, not by a word ("Senat" / "Senate")."""
    if a.lower() == b.lower() or len(a.split()) != len(b.split()):
        return False
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.85


def compare_story(
    story: str,
    articles: Sequence[Record],
    claims: Iterable[Record],
    quotes: Iterable[Record] = (),
    entities: Iterable[Record] = (),
    timexes: Iterable[Record] = (),
    *,
    duplicate_of: Mapping[str, str] | None = None,
    encode: Encoder | None = None,
) -> Comparison:
    """Compare the articles of one story (records as in the JSON export)."""
    if encode is None:
        from newsweave.embeddings import encode_minilm

        encode = encode_minilm
    by_id = {str(a["id"]): a for a in articles}
    outlets = {aid: _outlet(a) for aid, a in by_id.items()}
    original = dict(duplicate_of or {})
    units = _claims(claims, by_id, timexes, quotes)
    # A copy's claims are its original's: they join no group of their own.
    units = [c for c in units if c.article not in original]
    groups: list[ClaimGroup] = []
    differences: list[Difference] = []
    if units:
        score = _similarity(units, encode)
        for number, members in enumerate(_components(units, _matches(units, score))):
            group, found = _group(story, number, [units[i] for i in members], original, outlets)
            groups.append(group)
            differences.extend(found)
    story_entities = [e for e in entities if set(e.get("articles", [])) & set(by_id)]
    differences.extend(_title_and_naming(story_entities, by_id))
    differences.extend(_variant_entities(story_entities, outlets))
    terms = tuple(framing_terms.find_terms(articles, quotes))
    order = {"shared": 0, "conflict": 1, "unique": 2}
    groups.sort(key=lambda g: (order[g.status], -g.independent_sources, g.id))
    return Comparison(story=story, groups=tuple(groups), differences=tuple(differences), framing=terms)


def compare_document(document: dict[str, Any], *, encode: Encoder | None = None) -> None:
    """Fill an export document's `claim_groups`, `differences` and `framing`, story by story.

    Without stories (the stories stage has not run), all exported articles are compared as one."""
    articles = {str(a["id"]): a for a in document.get("articles", [])}
    stories = document.get("stories") or [{"id": "all", "articles": list(articles)}]
    duplicate_of = {str(a["id"]): str(a["duplicate_of"]) for a in articles.values() if a.get("duplicate_of")}
    by_article: dict[str, dict[str, list[Record]]] = defaultdict(lambda: defaultdict(list))
    for key in ("claims", "quotes", "timexes"):
        for r in document.get(key, []):
            by_article[key][r["article"]].append(r)
    results: dict[str, list[dict[str, Any]]] = {"claim_groups": [], "differences": [], "framing": []}
    for story in stories:
        members = [articles[a] for a in story.get("articles", []) if a in articles]
        if not members:
            continue
        ids = [str(a["id"]) for a in members]
        comparison = compare_story(
            str(story["id"]),
            members,
            [c for a in ids for c in by_article["claims"][a]],
            [q for a in ids for q in by_article["quotes"][a]],
            document.get("entities", []),
            [t for a in ids for t in by_article["timexes"][a]],
            duplicate_of=duplicate_of,
            encode=encode,
        )
        for key, records in comparison.records().items():
            results[key].extend(records)
    document.update(results)
