"""The dashboard's overview prints the CLI line behind each of its tables, as the CLI prints one under every
table, and running that line gives the page's figures (a review found no way to cite a figure seen there)."""

from __future__ import annotations

import csv
import html as html_lib
import io
import re
import shlex
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from tests._dashboard_store import build_store, dashboard_client
from tests.conftest import run_cli

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web-commands"))


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator[TestClient]:
    yield from dashboard_client(store)


#: the words around each count under a headline figure, per unit: people, credits, or titles with a woman in the role
WOMEN = {"people": "women", "credits": "credits held by women", "titles": "titles with a woman in the role"}
KNOWN = {"people": "people whose gender is known", "credits": "credits whose holder's gender is known",
         "titles": "titles where that is known"}


def _commands(page: str) -> list[str]:
    return [html_lib.unescape(c) for c in re.findall(r"from the command line: <code>([^<]*)</code>", page)]


@pytest.mark.parametrize("params", [
    {"kind": "movie", "roles": "director,writer"},
    {"kind": "movie", "roles": "director", "from": 2019, "to": 2020, "unit": "credits"},
    {"kind": "", "sample": "top:2", "unit": "titles"},
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
    for row in by_role:  # each role's headline line on the page is that row's counts
        known = int(row["women"]) + int(row["men"]) + int(row["nonbinary"])
        assert f"{row['role']}: {row['women']} {WOMEN[unit]}, of the {known} {KNOWN[unit]}" in text
    by_year = list(csv.DictReader(io.StringIO(run_cli(*shlex.split(trend)[1:], "-f", "csv").stdout)))
    trend_table = page[page.index("<h2>Year by year</h2>"):]
    shown = re.findall(r"<tr>\s*<td[^>]*>(\d{4})</td>\s*<td[^>]*>([a-z_]+)</td>", trend_table)
    assert shown == [(r["year"], r["role"]) for r in by_year if r["year"]]
    assert "<td>True</td>" not in trend_table and "<td>False</td>" not in trend_table  # small is a flag
