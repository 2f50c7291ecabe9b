"""`crewparity distribution`: titles by number of women, and titles with no woman per role (counted by hand)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crewparity.errors import ArgumentError
from crewparity.metrics.distribution import distribution, no_woman_by_role
from crewparity.metrics.samples import Sample
from crewparity.store import open_store
from tests._metrics_store import N, build_store, write_dump
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("distribution"))


def test_buckets_over_all_titles(db: Path) -> None:
    with open_store(db) as store:
        rows = distribution(store).to_pylist()
    # Women per title: Harbour Lights 2 (Alice, Dana; Chris unknown), Another 0, Harbour Movie 0,
    # Film One 2 (Alice, Eve), Film Two 1 (Eve), Film Three 1 (Eve; Chris unknown), Short One 1 (Eve).
    assert [(r["women_per_title"], r["titles"], r["titles_with_unknown"]) for r in rows] == [
        ("0", 2, 0), ("1", 3, 1), ("2", 2, 1), ("3-5", 0, 0), ("6-9", 0, 0), ("10+", 0, 0)]
    assert sum(r["share_of_titles"] for r in rows) == pytest.approx(1.0)
    assert rows[1]["share_of_titles"] == pytest.approx(3 / 7)


def test_buckets_by_year_and_sample(db: Path) -> None:
    with open_store(db) as store:
        rows = distribution(store, kinds="movie", by="year", sample="top:1").to_pylist()
    # top movie of 2016: Film One (2 women); of 2017: Film Three (1 woman)
    nonzero = [(r["year"], r["women_per_title"], r["titles"]) for r in rows if r["titles"]]
    assert nonzero == [(2016, "2", 1), (2017, "1", 1)]
    assert len(rows) == 12  # every bucket shown for every year, zeros included


def test_no_woman_per_role(db: Path) -> None:
    with open_store(db) as store:
        rows = {r["role"]: r for r in no_woman_by_role(store, kinds="movie").to_pylist()}
    # 4 movies: Harbour Movie (dir Frank), Film One (dir Alice, writers Alice+Frank, producer Gus, editor Eve),
    # Film Two (dir Bob, writer Eve, EP Frank), Film Three (dir Chris unknown, writer Gus, DoP Eve).
    # no_woman and share_no_woman are over the titles with a credit in the role; no_credit counts the others
    d = rows["director"]
    assert (d["titles"], d["titles_with_role"], d["no_credit"], d["no_woman"], d["uncertain"]) == (4, 4, 0, 3, 1)
    assert d["share_no_woman"] == pytest.approx(0.75)
    w = rows["writer"]   # Harbour Movie has no writer: in no_credit, not "no woman" (was no_woman 2, 2/4)
    assert (w["titles_with_role"], w["no_credit"], w["no_woman"], w["share_no_woman"]) == (3, 1, 1, pytest.approx(1 / 3))
    c = rows["cinematographer"]   # only Film Three has one, Eve (was no_woman 3, 75%)
    assert (c["titles_with_role"], c["no_credit"], c["no_woman"], c["share_no_woman"]) == (1, 3, 0, 0.0)
    p = rows["producer"]   # only Film One has one, Gus (was no_woman 4, 100%)
    assert (p["titles_with_role"], p["no_credit"], p["no_woman"], p["share_no_woman"]) == (1, 3, 1, 1.0)
    assert list(rows) == sorted(rows)  # one row per requested role, even without credits


@pytest.fixture(scope="module")
def db_uncredited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The metrics store plus "Uncredited Film" (tt0200005, a 2017 movie with the most votes of its year and no
    crew credit at all), as a top-250 sample at IMDb holds such titles."""
    from crewparity import api

    tmp = tmp_path_factory.mktemp("distribution_uncredited")
    dump = write_dump(tmp / "dump")
    with (dump / "title.basics.tsv").open("a", encoding="utf-8") as f:
        f.write("\t".join(["tt0200005", "movie", "Uncredited Film", "Uncredited Film", "0", "2017", N, "90",
                           "Drama"]) + "\n")
    with (dump / "title.ratings.tsv").open("a", encoding="utf-8") as f:
        f.write("tt0200005\t7.0\t800\n")
    db = tmp / "uncredited.duckdb"
    api.ingest_imdb(dump, db)
    return db


