"""`crewparity demo`: build a store from the bundled fact-checked sample and show the headline tables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pyarrow as pa
import typer

from crewparity.cli.app import app, emit, stdout
from crewparity.cli.progress import steps


def _pct(v: float | None) -> str:
    return "" if v is None or v != v else f"{v:.0%}"


def jessica_jones_display(table: pa.Table) -> pa.Table:
    """The season table narrow enough for an 80-column terminal (the series name is in the title). Its caption
    names the command that prints the full table: this one is renamed and rounded, so it is not that table."""
    keep = ["season", "total", "women", "men", "nonbinary", "unknown"]
    out = table.select(keep).rename_columns(["season", "episodes", "women", "men", "nonbinary", "unknown"])
    return out.append_column("share_women", pa.array([_pct(v) for v in table["share_known"].to_pylist()], pa.string()))


#: the share columns' headers on two lines, broken after the underscore: the names stay those of the full table,
#: and the role table fits 80 columns (on one line each it was 96 wide, folded in two on an 80-column terminal)
TWO_LINE_HEADERS = {"share_known": "share_\nknown", "share_expected": "share_\nexpected"}


def role_share_display(table: pa.Table) -> pa.Table:
    """Shares by role in 80 columns: counts, share among known, the estimate and its 95% interval.

    The nonbinary count is left out when it is 0 in every role (the caption says so: :func:`role_share_note`),
    and the share headers take two lines (:data:`TWO_LINE_HEADERS`): with every column on one line the table was
    96 columns wide, which an 80-column terminal folded into two parts."""
    rows = table.to_pylist()
    counts = ("women", "men", "nonbinary", "unknown") if any(r["nonbinary"] for r in rows) else (
        "women", "men", "unknown")
    shown = pa.table({
        "role": [r["role"] for r in rows],
        **{c: [r[c] for r in rows] for c in counts},
        # the full table's names (`crewparity share`, which the caption names): a bare "known" over "18%" read as
        # the share of people whose gender is known, and set apart from the counts when the table is folded
        "share_known": [_pct(r["share_known"]) for r in rows],
        "share_expected": [_pct(r["share_expected"]) for r in rows],
        "ci_95": [f"{_pct(r['ci_low'])}-{_pct(r['ci_high'])}" if r["ci_low"] is not None else "" for r in rows],
    })
    return shown.rename_columns([TWO_LINE_HEADERS.get(c, c) for c in shown.column_names])


def role_share_note(table: pa.Table) -> str:
    """What the role table leaves out: the nonbinary count, when it is 0 in every role (else nothing)."""
    return "" if any(table["nonbinary"].to_pylist()) else "nonbinary = 0 in every role (column left out); "


#: what the role table's shares are, under it (the words of `crewparity share`'s caption)
ROLE_SHARE_CAPTION = ("share_known = women of those whose gender is known (recorded or called by the first-name "
                      "model); share_expected and ci_95 (its 95% interval) use recorded genders plus first-name "
                      "probabilities; rounded; the full table: ")


@app.command("demo")
def demo(
    db: Annotated[Path, typer.Option("--db", help="Store file to (re)build for the demo.")] = Path("demo.duckdb"),
    report: Annotated[Path, typer.Option("--report", "-o", help="Where to write the demo's HTML report.")] = Path(
        "demo-report.html"),
) -> None:
    """Build a store from the bundled sample (no network) and print the Jessica Jones table and shares by role.

    \b
    Examples:
      crewparity demo                    # writes demo.duckdb and demo-report.html here
    """
    from crewparity.demo import NOTICE, build_demo

    with steps("demo") as step:
        result = build_demo(db, report=report, progress=step)
    stdout.print(f"\n[bold]{NOTICE}[/bold]\n", soft_wrap=False)   # (wrapped at words, to the console's width)
    emit(jessica_jones_display(result.jessica_jones), "table",
         title="Marvel's Jessica Jones: episodes by director gender",
         caption=f"rounded; the full table: crewparity series tt2357547 --db {db}")
    # the report's headline counts movies (its default --kind movie): said here, as the two figures differ
    report_words = (f"; {result.report.name}'s headline counts movies only (report --kind movie, its default), "
                    "so its figures differ") if result.report is not None else ""
    emit(role_share_display(result.by_role), "table",
         title="Women's share by role over the demo sample (unit: people)",
         caption=f"{role_share_note(result.by_role)}{ROLE_SHARE_CAPTION}crewparity share --by role --unit people "
                 f"--db {db}\nevery kind of title: films and series (an episode counts for its series){report_words}")
    emit(result.evidence, "table", title="Where each key-role person's gender came from",
         caption="recorded = overrides, Wikidata, TMDB or IMDb labels; inferred = first-name model")
    stdout.print(f"store: {result.db}")
    if result.report is not None:
        stdout.print(f"report: {result.report.resolve()}")
