"""Language identification (py3langid, whose model ships inside the package)."""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

_MIN_CHARS = 20


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify_language(text: str) -> tuple[str, float] | None:
    """ISO 639-1 code and probability, or None when there is too little text to tell."""
    if len(text.strip()) < _MIN_CHARS:
        return None
    code, probability = _identifier().classify(text)
    return str(code), round(float(probability), 3)
