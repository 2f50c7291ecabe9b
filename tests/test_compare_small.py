"""`crewparity compare`'s ``small`` flag: a row whose figure of ours rests on fewer than ``crewparity share``'s
small-group threshold says so, in every output.

Why: on the bundled demo the DGA comparison read "+69.0 pts" from 13 episodes (one season of one series) with
nothing to say that it is no finding, while ``crewparity share`` flags a group of 13 ``small``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from crewparity.metrics.compare import compare, small_note, small_words
from crewparity.metrics.roles import small_group_threshold
from crewparity.store import open_store
from tests.conftest import run_cli, spec_dicts, synth_store


@pytest.fixture(scope="module")
def synth_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic store whose Celluloid Ceiling rows count some years under the threshold and some over it."""
    return synth_store(tmp_path_factory, "compare_small", seed=3)


def _dga_2018(db: Path) -> dict[str, object]:
    with open_store(db, read_only=True) as st:
        rows = compare(st, "dga", 2018, 2018).to_pylist()
    [row] = rows
    return row


def test_the_13_episode_dga_row_is_small_in_the_cli_table(demo_db_names_only: Path) -> None:
    row = _dga_2018(demo_db_names_only)
    assert row["period"] == "2018-19" and row["counted"] == 13 and row["small"] is True
    r = run_cli("compare", "dga", "--from", "2018", "--to", "2018", "--db", str(demo_db_names_only),
                env={"COLUMNS": "250"})
    assert r.returncode == 0, r.stderr
    [line] = [ln for ln in r.stdout.splitlines() if "2018-19" in ln]
    cells = [c.strip() for c in line.strip("│ ").split("│")]
    header = next(ln for ln in r.stdout.splitlines() if "difference" in ln and "period" in ln)
    names = [c.strip() for c in header.strip("┃ ").split("┃")]
    shown = dict(zip(names, cells, strict=True))
    points = round(float(row["difference"]) * 100, 1)   # type: ignore[arg-type]
    assert shown["difference"] == f"{points:+.1f} pts *"   # marked: never a bare "+67.5 pts"
    assert shown["small"] == "small" and shown["counted"] == "13"
    text = " ".join(r.stdout.split())
    assert " ".join(small_note().split()) in text
    assert f"small = fewer than {small_group_threshold()} counted on our side" in text


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_exports_carry_small_and_describe_it(fmt: str, demo_db_names_only: Path, tmp_path: Path) -> None:
    target = tmp_path / f"dga.{fmt}"
    r = run_cli("compare", "dga", "--db", str(demo_db_names_only), "-o", str(target))
    assert r.returncode == 0, r.stderr
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
        by_period = {row["period"]: row for row in rows}
        assert by_period["2018-19"]["small"] == "True" and by_period["2018-19"]["counted"] == "13"
        assert by_period["2018-19"]["difference"] != ""   # the figure is kept, flagged, not hidden
    elif fmt == "json":
        by_period = {row["period"]: row for row in json.loads(target.read_text(encoding="utf-8"))}
        assert by_period["2018-19"]["small"] is True and by_period["2018-19"]["counted"] == 13
    else:
        table = pq.read_table(target)
        assert str(table.schema.field("small").type) == "bool"
        assert {row["period"]: row["small"] for row in table.to_pylist()}["2018-19"] is True
        assert small_words() in table.schema.metadata[b"crewparity.notes"].decode()
        return
    doc = json.loads((tmp_path / f"dga.{fmt}-metadata.json").read_text(encoding="utf-8"))
    columns = {c["name"]: c["datatype"] for c in doc["tableSchema"]["columns"]}
    assert columns["small"] == ({"base": "boolean", "format": "True|False"} if fmt == "csv" else "boolean")
    assert small_words() in doc["dc:description"]


