"""`crewparity fetch tmdb` against a real HTTP server on 127.0.0.1 answering TMDB API v3 paths with the real
responses of the shared data (../shared/data/tmdb_api: Silicon Valley, tv 60573, every season; Parasite, movie
496243; Quentin Tarantino, person 138), checking the key and failing as scripted."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest

from crewparity import api
from crewparity.errors import ArgumentError, CrewparityError
from crewparity.sources.http import USER_AGENT
from tests._local_server import local_server
from tests.conftest import SHARED_DATA, run_cli
from tests.test_source_wikidata import snapshot

DATA = SHARED_DATA / "tmdb_api"
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"shared TMDB responses not found at {DATA}")

KEY = "k3y-for-tests-0123456789abcdef"
#: a v4 read access token's shape (a JWT: three base64url parts)
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJjcmV3cGFyaXR5LXRlc3RzIn0.c2lnbmF0dXJlLWZvci10ZXN0cy1vbmx5"
SERIES, MOVIE = 60573, 496243
SEASONS = range(7)  # show.json lists seasons 0 (specials) to 6
#: API path -> shared file
FILES = {f"/tv/{SERIES}": "show.json", f"/tv/{SERIES}/aggregate_credits": "showCredits.json",
         **{f"/tv/{SERIES}/season/{n}": f"showSeason{n}.json" for n in SEASONS},
         f"/movie/{MOVIE}": "movie.json", f"/movie/{MOVIE}/credits": "movieCredits.json", "/person/138": "person.json"}
SERIES_FILES = ["tv-60573.json", "tv-60573-aggregate_credits.json", *(f"tv-60573-season-{n}.json" for n in SEASONS)]
DROP = (0, None)  #: a scripted failure: close the connection without an answer


def person_page(pid: int) -> bytes:
    """/person/{id}: the real one for 138; for anyone else person.json's shape with that person's id, an IMDb id
    of the form nm9{id} and a birthday from the id, gender 0 (the credits carry the genders)."""
    if pid == 138:
        return (DATA / "person.json").read_bytes()
    doc = json.loads((DATA / "person.json").read_text(encoding="utf-8"))
    doc.update(id=pid, imdb_id=f"nm9{pid:07d}", name=f"Person {pid}", gender=0,
               birthday=f"{1940 + pid % 50}-05-01", deathday=None, biography="")
    return json.dumps(doc).encode()


class Tmdb:
    """A TMDB API v3 stand-in: the shared responses by path, the key checked, failures as scripted."""

    def __init__(self, failures: list[tuple[int, str | None]] | None = None,
                 by_path: dict[str, list[tuple[int, str | None]]] | None = None, missing: set[str] | None = None):
        self.failures = list(failures or [])            # for the next requests, whatever they ask
        self.by_path = {p: list(f) for p, f in (by_path or {}).items()}  # for the next requests of a path
        self.missing = set(missing or ())              # paths answered 404
        self.requests: list[dict[str, Any]] = []
        self.served: dict[str, bytes] = {}
        self.lock = threading.Lock()

    def body(self, path: str) -> bytes | None:
        if path in self.missing:
            return None
        if path in FILES:
            return (DATA / FILES[path]).read_bytes()
        m = re.fullmatch(r"/person/(\d+)", path)
        return person_page(int(m.group(1))) if m else None

    def handler(self) -> type[BaseHTTPRequestHandler]:
        tmdb = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def answer(self, status: int, body: bytes, retry_after: str | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                if retry_after is not None:
                    self.send_header("Retry-After", retry_after)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                url = urlsplit(self.path)
                path = url.path.removeprefix("/3")
                key = parse_qs(url.query).get("api_key", [None])[0]
                bearer = self.headers.get("Authorization")
                with tmdb.lock:
                    tmdb.requests.append({"path": path, "ua": self.headers.get("User-Agent"), "key": key,
                                          "bearer": bearer, "at": time.monotonic()})
                    scripted = tmdb.by_path.get(path)
                    failure = scripted.pop(0) if scripted else tmdb.failures.pop(0) if tmdb.failures else None
                if failure == DROP:
                    self.close_connection = True
                    self.connection.close()
                    return
                if failure is not None:
                    self.answer(failure[0], b'{"status_code":11,"status_message":"Internal error.","success":false}',
                                failure[1])
                    return
                if key != KEY and bearer != f"Bearer {TOKEN}":
                    self.answer(401, b'{"status_code":7,"status_message":"Invalid API key: You must be granted a '
                                     b'valid key.","success":false}')
                    return
                body = tmdb.body(path)
                if body is None:
                    self.answer(404, b'{"success":false,"status_code":34,"status_message":"The resource you '
                                     b'requested could not be found."}')
                    return
                with tmdb.lock:
                    tmdb.served[path] = body
                self.answer(200, body)

        return Handler


@pytest.fixture()
def serve() -> Iterator:
    with ExitStack() as servers:
        def start(tmdb: Tmdb) -> str:
            return servers.enter_context(local_server(tmdb.handler(), "/3"))

        yield start


def fetch_cli(*args: str, env: dict[str, str] | None = None) -> Any:
    return run_cli("fetch", "tmdb", *args, "--backoff", "0", "--rate", "200",
                   env={"TMDB_API_KEY": KEY, "TMDB_TOKEN": ""} | (env or {}))


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def contents(db: Path) -> dict[str, list]:
    """The store's rows, without the sources table (whose load times differ between two loads of the same files)."""
    return {t: r for t, r in snapshot(db).items() if t != "sources"}


