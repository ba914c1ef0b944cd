"""Stories read back from the store, for the Python API, the CLI and the JSON export."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from newsweave.errors import StoryNotFound
from newsweave.model import Article

if TYPE_CHECKING:
    from newsweave.store import SQLiteStore


@dataclass(frozen=True, slots=True, kw_only=True)
class Duplicate:
    article: str
    original: str
    similarity: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    """One story: its title, time span, articles and outlets, and which articles are copies."""

    id: int
    title: str
    articles: tuple[str, ...]
    """Article ids, in the order they joined (copies included)."""
    outlets: tuple[str, ...]
    start: date | None
    end: date | None
    duplicates: tuple[Duplicate, ...] = ()

    @property
    def sources(self) -> int:
        """Articles that are not copies of another: what counts as independent reporting."""
        return len(self.articles) - len(self.duplicates)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "articles": list(self.articles),
            "outlets": list(self.outlets),
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "sources": self.sources,
            "duplicates": [
                {"article": d.article, "original": d.original, "similarity": d.similarity}
                for d in self.duplicates
            ],
        }


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def load_stories(store: SQLiteStore, only: Iterable[int] | None = None) -> list[Story]:
    """Live stories, largest first (or the ones asked for, merged ids resolved)."""
    if only is None:
        rows = store.story_rows()
    else:
        found = [store.story_row(i) for i in only]
        rows = [r for r in found if r is not None]
    members: dict[int, list[Any]] = {}
    for m in store.story_members([r["id"] for r in rows]):
        members.setdefault(m["story_id"], []).append(m)
    ids = [m["article_id"] for ms in members.values() for m in ms]
    articles: dict[str, Article] = (
        {a.id: a for a in store.articles(ids=ids, latest_only=False)} if ids else {}
    )
    out = []
    for r in rows:
        ms = members.get(r["id"], [])
        if not ms:
            continue
        dated = [d for m in ms if (d := articles[m["article_id"]].published) is not None]
        outlets = dict.fromkeys(o for m in ms if (o := articles[m["article_id"]].outlet))
        out.append(
            Story(
                id=r["id"],
                title=r["title"],
                articles=tuple(m["article_id"] for m in ms),
                outlets=tuple(outlets),
                start=min(dated, default=_date(r["start"])),
                end=max(dated, default=_date(r["end"])),
                duplicates=tuple(
                    Duplicate(article=m["article_id"], original=m["original_id"], similarity=m["similarity"])
                    for m in ms
                    if m["original_id"]
                ),
            )
        )
    return out


def load_story(store: SQLiteStore, story_id: int) -> Story:
    found = load_stories(store, [story_id])
    if not found:
        raise StoryNotFound(f"no story with id {story_id}; `newsweave stories` lists them")
    return found[0]
