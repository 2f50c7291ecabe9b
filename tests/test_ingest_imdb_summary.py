"""The table `crewparity ingest imdb` prints: the rows loaded from IMDb and the rows in the store, apart.

Its one column, "rows", held the IMDb rows of each table beside resolved_gender, which counts every person of the
store: after a TMDB load the people row said 99 and resolved_gender 287. As for `ingest tmdb`, each column now
says one thing.
"""

from __future__ import annotations

from pathlib import Path

from tests._reliability import check_ingest_table, q
from tests.conftest import run_cli


def test_columns_say_from_imdb_and_in_the_store(tmp_path: Path, shared_data: Path) -> None:
    db = tmp_path / "s.duckdb"
    tmdb = run_cli("ingest", "tmdb", str(shared_data / "tmdb_api" / "showSeason1.json"), "--db", str(db))
    assert tmdb.returncode == 0, tmdb.stderr
    r = run_cli("ingest", "imdb", str(shared_data / "imdb_sample_2021"), "--db", str(db))
    assert r.returncode == 0, r.stderr
    imdb = {t: int(q(db, f"SELECT count(*) FROM {t} WHERE source = 'imdb'")[0][0])
            for t in ("titles", "people", "credits", "gender_evidence")}
    assert imdb["titles"] == 99
    after = check_ingest_table(r.stdout, db, ["from IMDb", "in the store"],
                               {**{name: (f"{n:,}",) for name, n in imdb.items()}, "resolved_gender": ("",)})
    assert after["titles"] > 99  # the season's episodes too
