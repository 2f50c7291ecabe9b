"""The bundled demo: build a store from the small fact-checked dataset and show what the tool does.

Everything runs offline from package data (``crewparity/data/demo``): an IMDb-format sample of real titles
and credits, including every episode of *Marvel's Jessica Jones* seasons 1 and 2 with its director, and a
Wikidata-shaped file of public-record genders so the demo shows more than one kind of evidence.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pyarrow as pa

from crewparity.store import DEMO_DB

DEFAULT_DEMO_DB = DEMO_DB
DEFAULT_DEMO_REPORT = "demo-report.html"
JESSICA_JONES = "tt2357547"
NOTICE = (
    "This is a small illustrative sample of hand-checked credits (see crewparity/data/demo/README.md), "
    "not a study sample: its shares say nothing about the industry."
)


def demo_folder() -> Path:
    """The folder of bundled demo files inside the installed package."""
    return Path(str(resources.files("crewparity") / "data" / "demo"))


@dataclass
class DemoResult:
    db: Path
    jessica_jones: pa.Table
    by_role: pa.Table
    evidence: pa.Table
    report: Path | None


def build_demo(db: str | os.PathLike[str] | None = None, *, report: str | os.PathLike[str] | None = DEFAULT_DEMO_REPORT,
               progress: Callable[[str], None] | None = None) -> DemoResult:
    """Build the demo store, compute the Jessica Jones table and shares by role, write the report."""
    from crewparity import api
    from crewparity import open as open_client

    step = progress or (lambda _m: None)
    path = Path(db) if db is not None else Path(DEFAULT_DEMO_DB)
    if report is not None:
        # before the store is built: a report path that cannot be written failed only after every step had run
        from crewparity.report.html import check_report_output

        check_report_output(report, format_option=False)
    folder = demo_folder()
    api.ingest_imdb(folder, path, progress=step)
    wikidata = folder / "wikidata_genders.json"
    if wikidata.exists():
        step("Wikidata genders")
        api.ingest_wikidata(wikidata, path)
    curated = folder / "curated_genders.csv"
    if curated.exists():
        step("curated corrections (overrides)")
        api.ingest_overrides(curated, path)
    step("metrics")
    client = open_client(str(path))
    try:
        jj = client.series(JESSICA_JONES)
        by_role = client.share_by_role(unit="people")
        evidence = client.evidence_summary()
    finally:
        client.close()
    report_path: Path | None = None
    if report is not None:
        step("report")
        from crewparity.report import build_report

        report_path = Path(report)
        build_report(path, report_path)
    return DemoResult(db=path, jessica_jones=jj, by_role=by_role, evidence=evidence, report=report_path)
