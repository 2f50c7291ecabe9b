"""The dashboard's directly drawn seasons chart: valid SVG, the right bars and labels, every text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from crewparity.report.charts import GENDER_COLOURS
from crewparity.report.seasons_svg import seasons_svg

NS = "{http://www.w3.org/2000/svg}"


def _seasons() -> list[dict[str, object]]:
    return [
        {"series": "<script>alert(1)</script> & Co", "season": 1, "women": 4, "men": 9, "nonbinary": 0, "unknown": 0,
         "total": 13},
        {"series": "<script>alert(1)</script> & Co", "season": 2, "women": 13, "men": 0, "nonbinary": 0, "unknown": 0,
         "total": 13},
        {"series": "<script>alert(1)</script> & Co", "season": None, "women": 0.5, "men": 1.5, "nonbinary": 0,
         "unknown": 1, "total": 3},
    ]


def test_bars_and_labels() -> None:
    svg = seasons_svg(_seasons())
    root = ET.fromstring(svg)  # well-formed XML, so a browser shows it inline
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "4 of 13" in texts and "13 of 13" in texts and "0.5 of 3" in texts
    # the episodes without a season number: labelled as the table output and the report label them, not "?"
    assert ["1", "2", "(no season)"] == [t for t in texts if t in {"1", "2", "?", "(no season)"}][-3:]
    bars = [r for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    fills = [b.get("fill") for b in bars]
    # season 1: women + men, season 2: women only, the last: women, men, unknown
    assert fills == [GENDER_COLOURS[g] for g in ("women", "men", "women", "women", "men", "unknown")]
    s1_women, s1_men, s2_women = (float(b.get("height") or 0) for b in bars[:3])
    assert abs(s1_women + s1_men - s2_women) < 0.2  # both seasons have 13 episodes: equal bar heights


def test_names_are_escaped() -> None:
    svg = seasons_svg(_seasons())
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co: episodes by director gender" in svg


def test_no_seasons() -> None:
    root = ET.fromstring(seasons_svg([]))
    assert any(t.text == "no episodes" for t in root.iter(f"{NS}text"))
