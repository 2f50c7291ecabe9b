"""The accuracy figures docs/gender.md reports on the two public benchmarks are the ones the evaluation gives.

A reviewer found the Santamaria-Mihaljevic interval in the docs (0.3223-0.3494) no longer matched what
`crewparity gender eval` printed (0.3215-0.3497): the estimator had changed, the page had not. This runs the
evaluation and looks for each figure, as the page writes it, in the page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crewparity.gender.evaluate import evaluate_file

DOC = Path(__file__).resolve().parents[1] / "docs" / "gender.md"


@pytest.mark.parametrize(("file", "name_col", "gender_col"), [
    ("santamaria_mihaljevic_2018.csv", "full_name", "gender"),
    ("sebo_2021_swiss_physicians.csv", "fname", "real_gender"),
])
def test_the_page_reports_the_measured_figures(shared_data: Path, file: str, name_col: str, gender_col: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    ev = evaluate_file(shared_data / "benchmarks" / file, name_col, gender_col)
    m, s = ev.metrics, ev.share
    for key in ("errorCoded", "errorCodedWithoutNA", "naCoded"):
        assert f"{m[key]:.4f}" in text, (file, key, m[key])
    assert re.search(rf"estimated\s+{s['share_expected']:.4f}\b", text), (file, s)
    # the interval as the page writes it: low–high with an en dash
    assert f"{s['ci_low']:.4f}–{s['ci_high']:.4f}" in text, (file, s)
