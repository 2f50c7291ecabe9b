"""``evidence_summary``: the people it counts are the key roles of roles.toml (what the report and the demo call
them), not every crew role."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import crewparity
from crewparity.api_sources import ingest_crewlist
from crewparity.metrics.roles import key_roles
from crewparity.report import build_report

# Two people in key roles (a director, an editor), two in crew roles that are not key roles (a composer, a
# casting director) and one in both (a writer who also composed): every gender recorded by the crew list.
LIST = """title,year,name,role,gender
Our Film,2024,Ana Lima,director,woman
Our Film,2024,Bo Chen,editor,man
Our Film,2024,Cy Dorn,composer,man
Our Film,2024,Di Ekko,casting director,woman
Our Film,2024,Eli Fox,writer,nonbinary
Our Film,2024,Eli Fox,composer,nonbinary
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("evidence")
    (base / "crew.csv").write_text(LIST, encoding="utf-8")
    ingest_crewlist(base / "crew.csv", base / "s.duckdb")
    return base / "s.duckdb"


def _totals(rows: list[dict[str, int]]) -> dict[str, int]:
    return {k: sum(int(r[k]) for r in rows) for k in ("people", "women", "men", "nonbinary", "unknown")}


def test_counts_the_key_roles_of_the_rules_file(db: Path) -> None:
    assert {"director", "writer", "editor"} <= set(key_roles())
    assert not {"composer", "casting_director"} & set(key_roles())
    with crewparity.open(db) as cp:
        key = _totals(cp.evidence_summary().to_pylist())
        everyone = _totals(cp.evidence_summary(key_roles_only=False).to_pylist())
    # Ana, Bo and Eli hold key roles; Cy (composer) and Di (casting director) do not.
    assert key == {"people": 3, "women": 1, "men": 1, "nonbinary": 1, "unknown": 0}
    assert everyone == {"people": 5, "women": 2, "men": 2, "nonbinary": 1, "unknown": 0}


def test_report_method_counts_agree_with_its_words(db: Path, tmp_path: Path) -> None:
    html = build_report(db, tmp_path / "r.html", kind="movie").read_text(encoding="utf-8")
    method = html[html.index("<h1>Method</h1>"):]
    assert "people (key roles, whole store)" in method
    kinds = dict(re.findall(r"<tr><td>(recorded|inferred|unknown[^<]*)</td><td class=\"num\">(\d+)</td>", method))
    assert kinds == {"recorded": "3", "inferred": "0", "unknown: no evidence": "0"}
