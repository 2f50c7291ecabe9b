"""The report's (and the dashboard's) sentence over the headline names the years its figures cover, also when no
--from/--to was given.

Why: `crewparity report` on the synthetic store said "Unit: people. Roles: the key roles (...). Titles: movie, all
titles." over a headline of "director 14.0%" pooled over 1890-2025: a reader quotes it as today's share. With
--from alone it said "2000–…", where the figures run to the store's last year.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crewparity.report.overview import describe
from tests._tiny_stores import crew_store
from tests.conftest import run_cli

CREW = ("title,year,name,role,gender\n"
        "Old Film,1995,Ana Lima,director,woman\n"
        "New Film,2021,Bo Chen,director,man\n")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return crew_store(tmp_path_factory.mktemp("headline_years"), "years", CREW)


def test_report_names_the_years_it_pools(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    r = run_cli("report", "-o", str(out), "--kind", "movie", "--db", str(db))
    assert r.returncode == 0, r.stderr
    first = out.read_text(encoding="utf-8").splitlines()[2]
    assert first.endswith("Titles: movie, all titles, all years (1995–2021)."), first
    out = tmp_path / "from.md"
    r = run_cli("report", "-o", str(out), "--kind", "movie", "--from", "2000", "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8").splitlines()[2].endswith("all titles, 2000–2021.")


def test_describe_words() -> None:
    words = dict(roles=None, kind="movie", unit="people", sample=None)
    assert describe(**words, year_from=None, year_to=None).endswith("Titles: movie, all titles.")  # nothing seen
    assert describe(**words, year_from=None, year_to=None, years_seen=[2020, None]).endswith(", all years (2020).")
    assert describe(**words, year_from=2010, year_to=2019, years_seen=[2012]).endswith(", 2010–2019.")


def test_one_year_asked_is_named_once_as_a_chart_names_it() -> None:
    """The overview words its span with the charts' function (an en dash for prose): --from 2017 --to 2017 said
    "2017–2017" in the report where the chart's subtitle said "2017"."""
    from crewparity.report.charts import years_words

    words = {"roles": None, "kind": "movie", "unit": "people", "sample": None}
    assert describe(**words, year_from=2017, year_to=2017, years_seen=[2017]).endswith("all titles, 2017.")
    assert years_words(2017, 2017, [2017]) == "2017"
    assert describe(**words, year_from=2000, year_to=None, years_seen=[2001, 2021]).endswith(", 2000–2021.")
    assert years_words(2000, None, [2001, 2021]) == "2000-2021"
