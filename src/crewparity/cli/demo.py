"""`crewparity demo`: build a store from the bundled fact-checked sample and show the headline tables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from crewparity.cli.app import app, emit, stdout
from crewparity.cli.progress import steps


@app.command("demo")
def demo(
    db: Annotated[Path, typer.Option("--db", help="Store file to (re)build for the demo.")] = Path("demo.duckdb"),
    report: Annotated[Path, typer.Option("--report", "-o", help="Where to write the demo's HTML report.")] = Path(
        "demo-report.html"),
) -> None:
    """Build a store from the bundled sample (no network) and print the Jessica Jones table and shares by role."""
    from crewparity.demo import NOTICE, build_demo

    with steps("demo") as step:
        result = build_demo(db, report=report, progress=step)
    stdout.print(f"\n[bold]{NOTICE}[/bold]\n")
    emit(result.jessica_jones, "table", title="Marvel's Jessica Jones: episodes by director gender",
         caption=f"crewparity series tt2357547 --db {db}")
    emit(result.by_role, "table", title="Women's share by role over the demo sample (unit: people)",
         caption=f"crewparity share --by role --unit people --db {db}")
    emit(result.evidence, "table", title="Where each key-role person's gender came from",
         caption="recorded = overrides, Wikidata, TMDB or IMDb labels; inferred = first-name model")
    stdout.print(f"store: {result.db}")
    if result.report is not None:
        stdout.print(f"report: {result.report.resolve()}")
