"""The shareable report: self-contained HTML (no request can leave the page), Markdown, and a method section
that states what this store holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crewparity.report import build_report
from tests._dashboard_store import LOUD_NAME, SCRIPT_NAME, build_store
from tests.conftest import run_cli

SVG_NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def html(store: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = build_report(store, tmp_path_factory.mktemp("out") / "report.html", kind="movie")
    return out.read_text(encoding="utf-8")


def test_html_is_self_contained(html: str) -> None:
    assert html.startswith("<!doctype html>")
    # Nothing a browser would fetch: no script, no external stylesheet or font, no URL but the SVG namespaces.
    assert "<script" not in html.lower()
    assert "<link" not in html.lower() and "@import" not in html and "@font-face" not in html
    assert not re.search(r"url\(", html)
    assert not re.search(r'\b(?:src|href)="', html)
    assert set(re.findall(r"https?://[^\s\"'<>)]+", html)) <= SVG_NAMESPACES
    assert "<style>" in html and ".headline" in html          # the stylesheet is inlined


def test_html_has_headline_charts_rankings_comparison_and_method(html: str) -> None:
    # Directors of the three films: Ann (woman), Ben and Dan (men).
    assert "director: 1 woman, of the 3 people whose gender is known" in html
    assert html.count("<svg ") >= 3                            # trend, distribution, comparison charts inline
    assert 'id="best"' in html and 'id="worst"' in html
    assert "&lt;b&gt;Loud&lt;/b&gt; Show" in html and LOUD_NAME not in html   # the worst season, escaped
    assert SCRIPT_NAME not in html
    assert 'id="compare"' in html and "Celluloid Ceiling" in html


def test_method_section_comes_from_the_store(html: str, store: Path) -> None:
    method = html[html.index("<h1>Method</h1>"):]
    assert "<td>imdb</td>" in method and "<td>dump</td>" in method   # source and where it came from (by name)
    assert str(store.parent / "dump") not in method                   # not the path of the user's folders
    assert re.search(r"<td>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d</td>", method)       # its load time
    kinds = dict(re.findall(r"<tr><td>(recorded|inferred|unknown[^<]*)</td><td class=\"num\">(\d+)</td>", method))
    # Key-role people: Ann, Ben, Dan, Eva recorded by IMDb labels; Cleo inferred; the <script> person unknown.
    assert kinds == {"recorded": "4", "inferred": "1", "unknown: no evidence": "1"}
    assert "first-name model" in method and "abstain" in method.lower()
    assert "<strong>people</strong>" in method and "<strong>episodes</strong>" in method  # counting units
    # the calibration in words (this store is too small to measure one), never meta's raw JSON
    assert "No recalibration of the first-name model is stored" in method
    assert '"slope"' not in method and "derived_pilot_rule" not in method


def test_markdown_report_with_chart_files(store: Path, tmp_path: Path) -> None:
    out = build_report(store, tmp_path / "report.md", kind="movie")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Who works behind the camera")
    assert "| director *(small group)* | 33.3% |" in text       # three directors: a small group, flagged
    assert "\\<b\\>Loud\\</b\\> Show" in text                   # markup in a name cannot become Markdown/HTML
    charts_dir = tmp_path / "report_charts"
    assert (charts_dir / "trend.svg").read_text(encoding="utf-8").startswith("<svg")
    assert "](report_charts/trend.svg)" in text
    assert "# Method" in text and "| imdb |" in text


def _svg_text(svg: str) -> str:
    """The words an SVG chart shows (its <text> elements), joined."""
    return " ".join(re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>.*?</text>", svg, flags=re.S))


def test_report_charts_say_what_they_count_and_where_the_data_came_from(store: Path, tmp_path: Path) -> None:
    """A chart taken out of the report (the Markdown report's charts are separate SVG files) still says which
    selection it shows and the data's source, as `crewparity chart` does."""
    build_report(store, tmp_path / "report.md", kind="movie", year_from=2015, year_to=2020)
    charts_dir = tmp_path / "report_charts"
    trend = _svg_text((charts_dir / "trend.svg").read_text(encoding="utf-8"))
    assert "Unit: people." in trend and "Titles: movie" in trend and "2015" in trend
    files = sorted(p.name for p in charts_dir.glob("*.svg"))
    assert "distribution.svg" in files and any(f.startswith("compare-") for f in files), files
    for name in files:
        words = _svg_text((charts_dir / name).read_text(encoding="utf-8"))
        assert "Source: crewparity" in words and f"store {store.name}" in words, name
    distribution = _svg_text((charts_dir / "distribution.svg").read_text(encoding="utf-8"))
    assert "roles: director" in distribution and "kind: movie" in distribution and "unit: titles" in distribution
    html = build_report(store, tmp_path / "report.html", kind="movie").read_text(encoding="utf-8")
    assert html.count("Source: crewparity") >= 1 + len([f for f in files if f.startswith("compare-")])


@pytest.fixture(scope="module")
def crew_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One film from its crew list: a director (a group of one, small), 30 writers (not small) and an editor of
    unknown gender whose first name the model does not know (no share at all), 2020."""
    from crewparity import api_sources

    base = tmp_path_factory.mktemp("crew")
    lines = ["title,year,name,role,gender", "Tiny Film,2020,Ann Archer,director,woman"]
    lines += [f"Tiny Film,2020,Writer {i:02d},writer,{'woman' if i < 6 else 'man'}" for i in range(30)]
    lines.append("Tiny Film,2020,Xq Zzv,editor,")
    (base / "crew.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    api_sources.ingest_crewlist(base / "crew.csv", base / "crew.duckdb")
    return base / "crew.duckdb"


def _md_section(text: str, heading: str) -> str:
    start = text.index(f"\n## {heading}\n")
    return text[start:text.index("\n## ", start + 1)]


def _md_rows(section: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in section.splitlines() if line.startswith("|")]


def test_markdown_flags_small_groups_and_shows_the_html_columns(crew_store: Path, tmp_path: Path) -> None:
    """The Markdown report left out the ``small`` flag (headline and year by year) and the share-if-unknown
    bounds the HTML report shows, while its method text says small groups are flagged."""
    md = build_report(crew_store, tmp_path / "r.md").read_text(encoding="utf-8")
    headline = {row[0]: row for row in _md_rows(_md_section(md, "Headline"))[2:]}
    assert set(headline) == {"director *(small group)*", "writer", "editor *(small group)*"}   # 30 writers: not small
    assert headline["director *(small group)*"][1] == "100.0%" and headline["writer"][1] == "20.0%"
    header, rule, *rows = _md_rows(_md_section(md, "Year by year"))
    by_role = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_role["director"]["small"] == "small" and by_role["writer"]["small"] == ""
    assert by_role["writer"]["share_if_unknown_men"] == "20.0%"
    assert rule[header.index("women")] == "---:" and rule[header.index("role")] == "---"   # numbers right-aligned

    html = build_report(crew_store, tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.count('<span class="small-flag">(small group)</span>') == 2
    trend = html[html.index('id="trend"'):html.index("</thead>", html.index('id="trend"'))]
    assert header == re.findall(r'<th scope="col">([^<]+)</th>', trend)   # the same columns, in the same order
    assert "small" in header and "share_if_unknown_women" in header


def test_markdown_says_what_the_html_says(crew_store: Path, tmp_path: Path) -> None:
    """Beyond the columns, the Markdown report left out what the HTML one says: the same sections, the trend's
    legend, the store's version and row counts, and, for a selection with nothing in it, that there is nothing
    (a bare table header instead of "No credits match this selection." / "no rows for this selection")."""
    import html as html_lib

    def both(**options: int) -> tuple[str, str]:
        md = build_report(crew_store, tmp_path / "r.md", **options).read_text(encoding="utf-8")
        page = build_report(crew_store, tmp_path / "r.html", **options).read_text(encoding="utf-8")
        return md, html_lib.unescape(re.sub(r"<svg.*?</svg>", "", page, flags=re.S))

    md, page = both()
    html_headings = [h.strip() for h in re.findall(r"<h[123][^>]*>([^<]*)</h[123]>", page) if h.strip()]
    assert [h.lstrip("#").strip() for h in re.findall(r"^#{1,3} .*$", md, flags=re.M)] == html_headings
    assert "Lines: women's estimated share" in md and "Lines: women's estimated share" in page
    rows_line = re.search(r"Rows: [^.]*\.", page)
    assert rows_line and rows_line.group() == "Rows: titles 1, people 32, credits 32, gender_evidence 31, " \
                                               "resolved_gender 32."
    assert rows_line.group() in md and "schema_version" in md
    editor = next(row for row in _md_rows(_md_section(md, "Headline")) if row[0].startswith("editor"))
    assert editor[1] == editor[3] == "—"                              # no share, as the HTML's headline says
    assert '<div class="value">—</div>' in page

    md, page = both(year_from=1900, year_to=1901)                     # nothing in these years
    why = "No credits match this selection: the store's titles are from "   # and why, in the CLI's words
    assert md.count(why) == page.count(why) == 3                      # the headline, the trend, the distribution
    assert "| role |" not in md                                       # no header over no rows
    for rank in ("best", "worst"):                                    # the season lists say why they are empty
        why_not = f"No series-season in the store is on the {rank} list with these options."
        assert md.count(why_not) == page.count(why_not) == 1, rank
    assert "o rows for this selection" not in md + page


def test_headline_counts_say_what_the_unit_counts(store: Path, tmp_path: Path) -> None:
    """The headline's counts name the unit, as the dashboard's cards do: titles with a woman in the role, credits
    held by women (they said "women of N with known gender" whatever was counted)."""
    titles = build_report(store, tmp_path / "t.html", kind="movie", unit="titles").read_text(encoding="utf-8")
    assert "titles with a woman in the role, of the" in titles and "with known gender" not in titles
    credits = build_report(store, tmp_path / "c.html", kind="movie", unit="credits").read_text(encoding="utf-8")
    assert "credits held by women, of the" in credits


def test_markdown_and_legend_say_what_the_unit_counts(store: Path, tmp_path: Path) -> None:
    """With titles (or credits) as the unit, the Markdown headline's "women's share (estimate)" over "women 2, men
    1" and both formats' legend "Lines: women's estimated share" read as people; they say what is counted."""
    import html as html_lib

    md = build_report(store, tmp_path / "t.md", kind="movie", unit="titles").read_text(encoding="utf-8")
    page = html_lib.unescape(build_report(store, tmp_path / "t.html", kind="movie", unit="titles")
                             .read_text(encoding="utf-8"))
    headline = _md_section(md, "Headline")
    assert "| role | titles with a woman (estimate) |" in headline and "women's share" not in headline
    assert "Women, men, nonbinary, unknown count titles, not people" in headline  # the CLI note's words
    legend = "Lines: the estimated share of titles with at least one woman in the role (recorded genders"
    assert legend in md and legend in page and "Lines: women's estimated share" not in md + page
    credits = build_report(store, tmp_path / "c.md", kind="movie", unit="credits").read_text(encoding="utf-8")
    assert "| role | women's share of the credits (estimate) |" in credits
    assert "count credits by their holder's gender" in credits
    assert "Lines: women's estimated share of the credits (recorded" in credits
    people = build_report(store, tmp_path / "p.md", kind="movie").read_text(encoding="utf-8")
    assert "| role | women's share (estimate) |" in people and "not people" not in people


def test_cli_report_writes_and_prints_the_path(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    r = run_cli("report", "-o", str(out), "--from", "2019", "--to", "2020", "--db", str(store))
    assert r.returncode == 0, r.stderr
    assert str(out.resolve()) in r.stdout
    text = out.read_text(encoding="utf-8")
    assert "2019–2020" in text and "director: 0 women, of the 2 people whose gender is known" in text
    assert f"crewparity report -o {out} --from 2019 --to 2020" in text              # how to reproduce it
    r = run_cli("report", "-o", str(tmp_path / "r2.md"), "--format", "md", "--db", str(store))
    assert r.returncode == 0 and (tmp_path / "r2.md").exists()


@pytest.mark.parametrize("args,message", [
    (["--format", "pdf"], "unknown report --format 'pdf'"),
    (["--from", "2020", "--to", "2019"], "after"),
    (["--sample", "top:zero"], "top:N"),
    (["--roles", "grip"], "unknown role 'grip'"),
])
def test_cli_report_bad_arguments_leave_no_file(store: Path, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "r.html"
    r = run_cli("report", "-o", str(out), *args, "--db", str(store))
    assert r.returncode == 1 and message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not out.exists() and not list(tmp_path.iterdir())


def test_cli_report_into_a_missing_folder(store: Path, tmp_path: Path) -> None:
    r = run_cli("report", "-o", str(tmp_path / "nope" / "r.html"), "--db", str(store))
    assert r.returncode == 1 and "does not exist" in r.stderr


def test_comparisons_keep_to_the_report_years(store: Path, tmp_path: Path) -> None:
    """With --from/--to the published figures shown are those of the report's years only, as every section."""
    import html as html_lib

    def compare_periods(text: str) -> set[str]:
        section = html_lib.unescape(text[text.index('id="compare"'):text.index('id="method"')])
        return set(re.findall(r"<td>(\d{4}(?:-\d\d)?)</td>", section))

    everything = compare_periods(build_report(store, tmp_path / "all.html", kind="movie").read_text(encoding="utf-8"))
    assert "1998" in everything and "2017" in everything                   # the Celluloid Ceiling's years
    since = compare_periods(build_report(store, tmp_path / "since.html", kind="movie", year_from=2010)
                            .read_text(encoding="utf-8"))
    assert since and all(int(p[:4]) >= 2010 for p in since), sorted(since)


def test_comparison_figures_are_percentages_as_in_the_cli(html: str) -> None:
    """The report showed the studies' figures as bare fractions ("0.17") where the CLI shows 17.0%."""
    section = html[html.index('id="compare"'):html.index('id="method"')]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", section)
    assert "17.0%" in cells                                          # Celluloid Ceiling 1998: 17%
    assert "0.17" not in cells