def episode_directors() -> set[tuple[str, str, str]]:
    """(episode id, person id, TMDB gender) of every episode's director, as the season files give them."""
    genders = {1: "woman", 2: "man", 3: "nonbinary"}
    out = set()
    for n in SEASONS:
        doc = json.loads((DATA / f"showSeason{n}.json").read_text(encoding="utf-8"))
        for ep in doc["episodes"]:
            for c in ep["crew"]:
                if c["job"] == "Director" and c["gender"] in genders:
                    out.add((f"tmdb:tv:{SERIES}:s{ep['season_number']}e{ep['episode_number']}",
                             f"tmdb:person:{c['id']}", genders[c["gender"]]))
    return out


def test_series_every_season_saved_and_ingested_through_failures(tmp_path: Path, serve) -> None:  # type: ignore[no-untyped-def]
    # 429 with Retry-After once, a 503, a dropped connection: each retried, nothing lost
    tmdb = Tmdb(failures=[(429, "1"), (503, None)], by_path={f"/tv/{SERIES}/season/3": [DROP]})
    url = serve(tmdb)
    folder, db = tmp_path / "tmdb-api", tmp_path / "t.duckdb"
    r = fetch_cli(f"tv:{SERIES}", "--save", str(folder), "--db", str(db), "--base-url", url)
    assert r.returncode == 0, r.stderr
    paths = [q["path"] for q in tmdb.requests]
    assert paths[:3] == [f"/tv/{SERIES}"] * 3      # 429, 503, answered
    assert paths.count(f"/tv/{SERIES}/season/3") == 2  # dropped, answered
    assert len(paths) == 9 + 3
    assert tmdb.requests[1]["at"] - tmdb.requests[0]["at"] >= 0.95  # Retry-After: 1 honoured
    assert all(q["ua"] == USER_AGENT and q["key"] == KEY and q["bearer"] is None for q in tmdb.requests)
    assert "HTTP 429; retry 1 of 5 in 1.0 s (Retry-After)" in r.stderr
    # every response saved as served, under a name that says what it is
    assert sorted(p.name for p in folder.iterdir()) == sorted(SERIES_FILES)
    for path, name in FILES.items():
        if path.startswith("/tv/"):
            saved = folder / ("tv-" + "-".join(path.split("/")[2:]) + ".json")
            assert saved.read_bytes() == tmdb.served[path] == (DATA / name).read_bytes()
    # the store: every episode of every season, each episode's directors with TMDB's genders
    episodes = rows(db, f"SELECT season, count(*) FROM titles WHERE series_id = 'tmdb:tv:{SERIES}' "
                        "AND kind = 'tv_episode' GROUP BY 1 ORDER BY 1")
    assert episodes == [(0, 5), (1, 8), (2, 10), (3, 10), (4, 10), (5, 8), (6, 7)]
    directors = set(rows(db, "SELECT c.title_id, c.person_id, e.gender FROM credits c JOIN gender_evidence e "
                             "USING (person_id) WHERE c.role = 'director' AND e.source = 'tmdb' "
                             f"AND c.title_id LIKE 'tmdb:tv:{SERIES}:%'"))
    assert directors == episode_directors() and len(directors) == 29
    # the key is nowhere: not in the files, the output, the store's notes
    assert all(KEY not in p.read_text(encoding="utf-8") for p in folder.iterdir())
    assert KEY not in r.stdout + r.stderr
    assert not [n for n in rows(db, "SELECT * FROM sources") if KEY in repr(n)]
    assert f"9 TMDB responses: 9 asked in 12 requests, 0 reused from {folder}" in r.stdout
    assert f"Ingested 9 TMDB file(s) from {folder}" in r.stdout
    before = contents(db)

    # a rerun reuses the saved files: no request, the same store
    tmdb.requests.clear()
    r = fetch_cli(f"tv:{SERIES}", "--save", str(folder), "--db", str(db), "--base-url", url)
    assert r.returncode == 0, r.stderr
    assert tmdb.requests == []
    assert "9 TMDB responses: 0 asked in 0 requests, 9 reused" in r.stdout
    assert contents(db) == before
    # --refresh asks everything again, at most --rate per second
    r = run_cli("fetch", "tmdb", f"tv:{SERIES}", "--save", str(folder), "--db", str(db), "--base-url", url,
                "--refresh", "--rate", "20", env={"TMDB_API_KEY": KEY})
    assert r.returncode == 0, r.stderr
    assert len(tmdb.requests) == 9
    gaps = [b["at"] - a["at"] for a, b in zip(tmdb.requests, tmdb.requests[1:], strict=False)]
    assert min(gaps) >= 0.03 and (tmdb.requests[-1]["at"] - tmdb.requests[0]["at"]) / 8 >= 0.045
    assert contents(db) == before
    # and `ingest tmdb DIR/*.json` offline gives the same store
    r = run_cli("ingest", "tmdb", *sorted(map(str, folder.glob("*.json"))), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert contents(db) == before


def test_refused_key_leaves_the_store(store: Path, tmp_path: Path, serve) -> None:  # type: ignore[no-untyped-def]
    tmdb = Tmdb()
    url = serve(tmdb)
    before = snapshot(store)
    wrong = "wrong-key-5f1e0c9a77"
    r = fetch_cli(f"tv:{SERIES}", "--save", str(tmp_path / "out"), "--db", str(store), "--base-url", url,
                  env={"TMDB_API_KEY": wrong})
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert lines[-1].startswith("crewparity: error: TMDB refused the key (HTTP 401 for /tv/60573: Invalid API key")
    assert wrong not in r.stdout + r.stderr
    assert len(tmdb.requests) == 1  # not retried
    assert snapshot(store) == before
    assert list((tmp_path / "out").iterdir()) == []


def test_title_tmdb_does_not_have(store: Path, tmp_path: Path, serve) -> None:  # type: ignore[no-untyped-def]
    url = serve(Tmdb())
    before = snapshot(store)
    r = fetch_cli("tv:99999999", "--save", str(tmp_path / "out"), "--db", str(store), "--base-url", url)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1] == (
        "crewparity: error: tv:99999999: TMDB has no such title (/tv/99999999: HTTP 404); the store is unchanged")
    assert snapshot(store) == before


