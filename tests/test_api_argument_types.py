"""Arguments the CLI's parser types are checked in Python too: a whole number where the CLI takes ``--season``,
``--from``, ``--min-episodes``, ``--limit`` or ``--birth-year``, text where it takes a QUERY or a study. A notebook
passing ``season="2"`` from a widget was told "has no season 2; seasons: 1, 2", ``min_episodes="5"`` got a
TypeError and ``query=None`` an AttributeError from deep inside; NumPy integers and floats such as 2017.0 (a
pandas column's minimum) keep working."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import crewparity
from crewparity import api


@pytest.mark.parametrize(("call", "message"), [
    (lambda cp: cp.series("Jessica Jones", season="2"), "season='2' is not a whole number"),
    (lambda cp: cp.series_episodes("Jessica Jones", season=True), "season=True is not a whole number"),
    (lambda cp: cp.series_rank("best", min_episodes="5"), "min_episodes='5' is not a whole number"),
    (lambda cp: cp.series_rank("best", limit=2.5), "limit=2.5 is not a whole number"),
    (lambda cp: cp.share(year_from="abc"), "year_from='abc' is not a whole number"),
    (lambda cp: cp.compare("dga", year_to="2019"), "year_to='2019' is not a whole number"),
    (lambda cp: cp.series(None), "query=None is not text; give a str"),
    (lambda cp: cp.series_episodes(2357547), "query=2357547 is not text; give a str"),
    (lambda cp: cp.compare(None), "study=None is not text; give a str"),
])
def test_wrong_types_are_argument_errors(demo_db_names_only: Path, call: Callable[[Any], object],
                                         message: str) -> None:
    with crewparity.open(demo_db_names_only) as cp, pytest.raises(crewparity.ArgumentError) as caught:
        call(cp)
    assert str(caught.value) == message


def test_module_functions_too() -> None:
    with pytest.raises(crewparity.ArgumentError, match="birth_year='1970' is not a whole number"):
        api.gender_guess(["Uta Briesewitz"], birth_year="1970")  # type: ignore[arg-type]


def test_numpy_integers_and_whole_floats_are_numbers(demo_db_names_only: Path) -> None:
    with crewparity.open(demo_db_names_only) as cp:
        assert cp.series("Jessica Jones", season=np.int64(2)).to_pylist() == \
            cp.series("Jessica Jones", season=2).to_pylist()
        assert cp.share(year_from=2000.0, year_to=np.int32(2020)).to_pylist() == \
            cp.share(year_from=2000, year_to=2020).to_pylist()
        # None where the argument has a default is still the default (the report passes sample=None)
        assert cp.share(sample=None).num_rows == cp.share().num_rows  # type: ignore[arg-type]
