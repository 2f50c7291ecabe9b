"""The dashboard in a real browser: Debian's chromium driven by Playwright, against a real uvicorn server on
127.0.0.1 serving a store built from the bundled demo data.

A reader opens the overview, searches "Jessica Jones", opens it and sees season 2 at 13 of 13. Every request
the page makes is intercepted: none may leave 127.0.0.1 (no CDN, no web font, no analytics).

Without /usr/bin/chromium these tests skip with the reason, unless CREWPARITY_REQUIRE_BROWSER=1 (CI), where
they fail instead. ``playwright install`` is never needed: the system chromium is used.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("CREWPARITY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def _need_browser() -> None:
    reason = None
    if not CHROMIUM.exists():
        reason = f"no chromium at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright Python package is not installed (pip install playwright)"
    if reason:
        if os.environ.get("CREWPARITY_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CREWPARITY_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)


def _demo_store(root: Path) -> Path | None:
    """The demo store exactly as ``crewparity demo`` builds it; None while the demo cannot be built yet.

    Once it builds there is no fallback: if the demo then does not show 13 of 13, the browser test fails.
    """
    from crewparity import api
    from crewparity.demo import build_demo, demo_folder

    if not (demo_folder() / "title.basics.tsv").exists() or not hasattr(api, "ingest_wikidata"):
        return None  # the Wikidata reader the demo calls has not landed yet
    db = root / "demo.duckdb"
    build_demo(db, report=None)
    return db


def _stand_in_store(root: Path) -> Path:
    """Until the demo carries its genders: a two-season series under the same title, test-only ids and names."""
    from crewparity import api

    dump = root / "dump"
    dump.mkdir()
    n = "\\N"
    basics = [["tt0500000", "tvSeries", "Marvel's Jessica Jones", "Marvel's Jessica Jones", "0", "2015", n, "50",
               "Drama"]]
    episodes, crew = [], []
    for season in (1, 2):
        for ep in range(1, 14):
            tid = f"tt05{season}{ep:04d}"
            basics.append([tid, "tvEpisode", f"Episode {season}.{ep}", f"Episode {season}.{ep}", "0",
                           str(2014 + season), n, "50", "Drama"])
            episodes.append([tid, "tt0500000", str(season), str(ep)])
            woman = season == 2 or ep <= 4
            crew.append([tid, "nm0500001" if woman else "nm0500002", n])
    names = [["nm0500001", "Test Director A", n, n, "actress,director", n],
             ["nm0500002", "Test Director B", n, n, "actor,director", n]]
    files = {
        "title.basics": (["tconst", "titleType", "primaryTitle", "originalTitle", "isAdult", "startYear", "endYear",
                          "runtimeMinutes", "genres"], basics),
        "title.episode": (["tconst", "parentTconst", "seasonNumber", "episodeNumber"], episodes),
        "title.crew": (["tconst", "directors", "writers"], crew),
        "title.principals": (["tconst", "ordering", "nconst", "category", "job", "characters"], []),
        "name.basics": (["nconst", "primaryName", "birthYear", "deathYear", "primaryProfession", "knownForTitles"],
                        names),
        "title.ratings": (["tconst", "averageRating", "numVotes"], [["tt0500000", "7.9", "1000"]]),
    }
    for name, (header, rows) in files.items():
        (dump / f"{name}.tsv").write_text("\n".join("\t".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    db = root / "standin.duckdb"
    api.ingest_imdb(dump, db)
    return db


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _need_browser()
    root = tmp_path_factory.mktemp("browser")
    return _demo_store(root) or _stand_in_store(root)


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[str]:
    from tests._dashboard_store import dashboard_server

    yield from dashboard_server(store)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _guarded_page(browser: object, seen: list[str], blocked: list[str], width: int = 1200):  # type: ignore[no-untyped-def]
    """A page whose every request is routed through a check: only 127.0.0.1 may be reached."""
    context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]

    def guard(route, request) -> None:  # type: ignore[no-untyped-def]
        seen.append(request.url)
        if urlsplit(request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(request.url)
            route.abort()

    context.route("**/*", guard)
    return context, context.new_page()


def test_search_jessica_jones_and_see_season_2_at_13_of_13(server: str, browser: object, tmp_path: Path) -> None:
    seen: list[str] = []
    blocked: list[str] = []
    context, page = _guarded_page(browser, seen, blocked)
    try:
        page.goto(f"{server}/")
        assert page.locator("h1").inner_text() == "Who works behind the camera"
        assert page.locator("#trend-chart svg").count() == 1
        page.get_by_role("link", name="Series", exact=True).click()
        page.locator("input[name=query]").fill("Jessica Jones")
        page.get_by_role("button", name="Search").click()
        page.get_by_role("link", name="Marvel's Jessica Jones").click()
        page.wait_for_url("**/series/*")
        assert page.locator("h1").inner_text() == "Marvel's Jessica Jones"
        season2 = page.locator('tr[data-season="2"] td.summary').inner_text()
        assert season2.startswith("13 of 13"), season2
        season1 = page.locator('tr[data-season="1"] td.summary').inner_text()
        assert season1.startswith("4 of 13"), season1
        assert page.locator("#seasons-chart svg").is_visible()
        # the chart's title is not cut off at the SVG's edge (it was, at two seasons: "... by director g")
        title_end, svg_width = page.locator("#seasons-chart svg").evaluate(
            "s => { const b = s.querySelector('text').getBBox(); return [b.x + b.width, s.viewBox.baseVal.width]; }")
        assert title_end <= svg_width, (title_end, svg_width)
        page.screenshot(path=str(tmp_path / "jessica-jones.png"), full_page=True)
        shots = os.environ.get("CREWPARITY_SCREENSHOTS")
        if shots:
            page.screenshot(path=str(Path(shots) / "jessica-jones.png"), full_page=False)
    finally:
        context.close()
    assert (tmp_path / "jessica-jones.png").stat().st_size > 10_000
    assert seen, "the route guard saw no request"
    assert not blocked, f"requests left 127.0.0.1: {blocked}"
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in seen)


def test_every_page_stays_on_127_0_0_1(server: str, browser: object) -> None:
    seen: list[str] = []
    blocked: list[str] = []
    context, page = _guarded_page(browser, seen, blocked)
    try:
        for path in ("/", "/?kind=tv_series&unit=credits", "/series?query=Jessica", "/rankings", "/compare",
                     "/compare?study=dga", "/method", "/openapi.json", "/docs"):
            response = page.goto(f"{server}{path}")
            assert response is not None
            assert response.status == (404 if path == "/docs" else 200), path
        # The stylesheet is served locally and applied (no web font: the system font stack).
        page.goto(f"{server}/")
        assert "system-ui" in page.evaluate("getComputedStyle(document.body).fontFamily")
    finally:
        context.close()
    assert any(u.endswith("/static/style.css") for u in seen)
    assert not blocked, f"requests left 127.0.0.1: {blocked}"


def test_a_bad_filter_shows_a_message_not_a_crash(server: str, browser: object) -> None:
    seen: list[str] = []
    blocked: list[str] = []
    context, page = _guarded_page(browser, seen, blocked)
    try:
        response = page.goto(f"{server}/?from=2020&to=1990&unit=titles")
        assert response is not None and response.status == 400
        assert "after" in page.get_by_role("alert").inner_text()
        # the form is there again with what was sent: correct the one field and Show
        assert page.locator("input[name=from]").input_value() == "2020"
        assert page.locator("select[name=unit]").input_value() == "titles"
        page.locator("input[name=to]").fill("2024")
        assert _submit(page) == 200 and page.locator(".headline .figure").count() >= 1
        assert "titles with a woman in the role" in page.locator(".headline").inner_text()
    finally:
        context.close()
    assert not blocked


def _submit(page, button: str = "Show") -> int:  # type: ignore[no-untyped-def]
    """Click the form's button as a reader does; the status of the page it loads."""
    with page.expect_response(lambda r: r.request.resource_type == "document") as answer:
        page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    return int(answer.value.status)