def test_bad_titles_and_no_key(store: Path, tmp_path: Path) -> None:
    before = snapshot(store)
    r = fetch_cli("tt1234567", "--save", str(tmp_path / "out"), "--db", str(store))
    assert r.returncode != 0
    assert r.stderr.strip().splitlines()[-1] == (
        "crewparity: error: 'tt1234567' is not a TMDB title; expected movie:ID or tv:ID (a TMDB id, e.g. "
        "movie:496243 or tv:60573)")
    r = run_cli("fetch", "tmdb", "movie:1", "--save", str(tmp_path / "out"), "--db", str(store),
                env={"TMDB_API_KEY": "", "TMDB_TOKEN": ""})
    assert r.returncode != 0
    assert r.stderr.strip().splitlines()[-1] == (
        "crewparity: error: no TMDB API key: set TMDB_API_KEY (a v3 API key) or TMDB_TOKEN (a v4 read access "
        "token), or give --token; get one at https://www.themoviedb.org/settings/api")
    assert snapshot(store) == before
    assert not (tmp_path / "out").exists()


def test_failure_keeps_what_arrived_and_the_same_call_continues(store: Path, tmp_path: Path, serve) -> None:  # type: ignore[no-untyped-def]
    tmdb = Tmdb(by_path={f"/tv/{SERIES}/season/2": [(503, None)] * 3})
    url = serve(tmdb)
    before = snapshot(store)
    folder = tmp_path / "out"
    with pytest.raises(CrewparityError) as err:
        api.fetch_tmdb(f"tv:{SERIES}", store, save=folder, token=KEY, base_url=url, max_retries=2, backoff=0,
                       rate=500)
    assert str(err.value) == (
        f"{url}: /tv/{SERIES}/season/2: HTTP 503 after 3 attempts; try again later; the 4 responses before it are "
        f"saved in {folder}: the same command continues from them; the store is unchanged")
    assert snapshot(store) == before
    assert sorted(p.name for p in folder.iterdir()) == sorted(SERIES_FILES[:4])
    tmdb.requests.clear()
    summary = api.fetch_tmdb([f"tv:{SERIES}"], store, save=folder, token=KEY, base_url=url, backoff=0, rate=500)
    assert [q["path"] for q in tmdb.requests] == [f"/tv/{SERIES}/season/{n}" for n in range(2, 7)]
    assert summary.location == str(folder.resolve())
    assert rows(store, f"SELECT count(*) FROM titles WHERE series_id = 'tmdb:tv:{SERIES}'") == [(58,)]


