"""One person, several written forms: "Peter K. Lindqvist" / "Peter Lindqvist", "Tomas Ruiz Jr." /
"Tomas Ruiz", "Dave Ortiz" / "David Ortiz".

Outlets differ in house style: one gives a middle initial and a generational suffix, another
drops them, a third uses the nickname the person goes by. Two full person names are forms of one
name when their last names match and
- their first names are equal, or one is a known nickname of the other (the `nicknames`
  package: a hand-curated English name list, not a rule of ours);
- their middle initials do not disagree (a form without one says nothing about it);
- their suffixes do not disagree. A form without a suffix is the suffixed person's unless the
  text describes it as a relative ("his father, the Rev. Tomas Ruiz"): father and son share a
  name, and the suffix is what tells them apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from newsweave.nlp.entities import GENERATION_SUFFIXES, normalise_name


@dataclass(frozen=True, slots=True)
class PersonName:
    first: str
    middle: tuple[str, ...]  # initials ("k" for "Peter K. Lindqvist")
    last: str
    suffix: str  # "jr", "iii", … or ""


def parse_person_name(name: str) -> PersonName | None:
    """The parts of a full person name, or None when it has no first and last name."""
    words = normalise_name(name).replace(",", " ").split()
    suffix = words.pop() if len(words) > 2 and words[-1] in GENERATION_SUFFIXES else ""
    if len(words) < 2 or any(len(w) == 1 for w in (words[0], words[-1])):
        return None
    middle = words[1:-1]
    if any(len(w) > 1 for w in middle):
        return None  # a middle word ("Anna Lopez Ferreira") may be part of the last name
    return PersonName(first=words[0], middle=tuple(middle), last=words[-1], suffix=suffix)


@lru_cache(maxsize=1)
def _nicknamer() -> object:
    from nicknames import NickNamer

    return NickNamer()


def is_given_name(word: str) -> bool:
    """Whether the nickname list knows `word` as a given name or a nickname of one."""
    namer = _nicknamer()
    word = word.casefold()
    return bool(namer.nicknames_of(word) or namer.canonicals_of(word))  # type: ignore[attr-defined]


def _first_names_match(a: str, b: str) -> bool:
    if a == b:
        return True
    namer = _nicknamer()
    of_a, of_b = namer.nicknames_of(a), namer.nicknames_of(b)  # type: ignore[attr-defined]
    if b in of_a or a in of_b:
        return True
    # A pet name's ending is spelt several ways ("Debby", "Debbi", "Debbie"); the list knows one.
    return any(_same_pet_name(n, b) for n in of_a) or any(_same_pet_name(n, a) for n in of_b)


def _same_pet_name(a: str, b: str) -> bool:
    """Two spellings of one pet name: both end in -y, -i, -ie or -ey, on the same stem."""
    stem_a, stem_b = _pet_stem(a), _pet_stem(b)
    return stem_a is not None and stem_a == stem_b


def _pet_stem(name: str) -> str | None:
    """A pet name without its -y, -i, -ie or -ey ending ("debby", "debbi" -> "debb"), or None."""
    for ending in ("ie", "ey", "y", "i"):
        if name.endswith(ending) and len(name) - len(ending) >= 3:
            return name[: -len(ending)]
    return None


def same_person_name(a: PersonName, b: PersonName, *, bare_is_relative: bool = False) -> bool:
    """Whether two parsed names are forms of one name. `bare_is_relative`: the form without a
    suffix is described as someone's relative, so it does not join a suffixed form."""
    if a.last != b.last or not _first_names_match(a.first, b.first):
        return False
    if a.middle and b.middle and a.middle != b.middle:
        return False
    if a.suffix != b.suffix:
        return not (a.suffix and b.suffix) and not bare_is_relative
    return True


def fuller(a: str, b: str) -> str:
    """The form that says more: more words, then the longer text (stable for equal forms)."""
    return max((a, b), key=lambda n: (len(n.split()), len(n), n))
