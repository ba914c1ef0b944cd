"""Features of a (claim, article body) pair for stance: how related they are and how the body speaks.

Four families, all lexical, so a pair costs about a millisecond and no model is run:
- relatedness: TF-IDF cosine of the claim against the body, its lead and its closest sentences,
  and the share of the claim's words, word pairs and numbers found in the body;
- manner near the claim: counts of refuting, hedging, confirming and negation words in the claim,
  in the three body sentences closest to it (by TF-IDF cosine), in the lead and in the whole body;
- sentence by sentence: the share of the claim's words each sentence holds (best, mean, where the
  best one is), the manner words within a few tokens of a claim word, and whether the best
  sentence keeps the claim's numbers, word pairs, hedges and negation;
- the body's voice: the rate (per 100 words) of each of a fixed list of cue words (the same
  refuting, hedging, confirming, negation and reporting words), so the trees can weigh them apart.
Word lists are general English: no word names a person, outlet or story.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

_BOUNDARY = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’')\]]))\s+(?=[\"“‘(\[]?[A-Z0-9])|\s*\n\s*\n\s*")
# A single line break inside a sentence (hard-wrapped text) is a space; after a sentence end, a
# colon or a short line (a heading, a list item), it ends the piece.
_WRAPPED = re.compile(r"(?<![.!?:\"”’')\]\n])[ \t]*\n[ \t]*(?=\S)")
_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
MAX_SENTENCES = 60
TOP_SENTENCES = 3
LEAD_SENTENCES = 3


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _words(
    """
    a an the and or but if of in on at to for from by with about as into over after before under between
    through during than then so that this these those there here it its it's is are was were be been
    being has have had do does did will would shall should can could may might must not no nor i me my
    we our you your he him his she her they them their who whom whose which what when where why how all
    any both each few more most other some such only own same too very just s t also up down out off
    again further once said says say new one two
    """
)

REFUTE = _words(
    """
    fake fakes faked fraud fraudulent hoax hoaxes false falsely deny denies denied denying denial
    denials debunk debunked debunks debunking bogus untrue myth myths satire satirical prank pranks
    fabricated fabrication baseless retract retracted retraction refute refuted refutes incorrect wrong
    nonsense misleading dismissed dismisses rejected rejects doubt doubts doubtful contrary nope
    unfounded lie lies lied
    """
)
HEDGE = _words(
    """
    reportedly allegedly alleged alleges claim claims claimed claiming according report reports reported
    rumor rumors rumour rumours rumored rumoured purportedly purported apparently appears appear seems
    seem possibly possible unconfirmed unverified speculation speculated speculate believed believe
    suggests suggest suggested might may could if whether unclear unknown supposedly maybe perhaps
    probably likely
    """
)
CONFIRM = _words(
    """
    confirm confirms confirmed confirming confirmation officially announced announces verified verify
    indeed true truly proof proved proven evidence revealed reveals shows showed actually admitted
    admits acknowledged
    """
)
NEGATION = _words(
    """
    not no never none nothing neither nor without cannot isn't wasn't aren't weren't don't doesn't
    didn't won't wouldn't can't couldn't hasn't haven't hadn't shouldn't
    """
)
REPORTING = _words(
    """
    said says told stated insisted source sources statement spokesman spokeswoman official officials
    police however but although though despite
    """
)
CUE_WORDS: tuple[str, ...] = tuple(sorted(REFUTE | HEDGE | CONFIRM | NEGATION | REPORTING))
LEXICONS: tuple[tuple[str, frozenset[str]], ...] = (
    ("refute", REFUTE),
    ("hedge", HEDGE),
    ("confirm", CONFIRM),
    ("negation", NEGATION),
)


def split_sentences(text: str, limit: int = MAX_SENTENCES) -> list[str]:
    """Sentences (and lines) of a body with at least three words, at most `limit` of them."""
    out = []
    lines = text.split("\n")
    text = "\n".join(line if len(line.split()) > 8 else line + "\n" for line in lines)
    for piece in _BOUNDARY.split(_WRAPPED.sub(" ", text)):
        piece = piece.strip()
        if len(piece.split()) >= 3:
            out.append(piece)
            if len(out) == limit:
                break
    return out or ([text.strip()] if text.strip() else [])


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; a curly apostrophe counts as a straight one."""
    return _TOKEN.findall(text.lower().replace("’", "'"))


def _stem(token: str) -> str:
    return token[:6]


def _content(words: Sequence[str]) -> list[str]:
    return [_stem(w) for w in words if w not in STOPWORDS and (len(w) > 2 or w.isdigit())]


@dataclass(frozen=True, slots=True, kw_only=True)
class Text:
    """A claim or body sentence, tokenised once."""

    words: tuple[str, ...]
    tf: Mapping[str, int]  # content-word stems and their counts
    bigrams: frozenset[tuple[str, str]]
    numbers: frozenset[str]
    lexicon: tuple[int, ...]  # counts of each of LEXICONS
    question: bool

    @property
    def stems(self) -> frozenset[str]:
        return frozenset(self.tf)

    @classmethod
    def of(cls, text: str) -> Text:
        words = tokens(text)
        content = _content(words)
        return cls(
            words=tuple(words),
            tf=Counter(content),
            bigrams=frozenset(itertools.pairwise(content)),
            numbers=frozenset(w for w in words if w.isdigit()),
            lexicon=tuple(sum(_in_lexicon(w, name, lex) for w in words) for name, lex in LEXICONS),
            question="?" in text,
        )


