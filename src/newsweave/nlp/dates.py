"""Time expressions in English news text, normalised to TIMEX3 values (a rule-based tagger).

Patterns of English time language are regexes compiled once at import. For speed they run on the
lower-cased text and only in short windows around their trigger words (a month, a unit, a
four-digit number...), which one scan finds. Overlapping matches are settled longest first, then
each expression is resolved in reading order against the publication date (the anchor). Reading
order matters: "the next day" follows the last date the text mentioned, and "a year earlier" takes
the granularity of the period just discussed (a quarter, in results stories).

Where a bare month, day or weekday could point either way, the choice is a reader's: close to the
anchor the nearest occurrence; further off, the tense of the words around it ("will", "expires",
"was held", "said Tuesday"), and past narration looks back. Values follow TimeBank's conventions
(TempEval-3), on whose data `newsweave.evaluation.timex` scores this module.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from heapq import heappop, heappush
from typing import Literal

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

TimexType = Literal["DATE", "TIME", "DURATION", "SET"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeExpression:
    """One time expression: where it is, what it says, and its TIMEX3 normalisation."""

    start: int
    end: int
    text: str
    value: str
    type: TimexType
    mod: str | None = None


# --- vocabulary --------------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6,
    "sun": 6,
}  # fmt: skip
_SMALL = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a hundred": 100, "dozen": 12, "a dozen": 12, "half a": 0.5, "a couple of": 2,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "thirty-first": 31,
}  # fmt: skip
# Duration units as TIMEX3 writes them: (letter, is a time unit, multiplier).
_UNITS = {
    "second": ("S", True, 1), "minute": ("M", True, 1), "hour": ("H", True, 1), "day": ("D", False, 1),
    "night": ("D", False, 1), "week": ("W", False, 1), "month": ("M", False, 1), "year": ("Y", False, 1),
    "quarter": ("Q", False, 1), "decade": ("Y", False, 10), "century": ("Y", False, 100),
    "centurie": ("Y", False, 100), "weekend": ("D", False, 2),
}  # fmt: skip
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}
_APPROX = {
    "about": "APPROX", "around": "APPROX", "approximately": "APPROX", "roughly": "APPROX", "some": "APPROX",
    "nearly": "EQUAL_OR_LESS", "almost": "LESS_THAN", "less than": "LESS_THAN", "under": "LESS_THAN",
    "more than": "MORE_THAN", "over": "MORE_THAN", "at least": "EQUAL_OR_MORE", "up to": "EQUAL_OR_LESS",
    "no more than": "EQUAL_OR_LESS", "within": "EQUAL_OR_LESS", "at most": "EQUAL_OR_LESS",
}  # fmt: skip
_POSITION_MOD = {
    "early": "START", "earlier": "START", "the beginning of": "START", "the start of": "START",
    "late": "END", "later": "END", "the end of": "END", "mid": "MID", "the middle of": "MID",
}  # fmt: skip

_MONTH_WORD = (
    r"(?:(?:january|february|march|april|may|june|july|august|september|october|november|december)\b"
    r"|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?:\.|\b))"
)
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day)"
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_ONES = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
_NUM_WORD = rf"(?:{_TENS}(?:[- ]{_ONES})?|{_TEENS}|{_ONES}|(?:a )?hundred|(?:a )?dozen|a couple of|half a)"
_NUM = rf"(?:\d+(?:\.\d+)?(?: 1/2)?|{_NUM_WORD}|an?)"
_VAGUE = r"(?:a few|few|several|many|some|the|recent|coming|past|the past few|the next few|the last few)"
_UNIT = r"(?:second|minute|hour|day|night|week|month|year|quarter|decade|centur(?:y|ie)|weekend)"
_MOD = (
    r"(?:about|around|approximately|roughly|nearly|almost|less than|more than|over(?!\s+the\b)|under"
    r"|at least|up to|no more than|within|at most)"
)
_ORD = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
_ORD_DAY = (
    r"(?:(?:twenty-)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    r"|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)"
    r"|thirty-first)"
)
_POS = r"(?:early|late|mid|the (?:beginning|start|end|middle) of)"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
# A year is not followed by more digits, a percent sign or a counted noun ("2000 workers").
_YEAR_OK = (
    r"(?![\d%]|[.,]\d|-\d{3}|\s*(?:percent|per cent|people|workers|troops|members|employees|votes|tons"
    r"|miles|feet|km|kilometers|meters|barrels|shares|units|cars|jobs|homes|seats))"
)
_SPOKEN_YEAR = (
    rf"(?:nineteen[- ](?:{_TENS}(?:[- ]{_ONES})?|{_TEENS}|hundred(?: and {_ONES})?)"
    rf"|two thousand(?: and (?:{_ONES}|{_TEENS}|{_TENS}(?:[- ]{_ONES})?))?"
    rf"|twenty[- ](?:{_TEENS}|{_TENS}(?:[- ]{_ONES})?))"
)
_TZ = r"(?:\s+(?:[ecmp][sd]?t|gmt|utc|bst|cet|cest|ist|jst|aest|local time)\b)?"
_AMPM = r"(?:a\.m\.?|p\.m\.?|am\b|pm\b)"


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _rx(pattern: str) -> re.Pattern[str]:
    """The patterns run on lower-cased text (much faster than IGNORECASE); guards that care about
    case look at the original text at the same offsets. A leading word boundary gets a one-character
    lookahead before it, which lets the engine skip non-starting positions about three times faster."""
    if pattern.startswith(r"\b"):
        pattern = r"(?=[a-z0-9'])" + pattern
    return re.compile(pattern)


_ISO = _rx(r"\b(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[T ](?P<h>[0-2]\d):(?P<mi>[0-5]\d))?\b")
_SLASH = _rx(r"(?<![\d/])(?P<m>[01]?\d)/(?P<d>[0-3]?\d)/(?P<y>\d{4}|\d{2})(?![\d/])")
_MONTH_DAY = _rx(
    rf"\b(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<wk>the\s+week\s+of\s+)?(?:(?P<rel>last|next|this)\s+)?"
    rf"(?P<m>{_MONTH_WORD})\s*(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b"
    rf"(?:\s*(?:-|–|to|through|until)\s*(?:(?P<m2>{_MONTH_WORD})\s*)?(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b)?"
    rf"(?:,?\s+(?P<y>{_YEAR})\b)?(?!\s*(?:percent|%|billion|million))"
)
_MONTH_ORD = _rx(rf"\b(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<m>{_MONTH_WORD})\s+(?:the\s+)?(?P<o>{_ORD_DAY})\b")
_DAY_MONTH = _rx(
    rf"\b(?:(?P<wd>{_WEEKDAY}),?\s+)?(?:the\s+)?(?:(?P<d>[0-3]?\d)(?:st|nd|rd|th)?|(?P<o>{_ORD_DAY})(?=\s+of\b))"
    rf"(?:\s*(?:-|–|to)\s*(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?)?\s+(?:of\s+)?(?P<m>{_MONTH_WORD})"
    rf"(?:,?\s+(?P<y>{_YEAR})\b)?"
)
_MONTH_YEAR = _rx(
    rf"\b(?:(?P<pos>{_POS})[- ]?\s*)?(?P<m>{_MONTH_WORD})"
    rf"(?:,?\s+(?:of\s+)?(?:(?P<y>{_YEAR})\b|(?P<sy>{_SPOKEN_YEAR})\b)"
    r"|\s+(?:of\s+)?(?P<rel>last|this|next) year\b)"
)
_MONTH_ALONE = _rx(
    rf"\b(?:(?P<pos>{_POS})[- ]?\s*)?(?:(?P<rel>last|next|this|this past|this coming)\s+)?"
    rf"(?P<m>{_MONTH_WORD})(?![-'’](?!s\b)\w)"
)
_YEAR_RX = _rx(
    r"(?<![\w$£€#.,/-])"
    rf"(?:(?P<pos>{_POS}|the (?:first|second|last|latter) half of|fiscal(?: year)?)[- ]?\s*)?"
    rf"(?P<y>{_YEAR}){_YEAR_OK}"
    rf"(?:\s*(?:-|–|to|through)\s*(?P<y2>{_YEAR}|\d\d)\b{_YEAR_OK})?"
    rf"(?P<after>\s+(?:or later|and beyond|or earlier))?"
)
_YEAR_RANGE = _rx(
    rf"\b(?:from|between)\s+(?P<y>{_YEAR})\s+(?:to|and|until|through)\s+(?P<y2>{_YEAR})\b{_YEAR_OK}"
)
_SPOKEN = _rx(rf"\b(?:the (?:year )?)?(?P<s>{_SPOKEN_YEAR})\b(?![- ](?:years?|days?|people|dollars|percent))")
_DECADE = _rx(
    rf"\b(?:the\s+)?(?:(?P<pos>{_POS})[- ]?\s*)?"
    r"(?:(?P<y>1[0-9]\d0|20\d0)'?s|'(?P<yy>\d0)s"
    r"|(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b"
)
_CENTURY = _rx(
    r"\b(?:the\s+)?(?:(?P<pos>early|late|mid)[- ])?"
    r"(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<o>[a-z]+-?[a-z]*?(?:st|nd|rd|th)))[- ]century\b"
)
_WEEKDAY_RX = _rx(
    r"\b(?:(?P<pos>early|late|earlier|later)\s+)?"
    r"(?:(?P<rel>last|next|this|this coming|this past|the previous|the following|the preceding)\s+)?"
    rf"(?P<wd>{_WEEKDAY})(?P<poss>['’]s)?(?:\s+(?P<part>morning|afternoon|evening|night))?\b"
)
_DAY_WORD = _rx(
    r"\b(?:(?P<pos>early|late|earlier|later)\s+)?"
    r"(?P<w>the day before yesterday|the day after tomorrow|yesterday|today|tomorrow|tonight)"
    r"(?P<poss>['’]s)?(?:\s+(?P<part>morning|afternoon|evening|night))?\b"
)
_PART_OF_DAY = _rx(
    r"\b(?:(?P<pos>early|late|earlier|later)\s+)?"
    r"(?:(?P<rel>this|last|that|the next|the following|the previous)\s+)?"
    r"(?P<part>morning|afternoon|evening|night)\b|\b(?P<ov>overnight)\b"
)
_ANAPHOR_DAY = _rx(
    r"\b(?:(?P<pos>earlier|later)\s+)?(?:the\s+(?P<rel>next|following|previous|preceding|same)\s+day|"
    r"that(?P<same> same)?\s+day|the\s+day\s+(?P<ba>before|after))\b"
)
_CLOCK = _rx(
    r"\b(?:(?P<mod>about|around|approximately|at about|shortly after|shortly before|just after"
    r"|just before)\s+)?"
    rf"(?:(?P<h>[01]?\d)(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>{_AMPM})"
    r"|(?P<h24>[0-2]\d):(?P<m24>[0-5]\d)(?![\d:])|(?P<word>noon|midnight|midday)"
    r"|(?P<hw>[01]?\d) (?:o'clock )?in the (?P<pw>morning|afternoon|evening))"
    rf"{_TZ}(?:,?\s+(?:on\s+)?(?:(?P<wd>{_WEEKDAY})|(?P<dw>yesterday|today|tomorrow)"
    rf"|(?P<mo>{_MONTH_WORD})\s*(?P<md>[0-3]?\d)\b))?"
)
_QUARTER = _rx(
    r"\b(?:(?P<det>the|its|their|this|that|a|last year's|this year's|next year's)\s+)?"
    rf"(?P<q1>(?:(?:latest|current|comparable|same|year-ago|year-earlier|flat|fiscal|{_YEAR})[- ]+)*)"
    rf"(?:(?P<ord>{_ORD})[- ](?:fiscal[- ])?quarter|(?P<half>first|second)[- ]half"
    r"|(?P<bare>quarter(?!\s+of\b)|period))(?P<pl>s)?\b(?!-)"
    rf"(?:\s+(?:of\s+)?(?:(?P<y>{_YEAR})|(?:fiscal\s+)?(?P<y2>{_YEAR})|(?P<rel>last|this|next) year)\b)?"
    r"(?:\s+(?P<ago>a year (?:ago|earlier)))?"
)
# "Q3", "Q3 2024", "2024 Q3", "H1 2023", "FY2024", "FY24": the business shorthand.
_SHORT_PERIOD = _rx(
    rf"\b(?:(?P<y1>{_YEAR})\s+)?(?P<kind>[qh])(?P<n>[1-4])\b(?:\s*(?:fy\s*)?(?P<y>{_YEAR}|'\d\d))?"
    r"|\bfy\s?(?P<fy>\d{4}|\d{2})\b"
)
_RELATIVE = _rx(
    r"\b(?:(?P<pos>early|late|mid|earlier|later|the end of|the beginning of|the start of|the middle of"
    r"|the rest of)[- ]?\s*(?:in\s+)?)?"
    r"(?P<rel>last|this|next|this past|this coming|the past|the last|the next|the coming|the previous"
    r"|the following|the current|the same|that|the latest|the preceding|the|a|its)\s+"
    r"(?:(?P<fiscal>fiscal|calendar|full)\s+)?"
    r"(?P<unit>week|month|year|quarter|weekend|decade|century|spring|summer|fall|autumn|winter)"
    r"(?P<poss>['’]s)?\b(?!-|\s+(?:old|earlier|ago|or so|and a half))"
    r"(?:\s+(?P<ago>ago|earlier))?"
)
_YEAR_AGO_ADJ = _rx(
    r"\b(?:the\s+)?(?:comparable\s+|corresponding\s+)?year-(?:earlier|ago)\b(?!\s+(?:quarter|period)\b)"
)
_YEAR_END = _rx(r"\b(?:(?P<mod>around|about)\s+)?(?:the\s+)?year(?:-|\s+|['’]s\s+)end\b")
_HOLIDAY = _rx(
    r"\b(?:(?P<rel>last|next|this)\s+)?"
    r"(?P<h>christmas eve|christmas(?: day)?|new year['’]s (?:eve|day)|thanksgiving(?: day)?"
    r"|easter(?: sunday| monday)?|independence day|election day|labor day|memorial day|valentine['’]s day"
    r"|halloween|boxing day|good friday|veterans day)\b"
    r"(?!\s+(?:week|season|holiday|weekend|break|dinner|sale|shopping)\b)"
)
_IN_THE_DAY = _rx(r"(?<=\bin )the (?P<part>day|morning|afternoon|evening)\b(?!\s+(?:of|before|after|when)\b)")
_PLURAL_SPAN = _rx(
    r"(?<=\bthe )(?P<u>days|weeks|months|years)(?=\s+(?:before|after|that followed|since|leading up)\b)"
)
_SEASON = _rx(
    r"\b(?:(?P<pos>early|late|mid)[- ]?)?(?:the\s+)?(?P<s>spring|summer|fall|autumn|winter)"
    r"(?:\s+(?:of\s+)?(?P<y>(?:1[6-9]|20)\d\d))?\b"
)
_DURATION = _rx(
    rf"\b(?:(?P<mod>{_MOD})\s+)?"
    r"(?:(?P<det>the\s+(?:past|last|next|first|coming|previous|following|final|latest|remaining|same)\s+"
    r"|(?:past|last|next|the(?!\s+[\w.]+-)|another|each\s+of\s+the\s+past|each\s+of\s+the\s+last)\s+)?)?"
    rf"(?P<num>{_NUM}|{_VAGUE})"
    r"(?:\s+(?:more|additional|straight|consecutive|full|long|trading|business|calendar))?(?:[- ]|\s+)"
    rf"(?P<unit>{_UNIT})(?P<pl>s)?\b(?!-old|-year|\s+old)(?:-long)?(?P<tail>\s+or so)?"
    r"(?:\s+(?P<ago>ago|earlier|from now|hence|before that)\b)?"
)
_FRACTION_DURATION = _rx(
    rf"\b(?:(?P<mod>{_MOD})\s+)?(?:(?P<num>an?|one|\d+) (?P<unit>hour|minute|year|month)s? and a half"
    rf"|(?P<num2>{_NUM_WORD}|\d+) and a half (?P<unit2>hour|minute|year|month|day|week)s)\b"
)
_SET = _rx(
    r"\b(?:(?P<ev>every|each|per)\s+(?:other\s+)?"
    r"(?P<u>day|week|month|year|quarter|hour|minute|morning|night|evening|afternoon|weekend"
    rf"|{_WEEKDAY}|{_MONTH_WORD}|spring|summer|fall|autumn|winter)"
    r"|(?P<ly>daily|weekly|monthly|annually|yearly|hourly|quarterly|nightly|biannually|semiannually)"
    r"|(?P<times>once|twice|three times|four times)\s+(?:a|an|per)\s+(?P<u2>day|week|month|year|hour)"
    r"|(?P<wdpl>(?:mon|tues|wednes|thurs|fri|satur|sun)days)(?:\s+(?P<part>mornings|nights|evenings|afternoons))?)\b"
)
_REF = _rx(
    r"\b(?P<w>right now|just now|now|currently|nowadays|these days|at present|at the moment|the present"
    r"|more recently|most recently|recently|lately|formerly|the recent past"
    rf"|the past(?!\s+(?:\d|few|several|many|{_NUM_WORD}))"
    r"|the near future|the future|the distant future|the near term|the short term|the long term"
    r"|(?:in\s+)?(?:recent|past) (?:years|months|weeks|days|decades)"
    r"|(?:the\s+)?coming (?:years|months|weeks|days|decades)"
    r"|the (?:years|months|weeks|days) ahead|future (?:years|quarters|months)|as soon as possible)\b"
)

_FUTURE_CUE = _rx(
    r"(?:\b(?:will|won't|shall|going to|scheduled to|expected to|expects to|plans? to|planned to|planning to|"
    r"intends? to|is to|are to|due to|upcoming|set to|set for|tomorrow|hopes? to|aims? to|would|"
    r"scheduled|slated|planned|plans|planning|might|could|should|"
    r"next (?:week|month|year|spring|summer|fall|autumn|winter))\b|'ll\b)"
)
_CLAUSE_BREAK = _rx(r"[,;]|\s(?:that|which|who|saying|when|because|but|after|before|while)\s")
_REPORTED = _rx(r"\b(?:said|told|announced|reported|added|stated|declared)\s+(?:on\s+)?$")
_PAST_CUE = _rx(
    r"\b(?:was|were|had|did|didn't|wasn't|weren't|hadn't|ago|last|yesterday|earlier|previously)\b"
)
_FUNCTION_WORDS = _words(
    "on in at of the a an from during since around about before after as early late mid be been being is are "
    "am also again only just then first"
)  # fmt: skip
_PASSIVE_AUX = _words("be been being is are am to")
# Prepositions that point ahead only when nothing else in the sentence says which way.
_WEAK_FUTURE = _words("by until till through to")
# Words just before a date that say which way it lies: "was arrested in", "expires", "payable".
_NEAR_FUTURE = _words(
    "will 'll expire expires due effective payable scheduled starting beginning next upcoming soon ahead "
    # A present tense before a date is a timetable: "polls open on Tuesday", "the trial resumes Monday".
    "open opens begin begins start starts resume resumes close closes end ends meet meets "
    "arrive arrives return returns"
)  # fmt: skip
_NEAR_PAST = _words(
    "was were had did since began came took made met fell rose won lost left held hit saw got went gave led "
    "sold bought paid became ran struck broke grew shot spent found chose drew fled flew fought kept knew "
    "sent spoke stood wrote quit set last ago"
)  # fmt: skip
_NOT_PAST = _words(
    "need feed speed seed bed red indeed proceed exceed succeed hundred united based limited related "
    "expected scheduled planned interested concerned used supposed required allowed proposed continued "
    "proceed embed shed wed"
)  # fmt: skip
_CLAUSE_STOP = re.compile(r"[.;:!?\"“”()]|,\s")
_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"'“‘(]?[A-Z0-9])|\n\s*\n")
_NEWSPAPER = _rx(
    r"\s+(?:Times|Telegraph|Express|Mirror|Post|Herald|Tribune|Independent|Mail|Star|Sport|World|Age"
    r"|Night Football)\b"
)
_MODAL_AFTER = _rx(
    r"\s+(?:not|be|have|also|well|never|still|just|only|soon|even|already|help|want|need|lead|take|make|"
    r"come|go|get|find|see|seem|face|become|use|cause|affect|allow|include|result|"
    r"[a-z]+ly)\b"
)
_ABBREVIATIONS = _words("jan feb mar apr jun jul aug sep sept oct nov dec")
_NAME_AFTER = re.compile(r"\s+[A-Z][a-z]")
_MONTH_CONTEXT_BEFORE = _rx(
    r"(?:\b(?:in|since|until|till|by|from|to|through|during|before|after|of|last|next|this|early|late|mid|"
    r"between|and|or|on|as of|end of|beginning of|middle of|start of|the)\s+|mid-)$",
)


# --- the resolver: anchor, reference point and reading-order state -----------------------------


@dataclass(slots=True)
class _State:
    anchor: date | None
    text: str
    low: str  # the text lower-cased, same offsets: the cue patterns run on it
    last_day: date | None = None  # the last day-precise date mentioned, for "the next day"
    last_value: str | None = None  # the last DATE value, for "a year earlier" and "that quarter"
    shifted: bool = False  # the value just made is a comparison ("a year earlier"), not the topic
    explicit: list[date] = field(default_factory=list)

    def now(self) -> date | None:
        """The point relative expressions count from: the anchor, else the last explicit date read."""
        if self.anchor is not None:
            return self.anchor
        return self.explicit[-1] if self.explicit else None


_Parsed = tuple[str, TimexType, str | None]
_Handler = Callable[[re.Match[str], _State], _Parsed | None]


def _num(word: str) -> float | None:
    w = word.lower().strip().replace("-", " ")
    if not w:
        return None
    if w[0].isdigit():
        if w.endswith(" 1/2"):
            return float(w[:-4]) + 0.5
        return float(w)
    if w in _SMALL:
        return _SMALL[w]
    parts = w.split()
    if len(parts) == 2 and parts[0] in _SMALL and parts[1] in _SMALL:
        return _SMALL[parts[0]] + _SMALL[parts[1]]
    return None


def _ordinal(word: str) -> int | None:
    w = word.lower()
    if w.startswith(("twenty-", "thirty-")):
        rest = _ORDINALS.get(w.split("-", 1)[1])
        return (20 if w[1] == "w" else 30) + rest if rest and rest < 10 else None
    return _ORDINALS.get(w)


def _spoken_year(words: str) -> int | None:
    w = words.lower().replace("-", " ").replace(" and ", " ").split()
    if w[:2] == ["two", "thousand"]:
        rest = _num(" ".join(w[2:])) if w[2:] else 0
        return 2000 + int(rest) if rest is not None else None
    if w[0] in ("nineteen", "twenty"):
        century = 1900 if w[0] == "nineteen" else 2000
        tail = w[2:] if w[1:2] == ["hundred"] else w[1:]
        rest = _num(" ".join(tail)) if tail else 0
        return century + int(rest) if rest is not None and rest < 100 else None
    return None


def _ymd(d: date) -> str:
    return d.isoformat()


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _pos_mod(pos: str | None) -> str | None:
    if not pos:
        return None
    return _POSITION_MOD.get(pos.lower().rstrip("- "))


def _month_no(word: str) -> int:
    return _MONTHS[word.lower().rstrip(".")]


def _sentence(state: _State, start: int, end: int) -> tuple[int, int]:
    text = state.text
    lo = max(0, start - 200)
    left = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        left = m.end()
    stop = _SENTENCE_END.search(text, end, min(len(text), end + 200))
    return left, (stop.start() if stop else min(len(text), end + 200))


def _near_tense(state: _State, start: int) -> Literal["past", "future"] | None:
    """The tense the few words before a span give it ("was held on", "expires", "until")."""
    before = state.low[max(0, start - 50) : start]
    stops = list(_CLAUSE_STOP.finditer(before))
    if stops:
        before = before[stops[-1].end() :]
    words = [w.strip("'’\"") for w in before.split()[-6:]]
    for i in range(len(words) - 1, max(-1, len(words) - 6), -1):
        word = words[i]
        if i > 0 and words[i - 1] in _PASSIVE_AUX:
            continue  # "will be paid", "is expected": a participle, not a past tense
        if word in _WEAK_FUTURE:
            return None
        if word in _NEAR_FUTURE:
            return "future"
        if word in _NEAR_PAST or (len(word) > 4 and word.endswith("ed") and word not in _NOT_PAST):
            return "past"
        if word not in _FUNCTION_WORDS:
            return None  # a content word between: "an unspecified date in January" says nothing
    return None


def _verb_after(state: _State, end: int) -> Literal["past", "future"] | None:
    """The verb right after a date that is the subject: "Dec. 31 is the deadline", "Monday was calm"."""
    found = _VERB_AFTER.match(state.low, end)
    if not found:
        return None
    return "past" if found.group(1) in ("was", "were", "had") else "future"


_VERB_AFTER = re.compile(r"(?:['’]s)?\s+(is|are|will|was|were|had)\b")


def _tense(state: _State, start: int, end: int) -> Literal["past", "future"] | None:
    """The tense around a span: the words just before it, else the nearest cue in its sentence."""
    near = _near_tense(state, start) or _verb_after(state, end)
    if near:
        return near
    left, right = _sentence(state, start, end)
    low = state.low
    if _REPORTED.search(low, max(left, start - 20), start):
        return "past"  # "said Tuesday": the saying is past, whatever the quote goes on to say
    # What follows a clause break ("..., saying it will") belongs to another verb.
    cut = _CLAUSE_BREAK.search(low, end, right)
    right = cut.start() if cut else right
    for cut in _CLAUSE_BREAK.finditer(low, left, start):
        left = cut.end()
    best: tuple[int, Literal["past", "future"]] | None = None
    for rx, label in ((_FUTURE_CUE, "future"), (_PAST_CUE, "past")):
        for m in rx.finditer(low, left, right):
            if start <= m.start() < end:
                continue
            dist = start - m.end() if m.end() <= start else 2 * (m.start() - end)
            if best is None or dist < best[0]:
                best = (dist, label)  # type: ignore[assignment]
    if best is None and _weak_future(state, start):
        return "future"
    return best[1] if best else None


def _weak_future(state: _State, start: int) -> bool:
    words = state.low[max(0, start - 12) : start].split()
    return bool(words) and words[-1] in _WEAK_FUTURE


# Within about two months of the anchor the nearest occurrence is what a reader takes, whatever the tense.
_NEAR_DAYS = 62


def _pick_year(month: int, day: int | None, ref: date, tense: str | None, *, lean_past: bool = False) -> int:
    """The year a reader gives a month (and day) with no year.

    The nearest occurrence when it is close; further off, the tense decides, and with no tense
    a bare month leans to the past (news narrates what happened).
    """
    probe = day or 15
    candidates = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            candidates.append(date(y, month, min(probe, 28) if day is None else probe))
        except ValueError:
            candidates.append(date(y, month, 28))
    same = candidates[1]
    if day is None and month == ref.month:
        return ref.year
    nearest = min(candidates, key=lambda c: (abs((c - ref).days), c > ref))
    if abs((nearest - ref).days) <= _NEAR_DAYS:
        return nearest.year
    if tense == "future" and nearest < ref:
        return same.year if same >= ref else ref.year + 1
    if (tense == "past" or (tense is None and lean_past)) and nearest > ref:
        return same.year if same <= ref else ref.year - 1
    return nearest.year


def _weekday_date(wd: int, ref: date, rel: str | None, tense: str | None) -> date:
    delta = wd - ref.weekday()
    if rel in ("next", "this coming", "the following"):
        return ref + timedelta(days=delta if delta > 0 else delta + 7)
    if rel in ("last", "this past", "the previous", "the preceding"):
        return ref + timedelta(days=delta if delta < 0 else delta - 7)
    if delta == 0:
        return ref
    if tense == "future":
        return ref + timedelta(days=delta if delta > 0 else delta + 7)
    return ref + timedelta(days=delta if delta < 0 else delta - 7)


def _shift(value: str, years: int) -> str | None:
    """A DATE value moved by whole years ("1989-Q3" → "1988-Q3"), keeping its granularity."""
    if len(value) >= 4 and value[:4].isdigit():
        return f"{int(value[:4]) + years:04d}{value[4:]}"
    return None


# --- handlers: one per pattern, each turning a match into (value, type, mod) -------------------


def _iso(m: re.Match[str], st: _State) -> _Parsed | None:
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    try:
        day = date(y, mo, d)
    except ValueError:
        return None
    st.explicit.append(day)
    st.last_day = day
    if m["h"]:
        return f"{_ymd(day)}T{m['h']}:{m['mi']}", "TIME", None
    return _ymd(day), "DATE", None


def _slash(m: re.Match[str], st: _State) -> _Parsed | None:
    y = int(m["y"])
    y = y + (2000 if y < 50 else 1900) if y < 100 else y
    a, b = int(m["m"]), int(m["d"])
    mo, d = (a, b) if a <= 12 else (b, a)  # a first number over 12 must be a day (15/3/2024)
    try:
        day = date(y, mo, d)
    except ValueError:
        return None
    st.explicit.append(day)
    st.last_day = day
    return _ymd(day), "DATE", None


def _month_day(m: re.Match[str], st: _State) -> _Parsed | None:
    mo, d = _month_no(m["m"]), int(m["d"])
    if not 1 <= d <= 31:
        return None
    return _resolve_month_day(m, st, mo, d, int(m["d2"]) if m.groupdict().get("d2") else None)


def _resolve_month_day(m: re.Match[str], st: _State, mo: int, d: int, d2: int | None) -> _Parsed | None:
    ref = st.now()
    y_text = m.groupdict().get("y")
    if y_text:
        y: int | None = int(y_text)
    elif ref is not None:
        # A day and month: the nearest occurrence, unless "last" or "next" says which way.
        rel = (m.groupdict().get("rel") or "").lower()
        tense = "past" if rel == "last" else "future" if rel == "next" else _tense(st, m.start(), m.end())
        y = _pick_year(mo, d, ref, tense)
    else:
        y = None
    mo2 = _month_no(m["m2"]) if m.groupdict().get("m2") else mo
    if y is None:
        value = f"XXXX-{mo:02d}-{d:02d}"
        if d2 is not None:
            value += f"/XXXX-{mo2:02d}-{d2:02d}"
        return value, "DATE", None
    try:
        day = date(y, mo, d)
        day2 = date(y, mo2, d2) if d2 is not None else None
    except ValueError:
        return None
    if y_text:
        st.explicit.append(day2 or day)
    st.last_day = day2 or day
    if m.groupdict().get("wk"):
        return _week(day), "DATE", None
    if day2 is not None and day2 > day:
        return f"{_ymd(day)}/{_ymd(day2)}", "DATE", None
    return _ymd(day), "DATE", None


def _month_ord(m: re.Match[str], st: _State) -> _Parsed | None:
    d = _ordinal(m["o"])
    if d is None:
        return None
    return _resolve_month_day(m, st, _month_no(m["m"]), d, None)


def _day_month(m: re.Match[str], st: _State) -> _Parsed | None:
    d = int(m["d"]) if m["d"] else _ordinal(m["o"]) or 0
    if not 1 <= d <= 31:
        return None
    return _resolve_month_day(m, st, _month_no(m["m"]), d, int(m["d2"]) if m["d2"] else None)


def _month_year(m: re.Match[str], st: _State) -> _Parsed | None:
    mo = _month_no(m["m"])
    if m["y"] or m["sy"]:
        y = int(m["y"]) if m["y"] else _spoken_year(m["sy"]) or 0
    else:
        ref = st.now()
        if ref is None:
            return f"XXXX-{mo:02d}", "DATE", _pos_mod(m["pos"])
        y = ref.year + {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    return _ym(y, mo), "DATE", _pos_mod(m["pos"])


def _month_alone(m: re.Match[str], st: _State) -> _Parsed | None:
    mo = _month_no(m["m"])
    ref = st.now()
    mod = _pos_mod(m["pos"])
    if ref is None:
        return f"XXXX-{mo:02d}", "DATE", mod
    rel = (m["rel"] or "").lower()
    if rel in ("last", "this past"):
        # "last February" in March means a year ago: the month just gone would be "last month".
        y = ref.year if mo < ref.month - 1 else ref.year - 1
    elif rel in ("next", "this coming"):
        y = ref.year if mo > ref.month else ref.year + 1
    elif rel == "this":
        y = ref.year
    else:
        y = _pick_year(mo, None, ref, _tense(st, m.start(), m.end()), lean_past=True)
    return _ym(y, mo), "DATE", mod


def _year(m: re.Match[str], st: _State) -> _Parsed | None:
    y = int(m["y"])
    pos = (m["pos"] or "").lower()
    if m["y2"]:
        y2 = int(m["y2"]) if len(m["y2"]) == 4 else y // 100 * 100 + int(m["y2"])
        if y2 <= y:
            return None
        return f"{y}/{y2}", "DATE", None
    if pos.startswith("the first half"):
        return f"{y}-H1", "DATE", None
    if pos.startswith(("the second half", "the last half", "the latter half")):
        return f"{y}-H2", "DATE", None
    after = (m["after"] or "").strip().lower()
    mod = {"or later": "ON_OR_AFTER", "and beyond": "ON_OR_AFTER", "or earlier": "ON_OR_BEFORE"}.get(after)
    st.last_value = str(y)
    return str(y), "DATE", mod or _pos_mod(pos)


def _year_range(m: re.Match[str], st: _State) -> _Parsed | None:
    y, y2 = int(m["y"]), int(m["y2"])
    return (f"{y}/{y2}", "DATE", None) if y2 > y else None


def _spoken(m: re.Match[str], st: _State) -> _Parsed | None:
    y = _spoken_year(m["s"])
    if y is None or not 1100 <= y <= 2099:
        return None
    return str(y), "DATE", None


_DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
}  # fmt: skip


def _decade(m: re.Match[str], st: _State) -> _Parsed | None:
    if m["y"]:
        stem = m["y"][:3]
    elif m["yy"]:
        stem = f"19{m['yy'][0]}"
    else:
        if not m.group(0).lower().startswith("the"):
            return None
        stem = f"19{_DECADE_WORDS[m['w'].lower()]}"
    return stem, "DATE", _pos_mod(m["pos"])


def _century(m: re.Match[str], st: _State) -> _Parsed | None:
    n = int(m["n"]) if m["n"] else _ordinal(m["o"])
    if not n or n > 21:
        return None
    return f"{n - 1:02d}", "DATE", _pos_mod(m["pos"])


def _weekday(m: re.Match[str], st: _State) -> _Parsed | None:
    ref = st.now()
    wd = _WEEKDAYS[m["wd"].lower()]
    part = _PARTS.get((m["part"] or "").lower())
    mod = _pos_mod(m["pos"])
    if ref is None:
        return f"XXXX-WXX-{wd + 1}" + (f"T{part}" if part else ""), "TIME" if part else "DATE", mod
    rel = (m["rel"] or "").lower() or None
    day = _weekday_date(wd, ref, rel, None if rel else _tense(st, m.start(), m.end()))
    st.last_day = day
    if part:
        return f"{_ymd(day)}T{part}", "TIME", mod
    return _ymd(day), "DATE", mod


_DAY_OFFSET = {
    "today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
    "the day after tomorrow": 2,
}  # fmt: skip


def _day_word(m: re.Match[str], st: _State) -> _Parsed | None:
    ref = st.now()
    w = m["w"].lower()
    if m["poss"] and _GENERIC_AFTER.match(m.string, m.end()):
        return None  # "today's world": the present age, not the date
    part = _PARTS.get((m["part"] or "").lower()) or ("NI" if w == "tonight" and m["part"] else None)
    mod = _pos_mod(m["pos"])
    if ref is None:
        return "XXXX-XX-XX", "DATE", mod
    day = ref + timedelta(days=_DAY_OFFSET[w])
    st.last_day = day
    if part:
        return f"{_ymd(day)}T{part}", "TIME", mod
    return _ymd(day), "DATE", mod


def _part_of_day(m: re.Match[str], st: _State) -> _Parsed | None:
    ref = st.now()
    if m["ov"]:
        return (f"{_ymd(ref)}TNI" if ref else "XXXX-XX-XXTNI"), "TIME", None
    rel = (m["rel"] or "").lower()
    part = _PARTS[m["part"].lower()]
    if not rel:
        return None
    if rel == "this":
        base = ref
    elif rel == "last":
        base = ref - timedelta(days=1) if ref else None
        if part != "NI":
            return None
    else:
        if st.last_day is None:
            return None
        base = st.last_day + timedelta(
            days={"that": 0, "the next": 1, "the following": 1, "the previous": -1}[rel]
        )
    if base is None:
        return f"XXXX-XX-XXT{part}", "TIME", _pos_mod(m["pos"])
    return f"{_ymd(base)}T{part}", "TIME", _pos_mod(m["pos"])


def _anaphor_day(m: re.Match[str], st: _State) -> _Parsed | None:
    if m["ba"] and _CLAUSE_AFTER.match(st.text, m.end()):
        return None  # "the day before police issued a warrant": a conjunction, not a date
    base = st.last_day or st.now()
    if base is None:
        return "XXXX-XX-XX", "DATE", None
    rel = (m["rel"] or m["ba"] or "").lower()
    offset = {"next": 1, "following": 1, "after": 1, "previous": -1, "preceding": -1, "before": -1}.get(
        rel, 0
    )
    day = base + timedelta(days=offset)
    st.last_day = day
    return _ymd(day), "DATE", _pos_mod(m["pos"])


def _clock(m: re.Match[str], st: _State) -> _Parsed | None:
    if m["word"]:
        w = m["word"].lower()
        hh, mm = (12, 0) if w in ("noon", "midday") else (24, 0)
    elif m["h24"]:
        hh, mm = int(m["h24"]), int(m["m24"])
        if hh > 24:
            return None
        if not (m["wd"] or m["dw"]):
            return None  # a bare "12:30" is too often a score or a ratio
    elif m["hw"]:
        hh, mm = int(m["hw"]), 0
        hh += 12 if m["pw"].lower() != "morning" and hh < 12 else 0
    else:
        hh, mm = int(m["h"]), int(m["mi"] or 0)
        if not 1 <= hh <= 12:
            return None
        pm = m["ap"].lower().startswith("p")
        hh = hh % 12 + (12 if pm else 0)
    ref = st.now()
    if m["wd"] and ref is not None:
        day: date | None = _weekday_date(
            _WEEKDAYS[m["wd"].lower()], ref, None, _tense(st, m.start(), m.end())
        )
    elif m["dw"] and ref is not None:
        day = ref + timedelta(days=_DAY_OFFSET[m["dw"].lower()])
    elif m["mo"] and ref is not None and 1 <= int(m["md"]) <= 31:
        mo, d = _month_no(m["mo"]), int(m["md"])
        try:
            day = date(_pick_year(mo, d, ref, None), mo, d)
        except ValueError:
            return None
    else:
        day = st.last_day or ref
    clock = f"T{hh:02d}:{mm:02d}"
    mod = {"about": "APPROX", "around": "APPROX", "approximately": "APPROX", "at about": "APPROX"}.get(
        (m["mod"] or "").lower()
    )
    return (f"{_ymd(day)}{clock}" if day else f"XXXX-XX-XX{clock}"), "TIME", mod


def _quarter_rx(m: re.Match[str], st: _State) -> _Parsed | None:
    ref = st.now()
    det = (m["det"] or "").lower()
    q1 = (m["q1"] or "").lower()
    if m["bare"] and not (det or q1):
        return None
    if m["bare"] and m["bare"].lower() == "period" and not q1:
        return None  # "the period" alone is too vague; "the latest period", "the 1988 period" are not
    if m["pl"] and not (m["ord"] or m["half"]):
        return None
    y_text = m["y"] or m["y2"] or next((t for t in re.findall(r"\d{4}", q1)), None)
    shift = -1 if ("year-ago" in q1 or "year-earlier" in q1 or det == "last year's" or m["ago"]) else 0
    shift += 1 if det == "next year's" else 0
    if m["rel"]:
        shift += {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    if m["ord"]:
        n = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}[
            m["ord"].lower()
        ]
        unit = f"Q{n}"
    elif m["half"]:
        unit = "H1" if m["half"].lower() == "first" else "H2"
    else:
        return _bare_quarter(st, current=det == "this" or "current" in q1, year=y_text, shift=shift)
    if m["pl"] and not y_text:
        return f"XXXX-{unit}", "SET", None
    if y_text:
        y: int | None = int(y_text) + shift
    elif ref is not None:
        n = int(unit[1]) if unit[0] == "Q" else 2 * int(unit[1]) + 1
        y = (
            ref.year
            if m["rel"] or det in ("this year's", "next year's", "last year's")
            else _period_year(st, m, ref, n)
        ) + shift
    else:
        y = None
    value = f"{y}-{unit}" if y is not None else f"XXXX-{unit}"
    st.shifted = shift < 0
    return value, "DATE", None


def _short_period(m: re.Match[str], st: _State) -> _Parsed | None:
    if m["fy"]:
        y = int(m["fy"])
        return str(y if y > 99 else 2000 + y), "DATE", None
    n = int(m["n"])
    if m["kind"] == "h" and n > 2:
        return None
    unit = f"{m['kind'].upper()}{n}"
    y_text = m["y1"] or m["y"]
    if y_text:
        y = int(y_text[-2:]) + 2000 if y_text.startswith("'") else int(y_text)
        return f"{y}-{unit}", "DATE", None
    ref = st.now()
    if ref is None:
        return f"XXXX-{unit}", "DATE", None
    value = f"{_period_year(st, m, ref, n if m['kind'] == 'q' else 2 * n + 1)}-{unit}"
    st.last_value = value
    return value, "DATE", None


def _period_year(st: _State, m: re.Match[str], ref: date, quarter: int) -> int:
    """The year of a quarter named without one: this year's, unless it has not begun yet and the
    sentence is not looking ahead ("reported a loss in the fourth quarter", read in March)."""
    if quarter > _quarter(ref) and _tense(st, m.start(), m.end()) != "future":
        return ref.year - 1
    return ref.year


def _bare_quarter(st: _State, *, current: bool, year: str | None, shift: int) -> _Parsed:
    """ "The quarter", "the latest quarter", "the year-ago quarter": the quarter the text is
    about (else the last one completed), moved to another year where the words say so."""
    ref = st.now()
    discussed = st.last_value if st.last_value and "-Q" in st.last_value else None
    if current and ref is not None:
        y, q = ref.year, _quarter(ref)
    elif discussed:
        y, q = int(discussed[:4]), int(discussed[-1]) if discussed[-1].isdigit() else 0
    elif ref is not None:
        y, q = ref.year, _quarter(ref) - 1
        if q == 0:
            y, q = y - 1, 4
    else:
        return "XXXX-QX", "DATE", None
    if year:
        y, shift = int(year), 0
    value = f"{y + shift}-Q{q or 'X'}"
    if shift:
        st.shifted = True
    return value, "DATE", None


def _unit_value(ref: date, unit: str, offset: int) -> str:
    if unit == "week":
        return _week(ref + timedelta(weeks=offset))
    if unit == "weekend":
        return _week(ref + timedelta(weeks=offset)) + "-WE"
    if unit == "month":
        d = ref + relativedelta(months=offset)
        return _ym(d.year, d.month)
    if unit == "quarter":
        d = ref + relativedelta(months=3 * offset)
        return f"{d.year}-Q{_quarter(d)}"
    if unit == "decade":
        return str(ref.year // 10 + offset)
    if unit == "century":
        return f"{ref.year // 100 + offset:02d}"
    return str(ref.year + offset)


def _season_value(ref: date, code: str, rel: str) -> str:
    current = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(
        ref.month, "FA"
    )
    start = _SEASON_START[code]
    if rel in ("last", "this past", "the past", "the last", "the previous"):
        y = ref.year - 1 if code == current or start > ref.month else ref.year
    elif rel in ("next", "this coming", "the coming", "the next", "the following"):
        y = ref.year + 1 if code == current or start <= ref.month else ref.year
    else:
        y = ref.year
    return f"{y}-{code}"


_DURATION_RELS = ("the past", "the last", "the next", "the coming", "the first", "the latest", "this past")
_OFFSETS = {
    "last": -1, "the previous": -1, "the preceding": -1, "this past": -1, "next": 1, "the following": 1,
    "the coming": 1, "this coming": 1, "the next": 1,
}  # fmt: skip
_ENDED = re.compile(r"\s+end(?:ed|ing)\b")


def _relative(m: re.Match[str], st: _State) -> _Parsed | None:
    """ "last year", "this month", "the past decade", "early next year", "the year ended...", "that week"."""
    rel, unit = m["rel"].lower(), m["unit"].lower().replace("autumn", "fall")
    pos = (m["pos"] or "").lower()
    mod = None if pos == "the rest of" else _pos_mod(pos)
    ref = st.now()
    if m["ago"] or (
        unit == "weekend" and rel in ("a", "its", "the past", "the last", "the first", "the latest")
    ):
        return None
    if rel in _DURATION_RELS and unit not in _SEASONS and not pos:
        if rel == "the latest" and unit == "quarter":
            return _latest_quarter(st)
        letter, _, mult = _UNITS[unit]
        return f"P{mult}{letter}", "DURATION", None
    if rel in ("a", "its") or (rel == "the" and _BEFORE_AFTER.match(m.string, m.end())):
        return None  # "a year after the war" measures a distance; "the day before" is another pattern
    if rel == "the" and unit == "year" and _ENDED.match(m.string, m.end()):
        return "P1Y", "DURATION", None  # "the year ended Sept. 30": a twelve-month period
    if unit in _SEASONS:
        code = _SEASONS[unit]
        return (_season_value(ref, code, rel) if ref else f"XXXX-{code}"), "DATE", mod
    if rel in ("that", "the same") and st.last_value:
        return _same_unit(st.last_value, unit), "DATE", mod
    if (
        rel == "the"
        and unit != "weekend"
        and not (pos or m["fiscal"] or _FOR_THE.search(m.string, max(0, m.start() - 5), m.start()))
    ):
        return None  # a bare "the year" is too often generic
    if ref is None:
        return ("XXXX" if unit in ("year", "decade", "century") else f"XXXX-{unit[0].upper()}X"), "DATE", mod
    offset = _OFFSETS.get(rel, 0)
    if rel == "last" and unit == "year" and not pos and _compares_quarters(st, m):
        st.shifted = True  # "a loss of $3 million last year", beside this quarter's: the same quarter
        return _shift(st.last_value or "", -1) or str(ref.year - 1), "DATE", mod
    if unit == "weekend":
        return _weekend(st, m, offset), "DATE", mod
    if rel in ("the following", "the previous", "the preceding") and st.last_value:
        shifted = _shift_unit(st.last_value, unit, offset)
        if shifted:
            st.last_value = shifted
            return shifted, "DATE", mod
    value = _unit_value(ref, unit, offset)
    st.last_value = value
    return value, "DATE", mod


def _compares_quarters(st: _State, m: re.Match[str]) -> bool:
    discussed = st.last_value is not None and "-Q" in st.last_value
    return discussed and bool(_COMPARISON.search(m.string, max(0, m.start() - 60), m.start()))


_COMPARISON = re.compile(r"\b(?:compared with|compared to|from|versus|vs\.|against|than)\b[^.;]*$")
_BEFORE_AFTER = re.compile(r"\s+(?:before|after|later)\b")
_FOR_THE = re.compile(r"\bfor\s+$")


def _weekend(st: _State, m: re.Match[str], offset: int) -> str:
    """The weekend meant: this week's when the anchor is on it or the wording looks ahead, else the
    last one."""
    ref = st.now()
    assert ref is not None
    if offset == 0 and ref.weekday() < 5 and _tense(st, m.start(), m.end()) != "future":
        offset = -1
    return _week(ref + timedelta(weeks=offset)) + "-WE"


def _latest_quarter(st: _State) -> _Parsed | None:
    if st.last_value and "-Q" in st.last_value:
        return st.last_value, "DATE", None
    ref = st.now()
    if ref is None:
        return "XXXX-QX", "DATE", None
    q, y = _quarter(ref) - 1, ref.year
    if q == 0:
        q, y = 4, y - 1
    return f"{y}-Q{q}", "DATE", None


def _same_unit(last: str, unit: str) -> str:
    if unit == "year":
        return last[:4]
    if unit == "month" and len(last) >= 7 and last[5:7].isdigit():
        return last[:7]
    return last


def _shift_unit(last: str, unit: str, offset: int) -> str | None:
    if unit == "year" and last[:4].isdigit():
        return str(int(last[:4]) + offset)
    if unit == "month" and len(last) >= 7 and last[:4].isdigit() and last[5:7].isdigit():
        d = date(int(last[:4]), int(last[5:7]), 1) + relativedelta(months=offset)
        return _ym(d.year, d.month)
    return None


def _year_ago_adj(m: re.Match[str], st: _State) -> _Parsed | None:
    """ "year-earlier profit", "the year-ago period": the period under discussion, a year back."""
    if st.last_value and "-Q" in st.last_value:
        shifted = _shift(st.last_value, -1)
    else:
        ref = st.now()
        shifted = str(ref.year - 1) if ref else None
    if shifted is None:
        return "XXXX", "DATE", None
    st.shifted = True
    return shifted, "DATE", None


def _year_end(m: re.Match[str], st: _State) -> _Parsed | None:
    ref = st.now()
    mod = _APPROX.get((m["mod"] or "").lower())
    return (str(ref.year) if ref else "XXXX"), "DATE", mod or "END"


def _holiday_date(name: str, year: int) -> date | None:
    fixed = {
        "christmas eve": (12, 24), "christmas": (12, 25), "christmas day": (12, 25),
        "new year's eve": (12, 31), "new year's day": (1, 1), "independence day": (7, 4),
        "valentine's day": (2, 14), "halloween": (10, 31),
        "boxing day": (12, 26), "veterans day": (11, 11),
    }  # fmt: skip
    if name in fixed:
        return date(year, *fixed[name])
    if name.startswith("easter") or name == "good friday":
        offset = {"easter monday": 1, "good friday": -2}.get(name, 0)
        sunday: date = easter(year)
        return sunday + timedelta(days=offset)
    nth = {
        "thanksgiving": (11, 3, 4), "thanksgiving day": (11, 3, 4), "labor day": (9, 0, 1),
        "election day": (11, 1, 1), "memorial day": (5, 0, -1),
    }  # fmt: skip
    if name not in nth:
        return None
    month, weekday, n = nth[name]
    if name == "election day":
        # The Tuesday after the first Monday of November.
        first_monday = date(year, 11, 1) + timedelta(days=(0 - date(year, 11, 1).weekday()) % 7)
        return first_monday + timedelta(days=1)
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year, month, 31)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _holiday(m: re.Match[str], st: _State) -> _Parsed | None:
    name = m["h"].lower().replace("’", "'")
    ref = st.now()
    if ref is None:
        return "XXXX-XX-XX", "DATE", None
    rel = (m["rel"] or "").lower()
    options = [d for y in (ref.year - 1, ref.year, ref.year + 1) if (d := _holiday_date(name, y))]
    if rel == "last":
        day = max(d for d in options if d < ref)
    elif rel == "next":
        day = min(d for d in options if d > ref)
    elif rel == "this":
        day = options[1]
    else:
        tense = _tense(st, m.start(), m.end())
        if tense == "future":
            day = min(d for d in options if d >= ref)
        elif tense == "past":
            day = max(d for d in options if d <= ref)
        else:
            day = min(options, key=lambda d: abs((d - ref).days))
    st.last_day = day
    return _ymd(day), "DATE", None


def _holiday_guard(m: re.Match[str], text: str) -> bool:
    return text[m.start("h")].isupper()


def _in_the_day(m: re.Match[str], st: _State) -> _Parsed | None:
    """ "later in the day", "in the morning": part of the day last mentioned (else the anchor)."""
    day = st.last_day or st.now()
    part = _PARTS.get(m["part"].lower())
    if day is None:
        return ("XXXX-XX-XX" + (f"T{part}" if part else "")), "TIME" if part else "DATE", None
    if part:
        return f"{_ymd(day)}T{part}", "TIME", None
    return _ymd(day), "DATE", None


def _plural_span(m: re.Match[str], st: _State) -> _Parsed | None:
    return _duration_value(None, m["u"].lower()[:-1]), "DURATION", None


def _season(m: re.Match[str], st: _State) -> _Parsed | None:
    code = _SEASONS[m["s"].lower()]
    if m["y"]:
        return f"{m['y']}-{code}", "DATE", _pos_mod(m["pos"])
    if not m.group(0).lower().startswith(("the", "early", "late", "mid")):
        return None
    ref = st.now()
    value = _season_value(ref, code, "") if ref else f"XXXX-{code}"
    return value, "DATE", _pos_mod(m["pos"])


def _duration_value(n: float | None, unit: str) -> str:
    letter, is_time, mult = _UNITS[unit]
    prefix = "PT" if is_time else "P"
    if n is None:
        return f"{prefix}X{letter}"
    n *= mult
    if n != int(n):
        whole = int(n)
        if unit == "year":
            return f"P{whole}Y6M" if whole else "P6M"
        if unit == "hour":
            return f"PT{whole}H30M" if whole else "PT30M"
        if unit == "minute":
            return f"PT{whole}M30S" if whole else "PT30S"
        if unit == "month":
            return f"P{whole}M15D" if whole else "P15D"
        return f"{prefix}{n:g}{letter}"
    return f"{prefix}{int(n)}{letter}"


def _ago_value(ref: date, n: float, unit: str, sign: int) -> str:
    k = int(n) * sign
    if unit in ("second", "minute", "hour"):
        return _ymd(ref)
    if unit in ("day", "night"):
        return _ymd(ref + timedelta(days=k))
    if unit == "week":
        return _week(ref + timedelta(weeks=k))
    if unit == "month":
        d = ref + relativedelta(months=k)
        return _ym(d.year, d.month)
    if unit == "quarter":
        d = ref + relativedelta(months=3 * k)
        return f"{d.year}-Q{_quarter(d)}"
    mult = _UNITS[unit][2]
    return str(ref.year + k * mult)


_CLAUSE_AFTER = re.compile(r"\s+(?!the\b|a\b|an\b|his\b|her\b|its\b|their\b|that\b|this\b|last\b)[a-z]+")
_GENERIC_AFTER = re.compile(
    r"\s+(?:world|society|youth|young|generation|children|kids|families|standards|technology|computers|"
    r"consumers?|teenagers|women|men|people|culture|economy)\b"
)
_FOR_BEFORE = re.compile(r"\b(?:for|within|over|in|as long as)\s+$")


def _duration(m: re.Match[str], st: _State) -> _Parsed | None:
    unit = m["unit"].lower()
    raw = m["num"].lower()
    if st.text[m.start("unit")].isupper() or (
        unit == "quarter" and re.match(r"-|\s+of\b", m.string[m.end() : m.end() + 4])
    ):
        return None  # "60 Minutes" is a title; "three-quarters of" a fraction
    plural = bool(m["pl"])
    det = (m["det"] or "").strip().lower()
    vague = raw in (
        "a few",
        "few",
        "several",
        "many",
        "some",
        "the",
        "recent",
        "coming",
        "past",
    ) or raw.startswith(("the past few", "the next few", "the last few"))
    n = None if vague else _num(raw)
    if not vague and n is None:
        return None
    if raw in ("the", "recent", "coming", "past", "some", "many") and not m["ago"]:
        return None  # "the year", "recent years": other patterns or no timex
    if raw in ("a", "an") and not (
        m["mod"]
        or det
        or m["ago"]
        or m["tail"]
        or _FOR_BEFORE.search(m.string, max(0, m.start() - 15), m.start())
    ):
        return None  # a bare "a year" is mostly part of a rate ("$5 a year")
    if n is not None and n > 1 and not plural and not re.search(r"[- ]" + unit + r"\b", m.group(0)):
        return None
    if n is not None and n == 1 and plural:
        return None
    mod = _APPROX.get((m["mod"] or "").lower())
    if m["tail"]:
        mod = "APPROX"
    if m["ago"]:
        ago = m["ago"].lower()
        ref = st.now() if ago in ("ago", "from now", "hence") else (st.last_day or st.now())
        if ago in ("before", "after", "before that") and st.last_day is None:
            return _duration_value(n, unit), "DURATION", mod
        if ref is None or n is None:
            return ("PAST_REF" if ago in ("ago", "earlier", "before") else "FUTURE_REF"), "DATE", mod
        sign = -1 if ago in ("ago", "earlier", "before", "before that") else 1
        if n == 1 and unit == "year" and st.last_value and "-Q" in st.last_value:
            shifted = _shift(st.last_value, -1)
            if shifted:
                st.shifted = True
                return shifted, "DATE", mod
        return _ago_value(ref, n, unit, sign), "DATE", mod
    if unit == "weekend":
        return None
    return _duration_value(n, unit), "DURATION", mod


def _fraction_duration(m: re.Match[str], st: _State) -> _Parsed | None:
    n = _num(m["num"] or m["num2"])
    if n is None:
        return None
    unit = (m["unit"] or m["unit2"]).lower()
    return _duration_value(n + 0.5, unit), "DURATION", _APPROX.get((m["mod"] or "").lower())


_SET_LY = {
    "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
    "hourly": "PT1H", "quarterly": "P3M", "biannually": "P6M", "semiannually": "P6M",
}  # fmt: skip


# "daily" stays a SET before a noun too ("daily flights"), as TimeBank annotates it.
_LOWER_WORD = re.compile(r" +[a-z]")
_LY_ADJECTIVES = frozenset({"weekly", "monthly", "quarterly", "yearly", "hourly", "nightly"})


def _set(m: re.Match[str], st: _State) -> _Parsed | None:
    if m["ly"]:
        word = m["ly"].lower()
        if word in _LY_ADJECTIVES and _LOWER_WORD.match(st.text, m.end()):
            return None  # "quarterly dividend": a kind of dividend, not a recurring time
        return _SET_LY[word], "SET", None
    if m["times"]:
        return _duration_value(1, m["u2"].lower()), "SET", None
    if m["wdpl"]:
        wd = _WEEKDAYS[m["wdpl"].lower()[:-1]]
        part = _PARTS.get((m["part"] or "").lower()[:-1])
        if not part:
            return None
        return f"XXXX-WXX-{wd + 1}T{part}", "SET", None
    u = m["u"].lower()
    if m["ev"].lower() == "per" and u not in ("day", "week", "month", "year", "hour"):
        return None
    if u in _UNITS:
        return _duration_value(1, u), "SET", None
    if u in _PARTS:
        return f"TXX{_PARTS[u]}", "SET", None
    if u in _WEEKDAYS:
        return f"XXXX-WXX-{_WEEKDAYS[u] + 1}", "SET", None
    if u in _SEASONS:
        return f"XXXX-{_SEASONS[u]}", "SET", None
    return f"XXXX-{_month_no(u):02d}", "SET", None


_REF_VALUE = {
    "right now": "PRESENT_REF", "just now": "PRESENT_REF", "now": "PRESENT_REF", "currently": "PRESENT_REF",
    "nowadays": "PRESENT_REF", "these days": "PRESENT_REF", "at present": "PRESENT_REF",
    "at the moment": "PRESENT_REF", "the present": "PRESENT_REF", "recently": "PAST_REF",
    "lately": "PAST_REF", "more recently": "PAST_REF", "most recently": "PAST_REF", "the past": "PAST_REF",
    "the recent past": "PAST_REF", "formerly": "PAST_REF", "the near future": "FUTURE_REF",
    "the future": "FUTURE_REF", "the distant future": "FUTURE_REF", "the near term": "FUTURE_REF",
    "the short term": "FUTURE_REF", "the long term": "FUTURE_REF", "as soon as possible": "FUTURE_REF",
}  # fmt: skip


def _ref(m: re.Match[str], st: _State) -> _Parsed | None:
    w = " ".join(m["w"].lower().split())
    if w in _REF_VALUE:
        return _REF_VALUE[w], "DATE", None
    unit = w.split()[-1] if w.split()[-1] in ("days", "weeks", "months", "years", "decades") else None
    if w.endswith("ahead"):
        unit = w.split()[1]
    if unit and unit != "years" and ("recent" in w or "past" in w):
        return _duration_value(None, unit[:-1]), "DURATION", None  # "in recent weeks": some weeks
    if (unit in ("days", "weeks", "years") and "coming" in w) or w.endswith("ahead"):
        return _duration_value(None, (unit or "years")[:-1]), "DURATION", None
    if "recent" in w or w.startswith(("past", "in past")):
        return "PAST_REF", "DATE", None
    return "FUTURE_REF", "DATE", None


# --- guards: reject what only looks like a time expression --------------------------------------


def _month_guard(m: re.Match[str], text: str) -> bool:
    """A month word is a month unless it is the modal "may" or the verb "march" (or a name)."""
    word = text[m.start("m") : m.end("m")]
    low = word.lower().rstrip(".")
    if word[0].islower() and low in ("may", "march", "mar", "jan", "dec", "jun", "jul", "oct", "nov"):
        return False
    if low in ("may", "march", "mar") or (low in _MONTHS and len(low) <= 3 and not word.endswith(".")):
        if m.groupdict().get("d") or m.groupdict().get("y") or m.groupdict().get("o"):
            return True
        if low in _ABBREVIATIONS:
            return False  # "Jan", "Dec" with no day or year are names more often than months
        if m.groupdict().get("rel") or m.groupdict().get("pos"):
            return True
        before = text[max(0, m.start("m") - 20) : m.start("m")]
        after = text[m.end("m") : m.end("m") + 30]
        if _MODAL_AFTER.match(after) or _NAME_AFTER.match(after):
            return False
        return bool(_MONTH_CONTEXT_BEFORE.search(before.lower())) and low != "mar"
    return True


def _title_guard(m: re.Match[str], text: str) -> bool:
    """Not a programme or section title ("This Week", "60 Minutes") quoted or capitalised mid-sentence."""
    words = text[m.start() : m.end()].split()
    if len(words) > 1 and all(w[:1].isupper() for w in words):
        before = text[max(0, m.start() - 2) : m.start()]
        return not (before.strip() and before.strip()[-1] in "\"“'‘")
    return True


def _weekday_guard(m: re.Match[str], text: str) -> bool:
    """Not part of a name: "the Sunday Times", "Saturday Night Live" (a part of the day capitalised)."""
    return not (_NEWSPAPER.match(text, m.end()) or (m["part"] and text[m.start("part")].isupper()))


def _year_guard(m: re.Match[str], text: str) -> bool:
    """A four-digit number is a year unless it reads as a count, an amount or an identifier."""
    before = text[max(0, m.start() - 12) : m.start()].lower()
    return not (_COUNT_BEFORE.search(before) and not _PART_OF_BEFORE.search(before))


_COUNT_BEFORE = re.compile(
    r"(?:no\.|number|#|flight|route|room|page|model|about|some|nearly|almost|than|of)\s*$"
)
_PART_OF_BEFORE = re.compile(r"(?:the end of|the middle of|the start of|the beginning of|half of)\s*$")


_PATTERNS: list[tuple[re.Pattern[str], _Handler, Callable[[re.Match[str], str], bool] | None]] = [
    (_ISO, _iso, None),
    (_SLASH, _slash, None),
    (_MONTH_DAY, _month_day, _month_guard),
    (_MONTH_ORD, _month_ord, _month_guard),
    (_DAY_MONTH, _day_month, _month_guard),
    (_MONTH_YEAR, _month_year, _month_guard),
    (_MONTH_ALONE, _month_alone, _month_guard),
    (_YEAR_RANGE, _year_range, None),
    (_YEAR_RX, _year, _year_guard),
    (_SPOKEN, _spoken, None),
    (_DECADE, _decade, None),
    (_CENTURY, _century, None),
    (_WEEKDAY_RX, _weekday, _weekday_guard),
    (_DAY_WORD, _day_word, None),
    (_PART_OF_DAY, _part_of_day, None),
    (_ANAPHOR_DAY, _anaphor_day, None),
    (_CLOCK, _clock, None),
    (_QUARTER, _quarter_rx, None),
    (_SHORT_PERIOD, _short_period, None),
    (_RELATIVE, _relative, _title_guard),
    (_SEASON, _season, None),
    (_YEAR_AGO_ADJ, _year_ago_adj, None),
    (_YEAR_END, _year_end, None),
    (_HOLIDAY, _holiday, _holiday_guard),
    (_PLURAL_SPAN, _plural_span, None),
    (_IN_THE_DAY, _in_the_day, None),
    (_DURATION, _duration, None),
    (_FRACTION_DURATION, _fraction_duration, None),
    (_SET, _set, None),
    (_REF, _ref, None),
]


_Candidate = tuple[int, int, int, re.Match[str]]

# Which patterns a word can start: each pattern runs only in windows around its trigger words, so
# most of an article is never scanned by most patterns. Every match of a pattern contains one of
# its triggers, no more than _BACK characters after the match starts and _AHEAD before it ends
# (the longest prefix a pattern allows: "each of the past twenty-four hours", "the beginning of
# this coming spring").
_AHEAD = 45
_BACK_BY_NAME = {
    "_duration": 55, "_quarter_rx": 55, "_relative": 45, "_month_day": 35, "_month_ord": 35, "_day_month": 35,
    "_month_year": 35, "_month_alone": 35, "_fraction_duration": 45, "_century": 30, "_decade": 30,
    "_year": 25,
    "_weekday": 25, "_anaphor_day": 25, "_part_of_day": 25, "_holiday": 25, "_year_ago_adj": 25, "_clock": 20,
    "_set": 20, "_ref": 20, "_year_end": 20, "_spoken": 20, "_season": 20, "_day_word": 12, "_year_range": 12,
    "_in_the_day": 8, "_plural_span": 8, "_iso": 0, "_slash": 0, "_short_period": 6,
}  # fmt: skip
_PATTERN_INDEX = {handler.__name__: i for i, (_, handler, _) in enumerate(_PATTERNS)}


_Ids = tuple[tuple[int, int], ...]  # (pattern index, how far back its matches can start)


def _ids(*names: str) -> _Ids:
    return tuple((_PATTERN_INDEX[n], _BACK_BY_NAME[n]) for n in names)


_BY_WORD: dict[str, _Ids] = {}


def _register(words: str, ids: _Ids) -> None:
    for word in words.split():
        _BY_WORD[word] = tuple(sorted(set(_BY_WORD.get(word, ()) + ids)))


_register(
    " ".join(_MONTHS) + " sept",
    _ids("_month_day", "_month_ord", "_day_month", "_month_year", "_month_alone", "_set", "_clock"),
)
_register(
    " ".join(w for w in _WEEKDAYS if len(w) > 4)
    + " mondays tuesdays wednesdays thursdays fridays saturdays sundays",
    _ids("_weekday", "_month_day", "_month_ord", "_day_month", "_clock", "_set"),
)
_register("yesterday today tomorrow tonight", _ids("_day_word", "_clock"))
_register(
    "morning afternoon evening night overnight",
    _ids("_part_of_day", "_clock", "_in_the_day", "_weekday", "_day_word", "_set"),
)
_register("noon midnight midday", _ids("_clock"))
_register(
    "day days",
    _ids("_anaphor_day", "_in_the_day", "_plural_span", "_duration", "_set", "_day_word", "_ref", "_holiday"),
)
_register(
    "second seconds minute minutes hour hours night nights week weeks month months year years "
    "quarter quarters decade decades century centuries weekend weekends",
    _ids("_duration", "_relative", "_set", "_ref", "_plural_span"),
)
_register("year", _ids("_year_ago_adj", "_year_end", "_spoken"))
_register("quarter quarters period", _ids("_quarter_rx"))
_register("half", _ids("_quarter_rx", "_fraction_duration", "_year"))
_register("century", _ids("_century"))
_register(" ".join(_ORDINALS), _ids("_day_month"))
_register("q1 q2 q3 q4 h1 h2", _ids("_short_period"))
_register("spring summer fall autumn winter", _ids("_relative", "_season", "_set"))
_register("nineteen thousand twenty", _ids("_spoken"))
_register("twenties thirties forties fifties sixties seventies eighties nineties", _ids("_decade"))
_register(
    "every each per daily weekly monthly annually yearly hourly quarterly nightly biannually semiannually "
    "once twice times",
    _ids("_set"),
)
_register(
    "now currently nowadays present moment recently lately past formerly future term ahead possible",
    _ids("_ref"),
)
_register(
    "christmas eve new thanksgiving easter independence election labor memorial valentine halloween "
    "boxing good veterans",
    _ids("_holiday"),
)


def _trie(words: list[str]) -> str:
    """An alternation of words as a prefix tree: the regex engine then tries each letter once."""
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_branch(tree)


def _trie_branch(node: dict) -> str:  # type: ignore[type-arg]
    ends = "" in node
    alts = [re.escape(ch) + _trie_branch(child) for ch, child in sorted(node.items()) if ch]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if ends:
        return f"(?:{body})?"
    return body


# Numbers trigger only in the shapes a time can take; "$1.35 a share" and "1,400 workers" never do.
_TRIGGER = re.compile(
    r"(?<![a-z0-9])(?:(?P<word>" + _trie(list(_BY_WORD)) + r")(?![a-z0-9])"
    r"|(?P<num>\d+)(?P<plural>'?s)?|(?P<decade>'\d0s)|(?P<fy>fy)(?=\s?\d))"
)
_AFTER_NUMBER = re.compile(
    r"(?P<clock>\s*[ap]\.?m\b|:\d\d|\.\d\d\s*[ap]\.?m\b|\s+(?:o'clock|in the (?:morning|afternoon|evening)))"
    r"|(?P<slash>/\d)|(?P<ordinal>(?:st|nd|rd|th)[- ]century)"
)
_YEAR_IDS = _ids("_iso", "_year_range", "_year", "_decade", "_month_year", "_day_month", "_quarter_rx")
_DECADE_IDS = _ids("_decade")
_FY_IDS = _ids("_short_period")
_DIGIT_IDS: dict[str, _Ids] = {
    "clock": _ids("_clock"), "slash": _ids("_slash"), "ordinal": _ids("_century"),
}  # fmt: skip


def _lower(text: str) -> str:
    """Lower-cased text with the same offsets (a few characters grow when lower-cased; those stay)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _number_ids(low: str, t: re.Match[str]) -> _Ids:
    """The patterns a number can be part of: most numbers in news (amounts, counts) are none."""
    digits = t["num"]
    if len(digits) == 4:
        ids = _YEAR_IDS if 1000 <= int(digits) <= 2099 else ()
        return ids + _DECADE_IDS if t["plural"] else ids
    if t["plural"]:
        return _DECADE_IDS
    if len(digits) > 2:
        return ()
    after = _AFTER_NUMBER.match(low, t.end())
    return _DIGIT_IDS[after.lastgroup or ""] if after else ()


