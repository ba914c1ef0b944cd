"""Stance of an article body toward a claim: agree, disagree, discuss or unrelated (see docs/stance.md)."""

from newsweave.stance.model import (
    LABELS,
    Stance,
    StanceModel,
    StancePair,
    StancePrediction,
    load_model,
    predict,
)

__all__ = ["LABELS", "Stance", "StanceModel", "StancePair", "StancePrediction", "load_model", "predict"]
