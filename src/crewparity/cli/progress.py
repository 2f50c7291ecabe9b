"""Step progress on stderr, fed by the API's step callbacks: a live rich display on a terminal, plain lines
elsewhere."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer

from crewparity.cli.app import stderr

#: off a terminal, a bar writes a line at least this often (seconds) while its count moves
PLAIN_EVERY = 30.0


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
    """A rich progress bar on stderr with ``columns`` (use it as a context manager).

    On an interactive terminal: the live bar. Elsewhere (a file, a pipe, CI, ``nohup``) no bar is drawn, since a
    bar redrawn in place has no meaning in a log; instead one plain line of the columns' text (the bar and spinner
    left out), ``wikidata: 3/9 requests 0:00:04``, whenever the count has moved by a tenth of its total, reaches
    the total, or has moved at all in the last :data:`PLAIN_EVERY` seconds. Why: a fetch of thousands of
    requests at a polite rate runs for hours, and its user wants the log to show that it moves and how far it is,
    without a line per request. Like the step lines, each line is a fact (that many done, that much time).

    While it is shown, the library's notices (INFO records of the ``crewparity`` logger, such as a fetch's
    retries) are written too: above the live bar on a terminal, as plain lines elsewhere.
    """
    from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID
    from rich.text import Text

    is_live = live()

    class Bar(Progress):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._notices = _Notices(stderr if is_live else None)
            #: per task, the count and the time of its last plain line (at first: none done, the bar's start)
            self._written: dict[TaskID, tuple[float, float]] = {}
            self._started = time.monotonic()

        def __enter__(self) -> Bar:
            logger = logging.getLogger("crewparity")
            self._level = logger.level
            logger.addHandler(self._notices)
            if logger.getEffectiveLevel() > logging.INFO:
                logger.setLevel(logging.INFO)
            super().__enter__()
            return self

        def __exit__(self, *exc: Any) -> None:
            try:
                super().__exit__(*exc)
            finally:
                logger = logging.getLogger("crewparity")
                logger.removeHandler(self._notices)
                logger.setLevel(self._level)

        def update(self, task_id: TaskID, **kwargs: Any) -> None:
            super().update(task_id, **kwargs)
            if not is_live:
                self._plain(task_id)

        def advance(self, task_id: TaskID, advance: float = 1) -> None:
            super().advance(task_id, advance)
            if not is_live:
                self._plain(task_id)

        def _plain(self, task_id: TaskID) -> None:
            task = next(t for t in self.tasks if t.id == task_id)
            now = time.monotonic()
            last_done, last_at = self._written.get(task_id, (0.0, self._started))
            if task.completed == last_done:
                return
            finished = task.total is not None and task.completed >= task.total
            tenth = task.total is not None and task.completed - last_done >= max(1, math.ceil(task.total / 10))
            if not (finished or tenth or now - last_at >= PLAIN_EVERY):
                return
            parts: list[str] = []
            for column in self.columns:
                if isinstance(column, str):
                    parts.append(column.format(task=task))
                elif not isinstance(column, BarColumn | SpinnerColumn):
                    shown = column(task)
                    parts.append(shown.plain if isinstance(shown, Text) else str(shown))
            parts = [p.strip() for p in parts if p.strip()]
            line = f"{parts[0]}: {' '.join(parts[1:])}" if len(parts) > 1 else " ".join(parts)
            typer.echo(line, err=True)
            self._written[task_id] = (task.completed, now)

    return Bar(*columns, console=stderr, disable=not is_live)


class _Notices(logging.Handler):
    """Writes a log record's message as one line: through the live display's console (so it lands above the
    bar) on a terminal, plainly to stderr elsewhere."""

    def __init__(self, console: Any | None) -> None:
        super().__init__(logging.INFO)
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            if self.console is not None:
                self.console.print(message, markup=False, highlight=False, soft_wrap=True)
            else:
                typer.echo(message, err=True)
        except Exception:  # a notice must never stop the work it reports on
            self.handleError(record)
