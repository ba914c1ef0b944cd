"""newsweave: turn many news articles into one verified story.

The public API is what `__all__` lists; everything else may change between releases.
"""

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
