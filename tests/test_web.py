"""The dashboard: pages, the JSON API (the CLI's JSON), CSV exports, 400s, escaping, privacy labels, no write
endpoint, and a store swapped by an ingest while the server runs.

Most requests go through Starlette's TestClient (the real ASGI app in-process); one test runs
``crewparity serve`` as a real process on 127.0.0.1.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx is what is installed and works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from crewparity.web.app import create_app
from tests._dashboard_store import (
    FORMULA_TITLE,
    LOUD_NAME,
    SCRIPT_NAME,
    SERIES_ID,
    SERIES_NAME,
    add_override,
    build_store,
    dashboard_client,
)
from tests.conftest import run_cli

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator[TestClient]:
    yield from dashboard_client(store)


#: the seasons table's summary of Harbour Nights: women of every episode, and of those whose director's gender is known
HARBOUR_SEASONS = {"1": "1 of 4 episodes (25.0%); 33.3% of the 3 whose director's gender is known",
                   "2": "3 of 3 episodes (100.0%)"}


def _seasons(html: str) -> dict[str, str]:
    """season -> its "women of total" cell, read from the seasons table of a series page."""
    return {season: html_lib.unescape(cell) for season, cell in
            re.findall(r'<tr data-season="(\d+)">.*?<td class="num summary">([^<]*)</td>', html, flags=re.S)}


# ------------------------------------------------------------------------------------------- pages
def test_overview_shows_headline_trend_chart_and_downloads(client: TestClient) -> None:
    r = client.get("/", params={"kind": "movie", "roles": "director,writer"})
    assert r.status_code == 200
    html = r.text
    assert '<div class="chart" id="trend-chart"><svg' in html
    assert 'id="trend-legend"' in html
    # Directors of the three films: Ann (woman) 2018, Ben (man) 2019, Dan (man) 2020 -> 1 of 3.
    assert "director: 1 woman, of the 3 people whose gender is known" in html
    assert "/api/share?roles=director%2Cwriter&amp;by=year%2Crole&amp;kind=movie&amp;unit=people&amp;format=csv" in html


def test_overview_filters_are_query_parameters(client: TestClient) -> None:
    html = client.get("/", params={"kind": "movie", "roles": "director", "from": 2019, "to": 2020}).text
    assert "director: 0 women, of the 2 people whose gender is known" in html
    assert 'name="from" type="number" value="2019"' in html


@pytest.mark.parametrize(("unit", "counts"), [
    ("people", "director: 1 woman, of the 3 people whose gender is known (33.3%); 0 people of unknown gender"),
    ("credits", "director: 1 credit held by a woman, of the 3 credits whose holder's gender is known (33.3%); "
                "0 credits held by someone of unknown gender"),
    ("titles", "director: 1 title with a woman in the role, of the 3 titles where that is known (33.3%); "
               "0 with no woman known but someone of unknown gender"),
])
def test_overview_counts_say_what_the_unit_counts(client: TestClient, unit: str, counts: str) -> None:
    """The counts under a figure said "women of 3 with known gender" whatever the unit: with unit=titles they
    are titles with a woman director, with unit=credits credits."""
    html = html_lib.unescape(client.get("/", params={"kind": "movie", "roles": "director", "unit": unit}).text)
    assert counts in html


def test_series_page_says_a_season_on_one_denominator(client: TestClient) -> None:
    """Season 1 (1 woman, 2 men, 1 unknown) read "1 of 4 (33.3%)": the count of every episode beside the share
    of those whose director's gender is known. Now the count and its share are of every episode, and the share
    among the known is labelled as such."""
    seasons = _seasons(client.get(f"/series/{SERIES_ID}").text)
    assert seasons["1"] == "1 of 4 episodes (25.0%); 33.3% of the 3 whose director's gender is known"
    assert seasons["2"] == "3 of 3 episodes (100.0%)"  # every gender known: one figure


def test_series_search_then_series_page(client: TestClient) -> None:
    html = client.get("/series", params={"query": "harbour"}).text
    assert f'href="/series/{SERIES_ID}"' in html and SERIES_NAME in html
    page = client.get(f"/series/{SERIES_ID}").text
    assert _seasons(page) == HARBOUR_SEASONS
    assert '<div class="chart" id="seasons-chart"><svg' in page


def test_series_page_shows_each_director_with_gender_and_source(client: TestClient) -> None:
    page = client.get(f"/series/{SERIES_ID}").text
    row = re.search(r"<td>Ann Archer</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>", page, flags=re.S)
    assert row is not None
    assert 'class="g-woman"' in row.group(1) and row.group(2) == "recorded" and row.group(3) == "imdb"


def test_inferred_gender_shows_probability_and_the_word_inferred(client: TestClient) -> None:
    page = client.get(f"/series/{SERIES_ID}").text
    row = re.search(r"<td>Cleo Cole</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>", page, flags=re.S)
    assert row is not None
    assert "inferred, p(woman) = 0.91" in row.group(1)
    assert row.group(2) == "inferred" and row.group(3) == "name_model"


def test_names_are_escaped_everywhere(client: TestClient) -> None:
    page = client.get(f"/series/{SERIES_ID}").text
    assert SCRIPT_NAME not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    ranks = client.get("/rankings", params={"min_episodes": 6}).text
    assert LOUD_NAME not in ranks and "&lt;b&gt;Loud&lt;/b&gt; Show" in ranks
    search = client.get("/series", params={"query": "<b>Loud"}).text
    assert "<b>Loud" not in search and "&lt;b&gt;Loud&lt;/b&gt; Show" in search
    # A query echoed back into the form is escaped too.
    echoed = client.get("/series", params={"query": '"><script>x()</script>'}).text
    assert "<script>x()" not in echoed


def test_compare_page_takes_the_years_and_the_season_year_the_api_takes(client: TestClient) -> None:
    params = {"study": "dga", "from": 2019, "to": 2020, "season_year": "end"}
    page = client.get("/compare", params=params).text
    assert 'name="from" type="number" value="2019"' in page and 'name="to" type="number" value="2020"' in page
    assert '<option value="end" selected>' in page
    api = client.get("/api/compare", params=params).json()
    everything = client.get("/api/compare", params={"study": "dga"}).json()
    assert 0 < len(api) < len(everything)
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    assert body.count("<tr>") == len(api)
    assert "/api/compare?study=dga_episodic&amp;from=2019&amp;to=2020&amp;season_year=end&amp;format=csv" in page


def test_compare_page_says_what_every_row_shares_once(client: TestClient) -> None:
    """The comparison repeated its sample, source and a few hundred characters of caveat in narrow cells on every
    row (the page was ~36,600 px tall): what every row shares is said once above the table."""
    rows = client.get("/api/compare", params={"study": "celluloid_ceiling"}).json()
    assert len(rows) > 1
    page = html_lib.unescape(client.get("/compare", params={"study": "celluloid_ceiling"}).text)
    below_chart = page[page.index('id="every-row"'):]
    said_once, body = below_chart[:below_chart.index("</dl>")], below_chart[below_chart.index("<tbody>"):]
    shared = set.intersection(*(set(r["caveat"].split("; ")) for r in rows))
    assert shared
    for text in [*shared, rows[0]["published_source"]]:
        assert text in said_once and text not in body, text
    # our sample's words depend on the row's metric (people, or titles with no woman) and name the row's roles:
    # what a metric's rows share is said once per metric, the roles stay in each row
    metrics = {r["metric"] for r in rows}
    assert len(metrics) > 1
    for metric in metrics:
        assert f"<dt>crewparity_sample ({metric})</dt>" in said_once
        of_metric = [set(r["crewparity_sample"].split("; ")) for r in rows if r["metric"] == metric]
        for text in set.intersection(*of_metric):
            assert text in said_once and f">{text}<" not in body, text
    assert ">distinct people per year in: director<" in body
    assert below_chart.count(rows[0]["published_source"]) == 1
    header = re.findall(r'<th scope="col">([^<]+)</th>', below_chart)
    assert header[:6] == ["period", "role", "metric", "published", "crewparity", "difference"]
    assert "published_source" not in header and "caveat" in header  # each row's own caveat stays in its row
    assert "crewparity_sample" in header


def test_compare_and_method_pages(client: TestClient) -> None:
    html = client.get("/compare", params={"study": "dga"}).text
    assert "DGA Episodic Television Director Diversity Report" in html
    method = client.get("/method").text
    assert "<td>imdb</td>" in method                             # the source, with where it was loaded from
    assert re.search(r"<td>inferred</td><td class=\"num\">1</td>", method)   # Cleo
    assert "first-name model" in method


# --------------------------------------------------------------------------------------------- API
def test_api_series_is_the_cli_json(client: TestClient, store: Path) -> None:
    api = client.get("/api/series", params={"query": SERIES_NAME})
    cli = run_cli("series", SERIES_NAME, "--format", "json", "--db", str(store))
    assert api.status_code == 200 and cli.returncode == 0, cli.stderr
    assert api.headers["content-type"].startswith("application/json")
    assert api.json() == json.loads(cli.stdout)
    assert [(s["season"], s["women"], s["total"]) for s in api.json()] == [(1, 1, 4), (2, 3, 3)]


def test_api_share_is_the_cli_json(client: TestClient, store: Path) -> None:
    params = {"roles": "director", "by": "year", "kind": "movie", "from": 2018, "to": 2020, "unit": "credits"}
    api = client.get("/api/share", params=params)
    cli = run_cli("share", "--roles", "director", "--by", "year", "--kind", "movie", "--from", "2018", "--to", "2020",
                  "--unit", "credits", "--format", "json", "--db", str(store))
    assert api.status_code == 200 and cli.returncode == 0, cli.stderr
    assert api.json() == json.loads(cli.stdout)
    assert [(r["year"], r["women"], r["men"]) for r in api.json()] == [(2018, 1, 0), (2019, 0, 1), (2020, 0, 1)]


def test_api_distribution_gives_each_part_as_the_cli_json(client: TestClient, store: Path) -> None:
    """part=roles answered the buckets (part was ignored): the per-role table was not to be had from the API."""
    for part in ("buckets", "roles", "both"):
        api = client.get("/api/distribution", params={"kind": "movie", "part": part})
        cli = run_cli("distribution", "--kind", "movie", "--part", part, "--format", "json", "--db", str(store))
        assert api.status_code == 200 and cli.returncode == 0, (api.text, cli.stderr)
        assert api.json() == json.loads(cli.stdout), part
    roles = client.get("/api/distribution", params={"kind": "movie", "part": "roles"}).json()
    assert roles and {"role", "titles_with_role", "no_woman", "share_no_woman"} <= set(roles[0])
    both = client.get("/api/distribution", params={"kind": "movie", "part": "both"}).json()
    assert list(both) == ["buckets", "roles"] and both["roles"] == roles
    assert both["buckets"] == client.get("/api/distribution", params={"kind": "movie"}).json()  # default: buckets
    csv = client.get("/api/distribution", params={"kind": "movie", "part": "roles", "format": "csv"})
    assert csv.status_code == 200 and csv.text.startswith("role,titles,titles_with_role,no_credit,no_woman")


@pytest.mark.parametrize(("params", "message"), [
    ({"part": "role"}, "unknown --part 'role'; allowed: buckets, roles, both"),
    ({"part": "both", "format": "csv"}, "--format csv writes one table: add --part buckets or --part roles"),
])
def test_api_distribution_refuses_a_bad_part_as_the_cli_does(client: TestClient, store: Path,
                                                            params: dict[str, str], message: str) -> None:
    r = client.get("/api/distribution", params=params)
    assert r.status_code == 400 and r.json()["error"].startswith(message)
    cli = run_cli("distribution", "--part", params["part"], "--format", params.get("format", "json"),
                  "--db", str(store))
    assert cli.returncode == 1 and cli.stderr == f"crewparity: error: {r.json()['error']}\n"


def test_csv_export_neutralises_formulas(client: TestClient) -> None:
    r = client.get("/api/series", params={"query": SERIES_ID, "episodes": "true", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    lines = r.text.splitlines()
    assert lines[0].startswith("series_id,series,season,episode")
    assert any(f",'{FORMULA_TITLE}," in line for line in lines)
    assert not any(f",{FORMULA_TITLE}," in line for line in lines)


def test_every_table_on_a_page_links_csv_and_json(client: TestClient) -> None:
    for path in (f"/series/{SERIES_ID}", "/?kind=movie", "/rankings", "/method", "/compare?study=dga"):
        html = client.get(path).text
        links = re.findall(r'href="(/api/[^"]+)"', html)
        assert any("format=csv" in link for link in links) and any("format=json" in link for link in links), path
        for link in links:
            got = client.get(link.replace("&amp;", "&"))
            assert got.status_code == 200, (path, link, got.text[:200])


@pytest.mark.parametrize("url,message", [
    ("/api/share?from=abc", "from"),
    ("/api/share?roles=grip", "unknown role 'grip'"),
    ("/api/share?by=planet", "unknown --by 'planet'"),
    ("/api/share?unit=minutes", "unknown --unit 'minutes'"),
    ("/api/share?sample=list:/etc/passwd", "not available in the dashboard"),
    ("/api/share?sample=top:x", "top:N"),
    ("/api/share?from=2020&to=2010", "after"),
    ("/api/share?format=xml", "format"),
    ("/api/series", "give query"),
    ("/api/series?query=nothing-like-this", "no TV series"),
    ("/api/series?query=Harbour&codirected=half", "codirected"),
    ("/api/series?query=Harbour&season=one", "season"),
    ("/api/series?rank=median", "rank"),
    ("/api/compare", "study"),
    ("/api/compare?study=oscars", "unknown study"),
    ("/api/distribution?by=genre", "distribution"),
])
def test_bad_parameters_answer_400_with_a_message(client: TestClient, url: str, message: str) -> None:
    r = client.get(url)
    assert r.status_code == 400, r.text
    assert message in r.json()["error"]


@pytest.mark.parametrize("url", ["/?from=abc", "/?roles=grip", "/series/tt9999999999", "/rankings?limit=0",
                                 "/?sample=list:/etc/passwd", f"/series/{SERIES_ID}?codirected=half"])
def test_bad_parameters_on_pages_answer_400_html(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/html")
    assert '<p class="error" role="alert">' in r.text


def test_no_write_endpoint_and_no_cdn_docs(client: TestClient) -> None:
    app = client.app
    for route in app.routes:  # type: ignore[attr-defined]
        methods = getattr(route, "methods", None) or set()
        assert methods <= {"GET", "HEAD"}, (route.path, methods)
    assert client.post("/api/share").status_code == 405
    assert client.delete("/api/series").status_code == 405
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404
    spec = client.get("/openapi.json").json()
    assert {"/api/share", "/api/series", "/api/distribution", "/api/compare"} <= set(spec["paths"])
    names = {p["name"] for p in spec["paths"]["/api/series"]["get"]["parameters"]}
    assert {"query", "season", "codirected", "episodes", "rank", "from", "to", "format"} <= names


def test_pages_load_nothing_from_elsewhere(client: TestClient) -> None:
    for path in ("/", f"/series/{SERIES_ID}", "/compare", "/method", "/rankings", "/series"):
        response = client.get(path)
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp   # no script may run, nothing else fetched
        html = response.text
        refs = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert all(ref.startswith(("/", "#")) or ref.startswith("?") for ref in refs), (path, refs)
        assert "<script" not in html
        assert not (set(re.findall(r"https?://[^\s\"'<>]+", html)) - {"http://www.w3.org/2000/svg",
                                                                       "http://www.w3.org/1999/xlink"}), path


# -------------------------------------------------------------------- a store swapped by an ingest
def test_store_swapped_by_an_ingest_is_reopened_and_overrides_win(tmp_path: Path, store: Path) -> None:
    db = tmp_path / "swap.duckdb"
    shutil.copyfile(store, db)
    app = create_app(db)
    try:
        with TestClient(app) as c:
            before = c.get("/api/series", params={"query": SERIES_ID}).json()
            assert (before[0]["women"], before[0]["unknown"]) == (1, 1)
            inode = db.stat().st_ino
            # The person named <script>... states her gender: an override, written copy-on-write and swapped in.
            add_override(db, "nm0400003", "woman")
            assert db.stat().st_ino != inode
            after = c.get("/api/series", params={"query": SERIES_ID}).json()
            assert (after[0]["women"], after[0]["unknown"]) == (2, 0)
            eps = c.get("/api/series", params={"query": SERIES_ID, "episodes": "true"}).json()
            stated = [e for e in eps if e["director_id"] == "nm0400003"]
            assert stated and stated[0]["source"] == "overrides" and stated[0]["evidence"] == "recorded"
            assert _seasons(c.get(f"/series/{SERIES_ID}").text)["1"] == "2 of 4 episodes (50.0%)"
    finally:
        app.state.holder.close()


# ------------------------------------------------------------------------- a real server process
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_crewparity_serve_answers_on_127_0_0_1(store: Path) -> None:
    port = _free_port()
    env = dict(os.environ)
    env.pop("CREWPARITY_DB", None)
    proc = subprocess.Popen([sys.executable, "-m", "crewparity", "serve", "--db", str(store), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"{base}/api/series", params={"query": SERIES_ID}, timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.communicate()[1]
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert r.status_code == 200 and [s["women"] for s in r.json()] == [1, 3]
        assert httpx.get(f"{base}/series/{SERIES_ID}", timeout=5).status_code == 200
        assert httpx.get(f"{base}/api/share?from=x", timeout=5).status_code == 400
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
    assert f"http://127.0.0.1:{port}/" in out
    assert "warning" not in err.lower() and "Traceback" not in err


def test_serve_warns_off_loopback_and_refuses_a_missing_store(tmp_path: Path) -> None:
    from crewparity.cli.web import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
    r = run_cli("serve", "--db", str(tmp_path / "none.duckdb"), "--port", str(_free_port()))
    assert r.returncode == 1 and "no store here" in r.stderr and "Traceback" not in r.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        r = run_cli("serve", "--db", str(tmp_path / "none.duckdb"), "--port", str(taken.getsockname()[1]))
    assert r.returncode == 1 and "cannot listen on 127.0.0.1" in r.stderr and "Traceback" not in r.stderr


# ------------------------------------------------------------------------------ remembered results
def test_memo_computes_once_for_concurrent_requests_and_forgets_errors() -> None:
    from crewparity.errors import ArgumentError
    from crewparity.web.cache import Memo

    memo: Memo[int] = Memo(size=2)
    calls: list[int] = []
    gate = threading.Event()

    def slow() -> int:
        calls.append(1)
        gate.wait(5)
        return 42

    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(memo.get((1, "k"), slow))) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    gate.set()
    for t in threads:
        t.join(5)
    assert results == [42, 42, 42, 42] and len(calls) == 1

    def bad() -> int:
        raise ArgumentError("bad")

    for _ in range(2):
        with pytest.raises(ArgumentError):
            memo.get((1, "bad"), bad)
    memo.get((2, "k"), lambda: 7)
    memo.drop_older(2)
    assert len(memo) == 1 and memo.get((2, "k"), lambda: 0) == 7


def test_warm_app_answers_like_a_cold_one(store: Path) -> None:
    warm = create_app(store, warm=True)
    try:
        with TestClient(warm) as c:
            deadline = time.monotonic() + 30
            while any(t.name == "crewparity-warm" for t in threading.enumerate()):
                assert time.monotonic() < deadline
                time.sleep(0.05)
            page = c.get(f"/series/{SERIES_ID}").text
            assert _seasons(page) == HARBOUR_SEASONS
            overview = c.get("/", params={"roles": "director"}).text
            assert "director: 1 woman, of the 3 people whose gender is known" in overview
    finally:
        warm.state.holder.close()


def test_answers_from_the_old_file_while_an_ingest_writes(tmp_path: Path, store: Path) -> None:
    from crewparity.gender.resolve import resolve
    from crewparity.store import writing

    db = tmp_path / "busy.duckdb"
    shutil.copyfile(store, db)
    app = create_app(db)
    try:
        with TestClient(app) as c:
            assert c.get("/api/series", params={"query": SERIES_ID}).json()[0]["women"] == 1
            with writing(db) as st:  # an ingest in progress: lock held, new file being built beside the store
                st.con.execute("INSERT INTO gender_evidence VALUES ('nm0400002', 'woman', 'overrides', 1.0, 'x')")
                resolve(st)
                during = c.get("/api/series", params={"query": SERIES_ID})
                assert during.status_code == 200 and during.json()[0]["women"] == 1
                assert c.get(f"/series/{SERIES_ID}").status_code == 200
            after = c.get("/api/series", params={"query": SERIES_ID}).json()
            assert (after[0]["women"], after[0]["men"]) == (3, 0)      # Ben's two episodes now count as women
    finally:
        app.state.holder.close()


def test_a_vanished_store_answers_503_and_recovers(tmp_path: Path, store: Path) -> None:
    db = tmp_path / "gone.duckdb"
    shutil.copyfile(store, db)
    app = create_app(db)
    try:
        with TestClient(app) as c:
            assert c.get("/api/series", params={"query": SERIES_ID}).status_code == 200
            db.rename(tmp_path / "moved.duckdb")
            r = c.get("/api/series", params={"query": SERIES_ID})
            assert r.status_code == 503 and "no store here" in r.json()["error"]
            page = c.get("/")
            assert page.status_code == 503
            # the store is the problem, so the page does not tell the reader to change the parameters
            assert 'id="unavailable"' in page.text and "Change the parameters" not in page.text
            (tmp_path / "moved.duckdb").rename(db)
            assert c.get("/api/series", params={"query": SERIES_ID}).json()[0]["women"] == 1
    finally:
        app.state.holder.close()


def test_every_kind_offered_is_one_the_share_accepts(client: TestClient) -> None:
    """The kind menu offers what --kind takes: not tv_episode, which counts under its series (and answers 400)."""
    import re

    html = client.get("/").text
    menu = html[html.index('name="kind"'):]
    offered = re.findall(r'<option value="([a-z_]+)"', menu[:menu.index("</select>")])
    assert "movie" in offered and "tv_series" in offered
    assert "tv_episode" not in offered
    for kind in offered:
        assert client.get("/", params={"kind": kind}).status_code == 200, kind
