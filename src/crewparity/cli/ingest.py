"""`crewparity ingest SOURCE ...` and `crewparity resolve`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from crewparity import api
from crewparity.cli.app import DbOption, app, ingest_app, stdout
from crewparity.cli.progress import steps


@ingest_app.command("imdb")
def ingest_imdb(
    folder: Annotated[Path, typer.Argument(help="Folder with the IMDb dump files (title.basics.tsv.gz, ...).")],
    db: DbOption = None,
) -> None:
    """Load IMDb non-commercial dumps; replaces an earlier IMDb load atomically, then resolves gender."""
    with steps("ingest imdb") as step:
        summary = api.ingest_imdb(folder, db, progress=step)
    table = Table(title=f"Ingested {summary.location} in {summary.seconds:.1f} s")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in summary.rows.items():
        table.add_row(name, f"{n:,}")
    stdout.print(table)


@app.command("resolve")
def resolve(db: DbOption = None) -> None:
    """Recompute each person's resolved gender from the evidence (ingest does this for you)."""
    counts = api.resolve_store(db)
    for source, n in sorted(counts.items()):
        stdout.print(f"{source}: {n:,}")
