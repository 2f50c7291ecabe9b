"""`crewparity fetch wikidata-genders` against a real HTTP server on 127.0.0.1 speaking the endpoint's format."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs

import duckdb
import pytest

from crewparity.sources.http import USER_AGENT
from tests._local_server import local_server
from tests.conftest import run_cli
from tests.test_source_wikidata import snapshot

E = "http://www.wikidata.org/entity/"
GENDER_OF = {0: "Q6581072", 1: "Q6581097", 2: "Q48270", 3: "Q1097630"}  # woman, man, nonbinary, skipped
#: a scripted answer: (HTTP status, Retry-After header or None), or TIMEOUT
Failure = tuple[int, str | None]
TIMEOUT: Failure = (200, "java.util.concurrent.TimeoutException")


class Endpoint:
    """A SPARQL endpoint stand-in: parses VALUES, answers sparql-results+json, fails as scripted."""

    def __init__(self, failures: list[Failure], batches: dict[int, list[Failure]] | None = None):
        self.failures = list(failures)
        #: failures for the Nth distinct set of ids asked (1-based; a retry asks the same set), answered in turn
        self.batches = {n: list(f) for n, f in (batches or {}).items()}
        self.seen: list[list[str]] = []
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
                    if ids not in ep.seen:
                        ep.seen.append(ids)
                    scripted = ep.batches.get(ep.seen.index(ids) + 1)
                    failure = (scripted.pop(0) if scripted else ep.failures.pop(0) if ep.failures else None)
                if failure == TIMEOUT:
                    # how Wikidata's endpoint reports a query timeout once the answer has begun: HTTP 200, the
                    # JSON cut off, then the Java exception
                    text = '{"head": {"vars": ["person", "imdb", "gender"]}, "results": {"bindings": [{"imdb": '
                    text += ("\nSPARQL-QUERY: queryStr=SELECT ...\njava.util.concurrent.TimeoutException\n"
                             "\tat java.util.concurrent.FutureTask.get(FutureTask.java:205)\n")
                    self.send_response(200)
                    self.send_header("Content-Type", "application/sparql-results+json")
                    self.end_headers()
                    self.wfile.write(text.encode())
                    return
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
    with ExitStack() as servers:
        def start(endpoint: Endpoint) -> str:
            return servers.enter_context(local_server(endpoint.handler(), "/sparql"))

        yield start


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
    # 44.8 ms on a loaded machine, another 37.2 ms at a load average of 6.7 on 2 cores), so single gaps get 20 ms
    # of slack and their mean 2 ms
    assert min(gaps) >= 0.030
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
    people = key_people(store)
    assert r.stderr.strip().splitlines()[-1] == (
        f"crewparity: error: {url}: batch 1 of 1 (people {people[0]} to {people[-1]}): HTTP 500 after 3 attempts; "
        "try again later")
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


def test_no_retry_reads_after_1_attempt(store: Path) -> None:
    """--max-retries 0 makes one attempt, and the error says so in the singular (it read "after 1 attempts")."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = run_cli("fetch", "wikidata-genders", "--db", str(store), "--endpoint", f"http://127.0.0.1:{port}/sparql",
                "--max-retries", "0", "--rate", "50")
    assert r.returncode == 1
    assert "connection failed (ConnectError) after 1 attempt; try again later" in r.stderr


