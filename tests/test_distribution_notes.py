"""`crewparity distribution` says under each table (and in an export's description) which titles it counts and what
its columns count.

Why: the tables carried only their command line. `share_no_woman` is over the titles with a credit in the role
(as `compare`'s no-woman rows are) and `no_credit` counts the sample's titles without one; the `all` sample is the
titles with a credit in the roles, a top:N sample every title of it: "82% of titles have no woman director"
needs its denominator said where the figure is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests._tiny_stores import crew_store
from tests.conftest import run_cli

CREW = ("title,year,name,role,gender\n"
        "Directed Film,2020,Ana Lima,director,woman\n"
        "Written Film,2020,Bo Chen,writer,man\n")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return crew_store(tmp_path_factory.mktemp("distribution_notes"), "two", CREW)


def test_tables_say_which_titles_and_what_the_columns_count(db: Path) -> None:
    r = run_cli("distribution", "--roles", "director", "--db", str(db))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    buckets = lines.index("crewparity distribution --roles director --part buckets --db " + str(db))
    assert lines[buckets + 1].startswith("titles: every title with at least one credit in the roles; "
                                         "women_per_title: the distinct women credited in the roles")
    assert "no_credit: the titles without any credit in the roles, in no bucket" in lines[buckets + 1]
    roles = lines.index("crewparity distribution --roles director --part roles --db " + str(db))
    assert lines[roles + 1].startswith("titles: every title with at least one credit in the roles; "
                                       "share_no_woman = no_woman / titles_with_role: of the titles with a credit "
                                       "in the role, those where no one in it is known to be a woman; no_credit = "
                                       "titles - titles_with_role")


def test_list_sample_says_titles_without_a_credit_count(db: Path, tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    r = run_cli("share", "--by", "title", "-f", "csv", "--roles", "writer", "--db", str(db))
    title_id = r.stdout.splitlines()[1].split(",")[0]
    ids.write_text(title_id + "\n", encoding="utf-8")
    r = run_cli("distribution", "--roles", "director", "--part", "roles", "--sample", f"list:{ids}",
                "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert f"titles: those listed in {ids} that are in the store, those without a credit in the roles counted " \
        "in no_credit" in r.stdout


def test_export_descriptions_carry_the_notes(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "both.json"
    r = run_cli("distribution", "--sample", "top:5", "-o", str(out), "--db", str(db))
    assert r.returncode == 0, r.stderr
    text = json.loads((tmp_path / "both.json-metadata.json").read_text(encoding="utf-8"))["dc:description"]
    assert "titles: the 5 titles of each year with the most IMDb votes, those without a credit in the roles " \
        "counted in no_credit" in text
    assert "share_no_woman = no_woman / titles_with_role" in text and "titles_with_unknown: the bucket's titles" \
        in text
    out = tmp_path / "roles.csv"
    r = run_cli("distribution", "--part", "roles", "-o", str(out), "--db", str(db))
    assert r.returncode == 0, r.stderr
    text = json.loads((tmp_path / "roles.csv-metadata.json").read_text(encoding="utf-8"))["dc:description"]
    assert "titles: every title with at least one credit in the roles; share_no_woman" in text
