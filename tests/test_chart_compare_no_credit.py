"""`chart compare`'s no-woman figures say out of how many titles of the sample theirs is counted: "22 of the 40
titles in the sample have a director credit", not only "ours over 22 titles with the credit".

Why: a no-woman share is over the titles with a credit in the role; the sample's titles without one (compare's
``no_credit``) are in no figure. The chart travels without the table, and "22 titles" alone did not say that the
sample had 40 and 18 of them no director credit: a reader took 22 for the sample."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crewparity.metrics.compare import compare
from crewparity.report import charts
from crewparity.store import open_store
from tests.conftest import run_cli, spec_dicts, synth_store

YEARS = (2016, 2018)


def _text(value: Any) -> str:
    return " ".join(value) if isinstance(value, list) else str(value or "")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth_store(tmp_path_factory, "chart_compare_no_credit", seed=3)


@pytest.fixture(scope="module")
def rows(db: Path) -> list[dict[str, Any]]:
    with open_store(db, read_only=True) as st:
        table = compare(st, "celluloid_ceiling", *YEARS)
    out = [r for r in table.to_pylist() if r["metric"] == "pct_titles_with_no_woman_in_role"
           and r["crewparity"] is not None]
    assert out, "the synthetic store has no no-woman figure of ours in these years"
    assert any(r["no_credit"] for r in out), "no title of the sample lacks a credit: nothing to show"
    return out


def _span(values: list[int]) -> str:
    return f"{min(values)}" if min(values) == max(values) else f"{min(values)}-{max(values)}"


def _expected(rows: list[dict[str, Any]], role: str) -> str:
    mine = [r for r in rows if r["role"] == role]
    ns = [r["titles_with_role"] for r in mine]
    totals = [r["titles_with_role"] + r["no_credit"] for r in mine]
    assert totals == [r["titles"] for r in mine]  # the sample: those with a credit and those without
    credit = f"{'an' if role[0] in 'aeiou' else 'a'} {role.replace('_', ' ')} credit"
    if len(mine) == 1:
        return f"{ns[0]} of the {totals[0]} titles in the sample {'have' if ns[0] != 1 else 'has'} {credit}"
    return f"{_span(ns)} of the {_span(totals)} titles a year in the sample have {credit}"


def test_each_panel_says_how_many_of_the_sample_have_the_credit(rows: list[dict[str, Any]]) -> None:
    spec = charts.to_spec(charts.compare_chart(rows, max_panels=None))
    panels = {_text(p["title"]["text"]): _text(p["title"].get("subtitle"))
              for p in next(d["concat"] for d in spec_dicts(spec) if "concat" in d)}
    roles = sorted({r["role"] for r in rows})
    assert len(panels) == len(roles) > 1
    for role in roles:
        name = charts.metric_words("pct_titles_with_no_woman_in_role", role)
        assert panels[name] == f"ours: {_expected(rows, role)}", (role, panels[name])


def test_a_lone_panel_says_it_in_the_subtitle(db: Path, rows: list[dict[str, Any]], tmp_path: Path) -> None:
    [one] = [r for r in rows if r["role"] == "director" and r["no_credit"]][:1]
    year = one["year"]
    spec = charts.to_spec(charts.compare_chart([one]))
    words = " ".join(_text(t.get("subtitle")) for d in spec_dicts(spec) if isinstance(t := d.get("title"), dict))
    expected = _expected([one], "director")
    assert one["titles_with_role"] < one["titles"]
    assert f"Ours rests on the titles with a credit in the role: {expected}." in words, words
    # the CLI's chart says the same
    out = tmp_path / "d.svg"
    r = run_cli("chart", "compare", "celluloid_ceiling", "--roles", "director", "--metric", "no-woman", "--from",
                str(year), "--to", str(year), "-o", str(out), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert expected in out.read_text(encoding="utf-8")


def test_rows_without_no_credit_keep_the_count_alone() -> None:
    """A table from before compare had no_credit (or another caller's rows): the count of titles, as before."""
    row = {"study": "celluloid_ceiling", "year": 2017, "period": "2017", "role": "director",
           "metric": "pct_titles_with_no_woman_in_role", "published": 0.8, "crewparity": 0.7,
           "estimate": "no_known_woman", "counted": 22, "titles": 40, "titles_with_role": 22}
    words = " ".join(_text(t.get("subtitle")) for d in spec_dicts(charts.to_spec(charts.compare_chart([row])))
                     if isinstance(t := d.get("title"), dict))
    assert "Ours rests on 22 titles with a credit in the role." in words
    assert "of the 40" not in words
