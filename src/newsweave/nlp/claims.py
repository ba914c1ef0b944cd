"""Claims: what each article asserts, unit by unit, with who asserts it and how surely.

A claim is a verbatim span of the body: a sentence, or a clause where a sentence joins
independent statements ("…; …", "X happened, and Y said …"). Each carries:
- who asserts it: the outlet itself, or a source the text names — the subject of a reporting
  verb ("intelligence reports said…", "the allies have accused…"), "according to X", or the
  speaker of a quotation it sits in;
- certainty: asserted, or hedged by words such as likely, possible, reportedly, allegedly, may;
- polarity: negated or not;
- predicates: the verbs it states with their subjects ("arrest@police"), "not …" where it
  denies them, and "no …" for what it says there is none of ("no arrests were made" gives
  "no arrest"), so that the comparison can tell one outlet denying what another states;
- phrases: the clauses and fact-bearing phrases that could come off its edges (character
  offsets), so that the comparison can cut it down to what other outlets share;
- the entities, numbers with their units and time values inside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsweave.nlp.entities import SPANS_KEY as ENTITIES_KEY
from newsweave.nlp.hedges import HEDGES, HEDGING_MODIFIERS
from newsweave.nlp.quotes import SPANS_KEY as QUOTES_KEY
from newsweave.nlp.quotes import resolve_speaker
from newsweave.nlp.references import SPEECH_VERBS

SPANS_KEY = "nw_claims"
_ATTRIBUTING = SPEECH_VERBS | frozenset(["accuse", "allege", "report", "claim", "believe", "estimate"])
_NOT_A_SOURCE = frozenset({"it", "this", "that", "which", "who", "we", "us", "you", "i", "there"})
_NAME_PARTS = frozenset(
    {"det", "amod", "compound", "poss", "case", "nummod", "cc", "conj", "quantmod", "nmod"}
)
_NUMBER_ENTS = frozenset({"CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"})
_UNIT_AFTER = re.compile(r"^\s*(percent|per cent|%|[a-z]+)", re.IGNORECASE)
_MIN_CLAIM_TOKENS = 4


_DASHES = frozenset({"—", "–", "--"})
# A full clause set off by a comma and opened by one of these gives a reason, a time or a
# contrast: a statement of its own ("…, as several packages may have passed through the state").
_SIDE_CLAUSE_MARKS = frozenset({"as", "because", "since", "while", "whereas", "after", "before", "until"})
# Prepositions whose phrase, set off at the end of a sentence, adds a fact of its own.
_PASSING_PREPOSITIONS = frozenset({"following", "after", "with", "without", "despite", "amid", "including"})
# A side statement shorter than this stays in its sentence: it is a modifier, not a fact.
_MIN_SIDE_TOKENS = 5


def _side_statement_cuts(sentence: Span, quoted: set[int]) -> Iterator[int]:
    """Cuts around what a sentence says in passing, so each fact can be matched on its own:
    a reason, time or contrast clause after a comma (", as several packages may have …"),
    a non-restrictive relative clause (", which cost 40 million euros …", ", who was reportedly …"), a
    parenthesis between dashes, a trailing participle after a comma (", following the vote
    …", ", winning 60 percent …"), and a contrastive tail ("but without …")."""
    for cut in _side_cuts(sentence):
        if cut not in quoted:  # a speaker's words stay whole: they are one attributed statement
            yield cut


def _side_cuts(sentence: Span) -> Iterator[int]:
    doc = sentence.doc
    for token in sentence:
        # A subtree is contiguous in the parser's projective trees: its edges bound it.
        first, last = token.left_edge.i, token.right_edge.i + 1
        if first == sentence.start:
            continue
        before = doc[first - 1].text
        if (
            token.dep_ == "relcl"
            and before in {",", *_DASHES}
            and last - first >= _MIN_SIDE_TOKENS
            and not _in_opening_adjunct(token.head, sentence)
        ):
            yield first
            yield last
        elif before == "," and first == token.i and _ends_sentence(sentence, last) and _passing_phrase(token):
            yield first
    for token in sentence:
        if token.dep_ == "advcl" and _marked_side_clause(token) and doc[token.left_edge.i - 1].text == ",":
            yield token.left_edge.i
            yield token.right_edge.i + 1
    dashes = [t.i for t in sentence if t.text in _DASHES]
    for a, b in pairwise(dashes):
        if b - a - 1 >= _MIN_SIDE_TOKENS:
            yield a + 1
            yield b
    for token in sentence:
        # A contrastive tail ("…, but without …"). A concessive one ("although …") is not cut:
        # on the comparison benchmark the cut grouped fewer facts right on both halves.
        if (token.lower_ == "but" and token.dep_ == "cc") and (
            token.i > sentence.start + _MIN_SIDE_TOKENS and sentence.end - token.i > _MIN_SIDE_TOKENS - 1
        ):
            yield token.i


def _in_opening_adjunct(noun: Token, sentence: Span) -> bool:
    """A noun inside the phrase that opens the sentence as its setting ("By June 2015, when …,
    the mayor was …"): cut there, the setting would be left a fragment and dropped, and the
    statement after it would lose its date."""
    top = noun
    while top.dep_ in {"pobj", "prep", "nummod", "compound", "amod", "det"} and top.head.i != top.i:
        if top.dep_ == "prep" and top.head.dep_ == "ROOT":
            break
        top = top.head
    return top.dep_ in {"prep", "npadvmod", "advmod"} and top.left_edge.i == sentence.start


def _marked_side_clause(token: Token) -> bool:
    """A full clause ("as several packages may have …") with its own subject, long enough to
    state something, opened by a reason, time or contrast word."""
    marks = [c for c in token.children if c.dep_ == "mark"]
    return (
        bool(marks)
        and marks[0].lower_ in _SIDE_CLAUSE_MARKS
        and marks[0].i == token.left_edge.i
        and any(c.dep_ in {"nsubj", "nsubjpass"} for c in token.children)
        and token.right_edge.i - token.left_edge.i + 1 >= _MIN_SIDE_TOKENS
    )


def _ends_sentence(sentence: Span, end: int) -> bool:
    return all(t.is_punct or t.is_space for t in sentence.doc[end : sentence.end])


def _passing_phrase(token: Token) -> bool:
    """A participle or preposition that adds a fact after the main clause (", winning 87
    percent", ", with no other candidate"); "according to" names a source instead."""
    if token.head.i > token.i or token.right_edge.i - token.left_edge.i + 1 < 3:
        return False
    if token.tag_ == "VBG" and token.dep_ in {"advcl", "prep", "acl", "conj"}:
        return token.lower_ != "according"
    return token.dep_ == "prep" and token.lower_ in _PASSING_PREPOSITIONS


def _clauses(sentence: Span, quoted: set[int]) -> Iterator[tuple[int, int]]:
    """Token ranges of a sentence's statements (split at ";", at a coordinated clause with its
    own subject, and around side statements); the ranges cover the sentence without gaps."""
    cuts = [sentence.start, *_side_statement_cuts(sentence, quoted)]
    question = sentence.text.rstrip(" \"'”’\n").endswith("?")
    for token in sentence:
        if token.is_space and "\n" in token.text:
            cuts.append(token.i + 1)  # a line break ends a statement, whatever the parser thinks
        if token.text in {";", ":"} and sentence.start < token.i < sentence.end - 1:
            cuts.append(token.i + 1)
        elif (
            token.dep_ == "parataxis"
            and token.head.dep_ == "ROOT"
            and token.i < token.head.i
            and any(c.dep_ == "nsubj" for c in token.children)
        ):
            # "“…,” the mayor said, so the council decided …": the attributed part ends before the rest.
            cuts.append(token.right_edge.i + 1)
        elif (
            token.dep_ == "conj"
            and token.pos_ in {"VERB", "AUX"}
            and token.head.dep_ == "ROOT"
            and any(c.dep_ in {"nsubj", "nsubjpass"} for c in token.children)
            and not question  # "So who is she, and how did she win?" is one question, not two claims
        ):
            start = token.left_edge.i
            cc = [c for c in token.head.children if c.dep_ == "cc" and c.i < start]
            cuts.append(cc[-1].i if cc else start)
    inside = sorted({c for c in cuts if sentence.start <= c < sentence.end})
    yield from pairwise([*inside, sentence.end])


def _dangling(piece: Span) -> bool:
    """A subject left before its relative clause ("The new bridge,"): no verb, ends in a comma."""
    return piece[-1].text == "," and not any(t.pos_ in {"VERB", "AUX"} for t in piece)


def _trimmed(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (
        doc[start].is_space
        or (doc[start].is_punct and not doc[start].is_left_punct)
        or doc[start].lower_ in {"and", "but", *_DASHES}
    ):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in _DASHES):
        end -= 1
    return start, end


def _source(claim: Span, quotes: list[tuple[Span, str]]) -> str | None:
    """Who the claim is attributed to, or None when the outlet states it."""
    for quote, speaker in quotes:
        if quote.start - 1 <= claim.start and claim.end <= quote.end + 2 and speaker:
            return speaker  # a claim inside a quotation is the speaker's
    for token in claim:
        if token.lower_ == "according" and token.i + 1 < claim.end and claim.doc[token.i + 1].lower_ == "to":
            obj = next((c for c in claim.doc[token.i + 1].children if c.dep_ == "pobj"), None)
            if obj is not None:
                return _source_name(obj)
    for token in claim:
        if token.lemma_.lower() in _ATTRIBUTING and token.pos_ == "VERB":
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            if subject is not None and subject.lower_ not in _NOT_A_SOURCE:
                return _source_name(subject)
    return None


def _source_name(token: Token) -> str:
    """The source a token heads: its entity's name if it resolves to one, else its noun phrase
    without appositions or relative clauses ("the ministry and its partners")."""
    words, canonical = resolve_speaker(token.doc, token)
    if canonical and not any(c.dep_ == "conj" for c in token.children):
        return canonical
    keep = {token.i}
    stack = [token]
    while stack:
        for child in stack.pop().children:
            if child.dep_ in _NAME_PARTS:
                keep.add(child.i)
                stack.append(child)
    start, end = min(keep), max(keep) + 1
    return token.doc[start:end].text if end - start <= 12 else words


def _entity_names(doc: Doc) -> dict[int, str]:
    """Token index → the name of the entity it mentions, built once per doc."""
    return {i: str(s.kb_id_) for s in doc.spans.get(ENTITIES_KEY, []) for i in range(s.start, s.end)}


def _numbers(claim: Span, ents: list[Span]) -> list[str]:
    """ "12.5 percent", "thousands of workers", "three years": a number with the word it counts."""
    out = []
    for ent in (e for e in ents if claim.start <= e.start and e.end <= claim.end):
        if ent.label_ in _NUMBER_ENTS or (ent.label_ == "DATE" and any(t.like_num for t in ent)):
            unit = ""
            if ent.label_ not in {"PERCENT", "MONEY"} and ent.end < claim.end:
                after = claim.doc[ent.end : min(ent.end + 3, claim.end)]
                if after[0].pos_ == "NOUN":
                    unit = " " + after[0].text
                elif after[0].lower_ == "of" and len(after) > 1 and after[1].pos_ == "NOUN":
                    unit = f" of {after[1].text}"
            out.append(ent.text + unit)
    return out


_CONTEXT_PARTS = frozenset({"det", "poss", "case", "compound", "amod", "nummod", "prep", "pobj", "nmod"})
_MAX_CONTEXT_TOKENS = 8


def _context(claim: Span) -> Span | None:
    """What a clause cut from its sentence is about, when the clause does not say it: the noun a
    relative clause hangs on ("the new bridge" for "which cost …"), or the subject
    left in the sentence ("the minister" for "is known for …"). None when the claim is whole."""
    roots = [t for t in claim if not (claim.start <= t.head.i < claim.end) or t.head.i == t.i]
    if not roots:
        return None
    root = roots[0]
    if root.dep_ == "relcl":
        return _phrase(root.head, claim)
    subjects = [c for c in root.children if c.dep_ in {"nsubj", "nsubjpass", "expl"}]
    if root.pos_ in {"VERB", "AUX"} and not any(claim.start <= c.i < claim.end for c in subjects):
        if not subjects and root.dep_ == "conj":
            subjects = [c for c in root.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if subjects:
            return _phrase(subjects[0], claim)
    return None


def _phrase(head: Token, claim: Span) -> Span:
    """A short noun phrase around `head`, outside the claim: its determiners, modifiers and
    "of" phrase, not its clauses."""
    keep = {head.i}
    stack = [head]
    while stack:
        for child in stack.pop().children:
            if child.dep_ in _CONTEXT_PARTS and not (claim.start <= child.i < claim.end):
                keep.add(child.i)
                stack.append(child)
    start, end = min(keep), max(keep) + 1
    if end - start > _MAX_CONTEXT_TOKENS:
        start, end = head.i, head.i + 1
    return head.doc[start:end]


# Words that make a clause a supposition rather than a statement: "if he does not …", "whether
# the bridge was built to last", "there may be more leaks not yet repaired".
_SUPPOSING = frozenset({"if", "unless", "whether"})
_MODALS = frozenset({"could", "may", "might", "would", "should", "can", "must", "ought", "to"})
_NO_ONE = frozenset({"none", "nobody", "nothing", "neither"})
# Verbs that deny what they govern: "the minister denied that the aide took the money" states no
# taking.
_DENYING = frozenset({"deny", "reject", "dispute", "refute", "dismiss", "doubt", "question"})
# Verbs of saying and knowing report a statement or a state of mind, not the fact itself: "he
# did not say why" denies no fact that "he said she was treated" states.
_NOT_FACTS = SPEECH_VERBS | frozenset(
    {"know", "believe", "think", "want", "need", "feel", "expect", "hope", "comment", "reveal", "disclose"}
)


def _predicates(claim: Span) -> list[str]:
    """What the claim states and denies, for the comparison to find one outlet denying what
    another states: each stated verb as "lemma@subject" ("arrest@police"), "not lemma@subject"
    where the claim denies it, and "no noun" for a thing it says there is none of. A
    verb without a named subject is kept without one ("arrest"). Left out, as stating nothing
    alone: a question, a verb in a supposition (under "if", "whether" or a modal), a participle
    describing a noun, a verb whose subject or object is "no …" (the noun is what it denies),
    "not … until" (a time, not a denial), and verbs of saying and knowing."""
    if claim.text.rstrip(" \"'”’").endswith("?"):
        return []
    out: set[str] = set()
    for token in claim:
        denies_noun = token.lower_ == "no" and token.dep_ == "det" and token.head.pos_ in {"NOUN", "PROPN"}
        if denies_noun and not _supposed(token) and token.head.lemma_.lower() not in _NOT_FACTS:
            out.add(f"no {token.head.lemma_.lower()}")
        lemma = token.lemma_.lower()
        if token.pos_ != "VERB" or lemma in _NOT_FACTS or token.dep_ in {"acl", "amod"} or _supposed(token):
            continue
        children = list(token.children)
        if any(_denied_noun(c) for c in children if c.dep_ in {"nsubj", "nsubjpass", "dobj"}):
            continue
        denied = any(c.dep_ == "neg" or c.lower_ == "never" for c in children) or any(
            c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in _NO_ONE for c in children
        )
        if denied and any(c.lower_ == "until" for c in children):
            continue
        subject = _subject(token)
        out.add(f"{'not ' if denied else ''}{lemma}{'@' + subject if subject else ''}")
    return sorted(out)


def _subject(verb: Token) -> str:
    """The verb's subject as one word ("police", "okafor"); "" for a pronoun or none."""
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"} and child.pos_ in {"NOUN", "PROPN"}:
            return child.lemma_.lower()
    return ""


def _supposed(token: Token) -> bool:
    """Whether the word sits in a supposition: under "if", "whether" or a modal, or in what a
    denied verb governs ("they do not believe he had a gun" states no "had")."""
    if _in_supposition(token):
        return True
    for head in (token, *token.ancestors):
        for child in head.children:
            if child.dep_ == "aux" and child.lower_ in _MODALS:
                return True
            if head is not token and child.dep_ == "neg":
                return True
        if head is not token and _denies_what_it_governs(head):
            return True
    return False


def _in_supposition(token: Token) -> bool:
    """Whether the word sits in a clause opened by "if", "unless" or "whether"."""
    return any(
        child.dep_ == "mark" and child.lower_ in _SUPPOSING
        for head in (token, *token.ancestors)
        for child in head.children
    )


def _denies_what_it_governs(verb: Token) -> bool:
    lemma = verb.lemma_.lower()
    ruled_out = lemma == "rule" and any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children)
    return lemma in _DENYING or ruled_out


_SHORTEST_TERM = 2  # "likely voters" is a kind of voter, not a doubt about voters


def _hedged_terms(claim: Span, quoted: set[int]) -> list[str]:
    """What the claim hedges in its own words: the noun phrase a hedging modifier stands in,
    without it and what comes before it ("a probable crane failure" gives "crane failure"). Not
    inside quotation marks (the speaker's word), nor a one-word thing ("likely voters")."""
    out = []
    for token in claim:
        head = token.head
        if token.lower_ not in HEDGING_MODIFIERS or token.dep_ != "amod" or token.i in quoted:
            continue
        if head.pos_ not in {"NOUN", "PROPN"} or not token.i < head.i < claim.end:
            continue
        words = list(token.doc[token.i + 1 : head.i + 1])
        if len(words) >= _SHORTEST_TERM and all(t.is_alpha or t.text == "-" for t in words):
            out.append(" ".join(t.lower_ for t in words))
    return out


# Phrases that add to what a claim says and can come off its edges leaving a statement: clauses
# (adverbial, relative, participial, appositive, run-on) and conjuncts (a second thing said of
# the subject, a second deed) always; a prepositional or adverbial
# phrase only when it carries a fact of its own, a number or a verb ("over nine years"), not a
# bare setting ("in the high court"), which the comparison benchmark's readers count as part of
# the fact it qualifies.
_CLAUSE_PHRASES = frozenset({"advcl", "acl", "relcl", "appos", "parataxis", "conj"})
_SETTING_PHRASES = frozenset({"prep", "npadvmod", "agent"})


def _phrases(claim: Span, quoted: set[int]) -> list[list[int]]:
    """The claim's detachable phrases as [start, end] character offsets in the article: each a
    whole subtree inside the claim that is not the claim itself. The comparison cuts a claim
    down to what other outlets share by dropping such phrases from its edges. Never a phrase in
    or across quoted words (a speaker's words are cut nowhere), an attribution ("according to
    …": who says it, not what), nor a supposition or anything inside one ("if …", "unless …",
    "whether …": cut off, the rest would state what the claim only supposes), nor a name in a
    list or one of alternatives."""
    out = []
    for token in claim:
        if token.dep_ not in _CLAUSE_PHRASES | _SETTING_PHRASES:
            continue
        first, last = token.left_edge.i, token.right_edge.i
        if first < claim.start or last >= claim.end or (first, last) == (claim.start, claim.end - 1):
            continue
        phrase = claim.doc[first : last + 1]
        if any(i in quoted for i in range(first, last + 1)) or token.lower_ == "according":
            continue
        if _in_supposition(token):
            continue
        if token.dep_ == "conj" and (token.pos_ == "PROPN" or _alternative(token)):
            continue
        holds_fact = any(t.like_num or t.pos_ in {"VERB", "AUX"} for t in phrase)
        if token.dep_ in _SETTING_PHRASES and not holds_fact:
            continue
        out.append([phrase.start_char, phrase.end_char])
    return sorted(out)


def _alternative(conjunct: Token) -> bool:
    """A conjunct joined by "or" / "nor": one of alternatives, which cut off would leave the
    other stated as the only one ("will repair the pump or replace it")."""
    between = conjunct.doc[conjunct.head.i : conjunct.right_edge.i + 1]
    return any(t.dep_ == "cc" and t.lower_ in {"or", "nor"} for t in between)


def _denied_noun(token: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ == "no" for c in token.children)


def _lemmas(tokens: Iterable[Token]) -> dict[str, str]:
    """The lemma of each word that is not its own lemma, lower-case ("violated" -> "violate",
    "ships" -> "ship"): the comparison meets inflected forms through it, in the whole claim or in
    any part of it that it cuts out."""
    return {
        t.lower_: t.lemma_.lower()
        for t in tokens
        if (t.is_alpha or t.like_num) and t.lemma_ and t.lemma_.lower() != t.lower_
    }


class ClaimSplitter:
    """spaCy component: claim spans in `doc.spans["nw_claims"]`; label = certainty ("asserted"
    or "hedged"), `kb_id_` = the source the claim is attributed to ("" for the outlet itself);
    the group's `attrs["info"]` holds, per claim, polarity, hedge words, entities, numbers."""

    def __init__(self, nlp: Language, name: str, *, spans_key: str = SPANS_KEY) -> None:
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.get(QUOTES_KEY, [])
        infos = group.attrs.get("info", []) if group else []
        quotes = [
            (q, q.kb_id_ or (info or {}).get("speaker") or "") for q, info in zip(group, infos, strict=False)
        ]
        claims: list[Span] = []
        details: list[dict[str, object]] = []
        names = _entity_names(doc)
        ents = list(doc.ents)
        quoted = {i for q, _ in quotes if q.label_ != "indirect" for i in range(q.start, q.end)}
        for sentence in doc.sents:
            for a, b in _clauses(sentence, quoted):
                start, end = _trimmed(doc, a, b)
                if end - start < _MIN_CLAIM_TOKENS or _dangling(doc[start:end]):
                    continue
                claim = doc[start:end]
                hedges = sorted({t.lower_ for t in claim if t.lower_ in HEDGES})
                source = _source(claim, quotes)
                context = _context(claim)
                claims.append(
                    Span(doc, start, end, label="hedged" if hedges else "asserted", kb_id=source or "")
                )
                details.append(
                    {
                        "polarity": "negative" if any(t.dep_ == "neg" for t in claim) else "positive",
                        "hedges": hedges,
                        "entities": sorted({names[i] for i in range(start, end) if i in names}),
                        "numbers": _numbers(claim, ents),
                        "predicates": _predicates(claim),
                        "hedged_terms": _hedged_terms(claim, quoted),
                        "phrases": _phrases(claim, quoted),
                        "context": context.text if context is not None else "",
                        "lemmas": _lemmas([*claim, *(context if context is not None else ())]),
                    }
                )
        doc.spans[self.spans_key] = claims
        doc.spans[self.spans_key].attrs["info"] = details
        return doc
