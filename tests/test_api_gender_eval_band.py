"""``gender_eval``'s abstain band is taken as the CLI's ``--band`` takes it: the text "LO,HI" as well as a pair
``(lo, hi)``, and a band that is not two probabilities is the CLI's one-line error (naming ``band=`` instead of
``--band``), not a ValueError from unpacking or a TypeError from comparing text with a float deep inside."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import crewparity
from crewparity import api
from tests.conftest import run_cli

LABELLED = ("name,gender\nAnna Foerster,f\nJohn Dahl,m\nUta Briesewitz,f\nMichael Rymer,m\n"
            "S. J. Clarkson,f\nDavid Petrarca,m\n")


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    path = tmp_path / "labelled.csv"
    path.write_text(LABELLED, encoding="utf-8")
    return path


def test_the_band_as_text_is_the_band_as_a_pair(labelled: Path) -> None:
    as_text = api.gender_eval(labelled, band="0.2,0.8")
    assert as_text.band == (0.2, 0.8)
    assert as_text.metrics_table().to_pylist() == api.gender_eval(labelled, band=(0.2, 0.8)).metrics_table().to_pylist()
    assert api.gender_eval(labelled, band=[0.2, 0.8]).band == (0.2, 0.8)
    assert api.gender_eval(labelled, band=" 0.2 , 0.8 ").band == (0.2, 0.8)


def test_the_api_and_the_cli_give_the_same_figures_for_a_band(labelled: Path) -> None:
    r = run_cli("gender", "eval", str(labelled), "--band", "0.2,0.8", "--format", "json")
    assert r.returncode == 0, r.stderr
    ours = api.gender_eval(labelled, band="0.2,0.8").metrics_table().to_pylist()[0]
    assert json.loads(json.dumps(ours, default=str)) == json.loads(r.stdout)["metrics"]


@pytest.mark.parametrize("band", ["0.2", "0.2,0.5,0.8", "a,b", "", (0.2,), (0.1, 0.5, 0.9), ("a", "b"), 0.2,
                                  (None, 0.8)])
def test_a_band_that_is_not_two_probabilities_is_the_cli_error(labelled: Path, band: object) -> None:
    with pytest.raises(crewparity.ArgumentError) as caught:
        api.gender_eval(labelled, band=band)  # type: ignore[arg-type]
    message = str(caught.value)
    assert message == f"band={band!r}: give two probabilities as LO,HI, e.g. 0.15,0.85", message
    assert caught.value.cli_message == f"--band {band!r}: give two probabilities as LO,HI, e.g. 0.15,0.85"
    assert "\n" not in message


def test_the_cli_error_is_unchanged(labelled: Path) -> None:
    r = run_cli("gender", "eval", str(labelled), "--band", "0.2")
    assert r.returncode == 1
    assert r.stderr == "crewparity: error: --band '0.2': give two probabilities as LO,HI, e.g. 0.15,0.85\n"


def test_a_band_out_of_order_is_the_same_error_from_text_and_pair(labelled: Path) -> None:
    with pytest.raises(crewparity.ArgumentError) as as_text:
        api.gender_eval(labelled, band="0.9,0.1")
    with pytest.raises(crewparity.ArgumentError) as as_pair:
        api.gender_eval(labelled, band=(0.9, 0.1))
    assert str(as_text.value) == str(as_pair.value)
    assert str(as_text.value).startswith("abstain band must satisfy 0 <= lo <= 0.5 <= hi <= 1")
    r = run_cli("gender", "eval", str(labelled), "--band", "0.9,0.1")
    assert r.returncode == 1 and r.stderr == f"crewparity: error: {as_text.value}\n"
