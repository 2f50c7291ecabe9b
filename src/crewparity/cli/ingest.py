"""`crewparity ingest SOURCE ...` and `crewparity resolve`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from crewparity import api
from crewparity.cli.app import DbOption, app, ingest_app, print_table, stdout
from crewparity.cli.progress import steps
from crewparity.errors import ArgumentError

if TYPE_CHECKING:
    from crewparity.sources.overrides import EvidenceSummary


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
    """Load IMDb non-commercial dumps; replaces an earlier IMDb load atomically, then resolves gender.

    \b
    Examples:
      crewparity ingest imdb imdb-dumps/     # the .tsv.gz files of https://datasets.imdbws.com
      crewparity ingest imdb imdb-dumps/ --skip-bad --db imdb.duckdb
    """
    if rejects is not None and not skip_bad:
        raise ArgumentError("--rejects needs --skip-bad")
    with steps("ingest imdb") as step:
        summary = api.ingest_imdb(folder, db, progress=step, skip_bad=skip_bad, rejects=rejects)
    dated = f", IMDb's dumps of {summary.dumps_dated}" if summary.dumps_dated else ""
    table = Table(title=f"Ingested {summary.location}{dated} in {summary.seconds:.1f} s "
                        f"(reading the files {summary.load_seconds:.1f} s)")
    # Two columns, as ingest tmdb's table: one of "rows" gave the IMDb rows beside resolved_gender's every person.
    table.add_column("table")
    table.add_column("from IMDb", justify="right")
    table.add_column("in the store", justify="right")
    for name, n in summary.rows.items():
        if name in summary.in_store:
            table.add_row(name, f"{n:,}", f"{summary.in_store[name]:,}")
        else:  # resolved_gender: one row per person of the store, worked out again
            table.add_row(name, "", f"{n:,}")
    print_table(table)
    if summary.rejects is not None:
        log = summary.rejects
        stdout.print(
            f"read {log.read:,} lines: {log.read - log.rejected:,} stored, {log.rejected:,} rejected"
            f" (listed in {summary.rejects_path})"
        )
    for warning in summary.warnings:  # worded and printed as ingest tmdb's
        typer.echo(f"crewparity: warning: {warning}", err=True)


def print_tmdb_summary(summary: EvidenceSummary, what: str) -> None:
    """``ingest tmdb``'s output: a table whose every column says one thing, then what was skipped and the warnings.

    Why: one column of "rows" held the rows the load added (titles 0: a movie the store had from IMDb) beside the
    resolved genders of the whole store (141); the columns are now the rows in the files, the rows added, and the
    rows in the store after the load (the only figure for resolved_gender, which is worked out again for everyone).
    """
    from crewparity.sources.tmdb import TmdbSummary

    read = summary.read if isinstance(summary, TmdbSummary) else {}
    in_store = summary.in_store if isinstance(summary, TmdbSummary) else {}
    table = Table(title=f"Ingested {what} from {summary.location}")
    table.add_column("table")
    for column in ("in the files", "added", "in the store"):
        table.add_column(column, justify="right")
    for name, n in summary.rows.items():
        if name in in_store:
            table.add_row(name, f"{read.get(name, 0):,}", f"{n:,}", f"{in_store[name]:,}")
        else:  # resolved_gender: one row per person of the store, worked out again
            table.add_row(name, "", "", f"{n:,}")
    print_table(table)
    stdout.print("added: the rows of the files the store did not hold (it keeps a title, person or credit it has "
                 "from another source, e.g. under the same IMDb id; the earlier TMDB load's rows were replaced); "
                 "in the store: every source's rows after the load", soft_wrap=True)
    if summary.skipped:
        stdout.print("skipped: " + "; ".join(f"{k}: {v:,}" for k, v in sorted(summary.skipped.items())))
    for warning in summary.warnings:  # worded and printed as the other evidence ingests'
        typer.echo(f"crewparity: warning: {warning}", err=True)


@app.command("resolve")
def resolve(
    db: DbOption = None,
    rebuild: Annotated[bool, typer.Option(
        "--rebuild", help="Rebuild every query table from scratch instead of updating the rows of the people whose "
        "resolved gender changed.")] = False,
) -> None:
    """Recompute each person's resolved gender from the evidence and bring the query tables up to date (ingest
    does this).

    \b
    Examples:
      crewparity resolve --db demo.duckdb
      crewparity resolve --rebuild --db demo.duckdb
    """
    counts = api.resolve_store(db, rebuild=rebuild)
    table = Table(title="Resolved genders: people per source of their gender")
    table.add_column("source")
    table.add_column("people", justify="right")
    for source, n in sorted(counts.items()):
        table.add_row(source, f"{n:,}")
    print_table(table)
    stdout.print("name_model: inferred from the first name; none: no evidence and no first name the model can score")
