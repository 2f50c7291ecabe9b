"""Charts and the shareable report (HTML or Markdown), rendered offline.

``build_report(db, output, ...)`` writes the report; :mod:`crewparity.report.charts` holds the charts, and
:mod:`crewparity.report.chart` draws and writes one as ``crewparity chart`` does.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def build_report(db: str | os.PathLike[str] | None, output: str | os.PathLike[str], **options: Any) -> Path:
    """Write the report for store ``db`` to ``output``; see :func:`crewparity.report.html.build_report`."""
    from crewparity.report.html import build_report as _build

    return _build(db, output, **options)


__all__ = ["build_report"]
