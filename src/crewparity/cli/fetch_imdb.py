"""`crewparity fetch imdb DIR`: download the IMDb non-commercial dumps, resumably (crewparity.sources.imdb_download)."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, TaskID, TextColumn, TimeRemainingColumn, TransferSpeedColumn
from rich.table import Table

from crewparity.cli.app import fetch_app, print_table, stdout
from crewparity.cli.progress import bar as progress_bar

#: Same as crewparity.sources.imdb_download.DEFAULT_BASE_URL (not imported here: httpx loads only when fetching).
DEFAULT_BASE_URL = "https://datasets.imdbws.com/"


@fetch_app.command("imdb")
def fetch_imdb(
    folder: Annotated[Path, typer.Argument(help="Folder to download into (made when missing); then give it to "
                                           "`crewparity ingest imdb`.", exists=False)],
    base_url: Annotated[str, typer.Option("--base-url", help="Where the dumps are served (http or https).")]
    = DEFAULT_BASE_URL,
    files: Annotated[list[str] | None, typer.Option(
        "--files", help="Only these dumps, comma-separated or repeated (title.basics, title.episode, title.crew, "
        "title.principals, name.basics, title.ratings, title.akas); default: the six `ingest imdb` reads.",
        show_default=False)] = None,
    akas: Annotated[bool, typer.Option("--akas", help="Also fetch title.akas (alternative titles: `ingest imdb` "
                                       "does not read it).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Download every file again, even when the server says "
                                        "the copy here is up to date.")] = False,
    max_retries: Annotated[int, typer.Option("--max-retries", help="Retries per file (each file has them all) on "
                                             "429/5xx/dropped connections; each continues where the last "
                                             "stopped.")] = 5,
    backoff: Annotated[float, typer.Option("--backoff", help="First retry wait in seconds (doubles; "
                                           "Retry-After wins).")] = 1.0,
) -> None:
    """Download the IMDb non-commercial dumps (datasets.imdbws.com) into a folder for `ingest imdb`. Uses the
    network.

    Each file arrives as NAME.part and takes its name only once it is complete and its gzip stream checked; an
    interrupted download continues where it stopped (HTTP Range), and a second run downloads only what changed
    (a file the server says is unchanged is "up to date"). A dump already in the folder that this command did not
    download (curl -R -O, wget -N: dated by the server) is kept when the server has nothing newer and it is whole
    gzip ("adopted, up to date"); otherwise it is downloaded again. The dumps are IMDb's, for personal and
    non-commercial use (https://developer.imdb.com/non-commercial-datasets/).

    \b
    Examples:
      crewparity fetch imdb imdb-dumps/
      crewparity fetch imdb imdb-dumps/ --files title.basics,title.ratings --force
    """
    from crewparity import api

    with progress_bar(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                      TimeRemainingColumn()) as shown:
        tasks: dict[str, TaskID] = {}

        def progress(name: str, done: int, total: int | None) -> None:
            if name not in tasks:
                tasks[name] = shown.add_task(name, total=total)
            shown.update(tasks[name], completed=done, total=total)

        summary = api.fetch_imdb(folder, base_url=base_url, files=files, akas=akas, force=force,
                                 max_retries=max_retries, backoff=backoff, progress=progress)
    from crewparity.sources.dump_dates import file_dates

    # the day the server dated each file (IMDb rebuilds the dumps daily): what ingest imdb records and cites
    dated = file_dates(summary.folder, {f.name: summary.folder / f.name for f in summary.files})
    table = Table(title=f"IMDb dumps in {summary.folder} from {summary.base_url}")
    table.add_column("file")
    table.add_column("size (bytes)", justify="right")
    table.add_column("status")
    table.add_column("transferred (bytes)", justify="right")
    table.add_column("dated (UTC)")
    for f in summary.files:
        day = dated.get(f.name)
        table.add_row(f.name, f"{f.size:,}", f.status, f"{f.transferred:,}", day.isoformat() if day else "")
    print_table(table)
    stdout.print(f"next: crewparity ingest imdb {shlex.quote(str(summary.folder))} --db crewparity.duckdb",
                 soft_wrap=True, markup=False, highlight=False)
