"""Storage: an embedded SQLite database by default."""

from newsweave.store.sqlite import SQLiteStore, article_key, content_hash

__all__ = ["SQLiteStore", "article_key", "content_hash"]
