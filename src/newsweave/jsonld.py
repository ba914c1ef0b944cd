"""A story as JSON-LD in schema.org terms, for other tools and web pages to read.

The story is a `CreativeWork` and `ItemList` of its `NewsArticle`s; each claim group is a `Claim`
that `appearance` links to the articles stating it; each quote is a `Quotation` `isPartOf` its
article and `spokenByCharacter` its speaker; entities are `Person`, `Organization`, `Place` (or
another schema.org type) with their aliases as `alternateName`. Nodes sit in one `@graph` and
point at each other by `@id` (`urn:newsweave:<kind>:<id>`, ids as in the export). Built from the
`ExportDocument`, as every export is; `docs/data.md` gives the mapping.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import quote

from newsweave.compare.records import ClaimGroup
from newsweave.document import ExportDocument
from newsweave.errors import StoryNotFound
from newsweave.model import Article, EntityRecord, QuoteRecord
from newsweave.stories.records import Story

CONTEXT = "https://schema.org"
Node = dict[str, Any]

# spaCy's entity labels as schema.org types; a label not listed is a `Thing`.
ENTITY_TYPES: Mapping[str, str] = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Place",
    "EVENT": "Event",
    "PRODUCT": "Product",
    "WORK_OF_ART": "CreativeWork",
    "LAW": "Legislation",
    "LANGUAGE": "Language",
}


def iri(kind: str, value: str | int) -> str:
    """The `@id` of a record of the export: `urn:newsweave:article:d4054300738ae7fd`."""
    return f"urn:newsweave:{kind}:{quote(str(value), safe='')}"


def _ref(kind: str, value: str | int) -> Node:
    return {"@id": iri(kind, value)}


def _outlet_key(article: Article) -> str | None:
    return article.outlet_domain or article.outlet


def _outlet(article: Article) -> Node:
    node: Node = {"@id": iri("outlet", _outlet_key(article) or ""), "@type": "Organization"}
    node["name"] = article.outlet or article.outlet_domain
    if article.outlet_domain:
        node["url"] = f"https://{article.outlet_domain}"
    return node


def _story_node(story: Story, articles: list[Article]) -> Node:
    node: Node = {
        "@id": iri("story", story.id),
        "@type": ["CreativeWork", "ItemList"],
        "identifier": str(story.id),
        "name": story.title,
        "numberOfItems": len(articles),
        "itemListElement": [
            {"@type": "ListItem", "position": n, "item": _ref("article", a.id)}
            for n, a in enumerate(articles, start=1)
        ],
    }
    if story.start and story.end:
        node["temporalCoverage"] = f"{story.start.isoformat()}/{story.end.isoformat()}"
    return node


def _article_node(article: Article, story: Story, entities: Iterable[str]) -> Node:
    node: Node = {"@id": iri("article", article.id), "@type": "NewsArticle", "identifier": article.id}
    optional = {
        "headline": article.title,
        "url": article.url,
        "datePublished": article.published.isoformat() if article.published else None,
        "inLanguage": article.language,
        "articleSection": article.section,
    }
    node.update({k: v for k, v in optional.items() if v})
    if _outlet_key(article):
        node["publisher"] = {"@id": _outlet(article)["@id"]}
    if article.author:
        node["author"] = {"@type": "Person", "name": article.author}
    node["isPartOf"] = _ref("story", story.id)
    if mentioned := list(entities):
        node["mentions"] = [_ref("entity", e) for e in mentioned]
    return node


def _entity_node(entity: EntityRecord) -> Node:
    node: Node = {
        "@id": iri("entity", entity.id),
        "@type": ENTITY_TYPES.get(entity.type, "Thing"),
        "name": entity.name,
    }
    if others := [a for a in entity.aliases if a != entity.name]:
        node["alternateName"] = others
    return node


def _names(entities: Iterable[EntityRecord]) -> dict[str, str]:
    """Entity ids by each name and alias, lower-case: how a source's words find its entity."""
    out: dict[str, str] = {}
    for e in entities:
        for name in (e.name, *e.aliases):
            out.setdefault(name.lower(), e.id)
    return out


def _claim_node(group: ClaimGroup, articles: Mapping[str, Article], names: Mapping[str, str]) -> Node:
    """A claim group: the articles stating it, and who states it (the outlets, and a named
    source that resolves to an entity; one that does not is kept as `creditText`)."""
    cited = [p for p in group.provenance if p.article in articles]
    authors: dict[str, Node] = {}
    unresolved: list[str] = []
    for p in cited:
        outlet = _outlet(articles[p.article])
        authors.setdefault(outlet["@id"], {"@id": outlet["@id"]})
        source = p.chain[0] if p.chain else p.outlet
        if source == p.outlet:
            continue
        if (entity := names.get(source.lower())) is not None:
            authors.setdefault(iri("entity", entity), _ref("entity", entity))
        elif source not in unresolved:
            unresolved.append(source)
    node: Node = {
        "@id": iri("claim", group.id),
        "@type": "Claim",
        "identifier": group.id,
        "text": group.text,
        "appearance": [_ref("article", a) for a in dict.fromkeys(p.article for p in cited)],
        "author": list(authors.values()),
    }
    if unresolved:
        node["creditText"] = "; ".join(unresolved)
    return node


def _quote_node(q: QuoteRecord, entity_ids: set[str]) -> Node | None:
    """A quote, or None when nothing names its speaker (a Quotation without one says little)."""
    if q.speaker_entity in entity_ids:
        speaker: Node = _ref("entity", str(q.speaker_entity))
    elif q.speaker:
        speaker = {"@type": "Person", "name": q.speaker}
    else:
        return None
    return {
        "@id": iri("quote", q.id),
        "@type": "Quotation",
        "text": q.text,
        "spokenByCharacter": speaker,
        "isPartOf": _ref("article", q.article),
    }


def _choose_story(document: ExportDocument, story_id: int | None) -> Story:
    for story in document.stories:
        if story_id is None or story.id == story_id:
            return story
    wanted = "any story" if story_id is None else f"story {story_id}"
    raise StoryNotFound(f"the export holds no {wanted}; `newsweave stories` lists them")


def _graph(document: ExportDocument, story: Story) -> Iterator[Node]:
    ids = set(story.articles)
    by_id = {a.id: a for a in document.articles if a.id in ids}
    articles = [by_id[a] for a in story.articles if a in by_id]
    entities = [e for e in document.entities if any(m.article in ids for m in e.mentions)]
    yield _story_node(story, articles)
    yield from {_outlet(a)["@id"]: _outlet(a) for a in articles if _outlet_key(a)}.values()
    for a in articles:
        yield _article_node(a, story, (e.id for e in entities if a.id in e.articles))
    names = _names(entities)
    for g in document.claim_groups:
        if g.story == str(story.id) and any(p.article in by_id for p in g.provenance):
            yield _claim_node(g, by_id, names)
    entity_ids = {e.id for e in entities}
    for q in document.quotes:
        if q.article in by_id and (node := _quote_node(q, entity_ids)) is not None:
            yield node
    yield from (_entity_node(e) for e in entities)


def story_jsonld(document: ExportDocument, story_id: int | None = None) -> dict[str, Any]:
    """One story of the document as a JSON-LD object (schema.org, one `@graph`).

    Args:
        document: an export document holding the story (`Workspace.story_document(id)`).
        story_id: which story; default the document's first (its largest).

    Raises:
        StoryNotFound: the document holds no such story.
    """
    story = _choose_story(document, story_id)
    return {"@context": CONTEXT, "@graph": list(_graph(document, story))}
