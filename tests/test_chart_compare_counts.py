"""A compare chart of titles with no woman in a role shows counts, not estimates, and says what it shows.

Our "titles with no woman" figure is counted (the share of our titles with a credit in the role where no one in
it is known to be a woman): no model, no interval. The chart was titled "crewparity's estimate beside the
published figures" and its subtitle promised "how many, below" where nothing followed (no figure of ours in the
years shown, as on the demo store, which has no vote counts for the top-250 sample).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from crewparity.report import charts
from tests._dashboard_store import build_store
from tests.conftest import run_cli, spec_dicts


def _words(value: Any) -> str:
    return " ".join(value) if isinstance(value, list) else str(value or "")


def _title_and_subtitle(chart: Any) -> tuple[str, str]:
    """The chart's own title and subtitle (the outermost titled view), lines joined."""
    for d in spec_dicts(charts.to_spec(chart)):
        t = d.get("title")
        if isinstance(t, dict) and t.get("subtitle") and "Theirs" in _words(t.get("subtitle")):
            return _words(t.get("text")), _words(t.get("subtitle"))
    raise AssertionError("no titled view with a subtitle")


def _rows(ours: dict[tuple[str, int], tuple[float, int]] | None = None, roles: tuple[str, ...] = ("director",),
          metric: str = "pct_titles_with_no_woman_in_role") -> list[dict[str, Any]]:
    ours = ours or {}
    out = []
    for role in roles:
        for year in (2017, 2019):
            share, n = ours.get((role, year), (None, 0))
            out.append({"study": "celluloid_ceiling", "year": year, "period": str(year), "role": role,
                        "metric": metric, "published": 0.85,
                        "crewparity": share, "estimate": "no_known_woman" if "no_woman" in metric else "share_expected",
                        "ci_low": None, "ci_high": None, "counted": n, "titles": n, "titles_with_role": n,
                        "published_sample": "top 250 domestic grossing films",
                        "crewparity_sample": "top 250 movie titles per year by IMDb votes; titles per year, over the "
                                             "titles with a credit in the role, counted when no one credited in it "
                                             "is known to be a woman; no interval"})
    return out


def test_a_no_woman_chart_is_titled_as_counts_and_says_how_many_titles() -> None:
    title, subtitle = _title_and_subtitle(charts.compare_chart(_rows({("director", 2017): (0.7, 20),
                                                                      ("director", 2019): (0.6, 22)})))
    assert title == "The Celluloid Ceiling (Center for the Study of Women in Television & Film, SDSU): crewparity's " \
                    "counts beside the published figures"
    assert "estimate" not in title
    assert "a count of titles, not an estimate" in subtitle and "no interval" in subtitle
    assert "how many, below" not in subtitle
    assert "Ours rests on 20-22 titles a year with a credit in the role." in subtitle


def test_a_no_woman_chart_without_a_figure_of_ours_says_so() -> None:
    """The demo store has no vote counts, so the top-250 sample is empty: only their line is drawn."""
    title, subtitle = _title_and_subtitle(charts.compare_chart(_rows()))
    assert "estimate" not in title
    assert "how many" not in subtitle and "Ours rests on" not in subtitle
    assert "No figure of ours in the years shown: our sample has no title with a credit in the role." in subtitle


def test_no_woman_panels_point_to_the_counts_under_their_names() -> None:
    rows = _rows({("director", 2017): (0.7, 20), ("writer", 2019): (0.5, 4)}, roles=("director", "writer"))
    title, subtitle = _title_and_subtitle(charts.compare_chart(rows, max_panels=None))
    assert "counts beside the published figures" in title
    assert "how many titles each panel's figure rests on is under its name" in subtitle
    assert "how many, under each panel's name" not in subtitle


def test_figures_of_both_kinds_and_estimates_alone() -> None:
    people = _rows({("director", 2017): (0.2, 20)}, metric="pct_women_of_individuals")
    for r in people:
        r.update(ci_low=0.1 if r["crewparity"] else None, ci_high=0.3 if r["crewparity"] else None)
    title, _ = _title_and_subtitle(charts.compare_chart(people + _rows({("director", 2017): (0.7, 20)}),
                                                        max_panels=None))
    assert title.endswith("crewparity's figures beside the published ones")
    title, subtitle = _title_and_subtitle(charts.compare_chart(people))
    assert title.endswith("crewparity's estimate beside the published figures")
    assert "bar and band: our 95% interval" in subtitle
    # people figures with no figure of ours: no interval is promised
    _, subtitle = _title_and_subtitle(charts.compare_chart(_rows(metric="pct_women_of_individuals")))
    assert "95% interval" not in subtitle and "No figure of ours in the years shown" in subtitle


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("chart_compare_counts"))


def test_cli_compare_no_woman_says_counts(tmp_path: Path, store: Path) -> None:
    out = tmp_path / "c.svg"
    r = run_cli("chart", "compare", "celluloid_ceiling", "--metric", "no-woman", "--roles", "director", "-o", str(out),
                "--db", str(store))
    assert r.returncode == 0, r.stderr
    svg = out.read_text(encoding="utf-8")
    text = " ".join(" ".join(re.sub(r"<[^>]+>", "", t.replace("</tspan>", " ")).split())
                    for t in re.findall(r"<text[^>]*>.*?</text>", svg, flags=re.S))
    assert "crewparity's counts beside the published figures" in text and "crewparity's estimate" not in text
    assert "how many, below" not in text and "a count of titles, not an estimate" in text
