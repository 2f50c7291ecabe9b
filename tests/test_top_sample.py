"""``--sample top:N``: each title takes one place per year, and the stored ranks pick what the ranking picks.

Why: the top-N sample (the stand-in for box office) over every kind or one kind reads each credit's stored
place in its year's ranking (``key_credits.year_rank`` / ``kind_rank``) instead of joining the ranking to 90M
credits; several kinds still rank ``title_years`` at query time. Both must give the same rows. A series
without votes of its own takes the most votes of its episodes that year: one figure, one place, so no credit
is counted twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crewparity.metrics import derived
from crewparity.metrics.share import share_counts
from crewparity.store import open_store
from tests.conftest import comparable_rows, synth_store


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth_store(tmp_path_factory, "top", seed=5)


def test_one_ranking_row_per_title_and_year(store_path: Path) -> None:
    with open_store(store_path) as store:
        dupes = store.rows("SELECT count(*) FROM (SELECT title_id, year FROM title_years "
                           "GROUP BY ALL HAVING count(*) > 1)")[0][0]
        ranked = store.rows("SELECT count(*) FROM key_credits WHERE year_rank IS NOT NULL")[0][0]
        unranked_with_votes = store.rows(
            f"""SELECT count(*) FROM key_credits k SEMI JOIN title_years y
               ON {derived.title_key_sql('y.title_id')} = k.title_key AND y.year IS NOT DISTINCT FROM k.year
               WHERE k.year_rank IS NULL OR k.kind_rank IS NULL""")[0][0]
    assert dupes == 0
    assert ranked > 0
    assert unranked_with_votes == 0


@pytest.mark.parametrize(("by", "unit", "extra"), [
    ("year", "people", {"sample": "top:10"}),
    ("year", "credits", {"sample": "top:5", "kinds": "movie"}),
    ("decade", "titles", {"sample": "top:3", "kinds": "tv_series"}),
    ("none", "people", {"sample": "top:25", "year_from": 2010, "year_to": 2015}),
    ("genre", "people", {"sample": "top:10"}),
    ("year", "people", {"sample": "top:7", "kinds": "movie,tv_series,tv_mini_series"}),
    ("kind", "credits", {"sample": "top:4", "kinds": "movie,short"}),
])
def test_stored_ranks_and_the_ranking_agree(store_path: Path, by: str, unit: str, extra: dict[str, Any]) -> None:
    with open_store(store_path) as store:
        ranked, _ = share_counts(store, by=by, unit=unit, **extra)
        joined, _ = share_counts(store, by=by, unit=unit, rollups=False, **extra)
    assert ranked.num_rows >= 1 and sum(ranked["total"].to_pylist()) > 0
    assert comparable_rows(ranked) == comparable_rows(joined)


def test_no_credit_counted_twice(store_path: Path) -> None:
    """Credits in a top-N sample of several kinds (the ranking joined at query time) are distinct credits."""
    with open_store(store_path) as store:
        table, _ = share_counts(store, by="none", unit="credits", sample="top:1000000",
                                kinds="movie,tv_series")
        everything = store.rows(
            f"""SELECT count(*) FROM key_credits k SEMI JOIN title_years y
               ON {derived.title_key_sql('y.title_id')} = k.title_key AND y.year IS NOT DISTINCT FROM k.year
               WHERE k.kind_code IN ({', '.join(str(derived.MASK_KINDS.index(k)) for k in ['movie', 'tv_series'])})
                 AND {derived.has_role_sql('k.role_code', ['director', 'writer', 'producer', 'executive_producer',
                                                            'editor', 'cinematographer'])}""")[0][0]
    assert table["total"][0].as_py() == everything > 0



def test_a_short_top_sample_is_named_on_stderr(store_path: Path) -> None:
    """A top:N sample in a year with fewer than N titles with votes says so, with the years and their counts (a
    review read "top 250" over 40 films); a sample that is full says nothing."""
    from tests.conftest import run_cli

    with open_store(store_path) as store:
        counts = dict(store.rows("SELECT year, count(*) FROM title_years WHERE kind = 'movie' "
                                 "AND year BETWEEN 2015 AND 2017 GROUP BY year"))
    n = max(counts.values()) + 1
    r = run_cli("share", "--sample", f"top:{n}", "--kind", "movie", "--from", "2015", "--to", "2017", "-f", "csv",
                "--db", str(store_path))
    assert r.returncode == 0, r.stderr
    assert f"the top:{n} sample holds fewer than {n} titles in {len(counts)} years" in r.stderr
    assert all(f"{y} ({c})" in r.stderr for y, c in counts.items())
    full = run_cli("share", "--sample", "top:1", "--kind", "movie", "--from", "2015", "--to", "2017", "-f", "csv",
                   "--db", str(store_path))
    assert full.returncode == 0 and full.stderr == ""


def test_distribution_names_a_short_top_sample_too(store_path: Path) -> None:
    """`distribution --sample top:N` counts its titles (share_no_woman over `titles`) in the same short sample, and
    said nothing of it while `share` did."""
    from tests.conftest import run_cli

    with open_store(store_path) as store:
        counts = dict(store.rows("SELECT year, count(*) FROM title_years WHERE kind = 'movie' "
                                 "AND year BETWEEN 2015 AND 2017 GROUP BY year"))
    n = max(counts.values()) + 1
    for part in ("buckets", "roles"):
        r = run_cli("distribution", "--sample", f"top:{n}", "--kind", "movie", "--from", "2015", "--to", "2017",
                    "--part", part, "-f", "csv", "--db", str(store_path))
        assert r.returncode == 0, r.stderr
        assert f"the top:{n} sample holds fewer than {n} titles in {len(counts)} years" in r.stderr
        assert all(f"{y} ({c})" in r.stderr for y, c in counts.items())
    full = run_cli("distribution", "--sample", "top:1", "--kind", "movie", "--from", "2015", "--to", "2017",
                   "--part", "roles", "-f", "csv", "--db", str(store_path))
    assert full.returncode == 0 and "sample holds fewer" not in full.stderr, full.stderr


@pytest.mark.parametrize("chart", ["trend", "distribution"])
def test_a_chart_of_a_short_top_sample_says_so_under_its_title(chart: str, store_path: Path, tmp_path: Path) -> None:
    """A chart may be shown alone: its subtitle's "sample: top N titles of each year" over fewer titles says so on
    the chart, with the years and their counts."""
    import xml.etree.ElementTree as ET

    from tests.conftest import run_cli

    def subtitle_text(n: int) -> str:
        out = tmp_path / f"{chart}-{n}.svg"
        r = run_cli("chart", chart, "--sample", f"top:{n}", "--kind", "movie", "--from", "2015", "--to", "2017",
                    "-o", str(out), "--db", str(store_path))
        assert r.returncode == 0, r.stderr
        return " ".join(" ".join(" ".join(t.itertext()) for t in ET.parse(out).iter("{http://www.w3.org/2000/svg}text"))
                        .split())

    with open_store(store_path) as store:
        counts = dict(store.rows("SELECT year, count(*) FROM title_years WHERE kind = 'movie' "
                                 "AND year BETWEEN 2015 AND 2017 GROUP BY year"))
    n = max(counts.values()) + 1
    text = subtitle_text(n)
    assert (f"The top:{n} sample holds fewer than {n} titles in {len(counts)} years (the store has no more with "
            "IMDb votes): " + ", ".join(f"{y} ({c})" for y, c in sorted(counts.items())) + ".") in text
    assert "sample holds fewer" not in subtitle_text(1)


def test_the_report_of_a_short_top_sample_says_so(store_path: Path, tmp_path: Path) -> None:
    """The report's "the 250 titles of each year with the most IMDb votes" says when a year holds fewer, in its
    description and under its trend and distribution charts, which may be copied out alone."""
    from crewparity.report import build_report

    with open_store(store_path) as store:
        counts = dict(store.rows("SELECT year, count(*) FROM title_years WHERE kind = 'movie' "
                                 "AND year BETWEEN 2015 AND 2017 GROUP BY year"))
    n = max(counts.values()) + 1
    said = (f"The top:{n} sample holds fewer than {n} titles in {len(counts)} years (the store has no more with IMDb "
            "votes): " + ", ".join(f"{y} ({c})" for y, c in sorted(counts.items())) + ".")
    md = build_report(store_path, tmp_path / "r.md", sample=f"top:{n}", year_from=2015, year_to=2017)
    assert said in md.read_text(encoding="utf-8").split("## Headline")[0]
    for chart in ("trend", "distribution"):
        svg = (tmp_path / "r_charts" / f"{chart}.svg").read_text(encoding="utf-8")
        assert f"The top:{n} sample holds fewer than {n} titles" in svg, chart
    full = build_report(store_path, tmp_path / "full.md", sample="top:1", year_from=2015, year_to=2017)
    assert "sample holds fewer" not in full.read_text(encoding="utf-8")


def test_a_compare_chart_of_a_short_study_sample_says_so(store_path: Path, tmp_path: Path) -> None:
    """`chart compare usc` (the study's top:100) and the report's comparison charts say, on the chart, the years our
    sample holds fewer titles than the study's, as `compare` notes it (an alias names the study by its key)."""
    import xml.etree.ElementTree as ET

    from crewparity.report import build_report
    from tests.conftest import run_cli

    def text_of(svg: Path) -> str:
        return " ".join(" ".join(" ".join(t.itertext()) for t in ET.parse(svg).iter("{http://www.w3.org/2000/svg}text"))
                        .split())

    with open_store(store_path) as store:
        counts = dict(store.rows("SELECT year, least(count(*), 100) FROM title_years WHERE kind = 'movie' "
                                 "AND year BETWEEN 2015 AND 2017 GROUP BY year"))
    assert all(c < 100 for c in counts.values())
    said = ("crewparity's sample for usc_annenberg has fewer than the study's 100 titles in 3 years: "
            + ", ".join(f"{y} ({c})" for y, c in sorted(counts.items()))
            + "; the store has no more movie titles with IMDb votes there.")
    out = tmp_path / "usc.svg"
    r = run_cli("chart", "compare", "usc", "--from", "2015", "--to", "2017", "-o", str(out), "--db", str(store_path))
    assert r.returncode == 0, r.stderr
    assert said in text_of(out)
    build_report(store_path, tmp_path / "r.md", year_from=2015, year_to=2017)
    assert said in text_of(tmp_path / "r_charts" / "compare-usc_annenberg.svg")
    assert "has fewer than the study's" not in text_of(tmp_path / "r_charts" / "compare-dga_episodic.svg")