def _windows(low: str) -> dict[int, list[list[int]]]:
    """For each pattern, the merged stretches of text around its triggers (may start below 0)."""
    spans: dict[int, list[list[int]]] = {}
    for t in _TRIGGER.finditer(low):
        word = t["word"]
        if word:
            ids = _BY_WORD[word]
        elif t["num"]:
            ids = _number_ids(low, t)
        else:
            ids = _DECADE_IDS if t["decade"] else _FY_IDS
        start, hi = t.start(), t.end() + _AHEAD
        for i, back in ids:
            lo = start - back
            stretch = spans.get(i)
            if stretch is None:
                spans[i] = [[lo, hi]]
            elif lo <= stretch[-1][1]:
                stretch[-1][1] = hi
            else:
                stretch.append([lo, hi])
    return spans


def _candidates(text: str, low: str) -> list[_Candidate]:
    """Every pattern's matches that pass their guard, longest first."""
    found: list[_Candidate] = []
    for i, stretches in _windows(low).items():
        rx, _, guard = _PATTERNS[i]
        for lo, hi in stretches:
            for m in rx.finditer(low, max(lo, 0), hi):
                if m.end() > m.start() and (guard is None or guard(m, text)):
                    found.append((m.start(), m.end(), i, m))
    found.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    return found


