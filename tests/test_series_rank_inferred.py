"""The DGA season lists say how much of a season's count rests on a guess from first names: ``inferred`` is the
number of the season's episodes with a director whose gender is a first-name-model call. A season on the worst
list whose "men" are mostly name guesses is there on weaker ground than one of recorded men, and a reader quoting
the list must be able to see it.

A hand-written store, 2020, six episodes per season (R = Ron Rake, a man by his IMDb label "actor"; J = John
Jones, director only: a man by the first-name model; W = Wanda West, a woman by her label):

  tt0510001 Recorded Men     S1: 6 x R             -> worst, inferred 0
  tt0510002 Guessed Men      S1: 4 x J, 2 x R      -> worst, inferred 4
  tt0510003 Shared Chairs    S1: 3 x (R + J), 3 x R -> worst, inferred 3 (an episode counts once)
  tt0510004 Women Lead       S1: 3 x W, 3 x J      -> best, inferred 3
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crewparity.metrics.episodes import rank_seasons
from crewparity.store import open_store
from tests._metrics_store import N, _title, write_files
from tests.conftest import run_cli

R, J, W = "nm0510001", "nm0510002", "nm0510003"
SERIES = {
    "tt0510001": ("Recorded Men", [R] * 6),
    "tt0510002": ("Guessed Men", [J] * 4 + [R] * 2),
    "tt0510003": ("Shared Chairs", [f"{R},{J}"] * 3 + [R] * 3),
    "tt0510004": ("Women Lead", [W] * 3 + [J] * 3),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from crewparity import api

    tmp = tmp_path_factory.mktemp("rank_inferred")
    dump = tmp / "dump"
    dump.mkdir()
    basics, episodes, crew = [], [], []
    for sid, (name, directors) in SERIES.items():
        basics.append(_title(sid, "tvSeries", name, 2020))
        for i, directed_by in enumerate(directors, start=1):
            tid = f"tt{int(sid[2:]) * 100 + i:010d}"
            basics.append(_title(tid, "tvEpisode", f"{name} 1.{i}", 2020))
            episodes.append([tid, sid, "1", str(i)])
            crew.append([tid, directed_by, N])
    write_files(dump, basics, episodes, crew, [
        [R, "Ron Rake", N, N, "actor,director", N],
        [J, "John Jones", N, N, "director", N],
        [W, "Wanda West", N, N, "actress,director", N],
    ], {sid: "100" for sid in SERIES})
    out = tmp / "inferred.duckdb"
    api.ingest_imdb(dump, out)
    return out


def test_john_is_a_name_model_call_and_ron_recorded(db: Path) -> None:
    with open_store(db) as store:
        sources = dict(store.con.execute(
            "SELECT person_id, source FROM resolved_gender WHERE person_id IN (?, ?)", [R, J]).fetchall())
    assert sources == {R: "imdb", J: "name_model"}


def test_worst_list_counts_the_episodes_resting_on_name_guesses(db: Path) -> None:
    with open_store(db) as store:
        rows = rank_seasons(store, "worst").to_pylist()
    assert {r["series"]: (r["men"], r["inferred"]) for r in rows} == {
        "Recorded Men": (6, 0), "Guessed Men": (6, 4), "Shared Chairs": (6, 3)}


def test_best_list_counts_them_too(db: Path) -> None:
    with open_store(db) as store:
        rows = rank_seasons(store, "best").to_pylist()
    assert [(r["series"], r["women"], r["inferred"]) for r in rows] == [("Women Lead", 3, 3)]


def test_cli_csv_and_caption_name_the_column(db: Path) -> None:
    result = run_cli("series", "--rank", "worst", "--db", str(db), "--format", "csv")
    assert result.returncode == 0, result.stderr
    header, *lines = result.stdout.strip().splitlines()
    assert header.split(",")[-1] == "inferred"
    assert sorted(line.split(",")[-1] for line in lines) == ["0", "3", "4"]
    table = run_cli("series", "--rank", "worst", "--db", str(db))
    assert "inferred: episodes with a director whose gender is a first-name-model call" in table.stdout


def test_a_recorded_correction_takes_the_episodes_off_the_count(db: Path, tmp_path: Path) -> None:
    """An override (a person's own statement) replaces John's name-model call: the update of the derived tables
    recounts his episodes, and no season rests on a guess any more."""
    import shutil

    copy = tmp_path / "corrected.duckdb"
    shutil.copy(db, copy)
    overrides = tmp_path / "overrides.csv"
    overrides.write_text(f"person_id,gender,note\n{J},man,his own statement\n", encoding="utf-8")
    result = run_cli("ingest", "overrides", str(overrides), "--db", str(copy))
    assert result.returncode == 0, result.stderr
    with open_store(copy) as store:
        worst = rank_seasons(store, "worst").to_pylist()
        best = rank_seasons(store, "best").to_pylist()
    assert {r["series"]: (r["men"], r["inferred"]) for r in worst} == {
        "Recorded Men": (6, 0), "Guessed Men": (6, 0), "Shared Chairs": (6, 0)}
    assert [(r["series"], r["inferred"]) for r in best] == [("Women Lead", 0)]
