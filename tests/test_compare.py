"""`crewparity compare STUDY`: published figures (shipped with their sources) beside crewparity's estimate."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from crewparity.errors import ArgumentError
from crewparity.metrics.compare import compare, published_figures, studies_path
from crewparity.store import open_store
from tests._metrics_store import build_store
from tests.conftest import SHARED_DATA, run_cli


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("compare"))


def test_shipped_figures_are_the_facts_with_a_source_on_every_row() -> None:
    shipped = list(csv.DictReader(studies_path().open(encoding="utf-8")))
    assert shipped and all(r["source"].strip() for r in shipped)
    assert {r["study"] for r in shipped} == {"celluloid_ceiling", "boxed_in", "dga_episodic", "usc_annenberg"}
    facts = SHARED_DATA / "facts" / "published_study_figures.csv"
    if facts.exists():
        assert shipped == list(csv.DictReader(facts.open(encoding="utf-8")))
    assert published_figures("usc_annenberg").num_rows == sum(1 for r in shipped if r["study"] == "usc_annenberg")


def test_usc_director_share_beside_ours(db: Path) -> None:
    with open_store(db) as store:
        rows = {r["period"]: r for r in compare(store, "usc", 2016, 2017).to_pylist()}
    assert set(rows) == {"2016", "2017"}
    r = rows["2016"]
    # top 100 movies of 2016 by votes: Film One (Alice), Film Two (Bob), Harbour Movie (Frank): 1 of 3
    assert (r["published"], r["counted"]) == (pytest.approx(0.042), 3)
    assert r["crewparity"] == pytest.approx(1 / 3)
    assert r["difference"] == pytest.approx(1 / 3 - 0.042)
    assert r["ci_low"] < r["crewparity"] < r["ci_high"]
    assert "USC Annenberg" in r["published_source"] and r["caveat"].startswith("samples differ")
    # 2017: only Chris (unknown) directs: nothing to estimate, shown as null rather than 0
    assert rows["2017"]["crewparity"] is None and rows["2017"]["counted"] == 1


def test_dga_alias_counts_episodes_without_pilots(db: Path) -> None:
    with open_store(db) as store:
        rows = {r["year"]: r for r in compare(store, "DGA", 2015, 2018).to_pylist()}
    assert rows[2015]["study"] == "dga_episodic" and rows[2015]["metric"] == "pct_episodes_directed_by_women"
    # 2015 episodes without the pilot: Bob / Alice+Bob / Chris -> 1 of 2 known; 2018: 2 of 3
    assert (rows[2015]["crewparity"], rows[2015]["counted"]) == (0.5, 3)
    assert rows[2018]["crewparity"] == pytest.approx(2 / 3)
    assert "season" in rows[2018]["caveat"]


def test_celluloid_ceiling_roles_and_no_woman(db: Path) -> None:
    with open_store(db) as store:
        rows = compare(store, "celluloid_ceiling", 2016, 2017).to_pylist()
    overall = [r for r in rows if r["year"] == 2016 and "," in r["role"]]
    assert len(overall) == 1
    assert overall[0]["crewparity"] == pytest.approx(2 / 5) and overall[0]["counted"] == 5
    no_woman = [r for r in rows if r["metric"] == "pct_titles_with_no_woman_in_role" and r["role"] == "director"]
    # top 250 movies of 2017: only Film Three, whose director (Chris) is not known to be a woman
    assert no_woman and all(r["crewparity"] == 1.0 for r in no_woman)


def test_unknown_study_and_cli(db: Path) -> None:
    with open_store(db) as store:
        with pytest.raises(ArgumentError, match="allowed: celluloid_ceiling, boxed_in, dga_episodic, usc_annenberg"):
            compare(store, "bechdel")
    res = run_cli("compare", "usc_annenberg", "--from", "2016", "--to", "2016", "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "crewparity compare usc_annenberg --from 2016 --to 2016 --db" in res.stdout
    assert "theirs" in res.stdout and "samples differ" in res.stdout
    js = run_cli("compare", "boxed_in", "--format", "json", "--db", str(db))
    assert js.returncode == 0, js.stderr
    assert all(r["published_source"].startswith("Boxed In") for r in json.loads(js.stdout))
    bad = run_cli("compare", "nope", "--db", str(db))
    assert bad.returncode == 1 and "allowed:" in bad.stderr
