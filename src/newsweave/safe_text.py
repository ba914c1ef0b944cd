"""Text from the open web made safe to show: no character in it can act on a terminal or
reorder what a reader sees.

Article text and metadata are hostile input. A terminal acts on ESC and C1 sequences (colours,
clearing the screen, setting the window title, OSC 8 hyperlinks); bidi embeddings, overrides
and isolates make text display in an order other than the one stored ("exe.txt" shown for
"txt.exe"); a zero-width character makes two different names or urls look the same. Every
renderer (the CLI, the terminal, Markdown and HTML reports) passes what it shows through here;
exports (JSON, JSON Lines, Parquet) are data and keep the text as stored.

Each such character is shown as its Python escape (`\\x1b`, `\\u202e`): visible, plain ASCII,
inert in every output, and it says exactly what was there, which U+FFFD would not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import fields, is_dataclass, replace
from typing import TypeVar, cast

# C0 controls but newline and tab, DEL, C1 controls; Arabic letter mark, LRM/RLM, bidi
# embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069).
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Zero-width space, non-joiner, joiner, word joiner, BOM. Cleaning drops them from bodies and
# titles, so one in shown text comes from metadata (an outlet, a url), or a line built from it,
# where it makes two different names look the same.
_ZERO_WIDTH = "\u200b-\u200d\u2060\ufeff"
_IN_TEXT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}{_ZERO_WIDTH}]")
_IN_NAME = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}{_ZERO_WIDTH}\u2028\u2029]")
_LAYOUT = re.compile("[\t\n\u2028\u2029]+")
# What json.dumps(ensure_ascii=False) leaves raw that a terminal acts on or hides.
_IN_JSON = re.compile(f"[\x7f-\x9f{_BIDI}{_ZERO_WIDTH}\u2028\u2029]")

#: Record fields holding a name, id or url (single-line, identifying): shown by `safe_name`.
NAME_FIELDS = frozenset(
    {
        "id", "key", "article", "articles", "anchor", "group", "story", "original", "entity",
        "outlet", "outlets", "outlet_domain", "hedged_in", "provenance", "source", "url",
        "external_id", "author", "section", "name", "aliases", "speaker", "speaker_entity",
    }
)  # fmt: skip

_T = TypeVar("_T")


_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _SHORT.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def safe_text(text: str, *, multiline: bool = False) -> str:
    """Prose (a title, a sentence, a body) with every control, bidi and zero-width character
    shown as its escape. Newline and tab lay the text out, so a multi-line body keeps them; on
    one line each run of them (and of line or paragraph separators) is a space."""
    if not multiline:
        text = _LAYOUT.sub(" ", text)
    return _IN_TEXT.sub(_escape, text)


def safe_name(text: str) -> str:
    """A name, id, url or outlet: as `safe_text`, and newline, tab and line separators shown
    too, since in one of these a character that only lays text out changes what it names."""
    return _IN_NAME.sub(_escape, text)


def safe_record(record: _T) -> _T:
    """A copy of a record (a dataclass, with the tuples, lists, dicts and records it holds)
    with every string made safe: `NAME_FIELDS` by `safe_name`, the rest as multi-line prose,
    since each renderer lays prose out itself (Markdown on one line, HTML as white space, Rich
    inside its cell)."""
    return cast(_T, _safe(record, name=False))


def _safe(value: object, *, name: bool) -> object:
    if isinstance(value, str):
        return safe_name(value) if name else safe_text(value, multiline=True)
    if isinstance(value, list):
        return [_safe(v, name=name) for v in value]
    if isinstance(value, tuple):
        items = [_safe(v, name=name) for v in value]
        return value._make(items) if hasattr(value, "_make") else tuple(items)  # a NamedTuple stays one
    if isinstance(value, Mapping):
        return {_safe(k, name=name): _safe(v, name=name) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _safe(getattr(value, f.name), name=f.name in NAME_FIELDS) for f in fields(value) if f.init
        }
        return replace(value, **changes)
    return value


def json_line(record: object) -> str:
    """One JSON object on one line, safe on a terminal and faithful as data: what `json.dumps`
    leaves raw (DEL, C1, bidi and zero-width characters) is written as a `\\uXXXX` escape,
    which every JSON reader turns back into the same character."""
    line = json.dumps(record, ensure_ascii=False)
    return _IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", line)
