"""newsweave: turn many news articles into one verified story.

The public API is what `__all__` lists; everything else may change between releases.
"""

__version__ = "0.1.0"

from newsweave.errors import (  # noqa: E402
    ArticleNotFound,
    ConfigError,
    IngestError,
    ModelNotInstalled,
    NewsweaveError,
    PipelineError,
    SchemaVersionError,
    StoreError,
)
from newsweave.model import Article, IngestReport, Rejected, RemovedLine  # noqa: E402
from newsweave.settings import Settings, load_settings  # noqa: E402
from newsweave.workspace import Workspace, open_store  # noqa: E402

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
