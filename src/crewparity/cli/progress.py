"""A rich progress display fed by the API's step callbacks (one line per step, with elapsed time)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Column

from crewparity.cli.app import stderr


@contextmanager
def steps(title: str) -> Iterator[Callable[[str], None]]:
    """Yield a callback; each call marks the previous step done and starts a new one."""
    with Progress(
        # a long step wraps onto a second line instead of being cut with "..." (off a terminal rich assumes 80
        # columns, and the first step of an IMDb ingest names the two files read alongside the others)
        SpinnerColumn(), TextColumn("{task.description}", table_column=Column(no_wrap=False, overflow="fold")),
        TimeElapsedColumn(),
        console=stderr, transient=False,
    ) as progress:
        current: list[TaskID] = []

        def step(description: str) -> None:
            if current:
                progress.update(current[-1], completed=1, total=1)
            current.append(progress.add_task(f"{title}: {description}", total=None))

        yield step
        if current:
            progress.update(current[-1], completed=1, total=1)
