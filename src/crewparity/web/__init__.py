"""The local dashboard: ``serve(db)`` runs it; ``crewparity.web.app.create_app(db)`` builds the ASGI app."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable

LOOPBACK_NAMES = {"localhost", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(db: str | os.PathLike[str] | None = None, *, host: str = "127.0.0.1", port: int = 8000,
          announce: Callable[[str], None] = print, warn: Callable[[str], None] = print) -> None:
    """Serve the read-only dashboard for store ``db`` until interrupted (what ``crewparity serve`` runs)."""
    import uvicorn

    from crewparity.errors import ArgumentError
    from crewparity.report.charts import warm_up
    from crewparity.store import default_path
    from crewparity.web.app import create_app

    if not 0 < port < 65536:
        raise ArgumentError(f"--port must be between 1 and 65535, got {port}")
    _check_can_listen(host, port)
    path = default_path(db)
    warm_up()  # the chart engine starts on this thread before any worker thread renders
    application = create_app(path, warm=True)  # opens the store now: a missing or foreign file is one line
    if not is_loopback(host):
        warn(f"warning: serving on {host}: anyone who can reach this address can read the dashboard (it is "
             "read-only and has no authentication). Use --host 127.0.0.1 to keep it local.")
    shown = f"[{host}]" if ":" in host else host
    announce(f"crewparity dashboard for {path} at http://{shown}:{port}/  (Ctrl-C to stop)")
    try:
        uvicorn.run(application, host=host, port=port, log_level="warning")
    finally:
        application.state.holder.shutdown()


def _check_can_listen(host: str, port: int) -> None:
    """Fail with one line before any work when the address cannot be bound (port taken, address not ours)."""
    import socket

    from crewparity.errors import ArgumentError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ArgumentError(f"cannot listen on {host}:{port} ({exc.strerror})") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as exc:
            raise ArgumentError(f"cannot listen on {host}:{port} ({exc.strerror})") from None


__all__ = ["is_loopback", "serve"]
