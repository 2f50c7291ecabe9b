"""The report over a tiny store (a production's crew list of one to three people): no headline share built on
nobody of known gender, a reason wherever share_known is blank, and counts of one in the singular."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest

import crewparity
from crewparity.report import build_report
from crewparity.report.overview import counts_text, overview_data
from crewparity.sources.crewlist import person_id
from tests._tiny_stores import ABSTAINED, tiny_stores


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return tiny_stores(tmp_path_factory.mktemp("tiny"))


def _text(path: Path) -> str:
    """The report's words as a reader sees them: tags and charts dropped, entities decoded, spaces collapsed."""
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _headline(text: str) -> str:
    return text[text.index("Headline"):text.index("Year by year")]


def test_the_name_model_abstains_on_the_test_name(stores: dict[str, Path]) -> None:
    with crewparity.open(stores["abstained"]) as cp:
        got = cp.store.rows("SELECT gender, source FROM resolved_gender WHERE person_id = ?", [person_id(ABSTAINED)])
        row = cp.share(by="role").to_pylist()[0]
    assert got == [("unknown", "name_model")]
    # the metric itself still gives a share_expected for this one unknown person: the report must not headline it
    assert row["share_known"] is None and row["share_expected"] is not None


@pytest.mark.parametrize("name", ["abstained", "initials"])
def test_no_headline_share_when_nobody_is_known(stores: dict[str, Path], tmp_path: Path, name: str) -> None:
    with crewparity.open(stores[name]) as cp:
        estimate = cp.share(by="role").to_pylist()[0]["share_expected"]
    text = _text(build_report(stores[name], tmp_path / "r.html"))
    head = _headline(text)
    assert "director (small group) — No estimate: nobody counted here has a known gender" in head
    if estimate is not None:
        assert f"{estimate:.1%}" not in head             # the abstained name's probability is no headline figure
    assert "95% interval" not in head
    assert "director: no one whose gender is known, so no share among known genders; 1 person of unknown gender" \
        in head
    assert "0 women" not in head and "(—)" not in head and "1 people" not in head
    why = {"abstained": "the first-name model abstained on 1 name", "initials": "1 person had no evidence at all"}
    assert why[name] in head
    assert "if every unknown were a man 0.0%, a woman 100.0%" in head   # what the counts can say is still said


@pytest.mark.parametrize("name", ["abstained", "initials"])
def test_blank_share_known_is_explained(stores: dict[str, Path], tmp_path: Path, name: str) -> None:
    text = _text(build_report(stores[name], tmp_path / "r.html"))
    trend = text[text.index("Year by year"):text.index("How many women")]
    assert "share_known is blank in 1 row: nobody counted there has a known gender" in trend
    # only where the row still carries a share_expected is it said what that rests on
    assert ("rests only on the first-name model's probabilities" in trend) == (name == "abstained")
    md = build_report(stores[name], tmp_path / "r.md").read_text(encoding="utf-8")
    assert "share_known is blank in 1 row" in md
    assert "| director *(small group)* | — | — | — | 0 | 0 | 0 | 1 |" in md
    assert "director: No estimate: nobody counted here has a known gender" in md


def test_counts_of_one_are_singular(stores: dict[str, Path], tmp_path: Path) -> None:
    head = _headline(_text(build_report(stores["one"], tmp_path / "r.html")))
    assert "director: 1 woman, of the 1 person whose gender is known (100.0%); 0 people of unknown gender" in head
    assert "writer: 0 women, of the 1 person whose gender is known (0.0%); 1 person of unknown gender" in head
    assert "No estimate" not in head                    # someone of known gender: the estimate is shown
    assert not re.search(r"\b1 (women|people|credits|titles)\b", head)
    text = _text(build_report(stores["abstained"], tmp_path / "a.html"))
    assert "the best evidence for 1 person (all roles): 0 are counted as a woman or a man by it, 1 fell inside " \
           "the band and counts as unknown" in text


def test_counts_in_every_unit_agree_in_number(stores: dict[str, Path]) -> None:
    with crewparity.open(stores["one"]) as cp:
        words = {unit: {f.role: f.counts for f in overview_data(cp, kind=None, unit=unit).figures}
                 for unit in ("people", "credits", "titles")}
    assert words["credits"]["director"] == ("director: 1 credit held by a woman, of the 1 credit whose holder's "
                                            "gender is known (100.0%); 0 credits held by someone of unknown gender")
    assert words["titles"]["director"] == ("director: 1 title with a woman in the role, of the 1 title where that "
                                           "is known (100.0%); 0 with no woman known but someone of unknown gender")
    assert words["credits"]["writer"].endswith("; 1 credit held by someone of unknown gender")
    many = {"role": "editor", "women": 2, "men": 3, "nonbinary": 0, "unknown": 2, "share_known": 0.4}
    assert counts_text(many, "people") == ("editor: 2 women, of the 5 people whose gender is known (40.0%); "
                                           "2 people of unknown gender")
    assert counts_text(many, "credits").startswith("editor: 2 credits held by women, of the 5 credits")
