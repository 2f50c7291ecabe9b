"""`crewparity share --unit titles` (or credits) says what it counts in its title and under the table: "Women's
share (unit: titles)" over "women 20, men 18" read as 20 women where 20 titles with a woman were counted."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli


def test_titles_and_credits_tables_say_what_they_count(sample_store: Path, tmp_path: Path) -> None:
    titles = run_cli("share", "--by", "none", "--unit", "titles", "--db", str(sample_store))
    assert titles.returncode == 0, titles.stderr
    lines = titles.stdout.splitlines()
    assert lines[0] == "Share of titles with at least one woman in the roles (unit: titles)"
    assert "women, men, nonbinary, unknown count titles, not people: women = with a woman in the roles" in titles.stdout
    credits = run_cli("share", "--by", "none", "--unit", "credits", "--db", str(sample_store))
    assert credits.stdout.splitlines()[0] == "Women's share of the credits (unit: credits)"
    assert "count credits by their holder's gender" in credits.stdout
    people = run_cli("share", "--by", "none", "--db", str(sample_store))
    assert people.stdout.splitlines()[0] == "Women's share (unit: people)"
    assert "count titles" not in people.stdout and "count credits" not in people.stdout
    # an export's description says it too (its title and notes are the table's)
    out = tmp_path / "t.csv"
    assert run_cli("share", "--by", "none", "--unit", "titles", "-o", str(out), "--db", str(sample_store)).returncode == 0
    doc = json.loads((tmp_path / "t.csv-metadata.json").read_text(encoding="utf-8"))
    assert doc["dc:title"] == "Share of titles with at least one woman in the roles (unit: titles)"
    assert "count titles" in doc["dc:description"]
