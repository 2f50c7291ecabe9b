"""The distribution chart's y axis counts whole titles: over a small sample (two titles, one in each of two
buckets) it drew ticks at 0.0, 0.2, ... 1.0, fractions of a title that read as shares beside the bars' share
labels."""

from __future__ import annotations

import re

from crewparity.report import charts

ROWS = [{"women_per_title": b, "titles": n, "share_of_titles": n / 2, "titles_with_unknown": 0, "no_credit": 0}
        for b, n in (("0", 1), ("1", 1), ("2", 0), ("3-5", 0), ("6-9", 0), ("10+", 0))]


def test_the_axis_has_whole_titles_only() -> None:
    chart = charts.distribution_chart(ROWS, subtitle="two titles")
    axis = charts.to_spec(chart)["layer"][0]["encoding"]["y"]["axis"]
    assert axis["tickMinStep"] == 1 and axis["format"] == "d"
    # drawn: the tick labels are 0 and 1, no fraction of a title
    fractions = re.findall(r"<text[^>]*>(\d\.\d+)</text>", charts.render_svg(chart))
    assert fractions == [], f"fractional tick labels: {fractions}"