def test_every_form_shows_figures_with_its_fields_left_blank(server: str, browser: object) -> None:
    """The pages have no script, so a form sends every field, a blank one too: changing the overview's Unit and
    clicking Show answered 400 ("from: Input should be a valid integer"), as did the rankings form. A blank field
    is now its default on every form."""
    seen: list[str] = []
    blocked: list[str] = []
    context, page = _guarded_page(browser, seen, blocked)
    try:
        page.goto(f"{server}/")                                  # the reviewer's steps: Unit -> titles, Show
        page.locator("select[name=unit]").select_option("titles")
        assert _submit(page) == 200, page.content()[:2000]
        assert "from=&to=" in page.url and "roles=&" in page.url  # the blank fields were sent
        assert page.locator(".headline .figure").count() >= 1 and page.locator("#trend-chart svg").count() == 1
        assert "titles with a woman in the role" in page.locator(".headline").inner_text()
        page.locator("input[name=from]").fill("1990")             # From and To filled, Roles still blank
        page.locator("input[name=to]").fill("2030")
        assert _submit(page) == 200 and page.locator(".headline .figure").count() >= 1

        page.goto(f"{server}/rankings")                           # every field of the rankings form blank
        for name in ("from", "to", "min_episodes", "limit"):
            page.locator(f"input[name={name}]").fill("")
        assert _submit(page) == 200, page.content()[:2000]
        assert "min_episodes=&limit=" in page.url
        assert page.get_by_role("link", name="Marvel's Jessica Jones").count() >= 1  # season 2: 13 of 13

        page.goto(f"{server}/compare")                            # From and To blank
        assert page.locator("input[name=from]").input_value() == ""
        assert _submit(page) == 200, page.content()[:2000]
        assert "from=&to=" in page.url
        assert page.locator("#compare-chart svg").count() == 1 and page.locator("table.data tbody tr").count() >= 1

        page.goto(f"{server}/series")                              # a blank search, then a series and its form
        assert _submit(page, "Search") == 200
        page.locator("input[name=query]").fill("Jessica Jones")
        assert _submit(page, "Search") == 200
        page.get_by_role("link", name="Marvel's Jessica Jones").click()
        page.wait_for_url("**/series/tt*")
        assert _submit(page) == 200 and page.locator("#seasons-chart svg").is_visible()
        assert page.locator('tr[data-season="2"] td.summary').inner_text().startswith("13 of 13 episodes")
    finally:
        context.close()
    assert not blocked, f"requests left 127.0.0.1: {blocked}"


