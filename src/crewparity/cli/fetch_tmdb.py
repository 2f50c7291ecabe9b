"""`crewparity fetch tmdb`: a title's TMDB API v3 responses, saved as files and ingested."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn

from crewparity import api_sources
from crewparity.cli.app import DbOption, fetch_app, stdout
from crewparity.cli.progress import bar as progress_bar

#: Same as crewparity.sources.tmdb_fetch.DEFAULT_BASE_URL (not imported here: httpx loads only when fetching).
DEFAULT_BASE_URL = "https://api.themoviedb.org/3"


@fetch_app.command("tmdb")
def fetch_tmdb(
    titles: Annotated[list[str], typer.Argument(
        help="Titles as movie:ID or tv:ID (TMDB ids, as in themoviedb.org/tv/60573).", show_default=False)],
    save: Annotated[Path, typer.Option(
        "--save", help="Folder for the responses, one JSON file each (tv-60573-season-2.json); created if absent. "
        "Files already there are reused, not asked again; every *.json in it is ingested.", show_default=False)],
    db: DbOption = None,
    people: Annotated[bool, typer.Option(
        "--people", help="Also get /person/{id} of the key crew (not actors): IMDb ids link them to an IMDb "
        "store, birthdays give birth years. One request per person.")] = False,
    evidence_only: Annotated[bool, typer.Option(
        "--evidence-only", help="Ingest only the TMDB genders of people linked to an IMDb id (as `ingest tmdb "
        "--evidence-only`): no titles, credits or people, for an IMDb store. Implies --people: the person pages "
        "are what link TMDB people to IMDb ids.")] = False,
    refresh: Annotated[bool, typer.Option(
        "--refresh", help="Ask again for responses already saved in --save (default: reuse them).")] = False,
    token: Annotated[str | None, typer.Option(
        "--token", help="TMDB v3 API key or v4 read access token (default: $TMDB_TOKEN, else $TMDB_API_KEY).",
        show_default=False)] = None,
    base_url: Annotated[str, typer.Option("--base-url", help="TMDB API v3 base URL.")] = DEFAULT_BASE_URL,
    rate: Annotated[float, typer.Option("--rate", help="At most this many requests per second.")] = 20.0,
    max_retries: Annotated[int, typer.Option("--max-retries", help="Retries on 429/5xx/connection errors.")] = 5,
    backoff: Annotated[float, typer.Option("--backoff", help="First retry wait in seconds (doubles; "
                                           "Retry-After wins).")] = 1.0,
) -> None:
    """Ask TMDB for titles' crews (a series: every season's episodes), save the responses, then ingest them as
    `ingest tmdb` does. Uses the network and a TMDB API key (https://www.themoviedb.org/settings/api).

    \b
    Examples:
      crewparity fetch tmdb tv:60573 --save tmdb-api --db demo.duckdb   # key in $TMDB_API_KEY
      crewparity fetch tmdb movie:496243 tv:60573 --people --save tmdb-api --db demo.duckdb
    """
    from crewparity.cli.ingest import print_tmdb_summary

    with progress_bar(TextColumn("tmdb"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("responses (saved ones reused)"), TimeElapsedColumn()) as bar:
        task = bar.add_task("fetch", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        summary, fetched = api_sources._fetch_tmdb(
            titles, db, save=save, token=token, base_url=base_url, rate=rate, max_retries=max_retries,
            backoff=backoff, refresh=refresh, people=people, progress=progress, evidence_only=evidence_only)
    again = " --evidence-only" if evidence_only else ""
    stdout.print(f"fetched {fetched.describe()}; rerun offline with `crewparity ingest tmdb {save}/*.json{again}`",
                 soft_wrap=True)
    n = len(sorted(Path(save).glob("*.json")))
    print_tmdb_summary(summary, f"{n} TMDB file(s)")
