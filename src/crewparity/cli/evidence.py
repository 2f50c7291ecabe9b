"""`crewparity ingest wikidata|tmdb|overrides|crewlist` and `crewparity fetch wikidata-genders`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from crewparity import api_sources
from crewparity.cli.app import DbOption, fetch_app, ingest_app, print_table, stdout
from crewparity.cli.progress import bar as progress_bar
from crewparity.sources.overrides import EvidenceSummary

#: Same as crewparity.sources.http.DEFAULT_ENDPOINT (not imported here: httpx loads only when fetching).
DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"

FileArg = Annotated[Path, typer.Argument(help="Input file.", readable=False, exists=False)]


def _print(summary: EvidenceSummary, what: str, replaces: str | None = None, origin: str = "file") -> None:
    """An evidence or crew-list ingest's output, columned as ``ingest tmdb``'s: the rows the file gives, the rows
    added and every source's rows in the store after the load, per table; then the file's records read and
    skipped, in their own unit (lines, answers), and the warnings.

    Why: one column of "rows" held a crew list's titles and credits added beside the resolved genders of the whole
    store, and said nothing of the lines read; an overrides file's "rows" were people, its lines uncounted.
    ``replaces``: the source whose earlier rows the load replaced whole (Wikidata, overrides), for the note;
    ``origin``: where the rows came from (a file; a fetch's answers)."""
    table = Table(title=f"Ingested {what} from {summary.location}")
    table.add_column("table")
    for column in (f"in the {origin}", "added", "in the store"):
        table.add_column(column, justify="right")
    for name, n in summary.rows.items():
        if name in summary.in_store:
            table.add_row(name, f"{summary.read.get(name, 0):,}", f"{n:,}", f"{summary.in_store[name]:,}")
        else:  # resolved_gender: one row per person of the store, worked out again
            table.add_row(name, "", "", f"{n:,}")
    print_table(table)
    unit = summary.read_unit or "lines"
    read = f"read {summary.rows_read:,} {unit} of the {origin}" + (
        " (an IMDb id and a gender each)" if unit == "answers" else "")
    skipped = sum(summary.skipped.values())
    if skipped:
        read += f"; {skipped:,} skipped (" + "; ".join(f"{k}: {v:,}" for k, v in sorted(summary.skipped.items())) + ")"
    stdout.print(read, soft_wrap=True)
    added = (f"the {origin}'s rows, which replaced the earlier {replaces} rows" if replaces else
             f"the {origin}'s rows the store did not hold (this list's earlier rows were replaced; a title, person "
             "or credit the store has from another source is kept)")
    stdout.print(f"in the {origin}: the rows it gives each table (a fact once, however many {unit} say it); added: "
                 f"{added}; in the store: every source's rows after the load (resolved_gender: every person, resolved "
                 "again)", soft_wrap=True)
    for warning in summary.warnings:
        typer.echo(f"crewparity: warning: {warning}", err=True)


@ingest_app.command("wikidata")
def ingest_wikidata(file: FileArg, db: DbOption = None) -> None:
    """Load Wikidata P21 genders by IMDb id (SPARQL JSON result or its CSV export); replaces earlier ones.

    \b
    Examples:
      crewparity ingest wikidata wikidata.json --db demo.duckdb   # as fetch wikidata-genders --save wrote it
    """
    _print(api_sources.ingest_wikidata(file, db), "Wikidata genders", replaces="Wikidata")


@ingest_app.command("overrides")
def ingest_overrides(file: FileArg, db: DbOption = None) -> None:
    """Load overrides (CSV person_id,gender,note): a person's own statement or a correction; always wins.

    \b
    Examples:
      crewparity ingest overrides corrections.csv --db demo.duckdb   # columns person_id,gender,note
    """
    _print(api_sources.ingest_overrides(file, db), "overrides", replaces="overrides")


@ingest_app.command("tmdb")
def ingest_tmdb(
    files: Annotated[list[Path], typer.Argument(help="TMDB API v3 JSON responses (movie, tv, season, credits, person).")],
    db: DbOption = None,
    evidence_only: Annotated[bool, typer.Option(
        "--evidence-only", help="Load only the TMDB genders of people a /person/{id} file links to an IMDb id: no "
        "titles, credits or people. TMDB as a gender source for an IMDb store, whose series it would otherwise "
        "count twice.")] = False,
) -> None:
    """Load TMDB API v3 responses: titles, people, credits and gender 1/2/3; replaces an earlier TMDB load.

    \b
    Examples:
      crewparity ingest tmdb tmdb/*.json --db demo.duckdb   # responses of the API saved as files
      crewparity ingest tmdb tmdb/*.json --evidence-only --db demo.duckdb   # only the genders, for an IMDb store
    """
    from crewparity.cli.ingest import print_tmdb_summary  # its own columns: in the files, added, in the store

    print_tmdb_summary(api_sources.ingest_tmdb(files, db, evidence_only=evidence_only), f"{len(files)} TMDB file(s)")


@ingest_app.command("crewlist")
def ingest_crewlist(
    file: FileArg,
    db: DbOption = None,
    title: Annotated[str | None, typer.Option("--title", help="Title for rows without one (a one-production list).",
                                              show_default=False)] = None,
    year: Annotated[int | None, typer.Option("--year", help="Year for rows without one.", show_default=False)] = None,
) -> None:
    """Load a production's own crew list: a CSV with columns name and role (and title, unless --title gives the
    one film), optionally year, kind, gender, person_id, and series, season, episode, episode_title for the
    episodes of a series (then `crewparity series` reads them); a semicolon- or tab-separated export is read
    too.

    \b
    Examples:
      crewparity ingest crewlist crew.csv --title "My Film" --year 2025 --db mine.duckdb
    """
    _print(api_sources.ingest_crewlist(file, db, title=title, year=year), "crew list")


@fetch_app.command("wikidata-genders")
def fetch_wikidata_genders(
    db: DbOption = None,
    endpoint: Annotated[str, typer.Option("--endpoint", help="SPARQL endpoint URL.")] = DEFAULT_ENDPOINT,
    batch: Annotated[int, typer.Option("--batch", help="IMDb ids per request.")] = 200,
    rate: Annotated[float, typer.Option("--rate", help="At most this many requests per second.")] = 1.0,
    max_retries: Annotated[int, typer.Option("--max-retries", help="Retries on 429/5xx/connection errors/query "
                                             "timeouts.")] = 5,
    backoff: Annotated[float, typer.Option("--backoff", help="First retry wait in seconds (doubles; "
                                           "Retry-After wins).")] = 1.0,
    save: Annotated[Path | None, typer.Option("--save", help="Also write the SPARQL JSON result here "
                                              "(re-load it offline with `ingest wikidata`). A fetch that stops "
                                              "early leaves what arrived in it; the same command continues.",
                                              show_default=False)] = None,
) -> None:
    """Ask Wikidata for P21 of the store's key crew (not actors) by IMDb id, then ingest it. Uses the network.

    \b
    Examples:
      crewparity fetch wikidata-genders --db demo.duckdb
      crewparity fetch wikidata-genders --save wikidata.json --db demo.duckdb
    """
    # the count is of batches (one request each, retries aside), each of up to --batch people: say so
    unit = f"batches of up to {batch:,} {'person' if batch == 1 else 'people'}"
    with progress_bar(TextColumn("wikidata"), BarColumn(), MofNCompleteColumn(), TextColumn(unit),
                      TimeElapsedColumn()) as bar:
        task = bar.add_task("fetch", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        summary = api_sources.fetch_wikidata_genders(db, endpoint=endpoint, batch=batch, rate=rate,
                                                     max_retries=max_retries, backoff=backoff, save=save,
                                                     progress=progress)
    _print(summary, "Wikidata genders", replaces="Wikidata", origin="fetch")
