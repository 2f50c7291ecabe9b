"""HEAD is answered as GET is, without the body, on every GET route, over a real HTTP connection (uvicorn).

What a review found: ``curl -I`` on any page or API route answered 405 (FastAPI routes take only the methods they are
declared with; only the static files and /openapi.json answered HEAD), so a link checker or a proxy that asks HEAD
first called every page of the dashboard broken. The test walks every GET route (tests/_dashboard_routes.py).
"""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests._dashboard_routes import REQUESTS, url
from tests._dashboard_store import build_store, dashboard_server

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db: Path = build_store(tmp_path_factory.mktemp("head"))
    yield from dashboard_server(db)


def _ask(server: str, method: str, target: str) -> tuple[int, dict[str, str], bytes]:
    where = urlsplit(server)
    con = http.client.HTTPConnection(where.hostname or "127.0.0.1", where.port, timeout=30)
    try:
        con.request(method, target)
        r = con.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        con.close()


def _targets() -> list[str]:
    out = []
    for route, requests in REQUESTS.items():
        for params in requests:
            path, query = url(route, params)
            out.append(f"{path}?{urlencode(query)}" if query else path)
    # a static file, a bad parameter (400), an address with no page (404, a page's and the API's)
    return [*out, "/static/style.css", "/?from=abc", "/api/share?unit=heads", "/no-such-page", "/api/nothing"]


@pytest.mark.parametrize("target", _targets())
def test_head_answers_as_get_without_the_body(server: str, target: str) -> None:
    got_status, got_headers, got_body = _ask(server, "GET", target)
    status, headers, body = _ask(server, "HEAD", target)
    assert status == got_status, (target, status, got_status)
    assert body == b""
    for name in ("content-type", "content-length", "content-security-policy", "cache-control", "content-disposition"):
        assert headers.get(name) == got_headers.get(name), (target, name)
    assert int(headers["content-length"]) == len(got_body) > 0
    if not target.startswith(("/?from=abc", "/api/share?unit", "/no-such", "/api/nothing")):
        assert status == 200, target
