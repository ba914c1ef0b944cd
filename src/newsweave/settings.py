"""Settings: one frozen record, read from `newsweave.toml`, then `NEWSWEAVE_*` variables.

Each field carries its help text in its metadata; `docs/settings.md` lists them all (a test
keeps the two in step).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from newsweave.errors import ConfigError

ENV_PREFIX = "NEWSWEAVE_"
CONFIG_FILE = "newsweave.toml"


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Every knob newsweave reads, with its default."""

    db: str = _setting("newsweave.db", "Path of the SQLite database file (created when missing).")
    batch_size: int = _setting(
        200, "Articles written per transaction while ingesting; a crash loses at most one batch."
    )
    max_document_bytes: int = _setting(
        5_000_000,
        "Largest single article (text or HTML file, or one JSON Lines record) read, in bytes; "
        "larger inputs are skipped as too_large.",
    )
    max_records_per_file: int = _setting(
        1_000_000,
        "Most records (articles and rejections) read from one file; the rest of it is skipped "
        "with a message.",
    )
    max_decompressed_bytes: int = _setting(
        20_000_000_000,
        "Most bytes one compressed file may expand to; a file expanding more than 100 times over "
        "is refused as a decompression bomb whatever this says.",
    )
    max_article_chars: int = _setting(
        200_000,
        "Longest article body analysed, in characters (about 30,000 words, which take about 15 s "
        "and 1 GB to analyse; spaCy's own limit is 1,000,000); longer bodies are skipped as too_long.",
    )
    language_sample_chars: int = _setting(600, "Characters of the body used to identify its language.")
    stories_embedding: str = _setting(
        "static",
        "Text embedding for story clustering: static (model2vec distilled from all-MiniLM-L6-v2, "
        "shipped in the package, fast), minilm (the transformer, about 80x slower) or none (words and "
        "names only). Fixed for a database once its stories are built.",
    )


def _coerce(name: str, raw: Any, kind: type) -> Any:
    try:
        return kind(raw)
    except (TypeError, ValueError) as e:
        raise ConfigError(f"setting {name}={raw!r} is not a valid {kind.__name__}") from e


def load_settings(config_path: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Read settings: defaults, then `newsweave.toml` (if present), then the environment."""
    env = os.environ if environ is None else environ
    path = config_path or Path(env.get(ENV_PREFIX + "CONFIG", CONFIG_FILE))
    values: dict[str, Any] = {}
    if path.is_file():
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise ConfigError(f"cannot read settings file {path}: {e}") from e
    known = {f.name: f for f in fields(Settings)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(f"unknown setting(s) in {path}: {', '.join(unknown)}; see docs/settings.md")
    for name in known:
        if (raw := env.get(ENV_PREFIX + name.upper())) is not None:
            values[name] = raw
    settings = Settings()
    typed = {n: _coerce(n, v, type(getattr(settings, n))) for n, v in values.items()}
    return replace(settings, **typed)


def settings_help() -> list[tuple[str, str, Any]]:
    """(environment variable, help, default) for every setting, for docs and `--help`."""
    return [(ENV_PREFIX + f.name.upper(), f.metadata["help"], f.default) for f in fields(Settings)]