def test_pages_fit_the_window_and_wide_tables_scroll_in_their_own_box(server: str, browser: object,
                                                                      tmp_path: Path) -> None:
    """At 1280 px the comparison was ~36,600 px tall (long caveats wrapped in narrow cells beside 18 other
    columns) and the overview's table ran past the page's edge (scrollWidth 1707)."""
    seen: list[str] = []
    blocked: list[str] = []
    context, page = _guarded_page(browser, seen, blocked, width=1280)
    sizes: dict[str, tuple[int, int]] = {}
    try:
        page.goto(f"{server}/series?query=Jessica")
        series = page.get_by_role("link", name="Marvel's Jessica Jones").get_attribute("href")
        paths = ["/", "/?kind=all&unit=credits", "/rankings", "/method", str(series), "/compare",
                 *(f"/compare?study={s}" for s in ("boxed_in", "dga", "usc_annenberg"))]
        for path in paths:
            response = page.goto(f"{server}{path}")
            assert response is not None and response.status == 200, path
            width, height = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            sizes[path] = (width, height)
            if path == "/compare":
                page.screenshot(path=str(tmp_path / "compare.png"), full_page=False)
        page.goto(f"{server}/")                # the trend table is wider than the page: it scrolls in its own box
        box = page.evaluate("(() => { const t = document.querySelectorAll('table.data'); const e = t[t.length - 1];"
                            " return [e.scrollWidth, e.clientWidth, getComputedStyle(e).overflowX]; })()")
    finally:
        context.close()
    assert not blocked
    too_wide = {p: w for p, (w, _) in sizes.items() if w > 1280}
    assert not too_wide, f"pages wider than the 1280 px window: {too_wide}"
    too_tall = {p: h for p, (_, h) in sizes.items() if p.startswith("/compare") and h > 12_000}
    assert not too_tall, f"comparison pages taller than 12,000 px: {too_tall}"
    assert box[0] >= box[1] and box[2] == "auto", box
    assert (tmp_path / "compare.png").stat().st_size > 10_000


