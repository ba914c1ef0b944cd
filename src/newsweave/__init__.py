"""newsweave: turn many news articles into one verified story.

The public API is what `__all__` lists; everything else may change between releases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsweave._version import __version__
from newsweave.errors import (
    ArticleNotFound,
    ConfigError,
    IngestError,
    ModelNotInstalled,
    NewsweaveError,
    PipelineError,
    SchemaVersionError,
    StoreError,
)
from newsweave.model import Article, IngestReport, Rejected, RemovedLine
from newsweave.settings import Settings, load_settings

if TYPE_CHECKING:
    from newsweave.workspace import Workspace, open_store

__all__ = [
    "Article",
    "ArticleNotFound",
    "ConfigError",
    "IngestError",
    "IngestReport",
    "ModelNotInstalled",
    "NewsweaveError",
    "PipelineError",
    "Rejected",
    "RemovedLine",
    "SchemaVersionError",
    "Settings",
    "StoreError",
    "Workspace",
    "__version__",
    "load_settings",
    "open_store",
]

# The workspace brings the analysis stack with it (spaCy, scikit-learn, torch); importing it on
# first use keeps `import newsweave.cli` (and so `newsweave --help`) fast.
_LAZY = {"Workspace": "newsweave.workspace", "open_store": "newsweave.workspace"}


def __getattr__(name: str) -> Any:
    """Import `Workspace` and `open_store` when first asked for (PEP 562)."""
    if name not in _LAZY:
        raise AttributeError(f"module 'newsweave' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value
    return value
