"""`crewparity serve`: the local, read-only dashboard."""

from __future__ import annotations

from typing import Annotated

import typer

from crewparity.cli.app import DbOption, app, stderr, stdout
from crewparity.web import is_loopback

__all__ = ["is_loopback", "serve"]


@app.command("serve")
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to bind; the default answers this machine only.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
) -> None:
    """Serve the dashboard (overview, series, comparison, method, JSON API) from a read-only store.

    \b
    Examples:
      crewparity serve --db demo.duckdb                # then open http://127.0.0.1:8000
      crewparity serve --port 8080 --db demo.duckdb
    """
    from crewparity.web import serve as run

    run(db, host=host, port=port, announce=lambda m: stdout.print(m, markup=False, highlight=False),
        warn=lambda m: stderr.print(m, markup=False, highlight=False))
