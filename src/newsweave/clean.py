"""Cleaning: from a reader's text to the article body, with an audit trail of every cut.

Lines are classified by their shape and wording, never by what a particular outlet prints:
a section line and a title at the top, bylines and contact lines, "Read more"-style promos,
photo credits and the captions they sign, copyright footers. Every line cut is kept with its
reason; captions are kept apart. The returned `body` is the text all later offsets refer to.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import ftfy

from newsweave.ingest._common import parse_date
from newsweave.language import identify_language
from newsweave.model import CleanArticle, Document, RemovalReason, RemovedLine
from newsweave.outlets import domain_of, email_domain, outlet_from_domain, split_title_suffix

_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_line_breaks=True, normalization="NFC")
_INLINE_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# What ftfy repairs: UTF-8 read as Latin-1/cp1252 (a lead byte then a continuation byte),
# HTML entities, ligatures, terminal escapes and control characters. A plain character class
# is checked first because it scans fast; the pair pattern only runs where it matched.
_MOJIBAKE_LEAD = re.compile("[\u00c2-\u00f4]")
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_OTHER_FTFY_FIXES = re.compile("[\ufb00-\ufb06\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ENTITY = re.compile("&(#\\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});")
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_TERMINAL = (".", "!", "?", ":", ";", ",", "\u201d", '"', "'", "\u2019", ")")

_PROMO = re.compile(
    r"^(read more|read also|also read|more reading|related( articles?| stories| coverage| content)?\s*:|"
    r"see also|recommended( for you| reading)?\s*:?|you (may|might) also like|don'?t miss|"
    r"most (read|popular)|trending( now)?\s*:|more from |more on this|continue reading|"
    r"sign up\b|subscribe (to|now|for|here)|click here|watch( now)?\s*:|listen( now)?\s*:|"
    r"advertisement\b|sponsored( content)?\b|share this( article| story)?\b|follow us\b)",
    re.IGNORECASE,
)
_STRONG_PROMO = re.compile(r"(read more|advertisement|sign up|subscribe|click here|related)", re.IGNORECASE)
_BYLINE = re.compile(
    r"^((written |words |story |text )?by|(additional )?reporting by|editing by|compiled by)\s+\S",
    re.IGNORECASE,
)
_BY_AUTHOR = re.compile(r"^(written |story )?by\s+", re.IGNORECASE)
_CONTACT = re.compile(
    r"^(you can )?(contact|e-?mail|reach|write to|follow|send (us )?(news )?tips|tips?\b|got a (news )?tip)"
    r"|\b(the author|the reporter|the writer)\b",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^(published|updated|posted|last updated|first published|last modified)\b"
    r"\s*(on|at)?\s*:?\s*(?P<when>.+)$",
    re.IGNORECASE,
)
_FOOTER = re.compile(
    r"^(©|\(c\)\s*\d{4}|copyright\b|all rights reserved|this (article|story) (was |is )?"
    r"(originally |first )?(published|appeared)|our standards\s*:)",
    re.IGNORECASE,
)
_CREDIT_WORDS = re.compile(
    r"(getty images|\bafp\b|\breuters\b|\bap photo\b|associated press|\bepa\b|shutterstock|"
    r"\balamy\b|\bistock\b|bloomberg|anadolu|xinhua|\bsipa\b|\bzuma\b|wireimage|pool photo|"
    r"^(photo(graph)?|image|picture|credit|source)s?\s*(:|by\b|credit\b|courtesy\b|source\b)|"
    r"^courtesy\b|^image source\b)",
    re.IGNORECASE,
)
# "NAME/AGENCY", "NAME/AGENCY via OTHER" or "NAME / ACRONYM": a credit with no keyword we know.
_SLASH_CREDIT = re.compile(
    r"^[A-Z][\w.'’ -]{1,60}(/[A-Z][\w.'’&-]*( [A-Z][\w.'’&-]*)*|\s/\s[A-Z]{2,})( via [A-Z][\w.'’ -]+)?$"
)
_INLINE_CREDIT = re.compile(
    r"^(?P<caption>.{20,}?)\s*[(\[]?\b(photo(graph)?|image|picture|credit)s?\s*(:|by\b)\s*[^()\[\]]{2,80}[)\]]?\s*$",
    re.IGNORECASE,
)
_CAPTION_MARKER = re.compile(
    r"^(image caption|caption|pictured|above|top|photo|picture)\s*[:,]\s*", re.IGNORECASE
)

_MAX_HEADER_LINES = 3
_MAX_SECTION_WORDS = 4
_MAX_TITLE_WORDS = 30
_MAX_CREDIT_WORDS = 12
_MAX_CAPTION_HEADING_WORDS = 12
_MAX_PROMO_WORDS = 25
_MAX_CONTACT_WORDS = 20
_MAX_CAPTION_WORDS = 80
# A paragraph above a credit line longer than this is body text, not the photo's caption.
_MAX_SIGNED_CAPTION_WORDS = 50
_CAPTION_WORDS = re.compile(r"photo|image|picture|credit", re.IGNORECASE)


@dataclass(slots=True)
class _Line:
    text: str
    blank_before: bool
    reason: RemovalReason | None = None


def normalise_text(text: str) -> str:
    """Repair mojibake (ftfy), drop zero-width characters, collapse runs of inline spaces.

    ftfy costs milliseconds on a long article, so it runs only where a cheap look finds what it
    repairs; everything else gets the cheap fixes (line breaks, NFC) directly.
    """
    if _needs_ftfy(text):
        text = _ZERO_WIDTH.sub("", ftfy.fix_text(text, _FTFY))
    elif not text.isascii():
        text = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", _ZERO_WIDTH.sub("", text)))
    elif "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "  " in text or "\t" in text or not text.isascii():
        text = _INLINE_SPACE.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


def _needs_ftfy(text: str) -> bool:
    if "&" in text and _ENTITY.search(text):
        return True
    if text.isascii():
        return "\x1b" in text or bool(_OTHER_FTFY_FIXES.search(text))
    return bool((_MOJIBAKE_LEAD.search(text) and _MOJIBAKE.search(text)) or _OTHER_FTFY_FIXES.search(text))


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    blank = True
    for raw in text.split("\n"):
        if not raw:
            blank = True
            continue
        out.append(_Line(raw, blank_before=blank))
        blank = False
    return out


def _words(text: str) -> int:
    return len(text.split())


def _ends_sentence(text: str) -> bool:
    return text.endswith(_TERMINAL)


_NON_WORD = re.compile(r"\W+")


def _squash(text: str) -> str:
    return _NON_WORD.sub(" ", text).strip().lower()


def _same(a: str, b: str) -> bool:
    """Equal but for case, punctuation and spacing."""
    return _squash(a) == _squash(b)


def _is_credit(text: str) -> bool:
    """A short credit line; it ends without a full stop ("Image source, X." aside)."""
    if text.endswith((".", "!", "?", ",", ";")) and not text.lower().startswith("image source"):
        return False
    return bool(_CREDIT_WORDS.search(text) or _SLASH_CREDIT.match(text))


def _is_promo(text: str) -> bool:
    """A link to other content: a strong opener anywhere, a weaker one only without a full stop."""
    if not _PROMO.match(text):
        return False
    return bool(_STRONG_PROMO.match(text)) or not text.endswith((".", "!", "?"))


def _is_headline_shaped(text: str) -> bool:
    return _words(text) <= _MAX_TITLE_WORDS and not text.endswith((".", ":", ";", ","))


@dataclass(slots=True)
class _Header:
    title: str | None = None
    outlet: str | None = None
    section: str | None = None


def _has_body_after(lines: list[_Line], i: int) -> bool:
    return any(_words(line.text) >= 12 for line in lines[i + 1 :])


def _read_header(lines: list[_Line], known_title: str | None) -> _Header:
    """Mark the section line and the title line at the top, if the text starts with them."""
    header = _Header()
    top = [i for i, line in enumerate(lines[:_MAX_HEADER_LINES]) if _line_reason(line.text) is None]
    for n, i in enumerate(top):
        text = lines[i].text
        if known_title and _same(text, known_title):
            header.title = known_title
        elif known_title:
            # The input gave its title, so the top lines are the text's own: keep them.
            break
        elif (split := split_title_suffix(text)) and _is_headline_shaped(split[0]):
            header.title, header.outlet = split
        elif _is_headline_shaped(text) and _has_body_after(lines, i):
            following = lines[top[n + 1]].text if n + 1 < len(top) else ""
            is_section = (
                _words(text) <= _MAX_SECTION_WORDS
                and _is_headline_shaped(following)
                and _words(following) > _MAX_SECTION_WORDS
            )
            if is_section:
                continue
            header.title = text
        else:
            break
        lines[i].reason = "title"
        for j in top[:n]:
            lines[j].reason = "section"
            header.section = header.section or lines[j].text
        break
    return header


def _caption_block(lines: list[_Line], credit_at: int) -> list[int]:
    """Indexes of the caption lines a credit line signs: the paragraph just above it."""
    above = credit_at - 1
    if above < 0 or lines[above].reason is not None or _words(lines[above].text) > _MAX_SIGNED_CAPTION_WORDS:
        return []
    block = [above]
    # A short unpunctuated line right above the caption is its heading.
    heading = above - 1
    if (
        heading >= 0
        and lines[heading].reason is None
        and _words(lines[heading].text) <= _MAX_CAPTION_HEADING_WORDS
        and not _ends_sentence(lines[heading].text)
        and (not lines[above].blank_before)
    ):
        block.insert(0, heading)
    return block


def _line_reason(text: str) -> RemovalReason | None:
    """The boilerplate a line is by itself, judged without its neighbours.

    Checks run from cheap to costly and only where the line is short enough to qualify:
    most body lines are long sentences that only the footer and caption checks could match.
    """
    n = _words(text)
    if _FOOTER.match(text):
        return "footer"
    if n <= _MAX_PROMO_WORDS and _is_promo(text):
        return "promo"
    if n <= 30 and _BYLINE.match(text) and not text.endswith("."):
        return "byline"
    if n <= _MAX_CONTACT_WORDS and "@" in text and _CONTACT.search(text):
        return "contact"
    if n <= 12 and _DATELINE.match(text):
        return "dateline"
    if n <= _MAX_CREDIT_WORDS and _is_credit(text):
        return "credit"
    if n <= _MAX_CAPTION_WORDS and (
        _CAPTION_MARKER.match(text) or (_CAPTION_WORDS.search(text) and _INLINE_CREDIT.match(text))
    ):
        return "caption"
    return None


def _caption_text(text: str) -> str:
    if marker := _CAPTION_MARKER.match(text):
        return text[marker.end() :]
    if inline := _INLINE_CREDIT.match(text):
        return inline.group("caption").strip()
    return text


def _classify(lines: list[_Line], known_captions: Sequence[str], guess_captions: bool) -> list[str]:
    """Set each line's removal reason; return the captions found, in order.

    Where the input marks its captions (HTML), only those are captions: a credit line is still
    cut, but the paragraph above it is not guessed to be a caption.
    """
    captions: dict[int, str] = {}
    known = [c for c in known_captions if c]
    known_squashed = {_squash(c) for c in known}
    for i, line in enumerate(lines):
        if line.reason is not None:
            continue
        if known and (
            _squash(line.text) in known_squashed
            or (len(line.text) > 20 and any(line.text in c for c in known))
        ):
            line.reason, captions[i] = "caption", line.text
            continue
        line.reason = _line_reason(line.text)
        if line.reason == "caption" and not guess_captions:
            line.reason = None
        elif line.reason == "caption":
            captions[i] = _caption_text(line.text)
        elif line.reason == "credit" and guess_captions:
            for j in _caption_block(lines, i):
                lines[j].reason, captions[j] = "caption", lines[j].text
    return [captions[i] for i in sorted(captions)] + [c for c in known if c not in captions.values()]


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Body paragraphs: one per line, except hard-wrapped text, whose lines are joined."""
    kept = [line for line in lines if line.reason is None]
    lengths = [len(line.text) for line in kept]
    wrapped = len(kept) >= 4 and sum(55 <= n <= 80 for n in lengths) / len(kept) > 0.6
    if not wrapped:
        return [line.text for line in kept]
    paragraphs: list[str] = []
    for line in kept:
        if line.blank_before or not paragraphs:
            paragraphs.append(line.text)
        else:
            paragraphs[-1] += " " + line.text
    return paragraphs


