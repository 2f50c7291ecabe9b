"""Generate docs/cli.md from the commands themselves, so the reference cannot drift from the code.

``python -m crewparity.cli.docs > docs/cli.md`` rewrites it; tests/test_docs.py fails when it is stale or
when a command or option has no help text.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import typer

from crewparity.cli import app


def walk(command: Any | None = None, path: tuple[str, ...] = ("crewparity",)) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and group, depth first, with its full name."""
    command = command or typer.main.get_command(app)
    yield path, command
    subcommands = getattr(command, "commands", None)
    if subcommands:
        for name in sorted(subcommands):
            yield from walk(subcommands[name], (*path, name))


def help_text(path: tuple[str, ...], command: Any) -> str:
    """A command's help at 100 columns. Rich reads the width from ``COLUMNS``, which is set only while the help is
    rendered: left set, it leaked into every process started afterwards (the test session's ``crewparity demo``
    then printed its notice 100 columns wide)."""
    before = os.environ.get("COLUMNS")
    os.environ.setdefault("COLUMNS", "100")
    try:
        ctx = typer.Context(command, info_name=" ".join(path), terminal_width=100, max_content_width=100)
        return str(command.get_help(ctx))
    finally:
        if before is None:
            os.environ.pop("COLUMNS", None)


def render() -> str:
    out = [
        "# CLI reference",
        "",
        "Generated from the commands' own help by `python -m crewparity.cli.docs > docs/cli.md`;",
        "`tests/test_docs.py` fails when this file is stale.",
        "",
    ]
    for path, command in walk():
        out += [f"## {' '.join(path)}", "", "```", help_text(path, command).rstrip(), "```", ""]
    return "\n".join(out)


if __name__ == "__main__":
    print(render(), end="")
