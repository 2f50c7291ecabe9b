"""A small IMDb-format store for the chart, report and dashboard tests; every expected figure is worked out by hand.

Series "Harbour Nights" (tt0300001):
  season 1 (2019): E1 Ann, E2 Ben, E3 the person named ``<script>alert(1)</script>`` (no evidence), E4 Ben
                   -> episodes: women 1, men 2, unknown 1, total 4
  season 2 (2020): E1 Ann, E2 Cleo (gender inferred from the first name, p_woman 0.91), E3 "=SUM(A1:A2)" by Ann
                   -> women 3 of 3
Series "<b>Loud</b> Show" (tt0300002), season 1 (2020): six episodes, all by Ben -> women 0 of 6 (the worst list).
Films 2018-2020 with a director and a writer each, for shares.

People: Ann Archer (actress -> woman, imdb), Ben Bishop (actor -> man, imdb), ``<script>alert(1)</script>``
(no evidence -> unknown), Cleo Cole (name_model woman, p 0.91), Dan Drake (actor -> man), Eva Eng (actress).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

N = "\\N"
SERIES_ID = "tt0300001"
SERIES_NAME = "Harbour Nights"
LOUD_ID = "tt0300002"
LOUD_NAME = "<b>Loud</b> Show"
SCRIPT_NAME = "<script>alert(1)</script>"
FORMULA_TITLE = "=SUM(A1:A2)"
INFERRED_ID = "nm0400004"
BASICS = ["tconst", "titleType", "primaryTitle", "originalTitle", "isAdult", "startYear", "endYear",
          "runtimeMinutes", "genres"]


def _write(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    lines = ["\t".join(header)] + ["\t".join(r) for r in rows]
    (folder / f"{name}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _title(tid: str, kind: str, name: str, year: int, genres: str = "Drama") -> list[str]:
    return [tid, kind, name, name, "0", str(year), N, "45", genres]


def write_dump(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    basics = [
        _title(SERIES_ID, "tvSeries", SERIES_NAME, 2019),
        _title(LOUD_ID, "tvSeries", LOUD_NAME, 2020),
        _title("tt0301011", "tvEpisode", "Arrival", 2019),
        _title("tt0301012", "tvEpisode", "Low Tide", 2019),
        _title("tt0301013", "tvEpisode", "Night Watch", 2019),
        _title("tt0301014", "tvEpisode", "Fog", 2019),
        _title("tt0301021", "tvEpisode", "Return", 2020),
        _title("tt0301022", "tvEpisode", "Lanterns", 2020),
        _title("tt0301023", "tvEpisode", FORMULA_TITLE, 2020),
        *[_title(f"tt030201{i}", "tvEpisode", f"Loud {i}", 2020) for i in range(1, 7)],
        _title("tt0310001", "movie", "Film 2018", 2018),
        _title("tt0310002", "movie", "Film 2019", 2019),
        _title("tt0310003", "movie", "Film 2020", 2020),
    ]
    episodes = [
        ["tt0301011", SERIES_ID, "1", "1"], ["tt0301012", SERIES_ID, "1", "2"],
        ["tt0301013", SERIES_ID, "1", "3"], ["tt0301014", SERIES_ID, "1", "4"],
        ["tt0301021", SERIES_ID, "2", "1"], ["tt0301022", SERIES_ID, "2", "2"], ["tt0301023", SERIES_ID, "2", "3"],
        *[[f"tt030201{i}", LOUD_ID, "1", str(i)] for i in range(1, 7)],
    ]
    crew = [
        ["tt0301011", "nm0400001", N], ["tt0301012", "nm0400002", N], ["tt0301013", "nm0400003", N],
        ["tt0301014", "nm0400002", N], ["tt0301021", "nm0400001", N], ["tt0301022", INFERRED_ID, N],
        ["tt0301023", "nm0400001", N],
        *[[f"tt030201{i}", "nm0400002", N] for i in range(1, 7)],
        ["tt0310001", "nm0400001", "nm0400005"],
        ["tt0310002", "nm0400002", "nm0400006"],
        ["tt0310003", "nm0400005", "nm0400006"],
    ]
    names = [
        ["nm0400001", "Ann Archer", N, N, "actress,director", N],
        ["nm0400002", "Ben Bishop", N, N, "actor,director", N],
        ["nm0400003", SCRIPT_NAME, N, N, "director", N],
        [INFERRED_ID, "Cleo Cole", N, N, "director", N],
        ["nm0400005", "Dan Drake", N, N, "actor,writer", N],
        ["nm0400006", "Eva Eng", N, N, "actress,writer", N],
    ]
    votes = {SERIES_ID: "5000", LOUD_ID: "100", "tt0310001": "10", "tt0310002": "20", "tt0310003": "30"}
    _write(folder, "title.basics", BASICS, basics)
    _write(folder, "title.episode", ["tconst", "parentTconst", "seasonNumber", "episodeNumber"], episodes)
    _write(folder, "title.crew", ["tconst", "directors", "writers"], crew)
    _write(folder, "title.principals", ["tconst", "ordering", "nconst", "category", "job", "characters"], [])
    _write(folder, "name.basics", ["nconst", "primaryName", "birthYear", "deathYear", "primaryProfession",
                                   "knownForTitles"], names)
    _write(folder, "title.ratings", ["tconst", "averageRating", "numVotes"], [[k, "7.0", v] for k, v in votes.items()])
    return folder


def add_name_model_guess(db: Path) -> None:
    """Cleo's gender from the first-name model (p_woman 0.91): what an inferred person looks like."""
    from crewparity.gender.resolve import resolve
    from crewparity.metrics import derived
    from crewparity.store import writing

    with writing(db) as store:
        store.con.execute(
            "INSERT INTO gender_evidence VALUES (?, 'woman', 'name_model', 0.91, 'first name Cleo')", [INFERRED_ID])
        resolve(store)
        # Whatever resolve records as p_woman for the model, the test store states 0.91.
        store.con.execute("UPDATE resolved_gender SET p_woman = 0.91 WHERE person_id = ?", [INFERRED_ID])
        derived.rebuild(store)  # the edit bypasses resolve, which rebuilds the query tables


