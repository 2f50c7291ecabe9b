"""A distribution chart over the ``all`` sample says that its titles are those with a credit in the roles.

Why: `crewparity distribution --sample all` counts the titles with at least one credit in the chosen roles (a store
holds every title IMDb lists, most without any crew credit: docs/metrics.md), but the chart's subtitle said
"sample: every title in the store" and "labels: share of all titles". On the synthetic store, `chart distribution
--roles director --kind movie` labels its first bar 82%: 2,841 of the 3,477 movies with a director credit, which a
reader of that subtitle quotes as 82% of all the store's movies. A top:N or list sample does count every title of
the sample (those without a credit in bucket 0), and its words stay as they were.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crewparity import open as open_client
from crewparity.report import charts
from crewparity.report.chart import build_chart
from tests._tiny_stores import crew_store
from tests.conftest import spec_dicts

CREW = ("title,year,name,role,gender\n"
        "Directed Film,2020,Ana Lima,director,woman\n"
        "Written Film,2020,Bo Chen,writer,man\n")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return crew_store(tmp_path_factory.mktemp("chart_distribution_sample"), "two", CREW)


def _subtitle(spec: dict[str, Any]) -> str:
    for d in spec_dicts(spec):
        t = d.get("title")
        if isinstance(t, dict) and t.get("subtitle"):
            sub = t["subtitle"]
            return " ".join(sub) if isinstance(sub, list) else str(sub)
    return ""


def test_all_sample_subtitle_names_the_titles_counted(db: Path) -> None:
    with open_client(str(db)) as cp:
        table = cp.distribution(roles="director")
        chart = build_chart(cp, "distribution", roles="director")
    assert sum(table.column("titles").to_pylist()) == 1   # the writer's film is not in the sample
    sub = _subtitle(charts.to_spec(chart))
    assert "sample: every title in the store with a credit in these roles" in sub
    assert "labels: share of those titles" in sub   # of the titles with a credit in the roles
    assert "no credit in these roles" not in sub    # (the all sample is the credited titles: none left out)
    assert "share of all titles" not in sub


def test_top_sample_words_unchanged() -> None:
    words = charts.describe(roles=["director"], sample="top:250", unit="titles", credited=True)
    assert "sample: top 250 titles of each year by IMDb votes ·" in words
    # a share chart's subtitle (people in every title) keeps its words
    assert "sample: every title in the store ·" in charts.describe(roles=["director"], sample="all", unit="people")
