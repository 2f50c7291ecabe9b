"""``api.gender_estimate`` takes ``crewparity gender estimate``'s options (``no_info``, ``target``, ``db``) and gives
the same figures: docs/api.md promised the list's own interval (``--target list``) from Python, but the function
had no such argument (TypeError), nor the store-adapted model of ``--db``, so a notebook got other numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import crewparity
from crewparity import api
from tests.conftest import run_cli

NAMES = ["Anna Foerster", "Uta Briesewitz", "John Dahl", "Michael Rymer", "S. J. Clarkson", "Jennifer Getzinger"]
FIELDS = ("n", "women", "men", "unknown", "share_known", "share_expected", "ci_low", "ci_high", "no_info")


@pytest.mark.parametrize("options", [
    {"target": "list"},
    {"no_info": "bounds"},
    {"target": "list", "no_info": "bounds", "db": True},
    {"birth_year": 1970, "db": True},
])
def test_the_api_gives_the_cli_figures(demo_db_names_only: Path, tmp_path: Path, options: dict[str, object]) -> None:
    names = tmp_path / "names.txt"
    names.write_text("\n".join(NAMES) + "\n", encoding="utf-8")
    kwargs = {k: (str(demo_db_names_only) if k == "db" else v) for k, v in options.items()}
    flags = [x for k, v in kwargs.items() for x in (f"--{k.replace('_', '-')}", str(v))]
    r = run_cli("gender", "estimate", "--input", str(names), *flags, "--format", "json")
    assert r.returncode == 0, r.stderr
    cli = json.loads(r.stdout)[0]
    est = api.gender_estimate(NAMES, **kwargs).as_dict()  # type: ignore[arg-type]
    assert {k: est[k] for k in FIELDS} == pytest.approx({k: cli[k] for k in FIELDS})


def test_the_list_target_is_narrower_than_the_rate() -> None:
    rate, within = api.gender_estimate(NAMES), api.gender_estimate(NAMES, target="list")
    assert within.share_expected == pytest.approx(rate.share_expected)
    assert within.ci_high - within.ci_low < rate.ci_high - rate.ci_low


@pytest.mark.parametrize(("kwargs", "python", "cli"), [
    ({"target": "group"}, "unknown target='group'; allowed: rate, list", "--target"),
    ({"no_info": "drop"}, "unknown no_info='drop'; allowed: mar, bounds", "--no-info"),
    ({"birth_year": 1700}, "birth_year=1700 is not a plausible birth year", "--birth-year"),
])
def test_bad_options_are_argument_errors_in_python_names(kwargs: dict[str, object], python: str, cli: str) -> None:
    with pytest.raises(crewparity.ArgumentError) as caught:
        api.gender_estimate(NAMES, **kwargs)  # type: ignore[arg-type]
    assert python in str(caught.value) and "--" not in str(caught.value)
    assert caught.value.cli_message is not None and cli in caught.value.cli_message


def test_genders_of_another_length_are_an_argument_error() -> None:
    with pytest.raises(crewparity.ArgumentError, match="genders: 1 given for 6 names"):
        api.gender_estimate(NAMES, ["woman"])
