"""`crewparity share`: every count worked out by hand on a small store (see tests/_metrics_store.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest

from crewparity.errors import ArgumentError, InputError
from crewparity.metrics import derived
from crewparity.metrics.share import share
from crewparity.store import open_store, writing
from tests._metrics_store import build_store
from tests.conftest import run_cli

COUNTS = ("women", "men", "nonbinary", "unknown", "total")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("share"))


def _share(db: Path, **kwargs: object) -> list[dict[str, Any]]:
    with open_store(db) as store:
        return share(store, **kwargs).to_pylist()  # type: ignore[arg-type]


def _counts(rows: list[dict[str, object]], *keys: str) -> dict[tuple[object, ...], tuple[object, ...]]:
    return {tuple(r[k] for k in keys): tuple(r[c] for c in COUNTS) for r in rows}


def test_people_by_year_all_kinds(db: Path) -> None:
    rows = _share(db, by="year")
    assert _counts(rows, "year") == {
        (2015,): (1, 1, 0, 1, 3),   # Harbour Lights S1 directors: Alice, Bob, Chris (unknown)
        (2016,): (2, 3, 0, 0, 5),   # Bob, Frank, Alice, Gus, Eve
        (2017,): (1, 1, 0, 1, 3),   # Film Three (Chris, Gus, Eve) and Short One (Eve)
        (2018,): (2, 1, 0, 0, 3),   # Harbour Lights S2: Alice, Dana (wikidata), Bob
    }
    y2015 = rows[0]
    assert y2015["share_known"] == 0.5
    assert y2015["share_if_unknown_men"] == pytest.approx(1 / 3)
    assert y2015["share_if_unknown_women"] == pytest.approx(2 / 3)
    assert all(r["small"] for r in rows)  # flagged, not hidden
    assert list(rows[0]) == ["year", "women", "men", "nonbinary", "unknown", "total", "share_known", "share_expected",
                             "ci_low", "ci_high", "share_if_unknown_men", "share_if_unknown_women", "small",
                             "inferred"]


def test_units_credits_and_titles(db: Path) -> None:
    credits = _counts(_share(db, by="role", unit="credits"), "role")
    # 10 episode director credits + 5 film director credits; Alice directs 3 episodes and a film.
    assert credits[("director",)] == (6, 7, 0, 2, 15)
    assert credits[("writer",)] == (2, 2, 0, 0, 4)
    titles = _counts(_share(db, by="kind", unit="titles"), "kind")
    # movies: Film One/Two/Three have a woman, Harbour Movie only Frank.
    assert titles[("movie",)] == (3, 1, 0, 0, 4)
    assert titles[("tv_series",)] == (1, 1, 0, 0, 2)
    by_title = {r["title_id"]: r for r in _share(db, by="title", unit="titles")}
    assert by_title["tt0100001"]["title"] == "Harbour Lights" and by_title["tt0100001"]["women"] == 1


def test_episodes_roll_up_to_their_series(db: Path) -> None:
    rows = _share(db, by="year,kind", kinds="tv_series", roles="director")
    assert _counts(rows, "year", "kind") == {
        (2015, "tv_series"): (1, 1, 0, 1, 3),
        (2016, "tv_series"): (0, 1, 0, 0, 1),
        (2018, "tv_series"): (2, 1, 0, 0, 3),
    }
    # IMDb's camelCase works too; the episode kind itself is refused, since episodes roll up (test_kind_episode.py).
    assert _share(db, by="none", kinds="tvSeries", roles="director")[0]["total"] == 4  # Alice, Bob, Chris, Dana
    with pytest.raises(ArgumentError, match="episodes count under their series"):
        _share(db, by="none", kinds="tv_episode")


def test_genre_decade_and_years(db: Path) -> None:
    rows = _share(db, by="year,genre", kinds="movie", year_from=2016, year_to=2016)
    assert _counts(rows, "year", "genre") == {(2016, "Comedy"): (1, 2, 0, 0, 3), (2016, "Drama"): (2, 3, 0, 0, 5)}
    decade = _share(db, by="decade", roles="director,writer")
    assert [r["decade"] for r in decade] == [2010]
    assert decade[0]["total"] == 7  # Alice, Bob, Chris, Dana, Eve, Frank, Gus: all credited in the 2010s
    assert _share(db, by="year", year_from=2019) == []


def test_samples_top_and_list(db: Path, tmp_path: Path) -> None:
    top = _counts(_share(db, by="year", sample="top:1"), "year")
    assert top[(2016,)] == (2, 2, 0, 0, 4)  # Film One (900 votes): Alice, Frank, Gus, Eve
    assert top[(2017,)] == (1, 1, 0, 1, 3)  # Film Three (700) beats Short One (50)
    ids = tmp_path / "my_list.csv"
    ids.write_text("tconst,note\n# a comment\ntt0200002,Film Two\n", encoding="utf-8")
    listed = _share(db, by="none", sample=f"list:{ids}")
    assert _counts(listed) == {(): (1, 2, 0, 0, 3)}  # Bob, Eve, Frank
    bad = tmp_path / "bad.txt"
    bad.write_text("tt0200002\nnot-an-id\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.txt:2: expected a title id"):
        _share(db, sample=f"list:{bad}")
    with pytest.raises(ArgumentError, match="not found"):
        _share(db, sample=f"list:{tmp_path / 'missing.txt'}")


@pytest.mark.parametrize("kwargs,message", [
    ({"roles": "director,gaffer"}, "allowed: director, writer"),
    ({"by": "year,country"}, "allowed: year, decade, genre, kind, title, role, none"),
    ({"unit": "minutes"}, "allowed: credits, people, titles"),
    ({"kinds": "film"}, "allowed: movie"),
    ({"year_from": 2020, "year_to": 2010}, "after"),
    ({"sample": "top:x"}, "allowed: all, top:N"),
    ({"sample": "random"}, "allowed: all, top:N"),
])
def test_bad_arguments_name_the_allowed_values(db: Path, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ArgumentError, match=message):
        _share(db, **kwargs)


def test_role_aliases(db: Path) -> None:
    a = _share(db, by="none", roles="Executive Producer,DoP")
    b = _share(db, by="none", roles="executive_producer,cinematographer")
    assert a == b and a[0]["total"] == 2


@pytest.fixture(scope="module")
def inferred_db(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Chris gets a name-model p_woman of 0.8 (counted as a woman), Gus 0.5 (inside the abstain band: unknown)."""
    copy = tmp_path_factory.mktemp("inferred") / "inferred.duckdb"
    shutil.copyfile(db, copy)
    with writing(copy) as store:
        store.con.execute("UPDATE resolved_gender SET gender = 'woman', p_woman = 0.8, source = 'name_model' "
                          "WHERE person_id = 'nm0000003'")
        store.con.execute("UPDATE resolved_gender SET gender = 'unknown', p_woman = 0.5, source = 'name_model' "
                          "WHERE person_id = 'nm0000007'")
        derived.rebuild(store)  # the edit bypasses resolve, which would rebuild the query tables
    return copy