def test_movie_with_people_by_bearer_token(tmp_path: Path, serve) -> None:  # type: ignore[no-untyped-def]
    credits = json.loads((DATA / "movieCredits.json").read_text(encoding="utf-8"))
    bong = next(c for c in credits["crew"] if c["job"] == "Director")
    from crewparity.sources.tmdb import JOB_ROLES

    key_crew = list(dict.fromkeys(c["id"] for c in credits["crew"] if c["job"] in JOB_ROLES))
    gone = key_crew[-1]  # the last asked: the bar still ends full
    assert gone != bong["id"]
    tmdb = Tmdb(missing={f"/person/{gone}"})
    url = serve(tmdb)
    db, folder = tmp_path / "m.duckdb", tmp_path / "out"
    seen: list[tuple[int, int]] = []
    summary = api.fetch_tmdb(["movie:496243"], db, save=folder, token=TOKEN, base_url=url, people=True, backoff=0,
                             rate=500, progress=lambda done, total: seen.append((done, total)))
    assert all(q["bearer"] == f"Bearer {TOKEN}" and q["key"] is None for q in tmdb.requests)
    assert [q["path"] for q in tmdb.requests] == [f"/movie/{MOVIE}", f"/movie/{MOVIE}/credits",
                                                  *(f"/person/{p}" for p in key_crew)]
    assert seen[-1] == (len(key_crew) + 1, len(key_crew) + 1)  # the person TMDB lacks is not counted
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"movie-{MOVIE}.json", f"movie-{MOVIE}-credits.json", *(f"person-{p}.json" for p in key_crew if p != gone)])
    for p in key_crew:
        if p != gone:
            assert (folder / f"person-{p}.json").read_bytes() == tmdb.served[f"/person/{p}"]
    # the people's IMDb ids (their pages) are the ids in the store; birth years from their birthdays; the film
    # under its IMDb id
    imdb = f"nm9{bong['id']:07d}"
    assert rows(db, f"SELECT name, birth_year FROM people WHERE person_id = '{imdb}'") == [
        (bong["name"], 1940 + bong["id"] % 50)]
    assert rows(db, f"SELECT role FROM credits WHERE person_id = '{imdb}' AND title_id = 'tt6751668' "
                    "AND role = 'director'") == [("director",)]
    assert rows(db, f"SELECT gender FROM gender_evidence WHERE person_id = '{imdb}' AND source = 'tmdb'") == [
        ("man",)]
    assert rows(db, f"SELECT count(*) FROM people WHERE person_id = 'tmdb:person:{gone}'") == [(1,)]
    assert any(f"TMDB has no page for 1 of the key crew (person {gone})" in w for w in summary.warnings)
    assert all(TOKEN not in p.read_text(encoding="utf-8") for p in folder.iterdir())