def add_override(db: Path, person_id: str, gender: str) -> None:
    """A person's own statement (overrides outrank every other source), written copy-on-write like an ingest."""
    from crewparity.gender.resolve import resolve
    from crewparity.metrics import derived
    from crewparity.store import writing

    with writing(db) as store:
        store.con.execute("INSERT INTO gender_evidence VALUES (?, ?, 'overrides', 1.0, 'own statement')",
                          [person_id, gender])
        resolve(store)
        store.con.execute("UPDATE resolved_gender SET p_woman = 0.91 WHERE person_id = ? AND source = 'name_model'",
                          [INFERRED_ID])
        derived.rebuild(store)


def build_store(tmp: Path) -> Path:
    from crewparity import api

    db = tmp / "dashboard.duckdb"
    api.ingest_imdb(write_dump(tmp / "dump"), db)
    add_name_model_guess(db)
    return db


def dashboard_client(db: Path) -> Iterator[Any]:
    """The dashboard on ``db`` in Starlette's TestClient (the real ASGI app, in-process), its store closed
    afterwards: the body of every dashboard test module's ``client`` fixture (``yield from``)."""
    import warnings

    with warnings.catch_warnings():  # Starlette asks for httpx2; httpx is what is installed and works
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from crewparity.web.app import create_app

    app = create_app(db)
    with TestClient(app) as c:
        yield c
    app.state.holder.close()


def dashboard_server(db: Path) -> Iterator[str]:
    """The dashboard on ``db`` served by a real uvicorn server on 127.0.0.1 (a free port), for the tests that drive
    chromium: yields its address, then stops the server and closes the store (``yield from`` in a fixture)."""
    import socket
    import threading
    import time

    import uvicorn

    from crewparity.report.charts import warm_up
    from crewparity.web.app import create_app

    app = create_app(db)
    warm_up()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        app.state.holder.close()


def crew_list_fixtures(name: str, crew: str) -> tuple[Any, Any]:
    """Module-scoped ``db`` and ``client`` fixtures for a test module over one crew list (CSV text ``crew``):
    the store made from it, and the dashboard on that store. Use as ``db, client = crew_list_fixtures(...)``."""
    import pytest

    from tests._tiny_stores import crew_store

    @pytest.fixture(scope="module")
    def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
        return crew_store(tmp_path_factory.mktemp(name), name, crew)

    @pytest.fixture(scope="module")
    def client(db: Path) -> Iterator[Any]:
        yield from dashboard_client(db)

    return db, client


@contextlib.contextmanager
def chromium_tab(width: int = 1200, height: int = 900) -> Iterator[Any]:
    """A Playwright tab in Debian's chromium (tests.test_browser's binary and flags) with a window of ``width`` x
    ``height`` and a 5 s timeout for a missing element; the browser is closed on leaving."""
    from playwright.sync_api import sync_playwright

    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_context(viewport={"width": width, "height": height}).new_page()
            tab.set_default_timeout(5000)
            yield tab
        finally:
            browser.close()