def test_small_is_share_s_flag_for_the_same_group(synth_db: Path) -> None:
    """A comparison row is small exactly where ``crewparity share`` flags the same people small: one threshold.
    (The Celluloid Ceiling's role-set rows: the people of its six roles in its top-250 sample, each once.)"""
    from crewparity.metrics.roles import study
    from crewparity.metrics.share import share

    cc = study("celluloid_ceiling")
    with open_store(synth_db, read_only=True) as st:
        rows = [r for r in compare(st, "celluloid_ceiling").to_pylist()
                if r["metric"] == "pct_women_of_individuals" and "," in r["role"] and r["crewparity"] is not None]
        groups = share(st, roles=list(cc.roles), by="year", kinds=list(cc.kinds), sample=cc.sample,
                       unit="people").to_pylist()
    flags = {g["year"]: g["small"] for g in groups}
    assert rows and {r["small"] for r in rows} == {True, False}  # both sides of the threshold are seen
    for r in rows:
        assert r["small"] == flags[r["year"]] == (r["counted"] < small_group_threshold()), r


def test_rows_with_enough_counted_are_not_small_nor_marked(synth_db: Path) -> None:
    with open_store(synth_db, read_only=True) as st:
        rows = compare(st, "dga").to_pylist()
    assert rows and all(r["counted"] >= small_group_threshold() and r["small"] is False for r in rows)
    r = run_cli("compare", "dga", "--db", str(synth_db), env={"COLUMNS": "250"})
    assert r.returncode == 0, r.stderr
    assert "pts *" not in r.stdout and "│ small │" not in r.stdout


def test_the_chart_says_which_points_are_small(demo_db_names_only: Path, synth_db: Path, tmp_path: Path) -> None:
    """A chart travels without the table: its subtitle names the small points of ours."""
    from crewparity.report import charts

    def subtitle(db: Path) -> str:
        with open_store(db, read_only=True) as st:
            table = compare(st, "dga")
        titles = [d["title"] for d in spec_dicts(charts.to_spec(charts.compare_chart(table)))
                  if isinstance(d.get("title"), dict) and "subtitle" in d["title"]]
        return " ".join(" ".join(t["subtitle"]) for t in titles)

    small = " ".join(subtitle(demo_db_names_only).split())
    assert (f"Small samples, read with care: ours counts fewer than {small_group_threshold()} in 2015 (13 episodes), "
            "2018 (13 episodes); a difference there is not a finding.") in small
    assert "Small samples" not in subtitle(synth_db)
    # `crewparity chart compare` draws the same chart
    drawn = run_cli("chart", "compare", "dga", "--db", str(demo_db_names_only), "-o", str(tmp_path / "dga.svg"))
    assert drawn.returncode == 0, drawn.stderr
    assert "Small samples, read with care" in (tmp_path / "dga.svg").read_text(encoding="utf-8")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_report_and_dashboard_mark_the_small_difference(demo_db_names_only: Path, tmp_path: Path) -> None:
    import html as html_lib

    from crewparity.report import build_report
    from tests._dashboard_store import dashboard_client

    points = f"{round(float(_dga_2018(demo_db_names_only)['difference']) * 100, 1):+.1f} pts"  # type: ignore[arg-type]
    report = html_lib.unescape(build_report(demo_db_names_only, tmp_path / "r.html").read_text(encoding="utf-8"))
    section = report[report.index('id="compare"'):report.index('id="method"')]
    md = build_report(demo_db_names_only, tmp_path / "r.md").read_text(encoding="utf-8")
    md_section = md[md.index("## Beside the published studies"):md.index("# Method")]
    for client in dashboard_client(demo_db_names_only):
        page = html_lib.unescape(client.get("/compare", params={"study": "dga"}).text)
    for text in (section, page):
        assert f"{points} *" in text                       # the small row's difference, marked
    assert f"{points} \\*" in md_section                  # (Markdown escapes the mark)
    for text in (section, md_section, page):
        assert " ".join(small_note().split()) in " ".join(text.split())
    for text in (section, page):                           # the chart beside the table (inline SVG) says so too
        assert "Small samples, read with care" in text
    assert "<td>small</td>" in page and "<td>small</td>" in section and "| small |" in md_section
