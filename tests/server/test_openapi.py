"""The API against its own OpenAPI schema: schemathesis makes requests from the schema (valid
ones and broken ones) for each operation, and every answer must be no server error and exactly
what the schema says it is (status, content type, body), errors included.

Left out: file uploads and URL fetching (their inputs are files and the network, which the
schema cannot describe usefully; tests/server/test_api.py covers them). Posting an article runs
the whole analysis on each call, so it gets a handful of examples only.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.schemas import BaseSchema

from tests.server.api_support import copy_store, examples_db, make_app

TOKEN = "openapi-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _schema() -> BaseSchema:
    # A copy: the fuzzer posts articles, and the other tests count the examples' two.
    folder = Path(tempfile.mkdtemp(prefix="newsweave-openapi-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    app = make_app(copy_store(examples_db(), folder / "fuzzed.db"), token=TOKEN)
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


# Loaded as the module is collected: schemathesis' lazy `from_fixture` does not run under pytest 9.
api_schema = _schema()
schema = api_schema.exclude(path_regex="^/api/(uploads|urls)$")
reads = schema.include(method="GET")
writes = schema.include(method="POST").exclude(path="/api/articles")
ingest = schema.include(method="POST", path="/api/articles")
_BOUNDED = {"deadline": None, "suppress_health_check": list(HealthCheck), "database": None}


@reads.parametrize()
@settings(max_examples=25, **_BOUNDED)
def test_reads_answer_as_their_schema_says(case: schemathesis.Case) -> None:
    case.call_and_validate()


@writes.parametrize()
@settings(max_examples=25, **_BOUNDED)
def test_writes_answer_as_their_schema_says(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=AUTH)


@ingest.parametrize()
@settings(max_examples=5, **_BOUNDED)
def test_posting_articles_answers_as_its_schema_says(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=AUTH)


def test_the_schema_documents_every_endpoint() -> None:
    raw = api_schema.raw_schema
    paths = {(path, method) for path, item in raw["paths"].items() for method in item}
    assert {
        ("/api/articles", "get"),
        ("/api/articles", "post"),
        ("/api/articles/{article_id}", "get"),
        ("/api/stories", "get"),
        ("/api/stories/{story_id}", "get"),
        ("/api/entities/{entity_id}", "get"),
        ("/api/uploads", "post"),
        ("/api/urls", "post"),
        ("/api/stance", "post"),
    } <= paths
    error = raw["components"]["schemas"]["ErrorBody"]
    assert error["required"] == ["error"]
    for path, item in raw["paths"].items():
        if path.startswith("/api/"):
            for operation in item.values():
                assert operation["responses"]["422"]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ErrorBody"
                }
