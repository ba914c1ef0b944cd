"""The BERT encoder of newsweave.minilm against sentence-transformers on the same weights."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from newsweave.embeddings import minilm_model_dir
from newsweave.minilm import load_minilm, sentence_vectors, token_ids

TEXTS = [
    "The ferry caught fire in the harbour on Tuesday, the coast guard said.",
    "Twelve people died.",
    "“We don't know yet,” said Maria Okafor, the port's director — adding that an inquiry would follow.",
    "Officials said the cause of the fire was not yet known and that an inquiry would be held. " * 16,
    "x",
]


def test_vectors_and_token_ids_match_sentence_transformers_in_fp32() -> None:
    torch = pytest.importorskip("torch")
    sentence_transformers = pytest.importorskip("sentence_transformers")
    reference = sentence_transformers.SentenceTransformer(str(minilm_model_dir()), device="cpu")
    model = load_minilm(minilm_model_dir())

    ids = token_ids(model, TEXTS)
    expected_ids = reference.tokenizer(TEXTS, truncation=True, max_length=256)["input_ids"]
    assert ids == expected_ids
    assert len(ids[3]) == 256  # the long text is cut where sentence-transformers cuts it

    with torch.inference_mode():
        ours = sentence_vectors(model, ids).numpy()
    theirs = reference.encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    assert ours.shape == (len(TEXTS), 384) and ours.dtype == np.float32
    assert np.allclose(np.linalg.norm(ours, axis=1), 1, atol=1e-5)
    assert np.all(np.sum(ours * theirs, axis=1) > 0.99999)


def test_a_folder_of_another_kind_of_model_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    shutil.copytree(minilm_model_dir(), folder)
    config = json.loads((folder / "config.json").read_text())
    config["position_embedding_type"] = "relative_key"
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ValueError, match="positions are not absolute"):
        load_minilm(folder)
