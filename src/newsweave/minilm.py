"""all-MiniLM-L6-v2 read straight from its weights: a BERT encoder in a few torch operations.

The model is six BERT layers and a mean over the tokens. sentence-transformers runs the same
operations but imports transformers to do it, and that import was the largest fixed cost of the
whole chain: 4-5 s of every run that compares claims (torch, tokenizers and safetensors alone:
1.4 s). The operations below are BERT's own (post-norm layers, exact GELU, padding masked out of
attention and of the mean); tests/test_minilm.py holds the vectors to sentence-transformers'.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch


@dataclass(frozen=True)
class EncoderLayer:
    query: tuple[torch.Tensor, torch.Tensor]
    key: tuple[torch.Tensor, torch.Tensor]
    value: tuple[torch.Tensor, torch.Tensor]
    attention_out: tuple[torch.Tensor, torch.Tensor]
    attention_norm: tuple[torch.Tensor, torch.Tensor]
    intermediate: tuple[torch.Tensor, torch.Tensor]
    output: tuple[torch.Tensor, torch.Tensor]
    output_norm: tuple[torch.Tensor, torch.Tensor]


@dataclass(frozen=True)
class MiniLM:
    """The weights, the tokenizer and the shape of one BERT sentence encoder."""

    tokenizer: Any  # tokenizers.Tokenizer
    words: torch.Tensor
    positions: torch.Tensor
    token_type: torch.Tensor  # type 0: every text here is a single segment
    embedding_norm: tuple[torch.Tensor, torch.Tensor]
    layers: tuple[EncoderLayer, ...]
    heads: int
    norm_eps: float
    max_tokens: int
    pad_id: int

    @property
    def dimensions(self) -> int:
        return int(self.words.shape[1])


def load_minilm(folder: Path) -> MiniLM:
    """The encoder in `folder` (a sentence-transformers folder: config.json, model.safetensors,
    tokenizer.json, sentence_bert_config.json), read offline."""
    from safetensors.torch import load_file
    from tokenizers import Tokenizer

    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    sentence = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
    _check_shape(config, json.loads((folder / "1_Pooling" / "config.json").read_text(encoding="utf-8")))
    weights = load_file(str(folder / "model.safetensors"))
    max_tokens = int(sentence["max_seq_length"])
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()  # batches are padded here, to their own longest text
    tokenizer.enable_truncation(max_length=max_tokens)

    def pair(name: str) -> tuple[torch.Tensor, torch.Tensor]:
        return weights[f"{name}.weight"], weights[f"{name}.bias"]

    layers = tuple(
        EncoderLayer(
            query=pair(f"encoder.layer.{i}.attention.self.query"),
            key=pair(f"encoder.layer.{i}.attention.self.key"),
            value=pair(f"encoder.layer.{i}.attention.self.value"),
            attention_out=pair(f"encoder.layer.{i}.attention.output.dense"),
            attention_norm=pair(f"encoder.layer.{i}.attention.output.LayerNorm"),
            intermediate=pair(f"encoder.layer.{i}.intermediate.dense"),
            output=pair(f"encoder.layer.{i}.output.dense"),
            output_norm=pair(f"encoder.layer.{i}.output.LayerNorm"),
        )
        for i in range(int(config["num_hidden_layers"]))
    )
    return MiniLM(
        tokenizer=tokenizer,
        words=weights["embeddings.word_embeddings.weight"],
        positions=weights["embeddings.position_embeddings.weight"],
        token_type=weights["embeddings.token_type_embeddings.weight"][0],
        embedding_norm=pair("embeddings.LayerNorm"),
        layers=layers,
        heads=int(config["num_attention_heads"]),
        norm_eps=float(config["layer_norm_eps"]),
        max_tokens=max_tokens,
        pad_id=int(config.get("pad_token_id", 0)),
    )


def _check_shape(config: dict[str, Any], pooling: dict[str, Any]) -> None:
    """Refuse a folder this encoder would read wrongly rather than return wrong vectors."""
    problems = []
    if config.get("model_type") != "bert":
        problems.append(f"model_type {config.get('model_type')!r}, not 'bert'")
    if config.get("hidden_act") != "gelu":
        problems.append(f"hidden_act {config.get('hidden_act')!r}, not 'gelu'")
    if config.get("position_embedding_type", "absolute") != "absolute":
        problems.append("positions are not absolute")
    if not pooling.get("pooling_mode_mean_tokens"):
        problems.append("pooling is not the mean of the tokens")
    if problems:
        raise ValueError("not a MiniLM/BERT sentence encoder: " + "; ".join(problems))


def token_ids(model: MiniLM, texts: list[str]) -> list[list[int]]:
    """The ids the model reads of each text, [CLS] and [SEP] included, cut at `max_tokens`."""
    return [encoding.ids for encoding in model.tokenizer.encode_batch(texts)]


def sentence_vectors(model: MiniLM, ids: list[list[int]]) -> torch.Tensor:
    """Unit-length sentence vectors (float32) of a batch of token ids: the mean of the last
    layer over each text's own tokens, normalised."""
    import torch
    import torch.nn.functional as F

    longest = max(len(row) for row in ids)
    tokens = torch.full((len(ids), longest), model.pad_id, dtype=torch.long)
    mask = torch.zeros((len(ids), longest), dtype=torch.bool)
    for i, row in enumerate(ids):
        tokens[i, : len(row)] = torch.tensor(row, dtype=torch.long)
        mask[i, : len(row)] = True

    hidden = model.words[tokens] + model.positions[:longest] + model.token_type
    hidden = F.layer_norm(hidden, (hidden.shape[-1],), *model.embedding_norm, eps=model.norm_eps)
    # Padding is masked as a key, so no real token attends to it; its own rows are dropped below.
    attend = mask[:, None, None, :]
    for layer in model.layers:
        hidden = _encoder_layer(model, layer, hidden, attend)

    weights = mask.unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
    return F.normalize(pooled.float(), p=2, dim=1)


def _encoder_layer(
    model: MiniLM, layer: EncoderLayer, hidden: torch.Tensor, attend: torch.Tensor
) -> torch.Tensor:
    import torch.nn.functional as F

    batch, length, width = hidden.shape

    def heads(x: torch.Tensor) -> torch.Tensor:
        return x.view(batch, length, model.heads, width // model.heads).transpose(1, 2)

    query = heads(F.linear(hidden, *layer.query))
    key = heads(F.linear(hidden, *layer.key))
    value = heads(F.linear(hidden, *layer.value))
    context = F.scaled_dot_product_attention(query, key, value, attn_mask=attend)
    context = context.transpose(1, 2).reshape(batch, length, width)
    hidden = F.layer_norm(
        F.linear(context, *layer.attention_out) + hidden, (width,), *layer.attention_norm, eps=model.norm_eps
    )
    inner = F.gelu(F.linear(hidden, *layer.intermediate))
    return F.layer_norm(
        F.linear(inner, *layer.output) + hidden, (width,), *layer.output_norm, eps=model.norm_eps
    )
