"""`crewparity demo`'s role table says that it counts every kind of title, and that the demo report's headline,
which counts movies only, differs from it.

Why: the demo prints "Women's share by role over the demo sample": director 30 women, 18 men, 62%; the
demo-report.html it writes in the same run heads with director 16 women, 12 men, 57.1%, since `report` counts
`--kind movie` by default and the terminal table every kind (Jessica Jones' episodes included). Nothing under the
table said so, and a reader of both took one of them for an error.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli


def test_role_table_names_its_kinds_and_the_report_difference(tmp_path: Path) -> None:
    r = run_cli("demo", "--db", "d.duckdb", "--report", "d.html", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.endswith("crewparity share --by role --unit people --db "
                                                                  "d.duckdb"))
    assert lines[at + 1] == ("every kind of title: films and series (an episode counts for its series); d.html's "
                             "headline counts movies only (report --kind movie, its default), so its figures differ")
