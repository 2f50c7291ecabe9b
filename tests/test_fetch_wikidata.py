"""`crewparity fetch wikidata-genders` against a real HTTP server on 127.0.0.1 speaking the endpoint's format."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import duckdb
import pytest

from crewparity.sources.http import USER_AGENT
from tests.conftest import run_cli
from tests.test_source_wikidata import snapshot

E = "http://www.wikidata.org/entity/"
GENDER_OF = {0: "Q6581072", 1: "Q6581097", 2: "Q48270", 3: "Q1097630"}  # woman, man, nonbinary, skipped


class Endpoint:
    """A SPARQL endpoint stand-in: parses VALUES, answers sparql-results+json, fails as scripted."""

    def __init__(self, failures: list[tuple[int, str | None]]):
        self.failures = list(failures)
        self.requests: list[dict[str, object]] = []
        self.lock = threading.Lock()

    def gender_for(self, imdb: str) -> str:
        return GENDER_OF[int(imdb[2:]) % 4]

    def handler(self) -> type[BaseHTTPRequestHandler]:
        ep = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                query = parse_qs(body)["query"][0]
                values = re.search(r"VALUES \?imdb \{([^}]*)\}", query)
                ids = re.findall(r'"(nm\d+)"', values.group(1)) if values else []
                with ep.lock:
                    ep.requests.append({"ua": self.headers.get("User-Agent"), "accept": self.headers.get("Accept"),
                                        "ids": ids, "at": time.monotonic()})
                    failure = ep.failures.pop(0) if ep.failures else None
                if failure is not None:
                    status, retry_after = failure
                    self.send_response(status)
                    if retry_after is not None:
                        self.send_header("Retry-After", retry_after)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                bindings = [{"person": {"type": "uri", "value": f"{E}Q{i[2:]}"},
                             "imdb": {"type": "literal", "value": i},
                             "gender": {"type": "uri", "value": E + ep.gender_for(i)}} for i in ids]
                import json

                data = json.dumps({"head": {"vars": ["person", "imdb", "gender"]},
                                   "results": {"bindings": bindings}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


@pytest.fixture()
def serve() -> Iterator:
    servers: list[ThreadingHTTPServer] = []

    def start(endpoint: Endpoint) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), endpoint.handler())
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/sparql"

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


def key_people(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT DISTINCT c.person_id FROM credits c WHERE c.role <> 'actor' "
                                          "AND c.person_id LIKE 'nm%' ORDER BY 1").fetchall()]
    finally:
        con.close()


def test_fetch_pages_retries_and_ingests(store: Path, tmp_path: Path, serve) -> None:  # type: ignore[no-untyped-def]
    people = key_people(store)
    assert len(people) > 10
    endpoint = Endpoint([(429, "1"), (503, None)])
    url = serve(endpoint)
    saved = tmp_path / "saved.json"
    started = time.monotonic()
    r = run_cli("fetch", "wikidata-genders", "--db", str(store), "--endpoint", url, "--batch", "5",
                "--rate", "20", "--backoff", "0.2", "--save", str(saved))
    assert r.returncode == 0, r.stderr
    reqs = endpoint.requests
    pages = -(-len(people) // 5)
    assert len(reqs) == pages + 2  # the first page was asked three times: 429, 503, then answered
    assert reqs[0]["ids"] == reqs[1]["ids"] == reqs[2]["ids"]
    assert reqs[1]["at"] - reqs[0]["at"] >= 0.95  # Retry-After: 1 honoured
    assert reqs[2]["at"] - reqs[1]["at"] >= 0.19  # backoff when there is no Retry-After
    assert all(r_["ua"] == USER_AGENT for r_ in reqs)
    assert USER_AGENT.startswith("crewparity/") and "github.com/crewparity" in USER_AGENT
    assert all(r_["accept"] == "application/sparql-results+json" for r_ in reqs)
    assert all(len(r_["ids"]) <= 5 for r_ in reqs)  # type: ignore[arg-type]
    assert sorted({i for r_ in reqs[2:] for i in r_["ids"]}) == people  # type: ignore[union-attr]
    gaps = [b["at"] - a["at"] for a, b in zip(reqs[2:], reqs[3:], strict=False)]
    # --rate 20: at most one request per 50 ms, as sent; arrival times here jitter by a few ms (one gap measured
    # 44.8 ms on a loaded machine), so single gaps get 10 ms of slack and their mean 2 ms
    assert min(gaps) >= 0.040
    assert (reqs[-1]["at"] - reqs[2]["at"]) / (len(reqs) - 3) >= 0.048
    assert time.monotonic() - started < 30

    con = duckdb.connect(str(store), read_only=True)
    ev = con.execute("SELECT person_id, gender, confidence FROM gender_evidence WHERE source = 'wikidata' "
                     "ORDER BY 1").fetchall()
    resolved = dict(con.execute("SELECT person_id, gender FROM resolved_gender WHERE source = 'wikidata'").fetchall())
    con.close()
    canon = {"Q6581072": "woman", "Q6581097": "man", "Q48270": "nonbinary"}
    expected = [(p, canon[endpoint.gender_for(p)], 0.99) for p in people if endpoint.gender_for(p) in canon]
    assert ev == expected
    assert resolved == {p: g for p, g, _ in expected}
    # The saved result is a SPARQL JSON document that `ingest wikidata` reads back to the same evidence.
    r2 = run_cli("ingest", "wikidata", str(saved), "--db", str(store))
    assert r2.returncode == 0, r2.stderr
    con = duckdb.connect(str(store), read_only=True)
    again = con.execute("SELECT person_id, gender, confidence FROM gender_evidence WHERE source = 'wikidata' "
                        "ORDER BY 1").fetchall()
    con.close()
    assert again == expected


def test_endpoint_that_keeps_failing_leaves_the_store(store: Path, serve) -> None:  # type: ignore[no-untyped-def]
    endpoint = Endpoint([(500, None)] * 10)
    url = serve(endpoint)
    before = snapshot(store)
    r = run_cli("fetch", "wikidata-genders", "--db", str(store), "--endpoint", url, "--rate", "50",
                "--max-retries", "2", "--backoff", "0.01")
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1] == f"crewparity: error: {url}: HTTP 500 after 3 attempts; try again later"
    assert len(endpoint.requests) == 3
    assert snapshot(store) == before


def test_bad_request_is_not_retried(store: Path, serve) -> None:  # type: ignore[no-untyped-def]
    endpoint = Endpoint([(400, None)])
    url = serve(endpoint)
    before = snapshot(store)
    r = run_cli("fetch", "wikidata-genders", "--db", str(store), "--endpoint", url, "--rate", "50")
    assert r.returncode == 1
    assert "HTTP 400" in r.stderr
    assert len(endpoint.requests) == 1
    assert snapshot(store) == before


def test_nothing_listening_is_one_line(store: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = run_cli("fetch", "wikidata-genders", "--db", str(store), "--endpoint", f"http://127.0.0.1:{port}/sparql",
                "--max-retries", "1", "--backoff", "0.01", "--rate", "50")
    assert r.returncode == 1
    assert "connection failed" in r.stderr and "after 2 attempts" in r.stderr
