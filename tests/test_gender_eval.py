"""The evaluation metrics (Santamaria & Mihaljevic 2018) on counts worked out by hand, the curve, the band rule."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from crewparity.errors import ArgumentError, InputError
from crewparity.gender import evaluate


def test_metrics_by_hand() -> None:
    # ff=3, fm=1, fu=1, mf=2, mm=4, mu=1, plus one row without a usable label
    truth = ["f"] * 5 + ["male"] * 7 + ["?"]
    calls = ["woman"] * 3 + ["man", "unknown"] + ["woman"] * 2 + ["man"] * 4 + [None] + ["woman"]
    m = evaluate.metrics(truth, calls)
    assert (m["ff"], m["fm"], m["fu"], m["mf"], m["mm"], m["mu"]) == (3, 1, 1, 2, 4, 1)
    assert m["errorCoded"] == pytest.approx((1 + 2 + 1 + 1) / 12)
    assert m["errorCodedWithoutNA"] == pytest.approx((1 + 2) / 10)
    assert m["naCoded"] == pytest.approx(2 / 12)
    assert m["errorGenderBias"] == pytest.approx((2 - 1) / 10)  # more men called women: positive
    with pytest.raises(ArgumentError):
        evaluate.metrics(["f"], [])


def test_curve_recalls_the_same_probabilities() -> None:
    truth = ["woman", "woman", "man", "man", "woman"]
    p = [0.95, 0.7, 0.3, 0.02, None]
    c = evaluate.curve(truth, p, lows=(0.5, 0.25, 0.05)).to_pylist()
    assert [r["lo"] for r in c] == [0.5, 0.25, 0.05]
    assert (c[0]["ff"], c[0]["mm"], c[0]["fu"]) == (2, 2, 1)  # everything called but the unseen name
    assert (c[1]["ff"], c[1]["mm"], c[1]["fu"], c[1]["mu"]) == (1, 1, 2, 1)
    assert (c[2]["ff"], c[2]["mm"]) == (1, 1)
    assert all(r["errorCodedWithoutNA"] == 0 for r in c)


def test_choose_band_takes_the_narrowest_band_under_the_target() -> None:
    t = pa.Table.from_pylist([
        {"lo": 0.5, "hi": 0.5, "errorCodedWithoutNA": 0.03},
        {"lo": 0.2, "hi": 0.8, "errorCodedWithoutNA": 0.012},
        {"lo": 0.15, "hi": 0.85, "errorCodedWithoutNA": 0.009},
        {"lo": 0.1, "hi": 0.9, "errorCodedWithoutNA": 0.005},
    ])
    assert evaluate.choose_band(t, 0.01) == (0.15, 0.85)
    assert evaluate.choose_band(t, 0.001) == (0.1, 0.9)  # none under: the lowest error


def test_evaluate_names_reports_share_error() -> None:
    ev = evaluate.evaluate_names(["Jennifer Lynch", "Bob Gale", "Deborah Chow", "S. J. Clarkson"],
                                 ["f", "m", "f", "m"])
    assert ev.evaluated == 4 and ev.skipped_truth == 0
    assert ev.metrics["errorCodedWithoutNA"] == 0 and ev.metrics["mu"] == 1
    if ev.share:  # the estimator is present
        assert ev.share["share_true"] == 0.5
    row = ev.metrics_table().to_pylist()[0]
    assert row["n"] == 4 and row["band"]


def test_a_label_file_with_an_unknown_label_names_its_line(tmp_path: Path) -> None:
    """Labels are the one list of gender spellings; another (a typo) was silently left out of the figures. The
    line is the file's, past a blank line and a quoted name over two lines."""
    f = tmp_path / "labels.csv"
    f.write_text('name,gender\nAnn Lee,F\n\n"Bob\nRay",male\nCy Dee,nonbinary\nDee Poe,u\nEd Fox,femal\n')
    with pytest.raises(InputError) as info:
        evaluate.evaluate_file(f, "name", "gender")
    assert str(info.value).startswith(f"{f}:8: column gender: 'femal' is not an allowed gender; expected woman, man")
    f.write_text('name,gender\nAnn Lee,F\n\n"Bob\nRay",male\nCy Dee,nonbinary\nDee Poe,u\nEd Fox,\n')
    ev = evaluate.evaluate_file(f, "name", "gender")
    assert (ev.rows, ev.evaluated, ev.skipped_truth) == (5, 2, 3)
