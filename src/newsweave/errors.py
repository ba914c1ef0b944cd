"""One exception tree for newsweave; every boundary translates these, and only these.

NewsweaveError
├── IngestError        an input could not be read at all (not a bad article: see model.Rejected)
├── PipelineError      an analysis stage cannot run
│   └── ModelNotInstalled
├── StoreError         the database cannot be opened, read or written
│   └── SchemaVersionError
└── ConfigError        a setting or option has a value we cannot use
"""

from __future__ import annotations


class NewsweaveError(Exception):
    """Base class: a message that says what went wrong and what to do next."""


class IngestError(NewsweaveError):
    """An input path cannot be opened or listed."""


class PipelineError(NewsweaveError):
    """An analysis stage cannot run."""


class ModelNotInstalled(PipelineError):
    """A model package that a stage needs is missing from the environment."""


class StoreError(NewsweaveError):
    """The store cannot be opened, read or written."""


class SchemaVersionError(StoreError):
    """The database was written by a newer newsweave than this one."""


class ConfigError(NewsweaveError):
    """A setting, option or argument has a value newsweave cannot use."""


class ArticleNotFound(StoreError):
    """No article in the store matches the id given."""


class StoryNotFound(StoreError):
    """No story in the store has the id given."""
