"""Framing checked against PolNeAR's attributions (2016 US election news, 7 outlets).

Framing is the outlet's own wording: its loaded and evaluative words, its scare quotes ("its
“independent” board"). Words the article reports as someone's ("calling the plan “a
giveaway”", "he said the regime must go") are that someone's, not the outlet's. PolNeAR marks
every attribution's content span, so a flagged term that lies inside one (the primary
annotator's) is, by the corpus, someone's words: a false alarm. One outside is not thereby right
(a scare quote may be a name or a term of art), so the tool prints those for reading rather
than scoring them.

    python -m tools.evaluation.framing [--data ../shared/data/polnear] [--export EXPORT.json]

Without `--export` it ingests the corpus into a temporary store and exports it (a few minutes).
With one, the framing is found again by the current code from the export's articles, quotes and
stories, so a change to framing alone is measured in seconds.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsweave.compare.framing import FramingTerm, find_terms
from newsweave.contract import from_json
from newsweave.model import QuoteRecord

Span = tuple[int, int]
KINDS = ("loaded", "evaluative", "scare_quote")


@dataclass(frozen=True, slots=True)
class Flagged:
    document: str
    kind: str  # loaded | evaluative | scare_quote
    term: str
    context: str
    attributed: bool  # inside an attribution's content, by the corpus


def attribution_spans(
    documents: Mapping[str, dict[str, Any]], rows: Iterable[dict[str, Any]]
) -> dict[str, list[Span]]:
    """Content spans of the primary annotator's attributions, by document id."""
    spans: dict[str, list[Span]] = defaultdict(list)
    for row in rows:
        doc = documents.get(row["doc_id"])
        if doc is not None and row.get("annotator") == doc.get("primary_annotator"):
            spans[row["doc_id"]].extend((int(s), int(e)) for s, e in row["quote_spans"])
    return spans


def locate(text: str, term: str, context: str) -> int:
    """Where a flagged term sits in the corpus text: the export's offsets are into the cleaned
    body, so the term is found again within its context (-1 when it cannot be)."""
    around = text.find(context)
    return text.find(term, around) if around >= 0 else text.find(term)


def current_framing(export: dict[str, Any]) -> list[FramingTerm]:
    """The framing terms the current code finds in an export's stories (articles, quotes)."""
    document = from_json(export)
    by_id = {a.id: a for a in document.articles}
    quotes_of: dict[str, list[QuoteRecord]] = defaultdict(list)
    for q in document.quotes:
        quotes_of[q.article].append(q)  # once, not a scan of every quote per story
    out: list[FramingTerm] = []
    for story in document.stories:
        members = [by_id[a] for a in story.articles if a in by_id]
        out.extend(find_terms(members, [q for a in members for q in quotes_of[a.id]]))
    return out


def classify(
    terms: Iterable[FramingTerm],
    external: Mapping[str, str],
    documents: Mapping[str, dict[str, Any]],
    spans: Mapping[str, Sequence[Span]],
) -> list[Flagged]:
    """Every framing term, marked by whether the corpus calls it someone's words (`external`: the
    corpus id of each article id)."""
    out = []
    for term in terms:
        doc_id = external.get(term.article, "")
        text = documents.get(doc_id, {}).get("text", "")
        at = locate(text, term.term, term.context)
        inside = at >= 0 and any(s <= at and at + len(term.term) <= e for s, e in spans.get(doc_id, ()))
        out.append(Flagged(doc_id, term.kind, term.term, term.context, inside))
    return out


def _export_corpus(docs_path: Path) -> dict[str, Any]:
    from newsweave import open_store

    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "polnear.db") as workspace:
        workspace.ingest([docs_path])
        workspace.analyse()
        return workspace.export()


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data/polnear"))
    parser.add_argument("--export", type=Path, help="an export of the corpus made before")
    parser.add_argument("--show", choices=("attributed", "other"), help="print these flagged terms")
    parser.add_argument("--kind", choices=KINDS, help="print only this kind")
    args = parser.parse_args(argv)
    documents = {d["id"]: d for d in _read_jsonl(args.data / "docs.jsonl")}
    spans = attribution_spans(documents, _read_jsonl(args.data / "quotes.jsonl"))
    export = json.loads(args.export.read_text()) if args.export else _export_corpus(args.data / "docs.jsonl")
    external = {a["id"]: str(a.get("external_id")) for a in export.get("articles", [])}
    flagged = classify(current_framing(export), external, documents, spans)
    for kind in KINDS:
        of_kind = [f for f in flagged if f.kind == kind]
        attributed = sum(f.attributed for f in of_kind)
        print(
            f"{kind}: {len(of_kind)} flagged, {attributed} inside an attribution (someone's words), "
            f"{len(of_kind) - attributed} outside"
        )
    if args.show:
        for f in flagged:
            if f.attributed == (args.show == "attributed") and args.kind in (None, f.kind):
                print(f"  {f.kind} {f.term} | {' '.join(f.context.split())}")


if __name__ == "__main__":
    main()
