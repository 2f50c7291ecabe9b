"""`--sample list:FILE` takes every id a title in the store can have, not IMDb's tt ids alone: a crew list's
`crew:title:...` ids (and its episodes'), TMDB's `tmdb:movie:N` / `tmdb:tv:N`. A line that is no id at all is a
one-line error naming the file and line; listed ids the store has no title of are counted and named in a warning
(they selected nothing, silently, before)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

import crewparity
from crewparity.client import UnlistedTitlesWarning
from crewparity.metrics.samples import read_id_list
from crewparity.sources.crewlist import episode_id, series_id, title_id
from tests._reliability import assert_one_line_error
from tests.conftest import crewlist_store, ingest_cli, run_cli, tmdb_responses

CREW = """title,series,season,episode,year,name,role,gender
Our Film,,,,2024,Ann Smith,director,woman
Our Film,,,,2024,Bob Jones,editor,man
Other Film,,,,2023,Cy Dee,director,man
,My Show,1,1,2015,Di Eve,director,woman
,My Show,1,2,2015,Ed Fox,director,man
"""


@pytest.fixture(scope="module")
def crew_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return crewlist_store(tmp_path_factory.mktemp("crewlist_sample"), CREW)


def _share(db: Path, listed: Path) -> tuple[dict[str, object], str]:
    r = run_cli("share", "--by", "none", "--unit", "credits", "--sample", f"list:{listed}", "--db", str(db),
                "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert len(rows) == 1, rows
    return rows[0], r.stderr


def test_crew_list_ids_select_their_titles(crew_store: Path, tmp_path: Path) -> None:
    listed = tmp_path / "ids.txt"
    film = title_id("Our Film", 2024, "movie")
    listed.write_text(f"# our own list\n{film}\n", encoding="utf-8")
    row, stderr = _share(crew_store, listed)
    assert (row["women"], row["men"], row["total"]) == (1, 1, 2)
    assert "warning" not in stderr
    # the series by its id counts its episodes; an episode's id that episode alone
    listed.write_text(f"{series_id('My Show')}\n", encoding="utf-8")
    row, _ = _share(crew_store, listed)
    assert (row["women"], row["men"]) == (1, 1)
    listed.write_text(f"{episode_id('My Show', 1, 2)}\n", encoding="utf-8")
    row, _ = _share(crew_store, listed)
    assert (row["women"], row["men"]) == (0, 1)


def test_tmdb_ids_select_their_titles(tmp_path: Path, shared_data: Path) -> None:
    db = ingest_cli("tmdb", *tmdb_responses(shared_data), db=tmp_path / "tmdb.duckdb")
    with crewparity.open(str(db)) as cp:
        expected = cp.con.execute(
            "SELECT count(DISTINCT (c.title_id, c.person_id, c.role)) FROM credits c "
            "JOIN titles t ON t.title_id = c.title_id "
            "WHERE role IN ('director', 'writer', 'producer', 'executive_producer', 'editor', 'cinematographer') "
            "AND (t.title_id = 'tmdb:tv:60573' OR t.series_id = 'tmdb:tv:60573' OR t.title_id = 'tmdb:movie:680')"
        ).fetchone()[0]
    assert expected > 0
    listed = tmp_path / "ids.csv"
    listed.write_text("title_id,note\ntmdb:tv:60573,Silicon Valley\ntmdb:movie:680,Pulp Fiction\n", encoding="utf-8")
    row, stderr = _share(db, listed)
    assert row["total"] == expected
    assert "warning" not in stderr


def test_read_id_list_takes_every_stored_form(tmp_path: Path) -> None:
    ids = ["tt0111161", "tmdb:movie:496243", "tmdb:tv:60573", "tmdb:tv:60573:s1e3", "crew:title:0123456789ab",
           "crew:title:0123456789ab:s2e10", "demo:1"]
    listed = tmp_path / "ids.txt"
    listed.write_text("\n".join(ids) + "\n", encoding="utf-8")
    assert read_id_list(listed) == tuple(ids)


@pytest.mark.parametrize("bad", ["Our Film", "tmdb:person:12345", "tmdb:movie:abc", "crew:person:0123456789ab",
                                 "nm0000001"])
def test_a_line_that_is_no_title_id_is_one_line_naming_file_and_line(crew_store: Path, tmp_path: Path,
                                                                     bad: str) -> None:
    listed = tmp_path / "ids.txt"
    listed.write_text(f"{title_id('Our Film', 2024, 'movie')}\n{bad}\n", encoding="utf-8")
    r = run_cli("share", "--sample", f"list:{listed}", "--db", str(crew_store))
    line = assert_one_line_error(r, f"{listed}:2", "expected a title id", "tt0111161", "tmdb:movie:",
                                 "crew:title:", repr(bad))
    assert line.startswith("crewparity: error:")


def test_listed_ids_the_store_lacks_are_counted_in_a_warning(crew_store: Path, tmp_path: Path) -> None:
    listed = tmp_path / "ids.txt"
    film = title_id("Our Film", 2024, "movie")
    listed.write_text(f"{film}\ntt0000001\ntmdb:movie:5\n", encoding="utf-8")
    row, stderr = _share(crew_store, listed)
    assert row["total"] == 2
    assert (f"crewparity: warning: 2 of the 3 title ids listed in {listed} are not in the store and count for "
            "nothing: tt0000001, tmdb:movie:5") in stderr.splitlines(), stderr
    r = run_cli("distribution", "--part", "buckets", "--sample", f"list:{listed}", "--db", str(crew_store),
                "--format", "json")
    assert r.returncode == 0, r.stderr
    assert "2 of the 3 title ids" in r.stderr
    # the Python API warns the same line
    with crewparity.open(str(crew_store)) as cp, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cp.share(by="none", sample=f"list:{listed}")
    said = [str(w.message) for w in caught if issubclass(w.category, UnlistedTitlesWarning)]
    assert said == [f"2 of the 3 title ids listed in {listed} are not in the store and count for nothing: "
                    "tt0000001, tmdb:movie:5"]
    assert all(w.filename == __file__ for w in caught if issubclass(w.category, UnlistedTitlesWarning))


def test_many_missing_ids_name_the_first_five(crew_store: Path, tmp_path: Path) -> None:
    listed = tmp_path / "ids.txt"
    listed.write_text(title_id("Our Film", 2024, "movie") + "\n" + "".join(f"tt{i:07d}\n" for i in range(1, 9)),
                      encoding="utf-8")
    _, stderr = _share(crew_store, listed)
    assert ("8 of the 9 title ids listed in " in stderr
            and "count for nothing: tt0000001, tt0000002, tt0000003, tt0000004, tt0000005 and 3 more" in stderr), stderr
