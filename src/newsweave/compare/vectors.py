"""Claim vectors, kept in the store: a story is encoded once however often it is compared, and
copies of one article share their vectors (the key is the hash of the text read)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from newsweave.compare.records import Encoder

MINILM = "all-MiniLM-L6-v2"


class VectorStore(Protocol):
    def claim_vectors(self, model: str, text_hashes: Sequence[str]) -> dict[str, bytes]: ...

    def save_claim_vectors(self, model: str, vectors: dict[str, bytes]) -> None: ...


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def stored_encoder(store: VectorStore, encode: Encoder | None = None, model: str = MINILM) -> Encoder:
    """An encoder that reads vectors it has seen from the store and writes the new ones
    (float16: 768 bytes a claim, cosine unchanged to the fourth decimal)."""
    if encode is None:
        from newsweave.embeddings import encode_minilm

        encode = encode_minilm
    base = encode

    def run(texts: Sequence[str]) -> NDArray[np.float32]:
        hashes = [_hash(t) for t in texts]
        known = store.claim_vectors(model, sorted(set(hashes)))
        missing = {h: t for h, t in zip(hashes, texts, strict=True) if h not in known}
        if missing:
            fresh = base(list(missing.values()))
            new = {h: v.astype(np.float16).tobytes() for h, v in zip(missing, fresh, strict=True)}
            store.save_claim_vectors(model, new)
            known.update(new)
        if not hashes:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([np.frombuffer(known[h], dtype=np.float16).astype(np.float32) for h in hashes])

    return run


def remembered(encode: Encoder) -> Encoder:
    """The encoder with a memory for one comparison: a text met again is not encoded again."""
    seen: dict[str, NDArray[np.float32]] = {}

    def run(texts: Sequence[str]) -> NDArray[np.float32]:
        new = [t for t in dict.fromkeys(texts) if t not in seen]
        if new:
            seen.update(zip(new, encode(new), strict=True))
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([seen[t] for t in texts])

    return run
