"""`distribution --part roles` and `compare`'s no-woman rows give one figure: the share of titles with no woman in a
role among the titles WITH a credit in it, and the sample's titles without one counted apart (``no_credit``).

Why: on the synthetic store at scale 0.01, 2017's top movies, directors, `distribution --sample top:250 --part roles`
said 85.0% (a title with no director credit counted as "no woman director", over every title of the sample) while
`compare celluloid_ceiling` said 72.7% (over the titles with a director credit), and a journalist could not tell
which was which. A title IMDb lists no director for did not "employ no woman director" in the sense readers take
it (the published studies count films that have a director): it is missing data, now shown as a count of its own.
The buckets follow: a title without any credit in the roles is in no bucket (not 0 women), counted in no_credit.

The store (2017 movies, by votes; every gender by hand):
  Her Film      (900 votes)  director Alice (woman), writer Bob (man)
  His Film      (800)        director Bob (man), writer Frank (man)
  Their Film    (700)        director Chris (unknown: initials only), writer Eve (woman)
  Bare Film     (600)        no crew credit at all
  Written Film  (500)        writer Alice (woman), no director
So directors: 5 titles, 3 with the credit, 2 without; no woman in 2 of the 3 (His, Their; Their uncertain): 2/3.
Writers: 4 with the credit, 1 without (Bare); no woman in 2 of the 4 (Her, His): 1/2.
Buckets (the credited roles are director and writer): His 0; Her, Their, Written 1; Bare none: no_credit 1.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from crewparity.metrics.compare import compare
from crewparity.metrics.distribution import distribution, no_woman_by_role
from crewparity.store import open_store
from tests._metrics_store import N, write_files
from tests.conftest import run_cli

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx is what is installed and works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TOP = ("--kind", "movie", "--from", "2017", "--to", "2017", "--sample", "top:250")
#: by hand (see the module's docstring): titles, titles_with_role, no_credit, no_woman, share_no_woman, uncertain
EXPECTED = {"director": (5, 3, 2, 2, 2 / 3, 1), "writer": (5, 4, 1, 2, 0.5, 0)}
FIELDS = ("titles", "titles_with_role", "no_credit", "no_woman", "share_no_woman", "uncertain")


def _movie(tid: str, name: str) -> list[str]:
    return [tid, "movie", name, name, "0", "2017", N, "90", "Drama"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from crewparity import api

    tmp = tmp_path_factory.mktemp("no_woman_denominator")
    basics = [_movie("tt0300001", "Her Film"), _movie("tt0300002", "His Film"), _movie("tt0300003", "Their Film"),
              _movie("tt0300004", "Bare Film"), _movie("tt0300005", "Written Film")]
    crew = [["tt0300001", "nm0000001", "nm0000002"], ["tt0300002", "nm0000002", "nm0000006"],
            ["tt0300003", "nm0000003", "nm0000005"], ["tt0300004", N, N], ["tt0300005", N, "nm0000001"]]
    names = [
        ["nm0000001", "Alice Ames", N, N, "actress,director,writer", N],
        ["nm0000002", "Bob Brown", N, N, "actor,director", N],
        ["nm0000003", "C. J. Cole", N, N, "director", N],
        ["nm0000005", "Eve Evans", N, N, "actress,writer", N],
        ["nm0000006", "Frank Ford", N, N, "actor,writer", N],
    ]
    votes = {"tt0300001": "900", "tt0300002": "800", "tt0300003": "700", "tt0300004": "600", "tt0300005": "500"}
    db = tmp / "denominator.duckdb"
    (tmp / "dump").mkdir()
    api.ingest_imdb(write_files(tmp / "dump", basics, [], crew, names, votes), db)
    return db


def _compared(db: Path) -> dict[str, dict[str, Any]]:
    with open_store(db) as store:
        rows = compare(store, "celluloid_ceiling", 2017, 2017).to_pylist()
    return {r["role"]: r for r in rows if r["metric"] == "pct_titles_with_no_woman_in_role"}


def test_distribution_and_compare_give_the_same_share_and_no_credit(db: Path) -> None:
    with open_store(db) as store:
        roles = {r["role"]: r for r in no_woman_by_role(store, kinds="movie", year_from=2017, year_to=2017,
                                                         sample="top:250").to_pylist()}
    compared = _compared(db)
    for role, expected in EXPECTED.items():
        got, c = roles[role], compared[role]
        # (the old code: 4/5 = 80% of directors from distribution, 2/3 from compare)
        assert c["crewparity"] == pytest.approx(got["share_no_woman"]), role
        assert got["share_no_woman"] == pytest.approx(expected[4]) and got["uncertain"] == expected[5], role
        assert tuple(got[f] for f in FIELDS[:4]) == expected[:4], role
        assert (c["titles"], c["titles_with_role"], c["counted"], c["no_credit"], c["uncertain"]) == (
            got["titles"], got["titles_with_role"], got["titles_with_role"], got["no_credit"], got["uncertain"]), role
    # a role no title of the sample has a credit in: no share (not 100%), every title in no_credit, in both
    assert (roles["producer"]["titles_with_role"], roles["producer"]["no_credit"], roles["producer"]["no_woman"],
            roles["producer"]["share_no_woman"]) == (0, 5, 0, None)
    assert (compared["producer"]["crewparity"], compared["producer"]["no_credit"]) == (None, 5)
    # the people rows have no no_credit
    with open_store(db) as store:
        people = [r for r in compare(store, "celluloid_ceiling", 2017, 2017).to_pylist()
                  if r["metric"] == "pct_women_of_individuals"]
    assert people and all(r["no_credit"] is None for r in people)


def test_a_title_without_a_credit_is_in_no_bucket(db: Path) -> None:
    """Bare Film (no credit at all) was bucket 0 ("0 women") beside His Film: now counted in no_credit alone, and
    the shares are over the 4 credited titles."""
    with open_store(db) as store:
        rows = distribution(store, roles="director,writer", kinds="movie", year_from=2017, year_to=2017,
                            sample="top:250").to_pylist()
        by_year = distribution(store, roles="director,writer", kinds="movie", year_from=2017, year_to=2017,
                               sample="top:250", by="year").to_pylist()
        # the sample all is the credited titles: nothing without a credit
        everything = distribution(store, roles="director,writer", kinds="movie").to_pylist()
    assert [(r["women_per_title"], r["titles"], r["titles_with_unknown"], r["no_credit"]) for r in rows][:3] == [
        ("0", 1, 0, 1), ("1", 3, 1, 1), ("2", 0, 0, 1)]
    assert [r["share_of_titles"] for r in rows][:2] == [pytest.approx(0.25), pytest.approx(0.75)]
    assert {(r["year"], r["no_credit"]) for r in by_year} == {(2017, 1)}
    assert [r["titles"] for r in by_year][:2] == [1, 3]
    assert {r["no_credit"] for r in everything} == {0} and sum(r["titles"] for r in everything) == 4


def test_every_format_carries_no_credit(db: Path, tmp_path: Path) -> None:
    """The CLI's table (with its note), csv, json and parquet of distribution, and compare's csv and table."""
    table = run_cli("distribution", *TOP, "--roles", "director,writer", "--db", str(db))
    assert table.returncode == 0, table.stderr
    assert "no_credit" in table.stdout and "share_no_woman = no_woman / titles_with_role" in table.stdout
    assert "no_credit: the titles without any credit in the roles, in no bucket" in table.stdout

    csv_roles = run_cli("distribution", *TOP, "--roles", "director,writer", "--part", "roles", "-f", "csv",
                        "--db", str(db))
    assert csv_roles.returncode == 0, csv_roles.stderr
    assert csv_roles.stdout.splitlines()[0] == "role,titles,titles_with_role,no_credit,no_woman,share_no_woman,uncertain"
    from_csv = {r["role"]: r for r in csv.DictReader(io.StringIO(csv_roles.stdout))}
    assert (from_csv["director"]["no_credit"], from_csv["writer"]["no_credit"]) == ("2", "1")

    js = run_cli("distribution", *TOP, "--roles", "director,writer", "-f", "json", "--db", str(db))
    assert js.returncode == 0, js.stderr
    doc = json.loads(js.stdout)
    assert {r["role"]: r["no_credit"] for r in doc["roles"]} == {"director": 2, "writer": 1}
    assert {r["no_credit"] for r in doc["buckets"]} == {1}

    out = tmp_path / "roles.parquet"
    pq_run = run_cli("distribution", *TOP, "--roles", "director,writer", "--part", "roles", "-o", str(out),
                     "--db", str(db))
    assert pq_run.returncode == 0, pq_run.stderr
    rows = {r["role"]: r for r in pq.read_table(out).to_pylist()}
    assert (rows["director"]["no_credit"], rows["director"]["share_no_woman"]) == (2, pytest.approx(2 / 3))

    cmp_csv = run_cli("compare", "celluloid_ceiling", "--from", "2017", "--to", "2017", "-f", "csv", "--db", str(db))
    assert cmp_csv.returncode == 0, cmp_csv.stderr
    by_role = {r["role"]: r for r in csv.DictReader(io.StringIO(cmp_csv.stdout))
               if r["metric"] == "pct_titles_with_no_woman_in_role"}
    assert (by_role["director"]["no_credit"], float(by_role["director"]["crewparity"])) == ("2", pytest.approx(2 / 3))
    cmp_table = run_cli("compare", "celluloid_ceiling", "--from", "2017", "--to", "2017", "--db", str(db),
                        env={"COLUMNS": "400"})
    assert cmp_table.returncode == 0, cmp_table.stderr
    assert "no_credit" in cmp_table.stdout and "no_credit = the titles of our sample without a credit" in \
        cmp_table.stdout


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    from tests._dashboard_store import dashboard_client

    yield from dashboard_client(db)


def test_the_python_api_and_the_dashboard_give_the_same_columns(db: Path, client: TestClient) -> None:
    import crewparity

    args = {"roles": "director,writer", "kinds": "movie", "year_from": 2017, "year_to": 2017, "sample": "top:250"}
    with crewparity.open(db) as cp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        roles = {r["role"]: r for r in cp.no_woman(**args).to_pylist()}
        buckets = cp.distribution(**args).to_pylist()
    assert (roles["director"]["no_credit"], roles["director"]["share_no_woman"]) == (2, pytest.approx(2 / 3))
    assert buckets[0]["no_credit"] == 1
    params = {"roles": "director,writer", "kind": "movie", "from": "2017", "to": "2017", "sample": "top:250"}
    api = client.get("/api/distribution", params={**params, "part": "roles"})
    assert api.status_code == 200, api.text
    assert {r["role"]: (r["no_credit"], r["share_no_woman"]) for r in api.json()} == {
        "director": (2, pytest.approx(2 / 3)), "writer": (1, 0.5)}
    api_csv = client.get("/api/distribution", params={**params, "part": "buckets", "format": "csv"})
    assert api_csv.status_code == 200 and api_csv.text.splitlines()[0].endswith(",no_credit")
    api_cmp = client.get("/api/compare", params={"study": "celluloid_ceiling", "from": "2017", "to": "2017"})
    assert api_cmp.status_code == 200, api_cmp.text
    no_woman = {r["role"]: r for r in api_cmp.json() if r["metric"] == "pct_titles_with_no_woman_in_role"}
    assert no_woman["director"]["no_credit"] == 2


def test_the_report_says_where_the_uncredited_titles_went(db: Path, tmp_path: Path) -> None:
    """The report's distribution (directors) over the top-250 sample: its note and its chart's subtitle say that
    the 2 titles without a director credit are in no bar, rather than in bar 0."""
    out = tmp_path / "report.md"
    res = run_cli("report", "-o", str(out), "--from", "2017", "--to", "2017", "--sample", "top:250", "--db", str(db))
    assert res.returncode == 0, res.stderr
    text = out.read_text(encoding="utf-8")
    assert "no_credit: the sample's titles without any credit in the roles, in no bucket" in text
    assert "2 titles of the sample have no credit in these roles" in text
