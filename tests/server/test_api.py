"""The REST API on a real store (the two example articles, one story from two outlets): every
endpoint, pagination and filters, the one error shape, the token, and URL ingestion that will
not reach private addresses."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsweave.server import urls
from newsweave.server.security import token_for_host
from newsweave.store import SQLiteStore
from tests.server.api_support import TestClient, copy_store, examples_db, make_app

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


def _kim(client: TestClient) -> dict[str, Any]:
    """Kim Jong Un's entity record in the example story."""
    story = client.get("/api/stories/1").json()
    return next(e for e in story["entities"] if e["name"] == "Kim Jong Un")


# Articles: list, search, filters, pages


def test_articles_pages_cover_every_article_once(client: TestClient) -> None:
    pages = [client.get("/api/articles", params={"limit": 1, "offset": i}).json() for i in range(3)]
    assert [p["total"] for p in pages] == [2, 2, 2]
    assert [len(p["items"]) for p in pages] == [1, 1, 0]
    assert pages[0]["items"][0]["id"] != pages[1]["items"][0]["id"]
    assert (pages[1]["limit"], pages[1]["offset"]) == (1, 1)


def test_search_ranks_and_highlights_the_words_found(client: TestClient) -> None:
    found = client.get("/api/articles", params={"q": "Aurus limousine"}).json()
    assert found["total"] == 2
    scores = [hit["score"] for hit in found["items"]]
    assert scores == sorted(scores, reverse=True)
    for hit in found["items"]:
        words = [hit["snippet"][a:b].lower() for a, b in hit["highlights"]]
        assert words and set(words) <= {"aurus", "limousine", "limousines"}


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("limousines", 2),  # stemmed: "limousine" in both
        ('"special private car"', 1),  # a phrase, in Newsweek's only
        ("Pyong*", 2),  # a prefix
        ("Pyongyang unicorn", 0),  # every word must appear
        ("PYONGYANG", 2),  # case-blind
    ],
)
def test_search_understands_words_phrases_and_prefixes(client: TestClient, query: str, total: int) -> None:
    assert client.get("/api/articles", params={"q": query}).json()["total"] == total


@pytest.mark.parametrize("query", ['"', "NEAR(", "kim AND", "*", "(((", "kim\x00", "-", "a:b", "'", "^kim"])
def test_search_syntax_in_a_query_is_never_an_error(client: TestClient, query: str) -> None:
    assert client.get("/api/articles", params={"q": query}).status_code == 200
    assert client.get("/api/stories", params={"q": query}).status_code == 200


@pytest.mark.parametrize(
    ("params", "total"),
    [
        ({"outlet": "newsweek"}, 1),
        ({"outlet": "The War Zone", "q": "Aurus"}, 1),
        ({"outlet": "Nobody"}, 0),
        ({"published_from": "2024-03-18", "published_to": "2024-03-18"}, 2),
        ({"published_from": "2024-03-19"}, 0),
        ({"published_to": "2024-03-17"}, 0),
    ],
)
def test_article_filters(client: TestClient, params: dict[str, str], total: int) -> None:
    assert client.get("/api/articles", params=params).json()["total"] == total


def test_entity_filter_keeps_articles_that_mention_it(client: TestClient) -> None:
    kim = _kim(client)
    found = client.get("/api/articles", params={"entity": kim["id"]}).json()
    assert {hit["id"] for hit in found["items"]} == set(kim["articles"])


def test_one_article(client: TestClient) -> None:
    listed = client.get("/api/articles", params={"outlet": "Newsweek"}).json()["items"][0]
    article = client.get(f"/api/articles/{listed['id']}").json()
    assert article["outlet"] == "Newsweek" and article["published"] == "2024-03-18"
    assert "Kim Yo Jong" in article["body"]
    assert article["stories"] == [1]
    assert client.get(f"/api/articles/{listed['id'][:6]}").json()["id"] == listed["id"]  # a unique prefix


# Stories


def test_stories_list_and_search(client: TestClient) -> None:
    listed = client.get("/api/stories").json()
    assert listed["total"] == 1
    story = listed["items"][0]
    assert story["articles"] == 2 and set(story["outlets"]) == {"Newsweek", "The War Zone"}
    found = client.get("/api/stories", params={"q": '"special private car"'}).json()
    assert found["total"] == 1 and found["items"][0]["matched"] == 1  # in Newsweek's article only
    assert client.get("/api/stories", params={"q": "ferry"}).json()["total"] == 0
    assert client.get("/api/stories", params={"outlet": "Newsweek"}).json()["total"] == 1
    assert client.get("/api/stories", params={"offset": 1}).json() == {
        "items": [],
        "total": 1,
        "limit": 20,
        "offset": 1,
    }


def test_story_document_carries_the_whole_analysis(client: TestClient) -> None:
    story = client.get("/api/stories/1").json()
    assert [s["id"] for s in story["stories"]] == [1]
    assert {a["outlet"] for a in story["articles"]} == {"Newsweek", "The War Zone"}
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


def test_entity_profile(client: TestClient) -> None:
    kim = client.get(f"/api/entities/{_kim(client)['id']}").json()
    assert kim["name"] == "Kim Jong Un" and kim["type"] == "PERSON"
    assert "Kim" in kim["aliases"] and kim["articles"] == 2
    assert {"outlet": "The War Zone", "roles": ["North Korea’s Supreme Leader"]}.items() <= kim["roles"][
        0
    ].items()
    assert kim["quotes"] and all(q["outlet"] == "The War Zone" for q in kim["quotes"])
    assert [s["id"] for s in kim["stories"]] == [1]


# Stance


def test_stance(client: TestClient) -> None:
    answer = client.post(
        "/api/stance",
        json={
            "text": "Kim Jong Un rode in the Aurus limousine that Vladimir Putin gave him, state media said.",
            "claim": "Putin gave Kim Jong Un a limousine",
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
    with TestClient(served["app"]) as c:
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
        ("224.0.0.1", "multicast"),
        ("::", "unspecified"),
        ("100.64.0.1", "non-global"),
        ("::ffff:10.1.2.3", "private"),
    ],
)
def test_which_addresses_are_public(address: str, kind: str | None) -> None:
    import ipaddress

    assert urls.why_not_public(ipaddress.ip_address(address)) == kind