def _in_lexicon(word: str, name: str, lexicon: frozenset[str]) -> bool:
    return word in lexicon or (name == "negation" and word.endswith("n't"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Body:
    """An article body ready to be compared with claims: its sentences, tokenised (and encoded)."""

    sentences: tuple[Text, ...]
    stems: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    numbers: frozenset[str]
    tf: Mapping[str, int]
    words: int
    cues: tuple[float, ...]  # rate per 100 words of each of CUE_WORDS


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    text: Text


_CUE_INDEX = {w: i for i, w in enumerate(CUE_WORDS)}


def make_body(text: str) -> Body:
    """A body split into sentences and tokenised, ready to meet any number of claims."""
    texts = tuple(Text.of(s) for s in split_sentences(text))
    tf: Counter[str] = Counter()
    cues = [0] * len(CUE_WORDS)
    for t in texts:
        tf.update(t.tf)
        for w in t.words:
            if (i := _CUE_INDEX.get("not" if w.endswith("n't") else w)) is not None:
                cues[i] += 1
    words = sum(len(t.words) for t in texts)
    return Body(
        sentences=texts,
        stems=frozenset(tf),
        bigrams=frozenset().union(*(t.bigrams for t in texts)),
        numbers=frozenset().union(*(t.numbers for t in texts)),
        tf=tf,
        words=words,
        cues=tuple(round(100.0 * c / max(words, 1), 3) for c in cues),
    )


def make_claim(text: str) -> Claim:
    return Claim(text=Text.of(text))


@dataclass(frozen=True, slots=True)
class Weighted:
    """A TF-IDF vector (sublinear term frequency) and its length."""

    weights: dict[str, float]
    norm: float


@dataclass(frozen=True, slots=True)
class Indexed:
    """A body's TF-IDF vectors, whole and per sentence (worth keeping when it meets many claims)."""

    body: Weighted
    sentences: tuple[Weighted, ...]


@dataclass(frozen=True, slots=True)
class Idf:
    """Inverse document frequencies learnt from training bodies; unseen words get `default`."""

    values: Mapping[str, float]
    default: float

    def weigh(self, tf: Mapping[str, int]) -> Weighted:
        weights = {w: (1 + math.log(n)) * self.values.get(w, self.default) for w, n in tf.items()}
        return Weighted(weights, math.sqrt(sum(v * v for v in weights.values())))

    def index(self, body: Body) -> Indexed:
        return Indexed(self.weigh(body.tf), tuple(self.weigh(t.tf) for t in body.sentences))

    @classmethod
    def fit(cls, documents: Iterable[str], min_df: int = 2) -> Idf:
        """Smoothed IDF over `documents`, keeping words seen in at least `min_df` of them."""
        df: Counter[str] = Counter()
        n = 0
        for text in documents:
            df.update(set(_content(tokens(text))))
            n += 1
        values = {w: round(math.log((1 + n) / (1 + k)) + 1, 4) for w, k in sorted(df.items()) if k >= min_df}
        return cls(values, round(math.log((1 + n) / 2) + 1, 4))


def _cosine(a: Weighted, b: Weighted) -> float:
    if not a.norm or not b.norm:
        return 0.0
    small, large = (a, b) if len(a.weights) <= len(b.weights) else (b, a)
    return sum(v * large.weights.get(w, 0.0) for w, v in small.weights.items()) / (a.norm * b.norm)


def _share(part: frozenset[str], whole: frozenset[str]) -> float:
    return len(part & whole) / len(part) if part else 0.0


LEXICAL_FEATURES: tuple[str, ...] = (
    "tfidf_body",
    "tfidf_max",
    "tfidf_top_mean",
    "tfidf_lead",
    "best_position",
    "overlap_body",
    "overlap_best",
    "overlap_lead",
    "bigram_body",
    "numbers_body",
    "log_sentences",
    "log_claim_words",
    "claim_question",
    *(f"{name}_{where}" for where in ("claim", "top", "lead", "body") for name, _ in LEXICONS),
    "negation_mismatch",
)
# Sentence by sentence: the share of the claim's stems each body sentence holds, and the manner
# words within WINDOW tokens of a claim word (anywhere, and in sentences holding 40% of the claim).
WINDOW = 6
NEAR_SHARE = 0.4
SENTENCE_FEATURES: tuple[str, ...] = (
    "sentence_overlap_max",
    "sentence_overlap_mean",
    "sentence_overlap_top_mean",
    "overlap_best_position",
    "overlap_best_is_first",
    "sentences_half_overlap",
    "sentences_half_overlap_share",
    "overlap_first",
    "overlap_first3_mean",
    *(f"{name}_window" for name, _ in LEXICONS),
    *(f"{name}_window_near" for name, _ in LEXICONS),
    *(f"{name}_overlap_best" for name, _ in LEXICONS),
    "numbers_overlap_best",
    "numbers_differ_best",
    "bigram_overlap_best",
    "hedge_claim_not_best",
    "negation_mismatch_overlap_best",
)
FEATURE_NAMES: tuple[str, ...] = LEXICAL_FEATURES + SENTENCE_FEATURES + tuple(f"cue_{w}" for w in CUE_WORDS)


def pair_features(claim: Claim, body: Body, idf: Idf, indexed: Indexed | None = None) -> list[float]:
    """The feature row of one (claim, body) pair, in the order of `FEATURE_NAMES`.

    `indexed` is `idf.index(body)`, worth passing when one body meets many claims. The sentences
    closest to the claim are found by TF-IDF cosine.
    """
    indexed = indexed or idf.index(body)
    claim_tfidf = idf.weigh(claim.text.tf)
    n = len(body.sentences)
    sims = np.array([_cosine(claim_tfidf, s) for s in indexed.sentences]) if n else np.zeros(1)
    order = np.argsort(-sims, kind="stable")
    top = [int(i) for i in order[:TOP_SENTENCES]] if n else []
    best = top[0] if top else 0
    lead = body.sentences[:LEAD_SENTENCES]
    best_stems = body.sentences[best].stems if n else frozenset()
    lead_stems = frozenset().union(*(t.stems for t in lead)) if lead else frozenset()
    stems = claim.text.stems
    row = [
        _cosine(claim_tfidf, indexed.body),
        float(sims.max()),
        float(sims[top].mean()) if top else 0.0,
        float(sims[:LEAD_SENTENCES].max()),
        best / max(n - 1, 1),
        _share(stems, body.stems),
        _share(stems, best_stems),
        _share(stems, lead_stems),
        len(claim.text.bigrams & body.bigrams) / len(claim.text.bigrams) if claim.text.bigrams else 0.0,
        _share(claim.text.numbers, body.numbers),
        math.log1p(n),
        math.log1p(len(claim.text.words)),
        float(claim.text.question),
    ]
    k = len(LEXICONS)
    top_counts = [sum(body.sentences[i].lexicon[j] for i in top) for j in range(k)]
    lead_counts = [sum(t.lexicon[j] for t in lead) for j in range(k)]
    body_counts = [sum(t.lexicon[j] for t in body.sentences) for j in range(k)]
    per_100_words = 100.0 / max(body.words, 1)
    row += [float(c) for c in claim.text.lexicon]
    row += [float(c) for c in top_counts]
    row += [float(c) for c in lead_counts]
    row += [c * per_100_words for c in body_counts]
    negation = [name for name, _ in LEXICONS].index("negation")
    row.append(float((claim.text.lexicon[negation] > 0) != (top_counts[negation] > 0)))
    row += sentence_features(claim, body)
    row += body.cues
    return row


def _has_negation(words: Sequence[str]) -> bool:
    return any(_in_lexicon(w, "negation", NEGATION) for w in words)


def sentence_features(claim: Claim, body: Body) -> list[float]:
    """The `SENTENCE_FEATURES` of a pair: no IDF, only which claim words each sentence holds."""
    c = claim.text
    stems = c.stems
    n = len(body.sentences)
    if not stems or not n:
        return [0.0] * len(SENTENCE_FEATURES)
    overlap = np.array([len(stems & s.stems) / len(stems) for s in body.sentences])
    best = int(overlap.argmax())
    k = len(LEXICONS)
    window, near = [0] * k, [0] * k
    for s in body.sentences:
        hits = [i for i, w in enumerate(s.words) if w not in STOPWORDS and _stem(w) in stems]
        if not hits:
            continue
        share = len({_stem(s.words[i]) for i in hits}) / len(stems)
        for j, (name, lexicon) in enumerate(LEXICONS):
            for i, w in enumerate(s.words):
                if _in_lexicon(w, name, lexicon) and any(abs(i - h) <= WINDOW for h in hits):
                    window[j] += 1
                    near[j] += share >= NEAR_SHARE
    best_text = body.sentences[best]
    half = overlap >= 0.5
    hedge = [name for name, _ in LEXICONS].index("hedge")
    return [
        float(overlap.max()),
        float(overlap.mean()),
        float(np.sort(overlap)[-TOP_SENTENCES:].mean()),
        best / max(n - 1, 1),
        float(best == 0),
        float(half.sum()),
        float(half.mean()),
        float(overlap[0]),
        float(overlap[:LEAD_SENTENCES].mean()),
        *(float(x) for x in window),
        *(float(x) for x in near),
        *(float(x) for x in best_text.lexicon),
        len(c.numbers & best_text.numbers) / len(c.numbers) if c.numbers else -1.0,
        float(bool(c.numbers) and bool(best_text.numbers) and not c.numbers & best_text.numbers),
        len(c.bigrams & best_text.bigrams) / len(c.bigrams) if c.bigrams else 0.0,
        float(c.lexicon[hedge] > 0 and best_text.lexicon[hedge] == 0),
        float(_has_negation(c.words) != _has_negation(best_text.words)),
    ]
