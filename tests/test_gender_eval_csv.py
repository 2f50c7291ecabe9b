"""``gender eval --format csv`` holds the headline figures and the curve, as the json does.

A review found the csv (with the curve on, the default) held the curve alone: the file, n, the metrics at the
chosen band and share_error, the figures the command is run for, were missing. Now it is one table, a ``part``
column saying which row is which: the headline row first (``part`` headline, the chosen band), then a row per
band of the curve; with ``--no-curve`` the headline row alone, in the same columns.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

ROWS = "full,g\nJennifer Lynch,f\nBob Gale,m\nS. J. Clarkson,f\nAndrea Arnold,female\nNo Label,\nLeslie Jones,f\n"
METRICS = ("errorCoded", "errorCodedWithoutNA", "naCoded", "errorGenderBias", "ff", "fm", "mf", "mm", "fu", "mu")


def _run(path: Path, *args: str) -> str:
    r = run_cli("gender", "eval", str(path), "--name-col", "full", "--gender-col", "g", *args)
    assert r.returncode == 0, r.stderr
    return r.stdout


def _num(v: str) -> float | None:
    return None if v == "" else float(v)


def test_csv_has_the_headline_row_then_the_curve(tmp_path: Path) -> None:
    path = tmp_path / "labelled.csv"
    path.write_text(ROWS, encoding="utf-8")
    js = json.loads(_run(path, "--format", "json"))
    rows = list(csv.DictReader(io.StringIO(_run(path, "--format", "csv"))))
    assert [r["part"] for r in rows] == ["headline"] + ["curve"] * len(js["curve"])
    head, curve = rows[0], rows[1:]
    m = js["metrics"]
    assert head["file"] == m["file"] == "labelled.csv" and int(head["n"]) == m["n"] == 5
    assert int(head["skipped_truth"]) == js["skipped_truth"] == 1
    assert head["band"] == m["band"] == "0.1-0.9" and (_num(head["lo"]), _num(head["hi"])) == (0.1, 0.9)
    for k in METRICS:
        assert _num(head[k]) == pytest.approx(m[k]), k
    for k in ("share_true", "share_expected", "ci_low", "ci_high", "share_error"):
        assert k in m and _num(head[k]) == pytest.approx(m[k]), k
        assert all(r[k] == "" for r in curve), k  # the share estimate is the headline's, not a band's
    for r, c in zip(curve, js["curve"], strict=True):
        assert (_num(r["lo"]), _num(r["hi"])) == (c["lo"], c["hi"]) and r["band"] == f"{c['lo']:g}-{c['hi']:g}"
        assert r["file"] == "labelled.csv" and r["n"] == "5"
        for k in METRICS:
            assert _num(r[k]) == pytest.approx(c[k]), k
    # the headline band is also a point of the curve: the same figures there
    same = next(r for r in curve if r["band"] == "0.15-0.85")
    assert all(same[k] == head[k] for k in METRICS)


def test_no_curve_csv_is_the_headline_row_in_the_same_columns(tmp_path: Path) -> None:
    path = tmp_path / "labelled.csv"
    path.write_text(ROWS, encoding="utf-8")
    with_curve = list(csv.DictReader(io.StringIO(_run(path, "--format", "csv"))))
    alone = list(csv.DictReader(io.StringIO(_run(path, "--format", "csv", "--no-curve"))))
    assert alone == with_curve[:1]
    js = json.loads(_run(path, "--format", "json", "--no-curve"))
    assert js["curve"] is None and js["metrics"]["n"] == 5


def test_docs_say_what_the_csv_holds() -> None:
    text = " ".join((Path(__file__).parents[1] / "docs" / "gender.md").read_text(encoding="utf-8").split())
    assert "`gender eval --format csv`" in text and "`part`" in text