def test_a_sample_title_without_a_credit_is_counted_in_no_credit(db_uncredited: Path) -> None:
    """Every title of the sample is counted, in both parts: the 2017 top-250 movies are Uncredited Film and Film
    Three (director Chris, unknown; DoP Eve), so 2 titles, as compare's titles and its note say. Before, the title
    without a credit was dropped (39 titles where compare said 40); then it was counted as "no woman" and in
    bucket 0; now it is in no_credit, and the shares are over the title with a credit, as compare's."""
    from crewparity.metrics.compare import compare

    args: dict[str, Any] = {"kinds": "movie", "year_from": 2017, "year_to": 2017, "sample": "top:250"}
    with open_store(db_uncredited) as store:
        buckets = distribution(store, **args).to_pylist()
        roles = {r["role"]: r for r in no_woman_by_role(store, **args).to_pylist()}
        by_year = distribution(store, by="year", **args).to_pylist()
        compared = {r["titles"] for r in compare(store, "celluloid_ceiling", 2017, 2017).to_pylist()}
        listed = distribution(store, kinds="movie", sample=Sample(form="list", ids=("tt0200005",))).to_pylist()
        everything = distribution(store, kinds="movie", year_from=2017, year_to=2017).to_pylist()
    assert [(r["women_per_title"], r["titles"], r["titles_with_unknown"], r["no_credit"]) for r in buckets][:2] == [
        ("0", 0, 0, 1), ("1", 1, 1, 1)]
    assert sum(r["titles"] for r in buckets) == 1 and buckets[1]["share_of_titles"] == pytest.approx(1.0)
    assert [(r["year"], r["titles"], r["no_credit"]) for r in by_year][:2] == [(2017, 0, 1), (2017, 1, 1)]
    assert {r["titles"] for r in roles.values()} == {2} == compared
    d = roles["director"]
    assert (d["titles_with_role"], d["no_credit"], d["no_woman"], d["share_no_woman"], d["uncertain"]) == (
        1, 1, 1, 1.0, 1)
    c = roles["cinematographer"]
    assert (c["titles_with_role"], c["no_credit"], c["no_woman"], c["share_no_woman"], c["uncertain"]) == (
        1, 1, 0, 0.0, 0)
    # a listed title without a credit is in the sample too: in no bucket, in no_credit
    assert [r["titles"] for r in listed if r["titles"]] == [] and {r["no_credit"] for r in listed} == {1}
    assert {r["share_of_titles"] for r in listed} == {None}   # no credited title: no share (was NaN)
    # the sample all is the titles with a credit in the roles: the store's uncredited titles are not counted
    assert sum(r["titles"] for r in everything) == 1


def test_bad_arguments(db: Path) -> None:
    with open_store(db) as store:
        with pytest.raises(ArgumentError, match="allowed: none, year"):
            distribution(store, by="genre")
        with pytest.raises(ArgumentError, match="unknown role"):
            no_woman_by_role(store, roles="boom_operator")


def test_cli(db: Path) -> None:
    res = run_cli("distribution", "--kind", "movie", "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "crewparity distribution --kind movie --part buckets --db" in res.stdout
    assert "crewparity distribution --kind movie --part roles --db" in res.stdout
    js = run_cli("distribution", "--part", "roles", "--format", "json", "--roles", "director", "--db", str(db))
    assert js.returncode == 0, js.stderr
    assert [(r["role"], r["no_woman"]) for r in json.loads(js.stdout)] == [("director", 4)]
    both = run_cli("distribution", "--format", "csv", "--db", str(db))
    assert both.returncode == 1 and both.stderr == (
        "crewparity: error: --format csv writes one table: add --part buckets or --part roles "
        "(--format json writes both parts as one object)\n")


def test_json_without_part_writes_both_tables(db: Path, tmp_path: Path) -> None:
    """`distribution -f json` failed out of the box (the default --part is both): now one object holds both
    tables, each as --part writes it alone, on stdout or in a .json file."""
    js = run_cli("distribution", "--kind", "movie", "--format", "json", "--db", str(db))
    assert js.returncode == 0, js.stderr
    doc = json.loads(js.stdout)
    assert list(doc) == ["buckets", "roles"]
    for part in ("buckets", "roles"):
        alone = run_cli("distribution", "--kind", "movie", "--part", part, "--format", "json", "--db", str(db))
        assert doc[part] == json.loads(alone.stdout), part
    assert [r["titles"] for r in doc["buckets"]][:3] == [1, 2, 1]
    assert {r["role"]: r["no_woman"] for r in doc["roles"]}["director"] == 3
    target = tmp_path / "dist.json"
    written = run_cli("distribution", "--kind", "movie", "-o", str(target), "--db", str(db))
    assert written.returncode == 0, written.stderr
    assert json.loads(target.read_text(encoding="utf-8")) == doc
    parquet = run_cli("distribution", "-o", str(tmp_path / "d.parquet"), "--db", str(db))
    assert parquet.returncode == 1 and "add --part buckets or --part roles" in parquet.stderr


def test_a_role_no_title_has_a_credit_in_is_noted(db: Path) -> None:
    """Its row has no share_no_woman (no title has the credit) and every title in no_credit, which is IMDb's
    coverage, not hiring: the CLI says so, as share notes an empty role. (It read "share_no_woman 100%" when a
    title without the credit counted as having no woman.)"""
    res = run_cli("distribution", "--kind", "movie", "--part", "roles", "--roles", "director,composer", "-f", "csv",
                  "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "composer,4,0,4,0,,0" in res.stdout      # the row is there: no share, every title in no_credit
    assert res.stderr.splitlines() == [
        "crewparity: note: no title in the selection has a credit as composer: its row has no share_no_woman (every "
        "title is in no_credit), which says nothing of who held it"]
    credited = run_cli("distribution", "--kind", "movie", "--part", "roles", "--roles", "director", "--db", str(db))
    assert credited.returncode == 0 and credited.stderr == ""
