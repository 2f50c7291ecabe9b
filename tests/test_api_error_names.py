"""The Python API's errors name its arguments (``unit=``, ``year_from=``), not the CLI's options (``--unit``,
``--from``): a review met "--from 2020 is after --to 2010" in a notebook. The CLI keeps its own wording."""

from __future__ import annotations

from pathlib import Path

import pytest

import crewparity
from crewparity.errors import in_python_names
from tests.conftest import run_cli


@pytest.mark.parametrize(("kwargs", "python", "cli_words"), [
    ({"unit": "persons"}, "unknown unit='persons'", "--unit"),
    ({"year_from": 2020, "year_to": 2010}, "year_from=2020 is after year_to=2010", "--from"),
    ({"by": "weekday"}, "unknown by='weekday'", "--by"),
])
def test_share_errors_name_the_python_arguments(demo_db_names_only: Path, kwargs: dict[str, object], python: str,
                                                cli_words: str) -> None:
    with crewparity.open(demo_db_names_only) as cp, pytest.raises(crewparity.ArgumentError) as caught:
        cp.share(**kwargs)  # type: ignore[arg-type]
    assert python in str(caught.value) and "--" not in str(caught.value)
    assert caught.value.cli_message is not None and cli_words in caught.value.cli_message


def test_series_rank_errors_too(demo_db_names_only: Path) -> None:
    with crewparity.open(demo_db_names_only) as cp, pytest.raises(crewparity.ArgumentError) as caught:
        cp.series_rank("best", min_episodes=0)
    assert str(caught.value).startswith("min_episodes must be at least 1")


def test_the_cli_keeps_its_options(demo_db_names_only: Path) -> None:
    r = run_cli("series", "--rank", "best", "--min-episodes", "0", "--db", str(demo_db_names_only))
    assert r.returncode != 0 and "--min-episodes must be at least 1" in r.stderr


@pytest.mark.parametrize(("cli", "python"), [
    ("--kind 'film' is not a kind", "kinds='film' is not a kind"),
    ("--undecided needs --rank best|worst", "undecided needs rank best|worst"),
    ("--include-pilots keeps them", "include_pilots keeps them"),
])
def test_option_names_become_argument_names(cli: str, python: str) -> None:
    assert in_python_names(cli) == python
