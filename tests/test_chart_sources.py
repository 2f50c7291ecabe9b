"""A chart's source line names every source its genders come from: a crew list's self-reported genders too
(they outrank Wikidata, TMDB and IMDb), not only the sources that load genders alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crewparity.report import charts
from tests._dashboard_store import build_store
from tests.conftest import crewlist_store, ingest_cli, run_cli, tmdb_responses

CREW = ("title,year,name,role,gender\n"
        "Our Film,2024,Ana Lima,director,woman\n"
        "Our Film,2024,Bob Stone,writer,man\n"
        "Our Film,2024,Dee Park,cinematographer,woman\n")


def _texts(svg: str) -> str:
    return " ".join(" ".join(re.sub(r"<[^>]+>", "", t.replace("</tspan>", " ")).split())
                    for t in re.findall(r"<text[^>]*>.*?</text>", svg, flags=re.S))


def _source_line(db: Path) -> str:
    import crewparity

    cp = crewparity.open(str(db))
    try:
        return charts.source_line(cp.store)
    finally:
        cp.close()


def _genders(line: str) -> str:
    return line.split("; genders: ")[1].split("; store ")[0]


@pytest.fixture(scope="module")
def crew_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return crewlist_store(tmp_path_factory.mktemp("crew_only"), CREW)


def test_a_crew_lists_genders_are_named(crew_only: Path) -> None:
    line = _source_line(crew_only)
    assert "credits: production crew lists (loaded 20" in line
    assert _genders(line) == "production crew lists (self-reported)"        # every person's gender is from it


def test_crew_list_beside_imdb_names_both(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("crew_and_imdb")
    db = crewlist_store(folder, CREW, build_store(folder))
    genders = _genders(_source_line(db))
    # by precedence: the crew list outranks the IMDb labels, the first-name model comes last
    assert genders == "production crew lists (self-reported), IMDb actor/actress labels, a first-name model (nomquamgender)"
    out = folder / "trend.svg"
    r = run_cli("chart", "trend", "-o", str(out), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "production crew lists (self-reported)" in _texts(out.read_text(encoding="utf-8"))


def test_tmdb_genders_are_named(tmp_path: Path, shared_data: Path) -> None:
    """TMDB loads credits and genders (1/2/3): the source line said it under credits only."""
    db = ingest_cli("tmdb", *tmdb_responses(shared_data), db=tmp_path / "tmdb.duckdb")
    line = _source_line(db)
    assert "credits: TMDB (loaded 20" in line
    assert _genders(line).startswith("TMDB")
