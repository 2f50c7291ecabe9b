"""Every dashboard page with figures prints the CLI line behind each of its tables, as the CLI prints one under
every table, and running that line gives the page's figures (a review found no way to cite a figure seen there:
first on the overview, then on the series, rankings, comparison and method pages)."""

from __future__ import annotations

import csv
import html as html_lib
import io
import json
import re
import shlex
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from crewparity.report.overview import counts_text
from tests._dashboard_store import LOUD_ID, SERIES_ID, build_store, dashboard_client
from tests.conftest import run_cli

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web-commands"))


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator[TestClient]:
    yield from dashboard_client(store)


def _commands(page: str) -> list[str]:
    return [html_lib.unescape(c) for c in re.findall(r"from the command line: <code>([^<]*)</code>", page)]


@pytest.mark.parametrize("params", [
    {"kind": "movie", "roles": "director,writer"},
    {"kind": "movie", "roles": "director", "from": 2019, "to": 2020, "unit": "credits"},
    {"kind": "all", "sample": "top:2", "unit": "titles"},
])
def test_the_overview_commands_reproduce_its_figures(client: TestClient, store: Path, params: dict[str, object]) -> None:
    page = client.get("/", params=params).text
    text = html_lib.unescape(page)
    unit = str(params.get("unit", "people"))
    headline, trend = _commands(page)
    assert headline.startswith("crewparity share --by role") and trend.startswith("crewparity share --by year,role")
    assert f"--db {shlex.quote(str(store))}" in headline
    by_role = list(csv.DictReader(io.StringIO(run_cli(*shlex.split(headline)[1:], "-f", "csv").stdout)))
    assert by_role, headline
    for row in by_role:  # each role's headline line on the page is that row's counts, in the report's words
        counts = {**row, **{k: int(row[k]) for k in ("women", "men", "nonbinary", "unknown")},
                  "share_known": float(row["share_known"]) if row["share_known"] else None}
        assert counts_text(counts, unit) in text
    by_year = list(csv.DictReader(io.StringIO(run_cli(*shlex.split(trend)[1:], "-f", "csv").stdout)))
    trend_table = page[page.index("<h2>Year by year</h2>"):]
    shown = re.findall(r"<tr>\s*<td[^>]*>(\d{4})</td>\s*<td[^>]*>([a-z_]+)</td>", trend_table)
    assert shown == [(r["year"], r["role"]) for r in by_year if r["year"]]
    assert "<td>True</td>" not in trend_table and "<td>False</td>" not in trend_table  # small is a flag


# ----------------------------------------------- every page with figures prints the command behind them
def _csv(command: str) -> list[dict[str, str]]:
    r = run_cli(*shlex.split(command)[1:], "-f", "csv")
    assert r.returncode == 0, (command, r.stderr)
    return list(csv.DictReader(io.StringIO(r.stdout)))


def test_the_series_page_commands_reproduce_its_seasons_and_episodes(client: TestClient, store: Path) -> None:
    page = client.get(f"/series/{SERIES_ID}", params={"include_pilots": "true"}).text
    seasons, episodes = _commands(page)
    assert seasons == f"crewparity series {SERIES_ID} --include-pilots --db {shlex.quote(str(store))}"
    assert episodes == f"crewparity series {SERIES_ID} --episodes --include-pilots --db {shlex.quote(str(store))}"
    text = html_lib.unescape(page)
    for row in _csv(seasons):  # each season's summary on the page is that row's counts
        assert f'<tr data-season="{row["season"]}">' in page
        assert f"{row['women']} of {row['total']} episodes" in text
    r = run_cli(*shlex.split(episodes)[1:], "-f", "json")  # (json: csv neutralises the title "=SUM(A1:A2)")
    titles = {e["title"] for e in json.loads(r.stdout)}
    assert len(titles) == 7 and all(f"<td rowspan=\"1\">{html_lib.escape(t)}</td>" in page for t in titles)
    fractional = client.get(f"/series/{SERIES_ID}", params={"codirected": "fractional"}).text
    assert _commands(fractional)[0] == f"crewparity series {SERIES_ID} --codirected fractional --db " \
                                       f"{shlex.quote(str(store))}"


def _ranked(section: str) -> list[str]:
    return re.findall(r'<a href="/series/(tt\d+)">', section)


def test_the_rankings_commands_reproduce_both_lists_and_the_seasons_left_out(client: TestClient, store: Path) -> None:
    page = client.get("/rankings", params={"from": "", "to": 2020, "min_episodes": 3, "limit": 20}).text
    best, best_left_out, worst = _commands(page)  # worst has no season left out for unknowns here
    db = shlex.quote(str(store))
    assert best == f"crewparity series --rank best --to 2020 --min-episodes 3 --limit 20 --db {db}"
    assert best_left_out == f"crewparity series --rank best --to 2020 --min-episodes 3 --undecided --db {db}"
    assert worst == f"crewparity series --rank worst --to 2020 --min-episodes 3 --limit 20 --db {db}"
    best_section = page[page.index("<h2>Best"):page.index("<h2>Worst")]
    worst_section = page[page.index("<h2>Worst"):]
    assert _ranked(best_section) == [r["series_id"] for r in _csv(best)] == [SERIES_ID]            # season 2
    assert _ranked(worst_section) == [r["series_id"] for r in _csv(worst)] == [LOUD_ID]
    assert [(r["series_id"], r["season"]) for r in _csv(best_left_out)] == [(SERIES_ID, "1")]  # 1 of 4, one unknown
    default = _commands(client.get("/rankings").text)
    assert default[0] == f"crewparity series --rank best --limit 50 --db {db}"  # min_episodes: the default, unsaid


def test_the_compare_command_gives_the_tables_download(client: TestClient, store: Path) -> None:
    params = {"study": "dga", "from": 2019, "to": 2020, "season_year": "end"}
    page = client.get("/compare", params=params).text
    (command,) = _commands(page)
    assert command == f"crewparity compare dga_episodic --from 2019 --to 2020 --season-year end --db " \
                      f"{shlex.quote(str(store))}"
    link = re.search(r'href="(/api/compare\?[^"]*format=csv)"', page)
    assert link is not None
    download = client.get(html_lib.unescape(link.group(1)))
    assert download.status_code == 200
    r = run_cli(*shlex.split(command)[1:], "-f", "csv")
    assert r.returncode == 0 and r.stdout == download.text, r.stderr


def test_the_method_page_names_the_report_that_holds_its_tables(client: TestClient, store: Path,
                                                                 tmp_path: Path) -> None:
    page = client.get("/method").text
    (command,) = _commands(page)
    assert command == f"crewparity report -o report.html --db {shlex.quote(str(store))}"
    r = run_cli(*shlex.split(command)[1:], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    tables = re.findall(r'<table class="data"[^>]*>.*?</table>', page[page.index("<h2>Sources</h2>"):], flags=re.S)
    assert len(tables) == 3 and all(t in report for t in tables)
