"""A Parquet export says what it counts, what data it came from and how to make it again (schema metadata): a
review found a ``--unit credits`` file and a ``--unit people`` file indistinguishable once passed on, and
another that an export could not be cited without its store."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from crewparity import __version__
from tests.conftest import run_cli


@pytest.mark.parametrize("args", [
    ("share", "--by", "role", "--unit", "credits"),
    ("series", "tt2357547"),
    ("distribution", "--kind", "tv_series", "--part", "buckets"),
    ("compare", "celluloid_ceiling"),
    ("credits", "tt2357547"),
])
def test_parquet_carries_the_command_and_the_notes(demo_db_names_only: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    target = tmp_path / "out.parquet"
    r = run_cli(*args, "--db", str(demo_db_names_only), "-o", str(target))
    assert r.returncode == 0, r.stderr
    meta = {k.decode(): v.decode() for k, v in (pq.read_schema(target).metadata or {}).items()}
    assert meta["crewparity.command"] == " ".join(["crewparity", *args, "--db", str(demo_db_names_only), "-o", str(target)])
    assert meta["crewparity.version"] == __version__
    assert meta["crewparity.title"]
    if args[0] == "share":
        assert "(unit: credits)" in meta["crewparity.title"]
        assert meta["crewparity.notes"].startswith("crewparity share --by role --unit credits")
    if args[0] == "compare":  # the title and notes the terminal shows, the bounds named as the file's columns
        assert meta["crewparity.title"].startswith("celluloid_ceiling: published figures (theirs)")
        notes = meta["crewparity.notes"]
        assert notes.startswith("crewparity compare celluloid_ceiling") and "difference = crewparity minus" in notes
        assert "share_if_unknown_men / share_if_unknown_women" in notes and "if_unknown_men-women" not in notes
    # the rows are as they were
    assert pq.read_table(target).num_rows > 0


def _sources(db: Path) -> list[dict[str, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT source, location, loaded_at FROM sources ORDER BY loaded_at, source").fetchall()
    finally:
        con.close()
    return [{"source": s, "location": Path(loc).name, "loaded_at": at.isoformat(timespec="seconds")}
            for s, loc, at in rows]


@pytest.mark.parametrize("args", [
    ("series", "--rank", "worst"),
    ("share", "--by", "role"),
    ("distribution", "--part", "roles"),
    ("compare", "celluloid_ceiling"),
])
def test_parquet_carries_the_stores_sources(demo_db_names_only: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    """Which data, from where, loaded when: the store's ``sources`` table as one JSON value, so the file can be
    cited without the store (the same list the chart footer's source line is made from)."""
    from crewparity import open as open_client
    from crewparity.report.charts import source_line

    target = tmp_path / "out.parquet"
    r = run_cli(*args, "--db", str(demo_db_names_only), "-o", str(target))
    assert r.returncode == 0, r.stderr
    sources = json.loads((pq.read_schema(target).metadata or {})[b"crewparity.sources"])
    assert sources == _sources(demo_db_names_only)
    assert [s["source"] for s in sources] == ["imdb", "wikidata", "name_model"]
    imdb = sources[0]
    assert imdb["location"] == "demo"  # the folder's name, not the path of the user's folders
    cp = open_client(str(demo_db_names_only))
    try:
        footer = source_line(cp.store)
    finally:
        cp.close()
    assert f"(demo/, loaded {imdb['loaded_at'][:10]})" in footer


def test_parquet_sources_come_from_the_db_in_the_environment(demo_db_names_only: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    r = run_cli("series", "tt2357547", "-o", str(target), env={"CREWPARITY_DB": str(demo_db_names_only)})
    assert r.returncode == 0, r.stderr
    assert json.loads((pq.read_schema(target).metadata or {})[b"crewparity.sources"]) == _sources(demo_db_names_only)


def test_no_export_report_or_page_carries_the_users_folders(demo_db_names_only: Path, tmp_path: Path) -> None:
    """The store keeps where each source was loaded from in full; a Parquet file, a report and the dashboard's
    method page, which travel or are shown, cite each file or folder by its name only."""
    from crewparity.report import build_report
    from tests._dashboard_store import dashboard_client

    con = duckdb.connect(str(demo_db_names_only), read_only=True)
    try:
        full = [str(loc) for (loc,) in con.execute("SELECT location FROM sources").fetchall()]
    finally:
        con.close()
    folders = {str(Path(loc).parent) for loc in full}
    assert all(Path(loc).is_absolute() for loc in full) and folders
    target = tmp_path / "out.parquet"
    assert run_cli("share", "--by", "role", "--db", str(demo_db_names_only), "-o", str(target)).returncode == 0
    report = tmp_path / "report.html"
    build_report(demo_db_names_only, report)
    texts = {"parquet": (pq.read_schema(target).metadata or {})[b"crewparity.sources"].decode(),
             "report": report.read_text(encoding="utf-8")}
    for client in dashboard_client(demo_db_names_only):
        texts["method page"] = client.get("/method").text
    for where, text in texts.items():
        assert not [f for f in folders if f in text], where
        assert "name_data.json" in text, where
