"""newsweave's spaCy components, registered so anyone can add them to their own pipeline:

    nlp.add_pipe("newsweave_entities"); nlp.add_pipe("newsweave_roles"); nlp.add_pipe("newsweave_timexes")

Results live in `doc.spans` (which DocBin always keeps); the publication date goes in
`doc._.nw_published` before the doc is processed.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from newsweave.nlp.claims import SPANS_KEY as CLAIMS_KEY
from newsweave.nlp.claims import ClaimSplitter
from newsweave.nlp.entities import SPANS_KEY as ENTITIES_KEY
from newsweave.nlp.entities import EntityResolver
from newsweave.nlp.quotes import SPANS_KEY as QUOTES_KEY
from newsweave.nlp.quotes import QuoteFinder
from newsweave.nlp.references import SPANS_KEY as REFERENCES_KEY
from newsweave.nlp.references import ReferenceResolver
from newsweave.nlp.roles import SPANS_KEY as ROLES_KEY
from newsweave.nlp.roles import RoleFinder
from newsweave.nlp.timexes import SPANS_KEY as TIMEXES_KEY
from newsweave.nlp.timexes import TimexTagger

_DOC_EXTENSIONS = {"nw_published": None, "nw_published_inferred": None, "nw_anchor_inferred": False}


def register_extensions() -> None:
    """Doc and Span extensions newsweave reads and writes; registered once per process."""
    for name, default in _DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Span.has_extension("nw_entity"):
        # The canonical name of the entity a mention or role span belongs to.
        Span.set_extension("nw_entity", getter=lambda span: span.kb_id_ or None)


register_extensions()


@Language.factory(
    "newsweave_entities",
    assigns=["doc.spans"],
    requires=["doc.ents", "token.dep"],
    default_config={"spans_key": ENTITIES_KEY},
)
def make_entities(nlp: Language, name: str, spans_key: str) -> EntityResolver:
    return EntityResolver(nlp, name, spans_key=spans_key)


@Language.factory(
    "newsweave_references",
    assigns=["doc.spans"],
    requires=["doc.spans", "token.dep", "token.pos", "token.lemma", "doc.sents"],
    default_config={"spans_key": REFERENCES_KEY},
)
def make_references(nlp: Language, name: str, spans_key: str) -> ReferenceResolver:
    return ReferenceResolver(nlp, name, spans_key=spans_key)


@Language.factory(
    "newsweave_roles",
    assigns=["doc.spans"],
    requires=["doc.spans", "token.dep", "token.pos", "doc.sents"],
    default_config={"spans_key": ROLES_KEY},
)
def make_roles(nlp: Language, name: str, spans_key: str) -> RoleFinder:
    return RoleFinder(nlp, name, spans_key=spans_key)


@Language.factory(
    "newsweave_quotes",
    assigns=["doc.spans"],
    requires=["doc.spans", "token.dep", "token.pos", "token.lemma", "doc.sents"],
    default_config={"spans_key": QUOTES_KEY},
)
def make_quotes(nlp: Language, name: str, spans_key: str) -> QuoteFinder:
    return QuoteFinder(nlp, name, spans_key=spans_key)


@Language.factory(
    "newsweave_claims",
    assigns=["doc.spans"],
    requires=["doc.spans", "doc.sents", "token.dep", "token.pos", "doc.ents"],
    default_config={"spans_key": CLAIMS_KEY},
)
def make_claims(nlp: Language, name: str, spans_key: str) -> ClaimSplitter:
    return ClaimSplitter(nlp, name, spans_key=spans_key)


@Language.factory(
    "newsweave_timexes",
    assigns=["doc.spans", "doc._.nw_anchor_inferred"],
    requires=[],
    default_config={"spans_key": TIMEXES_KEY},
)
def make_timexes(nlp: Language, name: str, spans_key: str) -> TimexTagger:
    return TimexTagger(nlp, name, spans_key=spans_key)
