"""`newsweave serve`: the REST API (`/api/…`, OpenAPI at `/api/openapi.json`) and the web app
(server-rendered pages) over one store, in one process. See docs/server.md."""

from newsweave.server.app import create_app

__all__ = ["create_app"]
