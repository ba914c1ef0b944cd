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
(TempEval-3), on whose data `tools.evaluation.timex` scores this module.
"""

from newsweave.nlp.dates.model import TimeExpression, TimexType
from newsweave.nlp.dates.tagger import find_time_expressions, infer_anchor

__all__ = ["TimeExpression", "TimexType", "find_time_expressions", "infer_anchor"]
