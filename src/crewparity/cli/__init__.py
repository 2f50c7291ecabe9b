"""Command-line interface: `crewparity COMMAND ...`. Each module registers one group of commands."""

from __future__ import annotations

from crewparity.cli import credits as _credits  # noqa: F401
from crewparity.cli import demo, ingest  # noqa: F401  (each import registers its commands)
from crewparity.cli import evidence as _evidence  # noqa: F401
from crewparity.cli import fetch_imdb as _fetch_imdb  # noqa: F401
from crewparity.cli import fetch_tmdb as _fetch_tmdb  # noqa: F401
from crewparity.cli import gender as _gender  # noqa: F401
from crewparity.cli import gender_estimate as _gender_estimate  # noqa: F401
from crewparity.cli import metrics as _metrics  # noqa: F401
from crewparity.cli import report as _report  # noqa: F401
from crewparity.cli import series as _series  # noqa: F401
from crewparity.cli import synth as _synth  # noqa: F401
from crewparity.cli import web as _web  # noqa: F401
from crewparity.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
