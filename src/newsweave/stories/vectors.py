"""Text embeddings for story clustering, all offline.

Three backends were measured (`docs/benchmarks.md`, "Stories"):

- `static`: a model2vec lookup table distilled once from all-MiniLM-L6-v2 by
  `scripts/distill_static.py` and shipped inside the package (`stories/static_model/`); an
  article's vector is the mean of its tokens' rows. The default: thousands of articles a second.
- `minilm`: all-MiniLM-L6-v2 itself (`newsweave.embeddings`), about 14 articles a second a core.
- `none`: no dense vector; clustering then relies on TF-IDF words and names alone.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from newsweave.errors import ConfigError

Backend = Literal["static", "minilm", "none"]
BACKENDS: tuple[Backend, ...] = ("static", "minilm", "none")
STATIC_MODEL_DIR = Path(__file__).parent / "static_model"
# The lead of an article carries its story; the static model averages every token, so the
# tail of a long article (background, boilerplate) would only blur it.
EMBED_CHARS = 2_000


def embedding_text(title: str | None, body: str) -> str:
    return f"{title or ''}\n{body}"[:EMBED_CHARS].strip()


@lru_cache(maxsize=1)
def _static_model() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from model2vec import StaticModel

    if not (STATIC_MODEL_DIR / "model.safetensors").is_file():
        raise ConfigError(
            f"the static embedding model is missing from {STATIC_MODEL_DIR}; "
            "rebuild it with `python scripts/distill_static.py`"
        )
    return StaticModel.from_pretrained(str(STATIC_MODEL_DIR))


def _unit(vectors: NDArray[Any]) -> NDArray[np.float32]:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    out: NDArray[np.float32] = vectors / np.maximum(norms, 1e-12)
    return out


def dimensions(backend: Backend) -> int:
    if backend == "none":
        return 1
    if backend == "minilm":
        from newsweave.embeddings import MINILM_DIMENSIONS

        return MINILM_DIMENSIONS
    return int(_static_model().dim)


def encode(texts: Sequence[str], backend: Backend = "static") -> NDArray[np.float32]:
    """Unit-length vectors, one row per text."""
    if backend not in BACKENDS:
        raise ConfigError(f"embedding backend {backend!r} is not one of {', '.join(BACKENDS)}")
    if backend == "none":
        return np.ones((len(texts), 1), dtype=np.float32)
    if not texts:
        return np.zeros((0, dimensions(backend)), dtype=np.float32)
    if backend == "minilm":
        from newsweave.embeddings import encode_minilm

        return encode_minilm(texts)
    return _unit(_static_model().encode(list(texts), show_progress_bar=False))
