"""Tiny crew-list stores (one to three people) for the report's and the dashboard's headline tests: a name the
first-name model abstains on, a name of initials only, and one woman director with two writers."""

from __future__ import annotations

from pathlib import Path

from crewparity.api_sources import ingest_crewlist

#: A first name the first-name model abstains on (its probability of a woman lies inside the abstain band).
ABSTAINED = "Robin Vale"


def crew_store(base: Path, name: str, text: str) -> Path:
    """A store made from the crew-list CSV ``text`` (written as ``base/name.csv``)."""
    (base / f"{name}.csv").write_text(text, encoding="utf-8")
    db = base / f"{name}.duckdb"
    ingest_crewlist(base / f"{name}.csv", db)
    return db


def tiny_stores(base: Path) -> dict[str, Path]:
    return {
        # one director, whose gender nobody recorded and whose first name the model abstains on
        "abstained": crew_store(base, "abstained", f"title,year,name,role\nTiny Film,2024,{ABSTAINED},director\n"),
        # one director known only by initials: no evidence at all
        "initials": crew_store(base, "initials", "title,year,name,role\nTiny Film,2024,S. J. Vale,director\n"),
        # one woman director (recorded); two writers: a man (recorded) and the abstained name
        "one": crew_store(base, "one", "title,year,name,role,gender\nTiny Film,2024,Ana Lima,director,woman\n"
                                       f"Tiny Film,2024,{ABSTAINED},writer,\nTiny Film,2024,Bo Chen,writer,man\n"),
    }
