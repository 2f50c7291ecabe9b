"""The dashboard's pages say what the reader chose and read well when copied, in a real chromium against a real
server on 127.0.0.1 (the hand-worked store of tests/_dashboard_store.py).

What a review found:

* the overview's legend under the trend chart read "Lines: women's estimated share" and "Below: the share whose
  gender is unknown" whatever the unit, and its year-by-year table did not say that with the titles or credits
  unit its women / men / unknown columns count titles or credits, not people (``crewparity share`` says both);
* a ``top:N`` sample holding fewer than N titles in some years was said by the CLI, the report and the charts,
  but not by the overview, which read "the 2 titles of each year with the most IMDb votes" over one a year;
* the series search's "nothing found" (and every 400 page's message) stood above the page's heading;
* the episode list's gender cell copied as "womaninferred, p(woman) = 0.91": its parts had no space between them;
* with the titles unit, a role (or a year) with no title known to have a woman or none said "nobody counted here has
  a known gender", false where a man was known, and with credits it spoke of people.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests._dashboard_store import SERIES_ID, build_store, dashboard_server
from tests._tiny_stores import ABSTAINED, crew_store
from tests.conftest import run_cli
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, _need_browser

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _need_browser()
    return build_store(tmp_path_factory.mktemp("page-words"))


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[str]:
    yield from dashboard_server(store)


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[object]:
    """One chromium page for the module; every request it makes must stay on 127.0.0.1."""
    from urllib.parse import urlsplit

    from playwright.sync_api import sync_playwright

    blocked: list[str] = []

    def guard(route, request) -> None:  # type: ignore[no-untyped-def]
        if urlsplit(request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(request.url)
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            context.route("**/*", guard)
            tab = context.new_page()
            tab.set_default_timeout(5000)  # a missing element fails in seconds, not after 30
            yield tab
            context.close()
        finally:
            browser.close()
    assert not blocked, f"requests left 127.0.0.1: {blocked}"


def _open(page: object, url: str) -> int:
    response = page.goto(url)  # type: ignore[attr-defined]
    assert response is not None
    return int(response.status)


# ------------------------------------------------------------------------------------ 1. the unit's words
#: what the trend's lines are, the grey panel below them, and what the table's counts count, per unit
LEGEND = {
    "people": ("Lines: women's estimated share of the people (", "Below: the share of those counted whose gender "
               "is unknown (", None),
    "credits": ("Lines: women's estimated share of the credits (", "Below: the share of credits whose person's "
                "gender is unknown (", "count credits by their holder's gender"),
    "titles": ("Lines: the estimated share of titles with at least one woman in the role (", "Below: the share of "
               "titles with no woman known and someone's gender unknown (", "count titles, not people"),
}


@pytest.mark.parametrize("unit", list(LEGEND))
def test_the_overview_legend_and_table_name_the_unit(server: str, page: object, unit: str) -> None:
    assert _open(page, f"{server}/?unit={unit}") == 200
    legend = page.locator("#trend-legend").inner_text()  # type: ignore[attr-defined]
    lines, below, counts = LEGEND[unit]
    assert lines in legend and below in legend, legend
    if unit != "people":
        assert "Lines: women's estimated share (" not in legend
    note = page.locator("#trend-counts")  # type: ignore[attr-defined]
    if counts is None:
        assert note.count() == 0
    else:
        assert counts in note.inner_text()


@pytest.mark.parametrize("unit", ["credits", "titles"])
def test_the_legend_says_what_the_cli_title_says(store: Path, server: str, page: object, unit: str) -> None:
    """``crewparity share --unit credits`` is titled "Women's share of the credits": the legend says it too."""
    title = {"credits": "women's share of the credits", "titles": "share of titles with at least one woman"}[unit]
    r = run_cli("share", "--by", "role", "--kind", "movie", "--unit", unit, "--db", str(store))
    assert r.returncode == 0 and title in r.stdout.lower()
    assert _open(page, f"{server}/?unit={unit}") == 200
    legend = page.locator("#trend-legend").inner_text().lower()  # type: ignore[attr-defined]
    assert title.replace("women's share", "women's estimated share").replace("share of titles",
                                                                             "estimated share of titles") in legend


# ------------------------------------------------------------------------------ 2. a short top:N sample
def test_a_short_top_sample_is_said_on_the_overview(store: Path, server: str, page: object) -> None:
    """One film a year has IMDb votes (2018, 2019, 2020): top:2 holds one title a year, and the overview says so in
    the CLI's words."""
    r = run_cli("share", "--by", "role", "--kind", "movie", "--sample", "top:2", "--db", str(store))
    assert r.returncode == 0
    words = "the top:2 sample holds fewer than 2 titles in 3 years (the store has no more with IMDb votes): " \
            "2018 (1), 2019 (1), 2020 (1)"
    assert words in " ".join(r.stderr.split())
    assert _open(page, f"{server}/?sample=top:2") == 200
    note = page.locator("#short-top").inner_text()  # type: ignore[attr-defined]
    assert note == words[:1].upper() + words[1:] + "."
    # the lead paragraph, which names the sample, carries it (as the report's does)
    assert note in page.locator("p.lead").inner_text()  # type: ignore[attr-defined]


def test_a_full_top_sample_says_nothing(server: str, page: object) -> None:
    assert _open(page, f"{server}/?sample=top:1") == 200
    assert page.locator("#short-top").count() == 0  # type: ignore[attr-defined]
    assert _open(page, f"{server}/") == 200
    assert page.locator("#short-top").count() == 0  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------- 3. errors under the heading
