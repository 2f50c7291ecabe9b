"""`crewparity synth`: IMDb-format dumps with the real columns and pitfalls, deterministic, ingestible.

The benchmarks trust these files to stand in for the real dumps, so the tests read the bytes back with a
plain reader (no DuckDB) and check what the real files are known to contain.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest

from crewparity import synth
from crewparity.sources.imdb import FILES
from tests.conftest import run_cli

SCALE = 0.001  # 12,000 titles, 15,000 people


def _lines(path: Path) -> list[list[str]]:
    """Data rows split on tabs only, as the IMDb format is defined (no quoting, no null guessing)."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        text = fh.read()
    assert text.endswith("\n")
    return [line.split("\t") for line in text.split("\n")[1:] if line != ""]


def _header(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return fh.readline().rstrip("\n").split("\t")


@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "a"
    synth.generate(out, SCALE, seed=0)
    return out


@pytest.fixture(scope="module")
def rows(dumps: Path) -> dict[str, list[list[str]]]:
    return {name: _lines(dumps / f"{name}.tsv.gz") for name in [*synth.FILE_NAMES, "truth.people"]}


def test_same_seed_same_bytes_other_seed_other_bytes(dumps: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    synth.generate(again, SCALE, seed=0)
    for name in [*synth.FILE_NAMES, "truth.people"]:
        f = f"{name}.tsv.gz"
        assert (dumps / f).read_bytes() == (again / f).read_bytes(), f
    other = tmp_path / "other"
    synth.generate(other, SCALE, seed=1)
    assert (other / "title.principals.tsv.gz").read_bytes() != (dumps / "title.principals.tsv.gz").read_bytes()
    assert (other / "name.basics.tsv.gz").read_bytes() != (dumps / "name.basics.tsv.gz").read_bytes()
    # nothing but the dumps is left behind (no scratch database, no spill folder)
    assert sorted(p.name for p in other.iterdir()) == sorted(f"{n}.tsv.gz" for n in [*synth.FILE_NAMES, "truth.people"])


def test_real_columns_and_field_counts(dumps: Path, rows: dict[str, list[list[str]]]) -> None:
    for spec in FILES:
        path = dumps / f"{spec.name}.tsv.gz"
        assert _header(path) == list(spec.columns), spec.name
        bad = [r for r in rows[spec.name] if len(r) != len(spec.columns)]
        assert bad == [], (spec.name, bad[:3])
    assert _header(dumps / synth.TRUTH_FILE) == ["nconst", "gender", "first_name"]


def test_pitfalls_of_the_real_files_are_present(rows: dict[str, list[list[str]]]) -> None:
    basics = rows["title.basics"]
    # bare double quotes in titles, never a quoted field
    assert any('"' in r[2] for r in basics)
    assert not any(r[2].startswith('"') and r[2].endswith('"') and r[2].count('"') == 2 for r in basics)
    # \N as the null marker, in several columns
    assert any(r[5] == "\\N" for r in basics) and any(r[8] == "\\N" for r in basics)
    assert any(r[7] == "\\N" for r in basics)
    # titles and people literally called NA / Null / Nan: strings, not nulls
    titles = {r[2] for r in basics}
    assert titles & set(synth.NULLISH)
    names = {r[1] for r in rows["name.basics"]}
    assert {"NA", "Null", "Nan"} <= names
    # comma-separated lists
    assert any("," in r[8] for r in basics)
    assert any("," in r[1] for r in rows["title.crew"]) or any("," in r[2] for r in rows["title.crew"])
    assert any("," in r[4] for r in rows["name.basics"])
    # JSON characters
    chars = [r[5] for r in rows["title.principals"] if r[5] != "\\N"]
    assert chars and all(c.startswith('["') and c.endswith('"]') for c in chars)
    # episodes without season/episode numbers: about one in five
    episodes = rows["title.episode"]
    unnumbered = sum(1 for r in episodes if r[2] == "\\N" and r[3] == "\\N")
    assert 0.15 < unnumbered / len(episodes) < 0.25
    # initials-only names exist ("S. J. Smith")
    assert any(len(n) > 3 and n[1:3] == ". " for n in names)


def test_shape_follows_the_real_dumps(rows: dict[str, list[list[str]]]) -> None:
    basics = rows["title.basics"]
    kinds = {r[1] for r in basics}
    assert {"movie", "short", "tvSeries", "tvEpisode", "tvMiniSeries", "tvMovie", "video"} <= kinds
    episodes = rows["title.episode"]
    assert len(episodes) == sum(1 for r in basics if r[1] == "tvEpisode")
    assert 0.7 < len(episodes) / len(basics) < 0.85  # 9.5M of 12M
    series = {r[0] for r in basics if r[1] in ("tvSeries", "tvMiniSeries")}
    assert {r[1] for r in episodes} <= series
    cats = {r[3] for r in rows["title.principals"]}
    assert {"actor", "actress", "self", "director", "writer", "producer", "editor", "cinematographer",
            "composer", "production_designer", "casting_director", "archive_footage"} <= cats
    jobs = {r[4] for r in rows["title.principals"]}
    assert "executive producer" in jobs and "created by" in jobs
    # every person referenced exists in name.basics, as in a consistent dump
    people = {r[0] for r in rows["name.basics"]}
    assert {r[2] for r in rows["title.principals"]} <= people


def test_rows_scale(rows: dict[str, list[list[str]]], tmp_path: Path) -> None:
    n_titles = round(synth.FULL_TITLES * SCALE)
    n_people = round(synth.FULL_PEOPLE * SCALE)
    assert len(rows["title.basics"]) == n_titles
    assert len(rows["name.basics"]) == n_people
    assert len(rows["title.crew"]) == n_titles
    # ~98M principals rows at scale 1 -> ~8.2 per title
    assert 7.5 < len(rows["title.principals"]) / n_titles < 9.0
    double = tmp_path / "double"
    summary = synth.generate(double, 2 * SCALE, seed=0)
    assert summary.rows["title.basics"] == 2 * n_titles
    assert len(_lines(double / "name.basics.tsv.gz")) == 2 * n_people
    ratio = len(_lines(double / "title.principals.tsv.gz")) / len(rows["title.principals"])
    assert 1.9 < ratio < 2.1


def test_truth_file_matches_name_basics(rows: dict[str, list[list[str]]]) -> None:
    names = rows["name.basics"]
    truth = rows["truth.people"]
    assert [r[0] for r in truth] == [r[0] for r in names]
    assert {r[1] for r in truth} == {"woman", "man"}
    for (nconst, gender, first), (_, primary, *_rest) in zip(truth, names, strict=True):
        assert primary == first or primary.startswith(first + " ") or primary.startswith(first[0] + ". "), nconst
        profs = _rest[2].split(",")
        if "actress" in profs:
            assert gender == "woman", nconst
        if "actor" in profs:
            assert gender == "man", nconst
    women = sum(1 for r in truth if r[1] == "woman")
    assert 0.25 < women / len(truth) < 0.5


def test_ingest_reads_every_row(dumps: Path, rows: dict[str, list[list[str]]], tmp_path: Path) -> None:
    db = tmp_path / "synth.duckdb"
    result = run_cli("ingest", "imdb", str(dumps), "--db", str(db))
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        def one(sql: str) -> int:
            return int(con.execute(sql).fetchall()[0][0])

        assert one("SELECT count(*) FROM titles") == len(rows["title.basics"])
        assert one("SELECT count(*) FROM people") == len(rows["name.basics"])
        crew = rows["title.crew"]
        assert one("SELECT count(*) FROM credits WHERE role = 'director'") == sum(
            len(r[1].split(",")) for r in crew if r[1] != "\\N")
        assert one("SELECT count(*) FROM credits WHERE role = 'writer'") == sum(
            len(r[2].split(",")) for r in crew if r[2] != "\\N")
        assert one("SELECT count(*) FROM titles WHERE kind = 'tv_episode' AND series_id IS NOT NULL") == len(
            rows["title.episode"])
        assert one("SELECT count(*) FROM titles WHERE kind = 'tv_episode' AND season IS NULL") == sum(
            1 for r in rows["title.episode"] if r[2] == "\\N")
        # literal "NA"/"Null"/"Nan" names survive as strings
        assert one("SELECT count(*) FROM people WHERE name IN ('NA', 'Null', 'Nan')") >= 3
        assert one("SELECT count(*) FROM people WHERE name IS NULL") == 0
        assert one("SELECT count(*) FROM titles WHERE name LIKE '%\"%'") == sum(
            1 for r in rows["title.basics"] if '"' in r[2])
        # IMDb's own labels agree with the truth file wherever they exist
        truth = {r[0]: r[1] for r in rows["truth.people"]}
        labelled = con.execute(
            "SELECT person_id, gender FROM resolved_gender WHERE source = 'imdb'").fetchall()
        assert labelled and all(truth[p] == g for p, g in labelled)
    finally:
        con.close()


def test_cli_help_and_bad_scale(tmp_path: Path) -> None:
    result = run_cli("synth", str(tmp_path / "x"), "--scale", "0")
    assert result.returncode == 1
    assert "--scale" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("where,message", [
    ("a-file", "a-file: is a file, not a folder; give a folder for the dump files (created if missing)"),
    ("a-file/sub", "a-file/sub: cannot create the folder for the dump files (Not a directory)"),
])
def test_an_output_folder_that_cannot_be_one_is_one_line(where: str, message: str, tmp_path: Path) -> None:
    """A file given as OUTDIR (or a folder under one) was a FileExistsError / NotADirectoryError traceback."""
    (tmp_path / "a-file").write_text("not a folder\n")
    result = run_cli("synth", str(tmp_path / where), "--scale", "0.0001")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines() == [f"crewparity: error: {tmp_path / where}: {message.split(': ', 1)[1]}"]
    assert (tmp_path / "a-file").read_text() == "not a folder\n"
