"""The REST API on a real store (the two example articles, one story from two outlets): every
endpoint, pagination and filters, the one error shape, the token, and URL ingestion that will
not reach private addresses.

What a test searches for and expects is read from the store (`examples`, `person`), never
written here: the examples are the project's seed articles, which no test may name
(tests/test_no_seed_rules.py)."""

from __future__ import annotations

import contextlib
import http.server
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from newsweave.server import create_app, urls
from newsweave.server.security import token_for_host
from newsweave.store import SQLiteStore
from tests.server.api_support import (
    Indexed,
    TestClient,
    copy_store,
    distinctive,
    examples_db,
    make_app,
    shared,
    stems,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HARBOUR = FIXTURES / "text" / "harbour_flood.txt"
METRO_PAGE = (FIXTURES / "html" / "metro_transit.html").read_bytes()


@pytest.fixture(scope="module")
def analysed_db() -> Path:
    return examples_db()


@pytest.fixture(scope="module")
def client(analysed_db: Path) -> Iterator[TestClient]:
    with TestClient(make_app(analysed_db)) as c:
        yield c


@dataclass(frozen=True, slots=True)
class Examples:
    """The two stored examples, `a` and `b` (by outlet name), and words chosen from them to
    search for, each with what it must find."""

    a: Indexed
    b: Indexed
    both: tuple[str, str]
    """Two words each article has."""
    inflected: str
    """A word one article has as written and the other only in another form (same stem)."""
    only_a: str
    """A word of `a` that `b` does not have in any form."""
    prefix: str
    """The start of a word of `a`: no word of either article is this, and no word of `b` starts so."""
    phrase: str
    """Three consecutive words of `a`, each of them in `b` too, but never in that order."""
    absent: str = "unicorn"
    """A word neither article has."""

    @property
    def outlets(self) -> set[str]:
        return {self.a.outlet, self.b.outlet}


@pytest.fixture(scope="module")
def examples(analysed_db: Path) -> Examples:
    with SQLiteStore(analysed_db) as store:
        a, b = sorted((Indexed.of(article) for article in store.articles()), key=lambda x: x.outlet)
    assert a.outlet and b.outlet and a.outlet != b.outlet
    both = distinctive(shared([a, b]))
    words = a.words | b.words
    inflected = next(
        w for w in distinctive(words) if (w in a.words) != (w in b.words) and words[w] in a.terms & b.terms
    )
    only_a = distinctive(a.words, not_in=[b])
    prefix = next(
        w[:5]
        for w in only_a
        if len(w) >= 8
        and stems([w])[0].startswith(w[:5])
        and w[:5] not in a.terms | b.terms
        and not any(t.startswith(w[:5]) for t in b.terms)
    )
    phrase = next(
        run
        for run in a.runs(3)
        if all(w.isalpha() and len(w) >= 4 and s in b.terms for w, s in run)
        and not b.has_phrase([s for _, s in run])
    )
    found = Examples(
        a=a,
        b=b,
        both=(both[0], both[1]),
        inflected=inflected,
        only_a=only_a[0],
        prefix=prefix,
        phrase=" ".join(w for w, _ in phrase),
    )
    assert stems([found.absent])[0] not in a.terms | b.terms
    return found


@pytest.fixture(scope="module")
def person(client: TestClient) -> dict[str, Any]:
    """The person the example story is most about: named in the most of its articles, then most
    often (the story's own entity record)."""
    story = client.get("/api/stories/1").json()
    people = [e for e in story["entities"] if e["type"] == "PERSON"]
    return max(people, key=lambda e: (len(e["articles"]), len(e["mentions"])))


@pytest.fixture
def writable_db(analysed_db: Path, tmp_path: Path) -> Path:
    return copy_store(analysed_db, tmp_path / "writable.db")


def _error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The body of an error response, checked to be the API's one shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    return dict(body["error"])


# Articles: list, search, filters, pages


def test_articles_pages_cover_every_article_once(client: TestClient) -> None:
    pages = [client.get("/api/articles", params={"limit": 1, "offset": i}).json() for i in range(3)]
    assert [p["total"] for p in pages] == [2, 2, 2]
    assert [len(p["items"]) for p in pages] == [1, 1, 0]
    assert pages[0]["items"][0]["id"] != pages[1]["items"][0]["id"]
    assert (pages[1]["limit"], pages[1]["offset"]) == (1, 1)


def _found(client: TestClient, **params: str) -> set[str]:
    """The ids of every article a search finds (the examples are two: one page holds them)."""
    return {hit["id"] for hit in client.get("/api/articles", params=params).json()["items"]}


def test_search_ranks_and_highlights_the_words_found(client: TestClient, examples: Examples) -> None:
    found = client.get("/api/articles", params={"q": " ".join(examples.both)}).json()
    assert found["total"] == 2
    scores = [hit["score"] for hit in found["items"]]
    assert scores == sorted(scores, reverse=True)
    for hit in found["items"]:
        words = [hit["snippet"][a:b] for a, b in hit["highlights"]]
        # Each mark is one of the words asked for, as written or in another form of it.
        assert words and set(stems(words)) <= set(stems(examples.both)), words


_SEARCHES: dict[str, tuple[Callable[[Examples], str], str]] = {
    # what is typed, and which of the examples it finds
    "stemmed": (lambda x: x.inflected, "ab"),  # one article has the word in another form only
    "one word": (lambda x: x.only_a, "a"),
    "a phrase": (lambda x: f'"{x.phrase}"', "a"),  # its words are in b too, not in this order
    "the phrase's words": (lambda x: x.phrase, "ab"),
    "a prefix": (lambda x: f"{x.prefix}*", "a"),
    "the prefix as a word": (lambda x: x.prefix, ""),
    "every word must appear": (lambda x: f"{x.only_a} {x.absent}", ""),
    "case-blind": (lambda x: x.only_a.upper(), "a"),
}


@pytest.mark.parametrize("search", _SEARCHES)
def test_search_understands_words_phrases_and_prefixes(
    client: TestClient, examples: Examples, search: str
) -> None:
    typed, finds = _SEARCHES[search]
    expected = {x.id for x, name in ((examples.a, "a"), (examples.b, "b")) if name in finds}
    assert _found(client, q=typed(examples)) == expected


@pytest.mark.parametrize("query", ['"', "NEAR(", "{w} AND", "*", "(((", "{w}\x00", "-", "a:b", "'", "^{w}"])
def test_search_syntax_in_a_query_is_never_an_error(
    client: TestClient, examples: Examples, query: str
) -> None:
    query = query.format(w=examples.both[0])  # around a word both articles have
    assert client.get("/api/articles", params={"q": query}).status_code == 200
    assert client.get("/api/stories", params={"q": query}).status_code == 200


_FILTERS: dict[str, tuple[Callable[[Examples], dict[str, str]], str]] = {
    "outlet, any case": (lambda x: {"outlet": x.a.outlet.upper()}, "a"),
    "outlet and words": (lambda x: {"outlet": x.b.outlet, "q": x.both[0]}, "b"),
    "outlet without the words": (lambda x: {"outlet": x.b.outlet, "q": x.only_a}, ""),
    "no such outlet": (lambda x: {"outlet": "Nobody"}, ""),
    "the day": (lambda x: {"published_from": "2024-03-18", "published_to": "2024-03-18"}, "ab"),
    "after it": (lambda x: {"published_from": "2024-03-19"}, ""),
    "before it": (lambda x: {"published_to": "2024-03-17"}, ""),
}


@pytest.mark.parametrize("case", _FILTERS)
def test_article_filters(client: TestClient, examples: Examples, case: str) -> None:
    params, finds = _FILTERS[case]
    expected = {x.id for x, name in ((examples.a, "a"), (examples.b, "b")) if name in finds}
    assert "Nobody" not in examples.outlets
    assert _found(client, **params(examples)) == expected


def test_entity_filter_keeps_articles_that_mention_it(client: TestClient, person: dict[str, Any]) -> None:
    story = client.get("/api/stories/1").json()
    # The story's main person (in both articles), and the person named most in one article only.
    in_one = max(
        (e for e in story["entities"] if e["type"] == "PERSON" and len(e["articles"]) == 1),
        key=lambda e: len(e["mentions"]),
    )
    for entity in (person, in_one):
        found = client.get("/api/articles", params={"entity": entity["id"]}).json()
        assert {hit["id"] for hit in found["items"]} == set(entity["articles"])


def test_one_article(
    client: TestClient, analysed_db: Path, examples: Examples, person: dict[str, Any]
) -> None:
    listed = client.get("/api/articles", params={"outlet": examples.a.outlet}).json()["items"]
    assert [hit["id"] for hit in listed] == [examples.a.id]
    article = client.get(f"/api/articles/{examples.a.id}").json()
    with SQLiteStore(analysed_db) as store:
        stored = store.get(examples.a.id)
    assert article["outlet"] == stored.outlet and article["published"] == "2024-03-18"
    assert article["body"] == stored.body and article["title"] == stored.title
    # The analysis' offsets are into this body: the story's main person is named where it says.
    named = [m for m in person["mentions"] if m["article"] == examples.a.id]
    assert named and all(article["body"][m["start"] : m["end"]] == m["text"] for m in named)
    assert article["stories"] == [1]
    assert client.get(f"/api/articles/{examples.a.id[:6]}").json()["id"] == examples.a.id  # a unique prefix


# Stories


def test_stories_list_and_search(client: TestClient, examples: Examples) -> None:
    listed = client.get("/api/stories").json()
    assert listed["total"] == 1
    story = listed["items"][0]
    assert story["articles"] == 2 and set(story["outlets"]) == examples.outlets
    found = client.get("/api/stories", params={"q": f'"{examples.phrase}"'}).json()
    assert found["total"] == 1 and found["items"][0]["matched"] == 1  # in one article only
    both = client.get("/api/stories", params={"q": examples.both[0]}).json()
    assert both["total"] == 1 and both["items"][0]["matched"] == 2
    assert stems(["ferry"])[0] not in examples.a.terms | examples.b.terms
    assert client.get("/api/stories", params={"q": "ferry"}).json()["total"] == 0
    assert client.get("/api/stories", params={"outlet": examples.a.outlet}).json()["total"] == 1
    assert client.get("/api/stories", params={"offset": 1}).json() == {
        "items": [],
        "total": 1,
        "limit": 20,
        "offset": 1,
    }


def test_story_document_carries_the_whole_analysis(client: TestClient, examples: Examples) -> None:
    story = client.get("/api/stories/1").json()
    assert [s["id"] for s in story["stories"]] == [1]
    assert {a["outlet"] for a in story["articles"]} == examples.outlets
    assert story["brief"] and story["timeline"] and story["claim_groups"] and story["differences"]
    assert story["quotes"] and story["framing"] and story["entities"]
    shared = [g for g in story["claim_groups"] if g["status"] == "shared"]
    assert shared and all(len(g["provenance"]) >= 2 for g in shared)
    # Provenance reaches past the outlet when the text names its source.
    assert any(len(p["chain"]) > 1 for g in story["claim_groups"] for p in g["provenance"])
    cited = {c["article"] for line in story["brief"] for c in line["cites"]}
    assert cited <= {a["id"] for a in story["articles"]}


def test_a_story_page_is_built_again_once_the_store_changes(writable_db: Path) -> None:
    with TestClient(make_app(writable_db)) as c:
        first = c.get("/api/stories/1").json()
        assert c.get("/api/stories/1").json() == first  # kept
        with SQLiteStore(writable_db) as other:  # another writer: `newsweave ingest` beside the server
            other._conn.execute("UPDATE stories SET title = 'Retitled' WHERE id = 1")
        assert c.get("/api/stories/1").json()["stories"][0]["title"] == "Retitled"


# Entities


def test_entity_profile(client: TestClient, person: dict[str, Any]) -> None:
    """The profile says across the store what the story's analysis says of the same person."""
    story = client.get("/api/stories/1").json()
    outlet_of = {a["id"]: a["outlet"] for a in story["articles"]}
    profile = client.get(f"/api/entities/{person['id']}").json()
    assert (profile["name"], profile["type"]) == (person["name"], "PERSON")
    names = {m["text"] for m in person["mentions"] if m["kind"] == "name"}
    assert len(names) > 1 and names <= set(profile["aliases"])  # a short name as well as the full one
    assert profile["articles"] == len(person["articles"]) == 2
    roles: dict[str, tuple[set[str], set[str]]] = {}
    for role in person["roles"]:
        texts, articles = roles.setdefault(outlet_of[role["article"]], (set(), set()))
        texts.add(role["text"])
        articles.add(role["article"])
    assert roles and {r["outlet"]: (set(r["roles"]), set(r["articles"])) for r in profile["roles"]} == roles
    quoted = {
        q["id"]: (q["text"], outlet_of[q["article"]])
        for q in story["quotes"]
        if q["speaker_entity"] == person["id"]
    }
    assert quoted and {q["id"]: (q["text"], q["outlet"]) for q in profile["quotes"]} == quoted
    assert [s["id"] for s in profile["stories"]] == [1]


# Stance


def test_stance(client: TestClient) -> None:
    answer = client.post(
        "/api/stance",
        json={
            "text": (
                "The harbour council approved a budget of 4.2 million pounds for dredging the east "
                "channel on Tuesday, its finance chair said."
            ),
            "claim": "The harbour council approved a dredging budget",
        },
    ).json()
    assert answer["stance"] in answer["scores"] and answer["score"] == max(answer["scores"].values())
    assert answer["stance"] != "unrelated"


# Errors: one shape for all


@pytest.mark.parametrize(
    "path",
    ["/api/articles/0123456789abcdef", "/api/stories/999", "/api/entities/abcdef", "/api/no-such-thing"],
)
def test_not_found(client: TestClient, path: str) -> None:
    _error(client.get(path), 404, "not_found")


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("get", "/api/articles?limit=0", None),
        ("get", "/api/articles?limit=101", None),
        ("get", "/api/articles?published_from=yesterday", None),
        ("get", "/api/stories/not-a-number", None),
        ("get", "/api/articles/not-hex!", None),
        ("post", "/api/articles", {"text": "x", "published": 0}),  # a day is YYYY-MM-DD, not a Unix time
        ("post", "/api/articles", {"text": 12}),
        ("post", "/api/articles", {"text": "x", "colour": "red"}),  # a field it does not know
        ("post", "/api/stance", {"text": "a body"}),
        ("post", "/api/urls", {"urls": []}),
    ],
)
def test_invalid_requests(client: TestClient, method: str, path: str, payload: Any) -> None:
    response = getattr(client, method)(path, **({"json": payload} if payload is not None else {}))
    _error(response, 422, "validation_error")


