"""`crewparity distribution`: titles by number of women, and titles with no woman per role (counted by hand)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crewparity.errors import ArgumentError
from crewparity.metrics.distribution import distribution, no_woman_by_role
from crewparity.store import open_store
from tests._metrics_store import build_store
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
    # Film Two (dir Bob, writer Eve, EP Frank), Film Three (dir Chris unknown, writer Gus, DoP Eve)
    d = rows["director"]
    assert (d["titles"], d["titles_with_role"], d["no_woman"], d["uncertain"]) == (4, 4, 3, 1)
    assert d["share_no_woman"] == pytest.approx(0.75)
    assert (rows["writer"]["no_woman"], rows["writer"]["titles_with_role"]) == (2, 3)
    assert rows["cinematographer"]["no_woman"] == 3
    assert rows["producer"]["no_woman"] == 4
    assert list(rows) == sorted(rows)  # one row per requested role, even without credits


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
    assert both.returncode == 1 and "choose --part buckets or --part roles" in both.stderr