def test_python_arguments_checked_before_any_request(tmp_path: Path) -> None:
    with pytest.raises(ArgumentError, match="is not a TMDB title"):
        api.fetch_tmdb(["movie:1", "film:2"], tmp_path / "x.duckdb", save=tmp_path / "out", token=KEY)
    with pytest.raises(ArgumentError, match="--save .* is a file"):
        (tmp_path / "f").write_text("", encoding="utf-8")
        api.fetch_tmdb("movie:1", tmp_path / "x.duckdb", save=tmp_path / "f", token=KEY)


def test_key_not_in_the_http_library_log(tmp_path: Path, serve, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    """httpx logs every URL it asks at INFO, and a v3 key travels in the URL: a notebook with INFO logging on
    showed it. The line stays, the key is written ***."""
    import logging

    url = serve(Tmdb())
    with caplog.at_level(logging.INFO, logger="httpx"):
        api.fetch_tmdb("movie:496243", tmp_path / "m.duckdb", save=tmp_path / "out", token=KEY, base_url=url,
                       rate=500)
    asked = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert len(asked) == 2 and all("api_key=***" in m for m in asked)
    assert KEY not in caplog.text
    assert not logging.getLogger("httpx").filters  # taken off when the fetch ends


def test_saved_response_of_another_shape_is_the_ingests_error(tmp_path: Path, serve) -> None:  # type: ignore[no-untyped-def]
    """A saved credits file whose crew job is a list (edited by hand, another tool's) is reused; choosing the key
    crew for --people raised TypeError (unhashable list) before the ingest could name the file."""
    from crewparity.errors import InputError

    tmdb = Tmdb()
    url = serve(tmdb)
    folder = tmp_path / "out"
    folder.mkdir()
    credits = json.loads((DATA / "movieCredits.json").read_text(encoding="utf-8"))
    credits["crew"][0]["job"] = ["Director"]
    (folder / f"movie-{MOVIE}-credits.json").write_text(json.dumps(credits), encoding="utf-8")
    db = tmp_path / "m.duckdb"
    with pytest.raises(InputError) as err:
        api.fetch_tmdb(f"movie:{MOVIE}", db, save=folder, token=KEY, base_url=url, people=True, rate=500)
    assert str(err.value) == (f"{folder / f'movie-{MOVIE}-credits.json'}: $.crew[0].job: expected a string, "
                              "found a list")
    assert not db.exists()