def test_a_bug_is_a_500_without_its_trace(analysed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(SQLiteStore, "search_articles", broken)
    with TestClient(make_app(analysed_db)) as c:
        response = c.get("/api/articles")
    _error(response, 500, "internal_error")
    assert "secret" not in response.text and "Traceback" not in response.text
    assert "Content-Security-Policy" in response.headers  # answered inside the middleware


# Ingest


def test_post_article_is_stored_analysed_and_searchable(writable_db: Path) -> None:
    text = HARBOUR.read_text(encoding="utf-8")
    with TestClient(make_app(writable_db)) as c:
        result = c.post(
            "/api/articles",
            json={
                "title": "Harbour flood",
                "text": text,
                "outlet": "Coast Herald",
                "published": "2024-05-02",
            },
        ).json()
        assert result["added"] == 1 and len(result["articles"]) == 1
        assert result["analysed"]["language"] >= 1 and result["analysed"]["stories"] >= 1
        article = c.get(f"/api/articles/{result['articles'][0]}").json()
        assert article["outlet"] == "Coast Herald" and article["published"] == "2024-05-02"
        assert article["stories"]  # analysed: already in a story
        assert c.get("/api/articles", params={"q": "harbour", "outlet": "coast herald"}).json()["total"] == 1
        again = c.post(
            "/api/articles", json={"title": "Harbour flood", "text": text, "outlet": "Coast Herald"}
        )
        assert again.json()["unchanged"] == 1 and again.json()["articles"] == result["articles"]


def test_upload_goes_through_the_readers(writable_db: Path) -> None:
    with TestClient(make_app(writable_db)) as c:
        result = c.post(
            "/api/uploads",
            files={"file": ("metro.html", METRO_PAGE, "text/html")},
            data={"published": "2024-02-01"},
        ).json()
        assert result["added"] == 1 and not result["rejected"]
        article = c.get(f"/api/articles/{result['articles'][0]}").json()
        assert article["input_format"] == "html" and article["source"].endswith("metro.html")
        bad = c.post(
            "/api/uploads", files={"file": ("x.bin", b"\x00\x01\x02" * 100, "application/octet-stream")}
        )
        assert bad.json()["rejected"][0]["reason"] == "binary"


def test_upload_past_the_limit_is_413(analysed_db: Path) -> None:
    with TestClient(make_app(analysed_db, max_upload_bytes=1_000)) as c:
        declared = c.post("/api/uploads", files={"file": ("big.txt", b"word " * 1_000, "text/plain")})
        _error(declared, 413, "too_large")
        assert "Content-Security-Policy" in declared.headers

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            yield from (b"x" * 500 for _ in range(10))

        streamed = c.post("/api/articles", content=chunks(), headers={"Content-Type": "application/json"})
        _error(streamed, 413, "too_large")


# The token


def test_a_write_without_the_token_is_refused_before_its_body_is_read(analysed_db: Path) -> None:
    """Anyone who reaches a server with a token must not make it receive a large upload: the 401
    comes from the headers alone, before the body limit (413) would even look at the body."""
    received: list[int] = []

    def body() -> Iterator[bytes]:
        for _ in range(50):
            received.append(1)
            yield b"x" * 1_000

    with TestClient(make_app(analysed_db, token="s3cret", max_upload_bytes=10_000)) as c:
        _error(
            c.post(
                "/api/uploads", content=body(), headers={"Content-Type": "multipart/form-data; boundary=b"}
            ),
            401,
        )
        assert len(received) <= 1  # at most what the client sent before it read the answer
        wrong = c.post(
            "/api/articles", json={"title": "T", "text": "x"}, headers={"Authorization": "Bearer nope"}
        )
        _error(wrong, 401)
        right = c.post(
            "/api/uploads",
            content=body(),
            headers={"Authorization": "Bearer s3cret", "Content-Type": "multipart/form-data; boundary=b"},
        )
        _error(right, 413)  # with the token, the body limit answers


def test_token_required_for_writes_when_the_server_has_one(analysed_db: Path) -> None:
    pair = {"text": "The ferry sank.", "claim": "A ferry sank"}
    with TestClient(make_app(analysed_db, token="s3cret-token")) as c:
        missing = c.post("/api/stance", json=pair)
        assert _error(missing, 401, "unauthorized") and missing.headers["WWW-Authenticate"] == "Bearer"
        _error(c.post("/api/stance", json=pair, headers={"Authorization": "Bearer wrong"}), 401)
        _error(c.post("/api/stance", json=pair, headers={"Authorization": "Basic s3cret-token"}), 401)
        _error(c.post("/api/urls", json={"urls": ["http://example.com/"]}), 401)
        ok = c.post("/api/stance", json=pair, headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200
        assert c.get("/api/articles").status_code == 200  # reading needs no token


@pytest.mark.parametrize(
    ("host", "given", "required", "made_up"),
    [
        ("127.0.0.1", None, False, False),
        ("localhost", None, False, False),
        ("::1", None, False, False),
        ("0.0.0.0", None, True, True),
        ("192.168.1.20", None, True, True),
        ("example.org", None, True, True),
        ("0.0.0.0", "mine", True, False),
        ("127.0.0.1", "mine", True, False),
    ],
)
def test_token_for_host(host: str, given: str | None, required: bool, made_up: bool) -> None:
    token, generated = token_for_host(host, given)
    assert (token is not None, generated) == (required, made_up)
    if generated:
        assert token is not None and len(token) >= 32
    elif given:
        assert token == given


@pytest.mark.parametrize(("host", "needs_token"), [("0.0.0.0", True), ("127.0.0.1", False)])
def test_serve_off_loopback_makes_up_a_token_and_requires_it(
    analysed_db: Path, monkeypatch: pytest.MonkeyPatch, host: str, needs_token: bool
) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from newsweave.cli import app as cli

    served: dict[str, Any] = {}
    monkeypatch.setattr(
        uvicorn, "run", lambda application, **options: served.update(app=application, **options)
    )
    result = CliRunner().invoke(cli, ["--db", str(analysed_db), "serve", "--host", host, "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert (served["host"], served["port"]) == (host, 8123)
    token = served["app"].state.config.token
    assert (token is not None) == needs_token
    pair = {"text": "The ferry sank.", "claim": "A ferry sank"}
    # Addressed as a browser on this machine would (a server on loopback answers loopback names only).
    base = f"http://[{host}]:8123" if ":" in host else f"http://{host}:8123"
    with TestClient(served["app"], base_url=base) as c:
        if token is not None:
            assert token in result.output  # shown once, to whoever started the server
            _error(c.post("/api/stance", json=pair), 401)
            assert (
                c.post("/api/stance", json=pair, headers={"Authorization": f"Bearer {token}"}).status_code
                == 200
            )
        else:
            assert c.post("/api/stance", json=pair).status_code == 200


# URL ingestion: public http(s) only, every hop checked


class _Site(http.server.BaseHTTPRequestHandler):
    """A tiny site: an article page, and redirects to wherever `?to=` says."""

    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        if self.path.startswith("/redirect?to="):
            self.send_response(302)
            self.send_header("Location", self.path.split("=", 1)[1])
            self.end_headers()
        elif self.path == "/article":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(METRO_PAGE)))
            self.end_headers()
            self.wfile.write(METRO_PAGE)
        elif self.path == "/data.json":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")
        else:
            self.send_error(404)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def site() -> Iterator[tuple[str, list[str]]]:
    """The site on a loopback port: (its root URL, the paths it was asked for)."""
    hits: list[str] = []
    handler = type("Site", (_Site,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def _post_urls(client: TestClient, *targets: str) -> dict[str, Any]:
    response = client.post("/api/urls", json={"urls": list(targets)})
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://127.0.0.1/", "private_address"),
        ("http://10.0.0.1/", "private_address"),
        ("http://169.254.169.254/latest/meta-data/", "private_address"),
        ("http://[::1]/", "private_address"),
        ("http://[::ffff:127.0.0.1]/", "private_address"),
        ("http://localhost/", "private_address"),
        ("http://0.0.0.0/", "private_address"),
        ("file:///etc/passwd", "scheme_not_allowed"),
        ("ftp://example.com/file.txt", "scheme_not_allowed"),
        ("gopher://example.com/", "scheme_not_allowed"),
        ("not a url", "scheme_not_allowed"),
    ],
)
def test_urls_refused(writable_db: Path, url: str, code: str) -> None:
    with TestClient(make_app(writable_db)) as c:
        outcome = _post_urls(c, url)["urls"][0]
    assert (outcome["status"], outcome["code"]) == ("refused", code)


def test_the_local_server_is_refused_before_any_request(
    writable_db: Path, site: tuple[str, list[str]]
) -> None:
    root, hits = site
    with TestClient(make_app(writable_db)) as c:
        result = _post_urls(c, f"{root}/article")
    assert result["urls"][0]["status"] == "refused" and result["added"] == 0
    assert hits == []


@pytest.mark.parametrize(
    "target",
    [
        "http://10.0.0.1/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://localhost/",
        "file:///etc/passwd",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(
    writable_db: Path, site: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    """The first hop passes (the resolver is told news.test is the local site, as if public);
    the redirect it answers is checked again, and refused."""
    root, hits = site
    port = int(root.rsplit(":", 1)[1])
    real = urls.approved_address

    def resolver(host: str, port: int, *, allow_private: bool) -> Any:
        if host == "news.test":
            return real("127.0.0.1", port, allow_private=True)
        return real(host, port, allow_private=allow_private)

    monkeypatch.setattr(urls, "approved_address", resolver)
    with TestClient(make_app(writable_db)) as c:
        outcome = _post_urls(c, f"http://news.test:{port}/redirect?to={target}")["urls"][0]
    assert outcome["status"] == "refused" and outcome["code"] in {"private_address", "scheme_not_allowed"}
    assert hits == [f"/redirect?to={target}"]  # nothing fetched past the redirect


def test_a_page_is_fetched_read_and_stored_when_private_addresses_are_allowed(
    writable_db: Path, site: tuple[str, list[str]]
) -> None:
    root, hits = site
    with TestClient(make_app(writable_db, allow_private_urls=True)) as c:
        result = _post_urls(c, f"{root}/redirect?to=/article", f"{root}/data.json", f"{root}/missing")
        stored, not_html, missing = result["urls"]
        assert stored["status"] == "stored" and stored["final_url"] == f"{root}/article"
        assert (not_html["status"], not_html["code"]) == ("failed", "not_html")
        assert (missing["status"], missing["code"]) == ("failed", "http_error")
        assert result["added"] == 1 and result["analysed"]["language"] >= 1
        article = c.get(f"/api/articles/{result['articles'][0]}").json()
    assert article["url"] == f"{root}/article" and article["input_format"] == "html"
    assert "/article" in hits


def test_fetch_limits(site: tuple[str, list[str]]) -> None:
    root, _ = site
    with pytest.raises(urls.FetchFailed) as too_large:
        urls.fetch(f"{root}/article", allow_private=True, limits=urls.FetchLimits(max_bytes=1_000))
    assert too_large.value.code == "too_large"
    with pytest.raises(urls.FetchFailed) as loop:
        urls.fetch(
            f"{root}/redirect?to=/redirect?to=/article",
            allow_private=True,
            limits=urls.FetchLimits(max_redirects=1),
        )
    assert loop.value.code == "too_many_redirects"


def test_a_page_dripping_its_headers_runs_into_the_deadline() -> None:
    """A server sending one byte of its status line and headers every 0.2 s, each in time for a
    read timeout: the whole fetch still ends at its deadline (it took 28 s with a 2 s limit)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading.Event()

    def drip() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(4096)
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + b"X-Slow: " + b"a" * 500:
                if stop.wait(0.2):
                    return
                with contextlib.suppress(OSError):
                    connection.sendall(bytes([byte]))

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        with pytest.raises(urls.FetchFailed) as late:
            urls.fetch(
                f"http://127.0.0.1:{listener.getsockname()[1]}/",
                allow_private=True,
                limits=urls.FetchLimits(seconds=1.5),
            )
    finally:
        stop.set()
        listener.close()
    assert late.value.code == "timeout" and time.monotonic() - started < 4


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("127.0.0.53", "loopback"),
        ("192.168.0.1", "private"),
        ("172.16.5.4", "private"),
        ("fd00::1", "private"),
        ("fe80::1", "link-local"),
        ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
        ("2002:a9fe:a9fe::", "link-local"),  # 6to4 around 169.254.169.254
        ("fec0::1", "site-local"),
        ("224.0.0.1", "multicast"),
        ("::", "unspecified"),
        ("100.64.0.1", "non-global"),
        ("::ffff:10.1.2.3", "private"),
    ],
)
def test_which_addresses_are_public(address: str, kind: str | None) -> None:
    import ipaddress

    assert urls.why_not_public(ipaddress.ip_address(address)) == kind


def test_another_sites_page_cannot_make_the_browser_write(writable_db: Path) -> None:
    """A hostile page the user opens may post a form to the server on loopback (no token there,
    no CORS preflight for a form): its Origin or Sec-Fetch-Site gives it away, and it is refused."""
    story = {"title": "Harbour flood", "text": HARBOUR.read_text(encoding="utf-8"), "outlet": "Coast Herald"}
    with TestClient(make_app(writable_db), base_url="http://127.0.0.1:8000") as c:
        forged = c.post("/api/articles", json=story, headers={"Origin": "http://evil.example"})
        _error(forged, 403, "cross_site_refused")
        marked = c.post(
            "/api/uploads",
            files={"file": ("a.txt", b"Story\n\nText.")},
            headers={"Sec-Fetch-Site": "cross-site"},
        )
        _error(marked, 403, "cross_site_refused")
        assert c.get("/api/articles", params={"outlet": "coast herald"}).json()["total"] == 0
        own = c.post("/api/articles", json=story, headers={"Origin": "http://127.0.0.1:8000"})
        assert own.status_code == 200 and own.json()["added"] == 1
        assert (
            c.post("/api/articles", json={**story, "title": "Again"}).status_code == 200
        )  # a script: no Origin


def test_a_server_on_loopback_answers_loopback_names_only(analysed_db: Path) -> None:
    """A DNS-rebinding page reaches 127.0.0.1 under a name of its own: the Host header tells."""
    app = create_app(analysed_db, loopback_only=True)
    with TestClient(app, base_url="http://evil.example") as c:
        _error(c.get("/api/stories"), 403, "cross_site_refused")
        assert c.get("/").status_code == 403
    for base in ("http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000"):
        with TestClient(app, base_url=base) as c:
            assert c.get("/api/stories").status_code == 200, base


def test_an_upload_sent_again_corrected_is_a_new_version(writable_db: Path) -> None:
    """An upload is stored as `upload:NAME`: the corrected file sent again under its name is a new
    version of the same article, and no temporary path of the server reaches the client."""
    first = METRO_PAGE
    corrected = METRO_PAGE.replace(
        b"tram network to the eastern suburbs", b"tram network to the northern suburbs"
    )
    assert corrected != first
    with TestClient(make_app(writable_db)) as c:
        one = c.post("/api/uploads", files={"file": ("metro.html", first, "text/html")}).json()
        two = c.post("/api/uploads", files={"file": ("metro.html", corrected, "text/html")}).json()
        assert one["added"] == 1 and two["new_versions"] == 1 and two["added"] == 0
        article = c.get(f"/api/articles/{two['articles'][0]}").json()
        assert article["source"] == "upload:metro.html" and article["version"] == 2
        rejected = c.post("/api/uploads", files={"file": ("x.bin", b"\x00\x01" * 100)}).json()["rejected"]
        assert [r["source"] for r in rejected] == ["upload:x.bin"]
        assert "/tmp" not in json.dumps([one, two, rejected])
        # A text file carries no URL or id: its name is all that says it is the same article.
        text = HARBOUR.read_bytes()
        three = c.post("/api/uploads", files={"file": ("harbour.txt", text)}).json()
        four = c.post(
            "/api/uploads", files={"file": ("harbour.txt", text + b"\n\nCorrected on Friday.")}
        ).json()
        assert three["added"] == 1 and four["new_versions"] == 1 and four["added"] == 0


def test_every_write_endpoint_is_known_to_the_early_token_check() -> None:
    """The early 401 covers exactly the POST routes of the schema (a new write endpoint must be
    added to `WRITE_PATHS`)."""
    from newsweave.server.api import WRITE_PATHS

    schema = create_app(":memory:").openapi()
    posts = {path for path, operations in schema["paths"].items() if "post" in operations}
    assert posts == WRITE_PATHS