HEADING_THEN_ALERT = ("(() => { const h = document.querySelector('main h1'); const a = "
                      "document.querySelector('main [role=alert]'); if (!h || !a) return null; "
                      "return [h.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING, "
                      "h.nextElementSibling === a]; })()")


@pytest.mark.parametrize(("path", "status", "says"), [
    ("/series?query=zzz%20no%20such%20show", 200, "no TV series or mini-series title contains 'zzz no such show'"),
    ("/?from=2020&to=1990", 400, "--from 2020 is after --to 1990"),
    ("/rankings?limit=0", 400, "limit: at least 1"),
    ("/series/tt0300001?codirected=half", 400, "codirected"),
])
def test_an_error_stands_under_the_page_heading(server: str, page: object, path: str, status: int,
                                                says: str) -> None:
    assert _open(page, server + path) == status
    alert = page.get_by_role("alert")  # type: ignore[attr-defined]
    assert alert.count() == 1 and says in alert.inner_text()
    following, next_to = page.evaluate(HEADING_THEN_ALERT)  # type: ignore[attr-defined]
    assert following and next_to, "the error is not right under the page's heading"


# ------------------------------------------------------------------------ 4. the gender cell as copied
def test_the_episode_gender_cell_copies_with_its_parts_apart(server: str, page: object) -> None:
    assert _open(page, f"{server}/series/{SERIES_ID}") == 200
    row = page.locator("#episodes tbody tr", has_text="Cleo Cole")  # type: ignore[attr-defined]
    cell = row.locator("td").nth(5)   # season, episode, title, year, director, gender
    inner = cell.inner_text()
    content = cell.evaluate("td => td.textContent")
    assert inner == "woman (inferred, p(woman) = 0.91)", inner
    assert re.sub(r"\s+", " ", content).strip() == inner
    # a whole row selected and copied reads its cells apart too
    copied = row.evaluate("tr => { const s = getSelection(); s.removeAllRanges(); const r = document.createRange(); "
                          "r.selectNodeContents(tr); s.addRange(r); return s.toString(); }")
    assert "woman (inferred, p(woman) = 0.91)" in copied, copied


# --------------------------------------------- 5. nothing known, in the unit's words (the overview's notes)
#: one film: its director a name the first-name model abstains on; its writers that name and a man (recorded)
NOTHING_KNOWN_CREW = (f"title,year,name,role,gender\nTiny Film,2024,{ABSTAINED},director,\n"
                      f"Tiny Film,2024,{ABSTAINED},writer,\nTiny Film,2024,Bo Chen,writer,man\n")


@pytest.fixture(scope="module")
def tiny_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_browser()
    yield from dashboard_server(crew_store(tmp_path_factory.mktemp("nothing-known"), "tiny", NOTHING_KNOWN_CREW))


@pytest.mark.parametrize(("query", "headline", "blank"), [
    # the writers' title has a man known and no woman known: "nobody counted here has a known gender" was false
    ("unit=titles&roles=writer",
     "writer (small group) — No estimate: no title counted here is known to have a woman in the role or to have "
     "none: each has someone of unknown gender (the name model abstained or there was no evidence) and no woman "
     "known, so a share would rest on nothing known.",
     "share_known is blank in 1 row: no title counted there is known to have a woman in the role or to have none "
     "(women + men + nonbinary = 0: each has someone of unknown gender and no woman known), so there is no share "
     "among titles whose outcome is known."),
    ("unit=credits&roles=director",
     "director (small group) — No estimate: no credit counted here is held by someone whose gender is known, "
     "recorded or inferred from a first name (the name model abstained or there was no evidence), so a share would "
     "rest on nothing known.",
     "share_known is blank in 1 row: no credit counted there is held by someone whose gender is known (women + men "
     "+ nonbinary = 0), so there is no share among known genders."),
    ("unit=people&roles=director",
     "director (small group) — No estimate: nobody counted here has a known gender, recorded or inferred from a "
     "first name (the first-name model abstained on 1 name), so a share would rest on nothing known.",
     "share_known is blank in 1 row: nobody counted there has a known gender (women + men + nonbinary = 0), so "
     "there is no share among known genders."),
])
def test_nothing_known_is_said_in_the_unit_s_words(tiny_server: str, page: object, query: str, headline: str,
                                                   blank: str) -> None:
    assert _open(page, f"{tiny_server}/?kind=all&{query}") == 200
    figure = " ".join(page.locator(".headline .figure").inner_text().split())  # type: ignore[attr-defined]
    assert figure.startswith(headline), figure
    assert " ".join(page.locator("#trend-blank").inner_text().split()).startswith(blank)  # type: ignore[attr-defined]
    if "titles" in query:
        assert "no title where it is known whether a woman held the role, so no share among titles whose outcome " \
               "is known" in figure


def test_the_seasons_chart_says_when_co_directed_episodes_are_split(server: str, page: object) -> None:
    """The seasons table's headers read "women (1/k each)" with codirected=fractional; the chart beside it, which
    may be saved alone, said "episodes by director gender" either way."""
    assert _open(page, f"{server}/series/{SERIES_ID}?codirected=fractional") == 200
    title = page.locator("#seasons-chart svg > text").first.text_content()  # type: ignore[attr-defined]
    assert title == "Harbour Nights: episodes by director gender, co-directed split 1/k each"
    assert "women (1/k each)" in page.locator("#seasons thead").inner_text()  # type: ignore[attr-defined]
    assert _open(page, f"{server}/series/{SERIES_ID}") == 200
    title = page.locator("#seasons-chart svg > text").first.text_content()  # type: ignore[attr-defined]
    assert title == "Harbour Nights: episodes by director gender"
