"""The date of each IMDb dump file, as the server dated it when ``crewparity fetch imdb`` downloaded it.

Why: IMDb rebuilds its non-commercial datasets every day, so a figure is "as of" a day of the dumps, and a reader
citing it needs that day, not the day the store was loaded. ``fetch imdb`` keeps the server's ``Last-Modified``
of every file it completes in the folder's sidecar (:data:`SIDECAR`); ``ingest imdb`` reads it here (no network,
no httpx) and records the day in the ``sources`` row of the load (``dumps_dated=2026-12-02``), which the report's
method section and a chart's source line cite. A file the sidecar does not describe (downloaded by hand, or
changed since: its size differs) has no date: nothing is guessed from a file's modification time, which says when
the file was copied as often as when IMDb wrote it. (``fetch imdb`` records a file downloaded by hand, "adopted",
only when the server says it has nothing newer than the file's time and, when it says its own Last-Modified, that
is the file's time to the second, as ``curl -R`` and ``wget -N`` leave it; see
:mod:`crewparity.sources.imdb_download`.)

Files of different days make a mixed set (a title new in one file and missing from another): :func:`mixed_days`
is the warning ``ingest imdb`` gives then.
"""

from __future__ import annotations

import email.utils
import json
from datetime import UTC, date
from pathlib import Path

#: the sidecar ``fetch imdb`` writes in the folder it downloads into (:mod:`crewparity.sources.imdb_download`)
SIDECAR = ".crewparity-fetch.json"


def file_dates(folder: Path, files: dict[str, Path]) -> dict[str, date]:
    """Per dump (``title.basics``, ...) of ``files``, the UTC day of the server's ``Last-Modified`` recorded when
    ``fetch imdb`` completed it; a file without such a record, or whose size is no longer the recorded one, is left
    out (an unreadable sidecar gives no dates at all)."""
    try:
        doc = json.loads((Path(folder) / SIDECAR).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    records = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(records, dict):
        return {}
    dated: dict[str, date] = {}
    for name, path in files.items():
        record = records.get(path.name)
        if not isinstance(record, dict) or not isinstance(record.get("last_modified"), str):
            continue
        try:
            if record.get("size") != path.stat().st_size:
                continue
            when = email.utils.parsedate_to_datetime(record["last_modified"])
        except (OSError, TypeError, ValueError):
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        dated[name] = when.astimezone(UTC).date()
    return dated


def dated_words(dated: dict[str, date]) -> str | None:
    """The day (or span of days) of the dumps for the ``sources`` detail: ``2026-12-02``, or
    ``2026-12-01..2026-12-02``; None when no file is dated."""
    if not dated:
        return None
    lo, hi = min(dated.values()), max(dated.values())
    return lo.isoformat() if lo == hi else f"{lo.isoformat()}..{hi.isoformat()}"


def mixed_days(dated: dict[str, date]) -> str | None:
    """The warning for dump files of different days, naming each file's day; None when they are of one day."""
    if len(set(dated.values())) < 2:
        return None
    days = ", ".join(f"{name} {day.isoformat()}" for name, day in sorted(dated.items()))
    return (f"the IMDb dump files are of different days ({days}): IMDb rebuilds them daily, so a title or person "
            "may be credited in one file and missing from another; run `crewparity fetch imdb` again for one day's "
            "set")