def test_the_report_opens_offline_without_a_single_request(store: Path, browser: object, tmp_path: Path) -> None:
    from crewparity.report import build_report

    report = build_report(store, tmp_path / "report.html", kind=None)
    seen: list[str] = []
    blocked: list[str] = []
    context = browser.new_context()  # type: ignore[attr-defined]

    def guard(route, request) -> None:  # type: ignore[no-untyped-def]
        seen.append(request.url)
        if request.url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(report.as_uri())
        assert page.locator("svg").count() >= 2
        assert "system-ui" in page.evaluate("getComputedStyle(document.body).fontFamily")   # inline styles apply
        assert "Marvel's Jessica Jones" in page.content()                                 # best seasons list
    finally:
        context.close()
    assert seen == [report.as_uri()], seen
    assert not blocked and not errors, (blocked, errors)


def test_pages_fit_a_400_px_window(server: str, browser: object, tmp_path: Path) -> None:
    """At 400 px the comparison's Study list (its longest study name) and the names of what every row shares
    ("crewparity_sample (pct_titles_with_no_woman_in_role)") ran past the window: the page scrolled sideways.
    A page fits a phone-sized window; only a wide table scrolls, in its own box."""
    seen: list[str] = []
    blocked: list[str] = []
    context, page = _guarded_page(browser, seen, blocked, width=400)
    sizes: dict[str, tuple[int, int]] = {}
    try:
        page.goto(f"{server}/series?query=Jessica")
        series = page.get_by_role("link", name="Marvel's Jessica Jones").get_attribute("href")
        paths = ["/", "/?kind=all&unit=credits", "/?from=1900&to=1910", "/series?query=Jessica", str(series),
                 "/rankings", "/method", "/compare", "/compare?from=1900&to=1910", "/?from=2020&to=1990",
                 str(series).replace("/series/", "/credits/") + "?season=2", "/credits/tt0133093?roles=all",
                 *(f"/compare?study={s}" for s in ("boxed_in", "dga", "usc_annenberg"))]
        for path in paths:
            response = page.goto(f"{server}{path}")
            assert response is not None and response.status in (200, 400), path
            sizes[path] = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        page.goto(f"{server}/compare")
        page.screenshot(path=str(tmp_path / "compare-400.png"), full_page=False)
        select = page.evaluate("(() => { const r = document.querySelector('select[name=study]')"
                               ".getBoundingClientRect(); return [r.left, r.right]; })()")
    finally:
        context.close()
    assert not blocked
    too_wide = {p: s for p, s in sizes.items() if s[0] > s[1]}
    assert not too_wide, f"pages that scroll sideways at 400 px (scrollWidth, clientWidth): {too_wide}"
    assert 0 <= select[0] < select[1] <= 400, select


def test_the_compare_page_flags_the_small_dga_rows(server: str, browser: object) -> None:
    """The demo's DGA comparison read "+69.0 pts" from 13 episodes (one season of one series) with nothing to
    say so; the page now flags the row small, as the overview flags a small group, marks its difference and says
    under the table, and its chart, what that means."""
    from crewparity.metrics.roles import small_group_threshold

    seen: list[str] = []
    blocked: list[str] = []
    context, page = _guarded_page(browser, seen, blocked, width=1280)
    try:
        response = page.goto(f"{server}/compare?study=dga")
        assert response is not None and response.status == 200
        headers = page.locator("table.data thead th").all_inner_texts()
        cells = page.locator("table.data tbody tr", has_text="2018-19").locator("td").all_inner_texts()
        row = dict(zip(headers, cells, strict=True))
        assert row["counted"] == "13" and row["small"] == "small"
        assert row["difference"].startswith("+") and row["difference"].endswith(" pts *"), row["difference"]
        empty = dict(zip(headers, page.locator("table.data tbody tr", has_text="2016-17").locator("td")
                         .all_inner_texts(), strict=True))
        assert empty["difference"] == "" and empty["crewparity"] == ""     # no figure: nothing to mark
        note = page.locator("#small-note")
        assert note.is_visible()
        assert f"small = fewer than {small_group_threshold()} counted on our side" in note.inner_text()
        assert "Small samples, read with care" in (page.locator("#compare-chart svg").text_content() or "")
    finally:
        context.close()
    assert not blocked
