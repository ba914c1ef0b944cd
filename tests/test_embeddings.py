"""The MiniLM encoder: batching by tokens, and vectors that do not depend on the batch."""

from __future__ import annotations

import numpy as np

from newsweave.embeddings import MINILM_DIMENSIONS, encode_minilm, token_batches


def test_token_batches_hold_every_text_once_longest_first_within_the_budget() -> None:
    lengths = [12, 40, 7, 40, 25, 9, 12, 30]
    batches = token_batches(lengths, tokens=80, most=64)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    flat = [lengths[i] for b in batches for i in b]
    assert flat == sorted(lengths, reverse=True)
    assert all(len(b) * lengths[b[0]] <= 80 for b in batches)
    assert batches == [[1, 3], [7, 4], [0, 6, 5, 2]]


def test_a_text_longer_than_the_budget_goes_alone_and_the_count_is_capped() -> None:
    assert token_batches([300, 10, 10, 10], tokens=100, most=2) == [[0], [1, 2], [3]]
    assert token_batches([], tokens=100, most=2) == []


def test_a_text_has_one_vector_whatever_it_is_encoded_with() -> None:
    # Padding is masked out, so a batch changes a vector by rounding only: 1e-7 in fp32, up to
    # ~7e-4 per component under bf16 autocast (CPUs with avx512_bf16/AMX). What the comparison
    # uses is the direction, so the test holds the cosine, with a margin no kernel can break.
    texts = [
        "The ferry caught fire in the harbour on Tuesday, the coast guard said.",
        "Twelve people died.",
        "The ferry caught fire in the harbour on Tuesday, the coast guard said.",
        "Officials said the cause of the fire was not yet known and that an inquiry would be held.",
    ]
    together = encode_minilm(texts)
    alone = np.stack([encode_minilm([t])[0] for t in texts])
    assert together.shape == (4, MINILM_DIMENSIONS) and together.dtype == np.float32
    assert np.allclose(np.linalg.norm(together, axis=1), 1, atol=1e-5)
    cosines = np.sum(together * alone, axis=1)
    assert np.all(cosines > 0.999), cosines
    assert np.array_equal(together[0], together[2])
    assert encode_minilm([]).shape == (0, MINILM_DIMENSIONS)