def test_expected_share_uses_name_probabilities(inferred_db: Path) -> None:
    (row,) = _share(inferred_db, by="none")
    # people: Alice, Dana, Eve (recorded women), Bob, Frank (recorded men), Chris (p .8), Gus (p .5)
    assert tuple(row[c] for c in COUNTS) == (4, 2, 0, 1, 7)
    assert row["inferred"] == 2
    assert row["share_known"] == pytest.approx(4 / 6)
    # not the plain mean of the probabilities, (3 + 0.8 + 0.5) / 7: the estimator re-estimates the base rate
    # (prior shift), so the figure is the estimator's for exactly these people; with seven people the store has
    # no calibration of its own, so the model's default (measured on US births) applies
    from crewparity.gender.estimate import default_calibration, estimate_share

    expected = estimate_share(3, 2, 0, np.array([0.8, 0.5]), 0, calibration=default_calibration())
    assert row["share_expected"] == pytest.approx(expected.share_expected, abs=1e-9)
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(expected.ci_low, abs=0.01),
                                               pytest.approx(expected.ci_high, abs=0.01))
    assert row["ci_low"] < row["share_expected"] < row["ci_high"]
    assert (row["share_if_unknown_men"], row["share_if_unknown_women"]) == (pytest.approx(4 / 7), pytest.approx(5 / 7))


def test_expected_share_interval_is_wider_with_inference(inferred_db: Path) -> None:
    """Same people, same n: the interval with two inferred people must be wider than with two recorded ones."""
    inferred = _share(inferred_db, by="none")[0]
    # the recorded twin: Chris a recorded woman, Gus a recorded man
    recorded_copy = inferred_db.with_name("recorded.duckdb")
    shutil.copyfile(inferred_db, recorded_copy)
    with writing(recorded_copy) as store:
        store.con.execute("UPDATE resolved_gender SET source = 'wikidata', p_woman = 1.0 WHERE person_id = 'nm0000003'")
        store.con.execute("UPDATE resolved_gender SET source = 'wikidata', gender = 'man', p_woman = 0.0 "
                          "WHERE person_id = 'nm0000007'")
        derived.rebuild(store)
    recorded = _share(recorded_copy, by="none")[0]
    assert recorded["inferred"] == 0
    width = lambda r: r["ci_high"] - r["ci_low"]  # noqa: E731
    assert width(inferred) > width(recorded)


def test_cli_json_parquet_table_and_errors(db: Path, tmp_path: Path) -> None:
    res = run_cli("share", "--by", "year", "--kind", "movie", "--format", "json", "--db", str(db))
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert [(r["year"], r["women"], r["total"]) for r in data] == [(2016, 2, 5), (2017, 1, 3)]
    out = tmp_path / "share.parquet"
    res = run_cli("share", "--by", "role", "--unit", "credits", "--format", "parquet", "--output", str(out),
                  "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert {r["role"]: r["total"] for r in pq.read_table(out).to_pylist()}["director"] == 15
    table = run_cli("share", "--by", "decade", "--sample", "top:5", "--db", str(db))
    assert table.returncode == 0, table.stderr
    assert "crewparity share --by decade --sample top:5 --db" in table.stdout
    for args, message in [
        (("--roles", "gaffer"), "unknown role 'gaffer'; allowed:"),
        (("--from", "2020", "--to", "2000"), "--from 2020 is after --to 2000"),
        (("--by", "planet"), "allowed: year, decade"),
        (("--sample", "list:/nonexistent/ids.txt"), "not found"),
    ]:
        bad = run_cli("share", *args, "--db", str(db))
        assert bad.returncode == 1, (args, bad.stdout)
        assert message in bad.stderr and "Traceback" not in bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1
