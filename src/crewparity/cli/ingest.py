"""`crewparity ingest SOURCE ...` and `crewparity resolve`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from crewparity import api
from crewparity.cli.app import DbOption, app, ingest_app, print_table, stdout
from crewparity.cli.progress import steps
from crewparity.errors import ArgumentError


@ingest_app.command("imdb")
def ingest_imdb(
    folder: Annotated[
        Path,
        # readable=False: the reader checks and names an unreadable folder itself (one line, exit 1).
        typer.Argument(help="Folder with the IMDb dump files (title.basics.tsv.gz, ...); title.akas is not read.",
                       readable=False),
    ],
    db: DbOption = None,
    skip_bad: Annotated[bool, typer.Option(
        "--skip-bad", help="Skip lines that cannot be read (wrong field count, wrong type, bad UTF-8) instead of "
        "failing; each is listed with file:line and the reason in the rejects file.")] = False,
    rejects: Annotated[Path | None, typer.Option(
        "--rejects", help="With --skip-bad: where to list the rejected lines (default <store>.rejects.tsv); "
        "checked before the ingest starts, and written with the store: both or neither.",
        show_default=False)] = None,
) -> None:
    """Load IMDb non-commercial dumps; replaces an earlier IMDb load atomically, then resolves gender."""
    if rejects is not None and not skip_bad:
        raise ArgumentError("--rejects needs --skip-bad")
    with steps("ingest imdb") as step:
        summary = api.ingest_imdb(folder, db, progress=step, skip_bad=skip_bad, rejects=rejects)
    table = Table(title=f"Ingested {summary.location} in {summary.seconds:.1f} s "
                        f"(reading the files {summary.load_seconds:.1f} s)")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in summary.rows.items():
        table.add_row(name, f"{n:,}")
    print_table(table)
    if summary.rejects is not None:
        log = summary.rejects
        stdout.print(
            f"read {log.read:,} lines: {log.read - log.rejected:,} stored, {log.rejected:,} rejected"
            f" (listed in {summary.rejects_path})"
        )
    for warning in summary.warnings:  # worded and printed as ingest tmdb's
        typer.echo(f"crewparity: warning: {warning}", err=True)


@app.command("resolve")
def resolve(
    db: DbOption = None,
    rebuild: Annotated[bool, typer.Option(
        "--rebuild", help="Rebuild every query table from scratch instead of updating the rows of the people whose "
        "resolved gender changed.")] = False,
) -> None:
    """Recompute each person's resolved gender from the evidence and bring the query tables up to date (ingest
    does this)."""
    counts = api.resolve_store(db, rebuild=rebuild)
    table = Table(title="Resolved genders: people per source of their gender")
    table.add_column("source")
    table.add_column("people", justify="right")
    for source, n in sorted(counts.items()):
        table.add_row(source, f"{n:,}")
    print_table(table)
    stdout.print("name_model: inferred from the first name; none: no evidence and no first name the model can score")
