"""Step progress on stderr, fed by the API's step callbacks: a live rich display on a terminal, plain lines
elsewhere."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer

from crewparity.cli.app import stderr


def live() -> bool:
    """Whether stderr takes a live display (spinners, lines redrawn in place): an interactive terminal, as rich
    decides it (a tty, or ``TTY_COMPATIBLE=1``/``FORCE_COLOR`` with ``TTY_INTERACTIVE``; ``TERM=dumb`` is not)."""
    return bool(stderr.is_interactive)


@contextmanager
def steps(title: str) -> Iterator[Callable[[str], None]]:
    """Yield a callback; each call marks the previous step done and starts a new one.

    On an interactive terminal: rich's live display, one line per step with a spinner and its elapsed time.

    Elsewhere (a file, a pipe, CI, ``nohup``) no spinner and nothing redrawn: one plain line per step **when it
    finishes**, ``TITLE: STEP: done in 12.3 s``, written at once. Why lines at all: a full-scale ingest runs for
    minutes, and its user under ``nohup`` wants to see in the log that it is moving and which step took the
    time (rich alone prints nothing off a terminal until the end, then the whole display). Why at the end of a
    step, not its start: each line is then a fact with its time, never a step that may yet fail; a step that
    fails prints no line, so a failed run's stderr is the steps that finished and then the one-line error (only
    the error when the first step fails), and an interrupted one's the steps that finished.
    """
    if live():
        with _live_steps(title) as live_step:
            yield live_step
        return
    current: list[tuple[str, float]] = []

    def finish() -> None:
        if current:
            description, started = current.pop()
            typer.echo(f"{title}: {description}: done in {time.perf_counter() - started:.1f} s", err=True)

    def step(description: str) -> None:
        finish()
        current.append((description, time.perf_counter()))

    yield step
    finish()


@contextmanager
def _live_steps(title: str) -> Iterator[Callable[[str], None]]:
    from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
    from rich.table import Column

    with Progress(
        # a long step wraps onto a second line instead of being cut with "..."
        SpinnerColumn(), TextColumn("{task.description}", table_column=Column(no_wrap=False, overflow="fold")),
        TimeElapsedColumn(),
        console=stderr, transient=False,
    ) as progress:
        current: list[TaskID] = []

        def step(description: str) -> None:
            if current:
                progress.update(current[-1], completed=1, total=1)
            current.append(progress.add_task(f"{title}: {description}", total=None))

        try:
            yield step
        except BaseException:
            # the step that failed leaves no frozen spinner above the error line: the display keeps the steps done
            if current:
                progress.remove_task(current[-1])
            raise
        if current:
            progress.update(current[-1], completed=1, total=1)


def bar(*columns: Any) -> Any:
    """A rich progress bar on stderr with ``columns``, shown only on an interactive terminal: elsewhere it is
    disabled (a bar redrawn in place has no meaning in a log; the command's summary says what was done)."""
    from rich.progress import Progress

    return Progress(*columns, console=stderr, disable=not live())