def test_nothing_listening_is_one_line(store: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = run_cli("fetch", "wikidata-genders", "--db", str(store), "--endpoint", f"http://127.0.0.1:{port}/sparql",
                "--max-retries", "1", "--backoff", "0.01", "--rate", "50")
    assert r.returncode == 1
    assert "connection failed" in r.stderr and "after 2 attempts" in r.stderr


# --- the endpoint's query timeout: HTTP 200, the JSON cut off, then java.util.concurrent.TimeoutException ---

def expected_evidence(endpoint: Endpoint, people: list[str]) -> list[tuple[str, str, float]]:
    canon = {"Q6581072": "woman", "Q6581097": "man", "Q48270": "nonbinary"}
    return [(p, canon[endpoint.gender_for(p)], 0.99) for p in people if endpoint.gender_for(p) in canon]


def wikidata_evidence(db: Path) -> list[tuple[str, str, float]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT person_id, gender, confidence FROM gender_evidence WHERE source = 'wikidata' "
                           "ORDER BY 1").fetchall()
    finally:
        con.close()


def test_a_timed_out_answer_is_retried_like_a_5xx(store: Path, serve) -> None:  # type: ignore[no-untyped-def]
    people = key_people(store)
    endpoint = Endpoint([], batches={3: [TIMEOUT, TIMEOUT]})
    url = serve(endpoint)
    r = run_cli("fetch", "wikidata-genders", "--db", str(store), "--endpoint", url, "--batch", "3", "--rate", "50",
                "--backoff", "0.05")
    assert r.returncode == 0, r.stderr
    pages = -(-len(people) // 3)
    assert len(endpoint.requests) == pages + 2
    third = [q for q in endpoint.requests if q["ids"] == people[6:9]]
    assert len(third) == 3
    assert third[2]["at"] - third[1]["at"] >= 0.09  # the second retry waited 2 x --backoff, as after a 5xx
    assert wikidata_evidence(store) == expected_evidence(endpoint, people)


def test_a_batch_that_keeps_timing_out_is_named_and_the_store_kept(store: Path, serve) -> None:  # type: ignore[no-untyped-def]
    people = key_people(store)
    pages = -(-len(people) // 3)
    endpoint = Endpoint([], batches={3: [TIMEOUT] * 10})
    url = serve(endpoint)
    before = snapshot(store)
    r = run_cli("fetch", "wikidata-genders", "--db", str(store), "--endpoint", url, "--batch", "3", "--rate", "50",
                "--max-retries", "2", "--backoff", "0.01")
    assert r.returncode == 1
    error = r.stderr.strip().splitlines()[-1]
    assert error.startswith(f"crewparity: error: {url}: batch 3 of {pages} (people {people[6]} to {people[8]}): "
                            "the query timed out at the endpoint"), error
    assert "java.util.concurrent.TimeoutException" in error
    assert "after 3 attempts; try again later or with a smaller --batch;" in error
    # without --save, what arrived cannot be kept: the message says so and how to keep it next time
    assert "the 2 batches before it (6 people) are not kept" in error and "--save FILE" in error
    assert len(endpoint.requests) == 2 + 3
    assert snapshot(store) == before


def test_an_answer_that_is_not_json_at_all_is_not_retried(store: Path, serve) -> None:  # type: ignore[no-untyped-def]
    """An HTML page (a proxy's, a wrong --endpoint) is no timeout: asking again would not help."""
    people = key_people(store)

    class Html(Endpoint):
        def handler(self) -> type[BaseHTTPRequestHandler]:
            ep = self

            class Handler(BaseHTTPRequestHandler):
                def log_message(self, *args: object) -> None:
                    pass

                def do_POST(self) -> None:  # noqa: N802
                    self.rfile.read(int(self.headers.get("Content-Length", 0)))
                    ep.requests.append({})
                    data = b"<html><body>Welcome</body></html>"
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)

            return Handler

    endpoint = Html([])
    url = serve(endpoint)
    r = run_cli("fetch", "wikidata-genders", "--db", str(store), "--endpoint", url, "--rate", "50")
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1] == (
        f"crewparity: error: {url}: batch 1 of 1 (people {people[0]} to {people[-1]}): the answer is not JSON; "
        "expected application/sparql-results+json")
    assert len(endpoint.requests) == 1


def ids(n: int) -> list[str]:
    return [f"nm{i:07d}" for i in range(1, n + 1)]


def test_save_keeps_what_arrived_and_the_same_call_continues(store: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                             serve) -> None:
    """The fetch itself (what `fetch wikidata-genders --save` runs): a batch that fails for good leaves the
    batches before it in the --save file, which `ingest wikidata` reads; the same call again asks only the rest."""
    from crewparity.errors import CrewparityError
    from crewparity.sources.http import fetch_genders

    people = ids(20)
    endpoint = Endpoint([], batches={3: [TIMEOUT] * 3})
    url = serve(endpoint)
    part = tmp_path / "part.json"
    with pytest.raises(CrewparityError) as err:
        fetch_genders(people, endpoint=url, batch=3, rate=50, max_retries=2, backoff=0.01, save=part)
    message = str(err.value)
    assert message.startswith(f"{url}: batch 3 of 7 (people nm0000007 to nm0000009): the query timed out")
    assert (f"what arrived before it is saved in {part} (6 people asked, 6 answers): run the same command again "
            "to continue from there") in message, message
    saved = json.loads(part.read_text(encoding="utf-8"))
    assert [b["imdb"]["value"] for b in saved["results"]["bindings"]] == people[:6]
    assert saved["crewparity"]["partial"] is True and saved["crewparity"]["asked"] == people[:6]
    assert saved["crewparity"]["endpoint"] == url
    # `ingest wikidata` reads the partial file as it is
    r = run_cli("ingest", "wikidata", str(part), "--db", str(store))
    assert r.returncode == 0, r.stderr
    assert wikidata_evidence(store) == expected_evidence(endpoint, people[:6])

    # the endpoint is well again: the same call asks only the 14 people not asked yet
    asked_before = len(endpoint.requests)
    pages = fetch_genders(people, endpoint=url, batch=3, rate=50, max_retries=2, backoff=0.01, save=part)
    again = endpoint.requests[asked_before:]
    assert [i for q in again for i in q["ids"]] == people[6:]  # type: ignore[attr-defined]
    assert sorted(b["imdb"]["value"] for p in pages for b in p["results"]["bindings"]) == people
    done = json.loads(part.read_text(encoding="utf-8"))
    assert "crewparity" not in done  # complete: a plain SPARQL JSON result
    assert [b["imdb"]["value"] for b in done["results"]["bindings"]] == people
    # a complete file is not continued: the next run asks everyone again
    asked_before = len(endpoint.requests)
    fetch_genders(people, endpoint=url, batch=10, rate=50, save=part)
    assert [i for q in endpoint.requests[asked_before:] for i in q["ids"]] == people  # type: ignore[attr-defined]


def test_a_partial_file_from_another_endpoint_is_not_mixed_in(tmp_path: Path, serve) -> None:  # type: ignore[no-untyped-def]
    from crewparity.errors import CrewparityError
    from crewparity.sources.http import fetch_genders

    part = tmp_path / "part.json"
    part.write_text(json.dumps({"head": {"vars": ["person", "imdb", "gender"]}, "results": {"bindings": []},
                                "crewparity": {"partial": True, "asked": ["nm0000001"],
                                               "endpoint": "https://query.wikidata.org/sparql"}}), encoding="utf-8")
    endpoint = Endpoint([])
    url = serve(endpoint)
    with pytest.raises(CrewparityError, match="holds a partial fetch from https://query.wikidata.org/sparql"):
        fetch_genders(ids(5), endpoint=url, rate=50, save=part)
    assert endpoint.requests == []


def test_a_save_file_in_no_folder_fails_before_any_request(tmp_path: Path, serve) -> None:  # type: ignore[no-untyped-def]
    from crewparity.errors import CrewparityError
    from crewparity.sources.http import fetch_genders

    endpoint = Endpoint([])
    url = serve(endpoint)
    with pytest.raises(CrewparityError, match="no such folder"):
        fetch_genders(ids(5), endpoint=url, rate=50, save=tmp_path / "nowhere" / "part.json")
    assert endpoint.requests == []


# --- a redirected stderr (a log file, nohup) gets plain lines: the batches done and every retry ---

LIVE_MARKS = re.compile(r"[\u2800-\u28ff]|\x1b\[|\r")


def test_a_redirected_fetch_logs_batches_and_retries(store: Path, serve) -> None:  # type: ignore[no-untyped-def]
    people = key_people(store)
    pages = -(-len(people) // 3)
    endpoint = Endpoint([(429, "1"), (503, None)], batches={4: [TIMEOUT]})
    url = serve(endpoint)
    r = run_cli("fetch", "wikidata-genders", "--db", str(store), "--endpoint", url, "--batch", "3", "--rate", "50",
                "--backoff", "0.2")
    assert r.returncode == 0, r.stderr
    assert not LIVE_MARKS.search(r.stderr), repr(r.stderr)
    first = f"wikidata: batch 1 of {pages} (people {people[0]} to {people[2]})"
    fourth = f"wikidata: batch 4 of {pages} (people {people[9]} to {people[11]})"
    expected = [re.escape(f"{first}: HTTP 429; retry 1 of 5 in 1.0 s (Retry-After)"),
                re.escape(f"{first}: HTTP 503; retry 2 of 5 in 0.4 s")]
    for n in range(1, pages + 1):
        if n == 4:
            expected.append(re.escape(f"{fourth}: the query timed out at the endpoint (")
                            + r".*java\.util\.concurrent\.TimeoutException.*" + re.escape("; retry 1 of 5 in 0.2 s"))
        # the count is of batches, and the line says so (it said "requests", which the retries are too)
        expected.append(re.escape(f"wikidata: {n}/{pages} batches of up to 3 people ") + r"\d:\d\d:\d\d")
    lines = r.stderr.splitlines()
    assert len(lines) == len(expected), r.stderr
    for line, pattern in zip(lines, expected, strict=True):
        assert re.fullmatch(pattern, line), (line, pattern)


def test_an_interrupted_fetch_keeps_what_arrived(tmp_path: Path, serve) -> None:  # type: ignore[no-untyped-def]
    """Ctrl-C in the middle (here: the endpoint interrupts the main thread when the third batch arrives) leaves
    the batches answered before it in the --save file, and the same call continues from there."""
    import _thread

    from crewparity.sources.http import fetch_genders

    people = ids(20)

    class Interrupting(Endpoint):
        interrupted = False

        def gender_for(self, imdb: str) -> str:
            if imdb == people[6] and not self.interrupted:
                self.interrupted = True
                _thread.interrupt_main()
            return super().gender_for(imdb)

    endpoint = Interrupting([])
    url = serve(endpoint)
    part = tmp_path / "part.json"
    with pytest.raises(KeyboardInterrupt):
        fetch_genders(people, endpoint=url, batch=3, rate=50, save=part)
    saved = json.loads(part.read_text(encoding="utf-8"))["crewparity"]["asked"]
    # the interruption lands in the third batch or just after it: the file holds whole batches answered
    assert saved in (people[:6], people[:9])
    asked_before = len(endpoint.requests)
    pages = fetch_genders(people, endpoint=url, batch=3, rate=50, save=part)
    assert [i for q in endpoint.requests[asked_before:] for i in q["ids"]] == people[len(saved):]  # type: ignore[attr-defined]
    assert sorted(b["imdb"]["value"] for p in pages for b in p["results"]["bindings"]) == people


def test_fetch_save_keeps_what_arrived_and_the_same_command_continues(store: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                      serve) -> None:
    people = key_people(store)
    pages = -(-len(people) // 3)
    endpoint = Endpoint([], batches={3: [TIMEOUT] * 3})
    url = serve(endpoint)
    part = tmp_path / "part.json"
    before = snapshot(store)
    command = ("fetch", "wikidata-genders", "--db", str(store), "--endpoint", url, "--batch", "3", "--rate", "50",
               "--max-retries", "2", "--backoff", "0.01", "--save", str(part))
    r = run_cli(*command)
    assert r.returncode == 1
    error = r.stderr.strip().splitlines()[-1]
    assert error.startswith(f"crewparity: error: {url}: batch 3 of {pages} (people {people[6]} to {people[8]}): "), error
    assert (f"what arrived before it is saved in {part} (6 people asked, 6 answers): run the same command again to "
            f"continue from there, or load it now with `crewparity ingest wikidata {part}`; the store is "
            "unchanged") in error, error
    assert snapshot(store) == before  # never half a fetch in the store
    saved = json.loads(part.read_text(encoding="utf-8"))
    assert saved["crewparity"]["asked"] == people[:6]

    asked_before = len(endpoint.requests)
    r = run_cli(*command)
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines()[0] == (f"wikidata: continuing the fetch saved in {part}: 6 of {len(people)} people "
                                        f"asked already, {len(people) - 6} to ask")
    assert [i for q in endpoint.requests[asked_before:] for i in q["ids"]] == people[6:]  # type: ignore[attr-defined]
    assert wikidata_evidence(store) == expected_evidence(endpoint, people)
    done = json.loads(part.read_text(encoding="utf-8"))
    assert "crewparity" not in done
    assert sorted(b["imdb"]["value"] for b in done["results"]["bindings"]) == people


# --- what the source note says of a fetch: batches asked and requests made, apart from what a --save resumed ---

def sources_location(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT location FROM sources WHERE source = 'wikidata'").fetchall()
    finally:
        con.close()
    assert len(rows) == 1, rows
    return str(rows[0][0])


def test_the_note_counts_batches_asked_and_resumed_apart(store: Path, tmp_path: Path, serve) -> None:  # type: ignore[no-untyped-def]
    """A fetch continued from its --save file: the source note (sources table, the summary's title) counts the
    batches asked in this run and the HTTP requests they took, and the people resumed from the file, apart. It
    said "N requests" for the pages, the resumed file one of them, and no retry."""
    people = key_people(store)
    pages = -(-len(people) // 3)
    assert pages >= 4
    endpoint = Endpoint([], batches={3: [TIMEOUT] * 3})
    url = serve(endpoint)
    part = tmp_path / "part.json"
    args = ("fetch", "wikidata-genders", "--db", str(store), "--endpoint", url, "--batch", "3", "--rate", "50",
            "--max-retries", "2", "--backoff", "0.01", "--save", str(part))
    r = run_cli(*args)
    assert r.returncode == 1 and "6 people asked, 6 answers" in r.stderr, r.stderr
    resumed_answers = len(json.loads(part.read_text(encoding="utf-8"))["results"]["bindings"])
    # the endpoint is well again, but the first batch of this run (the third, which failed) is answered at its
    # second attempt
    endpoint.batches = {3: [(503, None)]}
    r = run_cli(*args)
    assert r.returncode == 0, r.stderr
    asked = pages - 2
    expected = (f"{url} ({len(people)} IMDb ids: {asked} batches of up to 3 asked in {asked + 1} requests; "
                f"6 people ({resumed_answers} answers) resumed from {part})")
    assert sources_location(store) == expected
    assert f"Ingested Wikidata genders from {expected}" in " ".join(r.stdout.split())


def test_the_note_of_a_fetch_in_one_run(store: Path, serve) -> None:  # type: ignore[no-untyped-def]
    people = key_people(store)
    endpoint = Endpoint([(503, None)])
    url = serve(endpoint)
    r = run_cli("fetch", "wikidata-genders", "--db", str(store), "--endpoint", url, "--batch", str(len(people)),
                "--rate", "50", "--backoff", "0.01")
    assert r.returncode == 0, r.stderr
    assert sources_location(store) == f"{url} ({len(people)} IMDb ids: 1 batch of up to {len(people)} asked in 2 requests)"