@dataclass(slots=True)
class _Occupied:
    """The stretches of text already given to an expression, kept sorted (they never overlap)."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    def free(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start)
        return not ((i and self.ends[i - 1] > start) or (i < len(self.starts) and self.starts[i] < end))

    def add(self, start: int, end: int) -> None:
        i = bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)

    def remove(self, start: int) -> None:
        i = bisect_left(self.starts, start)
        del self.starts[i], self.ends[i]


# No pattern matches more than this many characters: a bound for finding a rejected match's rivals.
_LONGEST_MATCH = 120


def find_time_expressions(text: str, anchor: date | None) -> list[TimeExpression]:
    """All time expressions in `text`, in order, non-overlapping, values resolved against `anchor`.

    Overlapping matches are settled longest first; one its handler rejects ("May to" is no date)
    gives way to the best of the shorter matches it covered ("May" may be one).

    Args:
        text: The article text; offsets in the result index into it.
        anchor: The publication date. With None, relative expressions are resolved from the last
            explicit full date read before them, or get values with X placeholders ("XXXX-03-15").

    Returns:
        The expressions found, in reading order.
    """
    state = _State(anchor=anchor, text=text, low=_lower(text))
    found = _candidates(text, state.low)
    by_start = sorted(found, key=lambda c: c[0])
    starts = [c[0] for c in by_start]
    occupied = _Occupied()
    queue: list[tuple[int, int, _Candidate]] = []
    for rank, c in enumerate(found):
        if occupied.free(c[0], c[1]):
            occupied.add(c[0], c[1])
            heappush(queue, (c[0], rank, c))
    rank_of = {id(c[3]): rank for rank, c in enumerate(found)}
    rejected: set[int] = set()
    out: list[TimeExpression] = []
    while queue:
        start, end, i, m = heappop(queue)[2]
        parsed = _PATTERNS[i][1](m, state)
        if parsed is None:
            rejected.add(id(m))
            occupied.remove(start)
            lo, hi = bisect_left(starts, start - _LONGEST_MATCH), bisect_left(starts, end)
            rivals = [c for c in by_start[lo:hi] if c[1] > start and id(c[3]) not in rejected]
            for c in sorted(rivals, key=lambda c: rank_of[id(c[3])]):
                if occupied.free(c[0], c[1]):
                    occupied.add(c[0], c[1])
                    heappush(queue, (c[0], rank_of[id(c[3])], c))
            continue
        out.append(_record(state, text, start, end, parsed))
    return out


def _record(state: _State, text: str, start: int, end: int, parsed: _Parsed) -> TimeExpression:
    """The expression, noting a dated period as the one the text now discusses (unless it was a
    comparison such as "a year earlier")."""
    value, kind, mod = parsed
    if kind == "DATE" and value[:1].isdigit() and not state.shifted and ("-Q" in value or len(value) >= 7):
        state.last_value = value
    state.shifted = False
    return TimeExpression(start=start, end=end, text=text[start:end], value=value, type=kind, mod=mod)


_FULL_DATES: list[tuple[re.Pattern[str], _Handler, Callable[[re.Match[str], str], bool] | None]] = [
    (_ISO, _iso, None),
    (_SLASH, _slash, None),
    (_MONTH_DAY, _month_day, _month_guard),
    (_DAY_MONTH, _day_month, _month_guard),
]


def infer_anchor(text: str) -> date | None:
    """The latest explicit full date (day, month and year) in the text, or None.

    For articles whose publication date is unknown; callers mark values resolved on it as inferred.
    """
    state = _State(anchor=None, text=text, low=_lower(text))
    for rx, handler, guard in _FULL_DATES:
        for m in rx.finditer(state.low):
            if guard is None or guard(m, text):
                handler(m, state)
    return max(state.explicit, default=None)
