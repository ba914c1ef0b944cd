"""The language of time: word tables, the regexes compiled from them, and the guards that reject
what only looks like a time expression ("may" the modal, "the Sunday Times", "2000 workers").

Every pattern runs on the lower-cased text; guards read the original text at the same offsets
where case tells a name from a date.
"""

from __future__ import annotations

import re

# --- vocabulary -------------------------------------------------------------------------------

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


# --- guards: reject what only looks like a time expression ------------------------------------

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


def _holiday_guard(m: re.Match[str], text: str) -> bool:
    return text[m.start("h")].isupper()
