"""`crewparity serve`: the local, read-only dashboard."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from crewparity.cli.app import DbOption, app, stderr, stdout
from crewparity.errors import ArgumentError

LOOPBACK_NAMES = {"localhost", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@app.command("serve")
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to bind; the default answers this machine only.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
) -> None:
    """Serve the dashboard (overview, series, comparison, method, JSON API) from a read-only store."""
    import uvicorn

    from crewparity.report.charts import warm_up
    from crewparity.store import default_path
    from crewparity.web.app import create_app

    if not 0 < port < 65536:
        raise ArgumentError(f"--port must be between 1 and 65535, got {port}")
    path = default_path(db)
    warm_up()  # the chart engine starts on this thread before any worker thread renders
    application = create_app(path, warm=True)  # opens the store now: a missing or foreign file is one line, exit 1
    if not is_loopback(host):
        stderr.print(f"[bold]warning:[/bold] serving on {host}: anyone who can reach this address can read the "
                     "dashboard (it is read-only and has no authentication). Use --host 127.0.0.1 to keep it local.")
    shown = f"[{host}]" if ":" in host else host
    stdout.print(f"crewparity dashboard for {path} at http://{shown}:{port}/  (Ctrl-C to stop)")
    uvicorn.run(application, host=host, port=port, log_level="warning")
