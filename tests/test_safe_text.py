"""Display-safe text: control, bidi and zero-width characters shown as escapes, data kept."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from newsweave.safe_text import json_line, safe_name, safe_record, safe_text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Storm \x1b]0;pwned\x07 warning", r"Storm \x1b]0;pwned\x07 warning"),
        ("\x1b[31mred\x1b[0m", r"\x1b[31mred\x1b[0m"),
        ("C1 \x9b2J and NEL \x85", r"C1 \x9b2J and NEL \x85"),
        ("DEL\x7f, NUL\x00, CR\r", r"DEL\x7f, NUL\x00, CR\r"),
        ("exe.\u202etxt", r"exe.\u202etxt"),
        ("\u2066isolated\u2069 \u200emark\u200f \u061c", r"\u2066isolated\u2069 \u200emark\u200f \u061c"),
    ],
)
def test_controls_and_bidi_are_shown_as_escapes(raw: str, shown: str) -> None:
    assert safe_text(raw) == shown
    assert safe_name(raw) == shown


def test_newline_and_tab_kept_only_in_multiline_text() -> None:
    assert safe_text("one\ntwo\tthree", multiline=True) == "one\ntwo\tthree"
    assert safe_text("one\ntwo\tthree") == "one two three"
    assert safe_name("one\ntwo\tthree") == r"one\ntwo\tthree"


def test_zero_width_characters_are_shown() -> None:
    assert safe_name("Reu\u200bters\u2060\ufeff") == r"Reu\u200bters\u2060\ufeff"
    assert safe_text("single source: Reu\u200cters") == r"single source: Reu\u200cters"


def test_line_separators_are_layout_in_text_and_shown_in_names() -> None:
    assert safe_text("one\u2028two") == "one two"
    assert safe_name("one\u2028two") == r"one\u2028two"


def test_plain_text_is_unchanged_and_escaping_is_idempotent() -> None:
    plain = "Ministers met in Zürich — «Ça va», 東京, مرحبا [bold]x[/bold] <b>"
    assert safe_text(plain) == plain == safe_name(plain)
    once = safe_name("a\x1b\u202e\u200b")
    assert safe_name(once) == once


@dataclass(frozen=True, slots=True, kw_only=True)
class _Line:
    outlet: str
    text: str
    outlets: tuple[str, ...]
    count: int


def test_safe_record_makes_every_string_field_safe() -> None:
    line = _Line(outlet="Herald\n\x1b", text="Hi\n\u202ethere", outlets=("A\u202e",), count=3)
    assert safe_record(line) == _Line(
        outlet=r"Herald\n\x1b", text="Hi\n\\u202ethere", outlets=(r"A\u202e",), count=3
    )


def test_json_line_escapes_what_a_terminal_acts_on_and_keeps_the_data() -> None:
    record = {"outlet": "Herald\x1b\x9b\u202e\u200b\x7f", "title": "Zürich"}
    line = json_line(record)
    assert not any(c in line for c in "\x1b\x9b\u202e\u200b\x7f")
    assert "Zürich" in line
    assert json.loads(line) == record
