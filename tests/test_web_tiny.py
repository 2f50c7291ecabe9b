"""The dashboard's overview over a tiny store says what the report's headline says, in the same words.

The report's headline stopped showing a share where nobody's gender is known (one name the first-name model
abstained on made a 23.6% headline), said why, and put counts of one in the singular; the dashboard's overview
still showed the 23.6% and "1 women, of the 1 people". Both now render the same figures (report/overview.py).
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import crewparity
from crewparity.report import build_report
from tests._dashboard_store import dashboard_client
from tests._tiny_stores import tiny_stores

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return tiny_stores(tmp_path_factory.mktemp("web-tiny"))


@pytest.fixture(scope="module")
def pages(stores: dict[str, Path]) -> dict[str, str]:
    """Each tiny store's overview page, as served."""
    out = {}
    for name, db in stores.items():
        client: Iterator[object] = dashboard_client(db)
        c = next(client)
        r = c.get("/")  # type: ignore[attr-defined]
        assert r.status_code == 200, r.text[:400]
        out[name] = r.text
        next(client, None)  # closes the app's store
    return out


def _words(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _figures(page: str) -> list[str]:
    """Each headline figure's words, in order."""
    return [_words(f) for f in re.findall(r'<div class="figure">(.*?)</div></div>', page, flags=re.S)]


def _headline(page: str) -> str:
    return " ".join(_figures(page))


@pytest.mark.parametrize("name", ["abstained", "initials"])
def test_no_headline_share_when_nobody_is_known(stores: dict[str, Path], pages: dict[str, str], name: str) -> None:
    with crewparity.open(stores[name]) as cp:
        estimate = cp.share(by="role", kinds="movie").to_pylist()[0]["share_expected"]
    head = _headline(pages[name])
    assert head.startswith("director (small group) — No estimate: nobody counted here has a known gender")
    if estimate is not None:
        assert f"{estimate:.1%}" not in head             # the abstained name's probability is no headline figure
    assert "95% interval" not in head
    assert "director: no one whose gender is known, so no share among known genders; 1 person of unknown gender" \
        in head
    assert "0 women" not in head and "(—)" not in head and "1 people" not in head
    why = {"abstained": "the first-name model abstained on 1 name", "initials": "1 person had no evidence at all"}
    assert why[name] in head
    assert "if every unknown were a man 0.0%, a woman 100.0%" in head


def test_counts_of_one_are_singular(pages: dict[str, str]) -> None:
    head = _headline(pages["one"])
    assert "director: 1 woman, of the 1 person whose gender is known (100.0%); 0 people of unknown gender" in head
    assert "writer: 0 women, of the 1 person whose gender is known (0.0%); 1 person of unknown gender" in head
    assert "No estimate" not in head and "95% interval" in head
    assert not re.search(r"\b1 (women|people|credits|titles)\b", head)


@pytest.mark.parametrize("name", ["abstained", "initials", "one"])
def test_the_dashboard_s_figures_are_the_report_s(stores: dict[str, Path], pages: dict[str, str], tmp_path: Path,
                                                  name: str) -> None:
    report = build_report(stores[name], tmp_path / "r.html").read_text(encoding="utf-8")
    assert _figures(pages[name]) == _figures(report) != []


@pytest.mark.parametrize("name", ["abstained", "initials"])
def test_a_blank_share_known_is_explained_under_the_table(stores: dict[str, Path], pages: dict[str, str],
                                                          tmp_path: Path, name: str) -> None:
    """The report says under its year-by-year table why share_known is blank there: so does the dashboard."""
    page = pages[name]
    said = re.search(r'<p class="note" id="trend-blank">([^<]*)</p>', page)
    assert said, "no note under the year-by-year table"
    report = build_report(stores[name], tmp_path / "r.html").read_text(encoding="utf-8")
    assert said.group(0) in report
    assert _words(said.group(1)).startswith("share_known is blank in 1 row: nobody counted there has a known gender")
