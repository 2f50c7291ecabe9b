"""The Python API's ``gender_guess``, ``gender_eval`` and ``gender_explain`` take their arguments as the CLI's
``gender`` commands do: one name given as a string is that name (it was read letter by letter: 14 rows for
"Uta Briesewitz"), ``gender_eval``'s columns default to ``name`` and ``gender`` like ``--name-col`` and
``--gender-col`` (they were required), and their errors name the Python arguments (``birth_year=1700``, not
``--birth-year 1700``), keeping the CLI's wording in ``cli_message``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import crewparity
from crewparity import api
from tests.conftest import run_cli


def test_one_name_as_a_string_is_one_row() -> None:
    assert api.gender_guess("Uta Briesewitz").to_pylist() == api.gender_guess(["Uta Briesewitz"]).to_pylist()
    assert api.gender_guess("Uta Briesewitz").num_rows == 1


def test_eval_reads_the_cli_default_columns(tmp_path: Path) -> None:
    labelled = tmp_path / "labelled.csv"
    labelled.write_text("name,gender\nAnna Foerster,f\nJohn Dahl,m\nUta Briesewitz,f\nMichael Rymer,m\n"
                        "S. J. Clarkson,f\nDavid Petrarca,m\n", encoding="utf-8")
    r = run_cli("gender", "eval", str(labelled), "--format", "json")
    assert r.returncode == 0, r.stderr
    ours = api.gender_eval(labelled).metrics_table().to_pylist()[0]
    assert json.loads(json.dumps(ours, default=str)) == json.loads(r.stdout)["metrics"]


def test_errors_name_the_python_arguments() -> None:
    with pytest.raises(crewparity.ArgumentError) as caught:
        api.gender_guess(["Uta Briesewitz"], birth_year=1700)
    assert str(caught.value).startswith("birth_year=1700 is not a plausible") and "--" not in str(caught.value)
    assert caught.value.cli_message is not None
    assert caught.value.cli_message.startswith("--birth-year 1700 is not a plausible")


def test_the_cli_keeps_its_option_names() -> None:
    r = run_cli("gender", "guess", "Uta Briesewitz", "--birth-year", "1700")
    assert r.returncode == 1 and r.stderr == ("crewparity: error: --birth-year 1700 is not a plausible birth year "
                                              "(1800-2100)\n")