def _author_from(lines: list[_Line]) -> str | None:
    """The names in the first "By …" line ("Reporting by …" credits several roles, so not those)."""
    for line in lines:
        if line.reason == "byline" and (by := _BY_AUTHOR.match(line.text)):
            return line.text[by.end() :].strip() or None
    return None


def _published_from(lines: list[_Line]) -> date | None:
    for line in lines:
        if line.reason == "dateline" and (m := _DATELINE.match(line.text)):
            return parse_date(m.group("when"))
    return None


def clean_document(
    doc: Document, *, published_default: date | None = None, language_sample_chars: int = 600
) -> CleanArticle:
    """Cut boilerplate from a document's text and settle its metadata.

    `published_default` is used only when neither the input's metadata nor the text gives a
    publication date.
    """
    lines = _lines(normalise_text(doc.text))
    title = normalise_text(doc.title).strip() if doc.title else None
    header = _read_header(lines, title)
    captions = _classify(
        lines, [normalise_text(c) for c in doc.captions], guess_captions=not doc.captions_marked
    )
    body = "\n\n".join(_paragraphs(lines))
    removed = tuple(RemovedLine(text=line.text, reason=line.reason) for line in lines if line.reason)

    contact_domain = next((email_domain(x.text) for x in lines if x.reason == "contact"), None)
    domain = domain_of(doc.url) if doc.url and doc.url.startswith("http") else None
    domain = domain or contact_domain
    outlet = doc.outlet or header.outlet or (outlet_from_domain(domain) if domain else None)

    published = doc.published
    published_from: Literal["document", "text", "given"] | None = "document" if published else None
    if published is None and (in_text := _published_from(lines)):
        published, published_from = in_text, "text"
    if published is None and published_default is not None:
        published, published_from = published_default, "given"

    language = identify_language((body or title or "")[:language_sample_chars])
    return CleanArticle(
        source=doc.source,
        input_format=doc.input_format,
        body=body,
        captions=tuple(captions),
        removed=removed,
        external_id=doc.external_id,
        url=doc.url,
        outlet=outlet,
        outlet_domain=domain,
        title=title or header.title,
        author=doc.author or _author_from(lines),
        section=doc.section or header.section,
        published=published,
        published_from=published_from,
        language=language[0] if language else None,
        language_score=language[1] if language else None,
        notes=doc.notes,
    )
