"""A title or person id repeated in an IMDb dump: one error line naming the file and the line of the repeat.

A tconst twice in title.basics was stored twice: `share --by title` listed the title twice and counted its credits
twice, and the ingest said nothing (exit 0). The same for an nconst twice in name.basics (two people rows: the
person counted twice), and for a tconst twice in title.episode or title.ratings (read in the same statement as
title.basics: the join doubles the title). A tconst twice in title.crew gave the title its directors and writers
twice (each counted twice by `share --unit credits` and in the episode counts). Each is now an error naming the
second occurrence, and the store is left exactly as it was. Every case runs the CLI in a real process on a store
that holds the sample already. (title.principals has a tconst on many lines by design; its key, tconst and
ordering, is not checked: an exact check cost about 2 CPU s of 1.5 at synth scale 0.1, see docs/reliability.md.)
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests._reliability import (
    assert_alone,
    assert_ingest_refused,
    copy_sample,
    gz_needles,
    gzip_tsv,
    q,
    read_lines,
    write_file,
)
from tests.conftest import run_cli


@pytest.fixture
def store(store_alone: Path) -> Path:
    """Each test's store: the CLI-loaded sample alone in its folder (conftest's ``store_alone``)."""
    return store_alone


def _line_of(path: Path, key: str) -> str:
    return next(x for x in read_lines(path) if x.split("\t", 1)[0] == key)


def _basics_repeated(d: Path) -> Path:
    # the reviewer's case: the Carmencita line (line 2) appended again, as line 101
    f = d / "title.basics.tsv"
    write_file(f, [*read_lines(f), _line_of(f, "tt0000001")])
    return d


def _names_repeated(d: Path) -> Path:
    # nm0000002 (line 3) again at line 41, under another name: still one person id twice
    f = d / "name.basics.tsv"
    lines = read_lines(f)
    again = _line_of(f, "nm0000002").replace("Lauren Bacall", "L. Bacall")
    write_file(f, [*lines[:40], again, *lines[40:]])
    return d


def _episode_repeated(d: Path) -> Path:
    # tt0000001 as an episode of two series: the join with title.basics gave the title two rows
    f = d / "title.episode.tsv"
    write_file(f, [*read_lines(f), "tt0000001\ttt0041038\t1\t1", "tt0000001\ttt0989125\t1\t2"])
    return d


def _ratings_repeated(d: Path) -> Path:
    f = d / "title.ratings.tsv"
    lines = read_lines(f)
    write_file(f, [*lines[:10], _line_of(f, "tt0000005"), *lines[10:]])
    return d


def _crew_repeated(d: Path) -> Path:
    # tt0000002's directors (line 3) again as line 101: its director credit was stored twice
    f = d / "title.crew.tsv"
    write_file(f, [*read_lines(f), _line_of(f, "tt0000002")])
    return d


CASES: dict[str, tuple[Callable[[Path], Path], tuple[str, ...]]] = {
    "basics": (_basics_repeated, ("title.basics.tsv:101:", "tconst tt0000001", "line 2", "expected each title once")),
    "names": (_names_repeated, ("name.basics.tsv:41:", "nconst nm0000002", "line 3", "expected each person once")),
    "episode": (_episode_repeated, ("title.episode.tsv:102:", "tconst tt0000001", "line 101",
                                    "expected each title once")),
    "ratings": (_ratings_repeated, ("title.ratings.tsv:11:", "tconst tt0000005", "line 6",
                                    "expected each title once")),
    "crew": (_crew_repeated, ("title.crew.tsv:101:", "tconst tt0000002", "line 3",
                              "expected each title's directors and writers on one line")),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_repeated_id_fails_naming_the_repeat_and_leaves_the_store(case: str, tmp_path: Path, store: Path) -> None:
    mutate, needles = CASES[case]
    assert_ingest_refused(mutate(copy_sample(tmp_path / "dump")), store, needles)
    assert_alone(store)


@pytest.mark.parametrize("case", ["basics", "names", "crew"])
def test_gzipped_and_skip_bad_fail_the_same_way(case: str, tmp_path: Path, store: Path) -> None:
    """The same repeats in .tsv.gz files, read directly and with --skip-bad (which stages every file first)."""
    mutate, needles = CASES[case]
    dump = gzip_tsv(mutate(copy_sample(tmp_path / "dump")))
    for extra in ([], ["--skip-bad"]):
        assert_ingest_refused(dump, store, gz_needles(needles), *extra)


def test_skip_bad_names_the_repeat_of_a_stored_line_not_a_rejected_one(tmp_path: Path, store: Path) -> None:
    """With --skip-bad a rejected line is not stored, so it neither repeats an id nor is the line repeated."""
    dump = copy_sample(tmp_path / "dump")
    f = dump / "title.basics.tsv"
    carmencita = _line_of(f, "tt0000001")
    broken = "\t".join(carmencita.split("\t")[:4])  # 4 of 9 fields: rejected
    write_file(f, [*read_lines(f), broken])
    ok = run_cli("ingest", "imdb", str(dump), "--db", str(store), "--skip-bad")
    assert ok.returncode == 0, ok.stderr  # line 101 was rejected: tt0000001 is stored once
    write_file(f, [*read_lines(f), carmencita])
    assert_ingest_refused(dump, store, ("title.basics.tsv:102:", "tconst tt0000001", "line 2"), "--skip-bad")


def test_a_good_dump_after_a_repeat_loads_and_counts_the_title_once(tmp_path: Path, store: Path) -> None:
    """The check passes every real sample line (the sample ids are distinct) and `share --by title` lists
    Carmencita once with its 2 credits."""
    dump = copy_sample(tmp_path / "dump")
    assert run_cli("ingest", "imdb", str(_basics_repeated(copy_sample(tmp_path / "bad"))), "--db",
                   str(store)).returncode == 1
    assert run_cli("ingest", "imdb", str(dump), "--db", str(store)).returncode == 0
    out = run_cli("share", "--by", "title", "--unit", "credits", "--format", "csv", "--db", str(store))
    assert out.returncode == 0, out.stderr
    rows = [x for x in out.stdout.splitlines() if x.startswith("tt0000001,")]
    assert len(rows) == 1, out.stdout


#: two titles with ids alike Carmencita's (tt0000001) only as numbers: its digits, and an id not of IMDb's shape
ALIKE_TITLES = ["tt00000001\tmovie\tEight Zeros\tEight Zeros\t0\t2001\t\\N\t90\tDrama",
                "demo:tt1\tmovie\tLocal\tLocal\t0\t2002\t\\N\t\\N\t\\N"]


def _ingest_alike(tmp_path: Path, store: Path, file: str, lines: list[str]) -> subprocess.CompletedProcess[str]:
    """The sample with :data:`ALIKE_TITLES` added to title.basics and ``lines`` to ``file``, loaded into
    ``store`` by the CLI: the load succeeds."""
    dump = copy_sample(tmp_path / "dump")
    for name, added in (("title.basics.tsv", ALIKE_TITLES), (file, lines)):
        write_file(dump / name, [*read_lines(dump / name), *added])
    r = run_cli("ingest", "imdb", str(dump), "--db", str(store))
    assert r.returncode == 0, r.stderr
    return r


def test_ids_alike_as_numbers_are_not_repeats(tmp_path: Path, store: Path) -> None:
    """The check first compares the ids as numbers (their digits); ids with the same digits are different ids
    all the same: tt00000001 beside tt0000001 (Carmencita), nm01 beside nm1, and ids not of IMDb's shape."""
    r = _ingest_alike(tmp_path, store, "name.basics.tsv",
                      ["nm01\tAda One\t\\N\t\\N\tdirector\t\\N", "nm1\tAda Other\t\\N\t\\N\tdirector\t\\N"])
    assert "crewparity: error" not in r.stderr


def test_crew_ids_alike_as_numbers_are_not_repeats(tmp_path: Path, store: Path) -> None:
    """title.crew's screen compares the tconsts as numbers first: tt00000001 beside tt0000001 (Carmencita), and an id
    not of IMDb's shape, are told apart by the exact count, and every line's credits are stored once."""
    _ingest_alike(tmp_path, store, "title.crew.tsv", ["tt00000001\tnm0005690\t\\N", "demo:tt1\tnm0721526\tnm0721526"])
    assert q(store, "SELECT title_id, person_id, role FROM credits WHERE title_id IN ('tt0000001', 'tt00000001', "
                    "'demo:tt1') AND role IN ('director', 'writer') ORDER BY ALL") == [
        ("demo:tt1", "nm0721526", "director"), ("demo:tt1", "nm0721526", "writer"),
        ("tt00000001", "nm0005690", "director"), ("tt0000001", "nm0005690", "director")]

