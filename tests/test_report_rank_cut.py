"""The report's best/worst lists (at most 10 rows each) say when a list has more seasons, and how many.

Why: "at most 10 rows each" did not say whether a list of 10 rows was all of it; /rankings and the CLI's --limit
now say so, and the report said nothing.
"""

from __future__ import annotations

import html as html_lib
import re

import pytest

from crewparity.report import build_report
from tests._tiny_stores import crew_store

# Twelve series of one six-episode season each, every episode directed by a recorded woman: twelve best seasons.
CREW = "series,season,episode,episode_title,year,name,role,gender\n" + "".join(
    f"Show {s},1,{e},Ep {e},2020,Ana Lima,Director,woman\n" for s in range(1, 13) for e in range(1, 7))


@pytest.fixture(scope="module")
def report_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    base = tmp_path_factory.mktemp("rank_cut")
    db = crew_store(base, "twelve", CREW)
    out = base / "report.html"
    build_report(db, out)
    page = re.sub(r"<svg.*?</svg>|<style>.*?</style>", " ", out.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_report_says_a_list_is_cut_and_of_how_many(report_text: str) -> None:
    assert ("The best list has 12 seasons; the first 10 are shown (crewparity series --rank best lists them all)."
            in report_text)
    assert "The worst list has" not in report_text  # none on it
