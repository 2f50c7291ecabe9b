"""An empty comma list (``''``, ``','``, ``' , '``) given to ``--roles``, ``--kind`` or ``--by`` (and ``--metric``)
is an error naming the allowed values, in the CLI and in the Python API alike; and a ``roles=`` (``kinds=``, ``by=``)
of the wrong type is an error naming the argument, not a bare TypeError from deep inside.

Why: ``crewparity share --kind ''`` was read as every kind and ``--by ''`` as no grouping: a script whose variable
was unset got a table of other figures than it asked for, with nothing said. ``cp.share(roles=5)`` raised
"TypeError: 'int' object is not iterable" from the parser."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import crewparity
from tests.conftest import run_cli

EMPTY = ["", ",", ",,", " , "]


def _one_error_line(result: Any) -> str:
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("crewparity: error: ")
    return lines[0]


@pytest.mark.parametrize("value", EMPTY)
@pytest.mark.parametrize(("args", "said"), [
    (["share", "--kind"], ["--kind", "movie", "tv_series", "all"]),
    (["share", "--by"], ["--by", "year", "decade", "role", "none"]),
    (["share", "--roles"], ["--roles", "director", "writer", "cinematographer"]),
    (["distribution", "--kind"], ["--kind", "movie", "tv_series"]),
    (["distribution", "--roles"], ["--roles", "director", "editor"]),
    (["chart", "trend", "-o", "t.svg", "--roles"], ["--roles", "director"]),
    (["report", "--kind"], ["--kind", "movie", "tv_series"]),
])
def test_an_empty_list_option_is_an_error(tmp_path: Path, args: list[str], said: list[str], value: str) -> None:
    """Refused before any store is opened: the one named here does not exist, and is not made."""
    db = tmp_path / "none.duckdb"
    line = _one_error_line(run_cli(*args, value, "--db", str(db), cwd=tmp_path))
    assert "is empty" in line
    for word in said:
        assert word in line, line
    assert not db.exists()


@pytest.mark.parametrize("value", ["", ",", " , "])
def test_distribution_by_empty_is_an_error(tmp_path: Path, value: str) -> None:
    db = tmp_path / "none.duckdb"
    line = _one_error_line(run_cli("distribution", "--by", value, "--db", str(db), cwd=tmp_path))
    assert "--by" in line and "none" in line and "year" in line
    assert not db.exists()


@pytest.mark.parametrize("value", ["", ",", " , "])
def test_chart_compare_metric_empty_is_an_error(tmp_path: Path, value: str) -> None:
    db = tmp_path / "none.duckdb"
    line = _one_error_line(run_cli("chart", "compare", "dga", "-o", "c.svg", "--metric", value, "--db", str(db),
                                   cwd=tmp_path))
    assert "--metric" in line and "people" in line and "no-woman" in line
    assert not db.exists()


def test_a_trailing_comma_is_still_read(demo_db_names_only: Path) -> None:
    """Not empty: ``director,`` is the director role (an empty item beside real ones is no surprise)."""
    with crewparity.open(demo_db_names_only) as cp:
        assert cp.share(roles="director,", by="role,").to_pylist() == cp.share(roles="director", by="role").to_pylist()


@pytest.mark.parametrize(("call", "words"), [
    (lambda cp: cp.share(kinds=[""]), ["kinds is empty", "movie", "all"]),
    (lambda cp: cp.share(kinds=""), ["kinds is empty", "movie"]),
    (lambda cp: cp.share(kinds=" , "), ["kinds is empty", "movie"]),
    (lambda cp: cp.share(kinds=[]), ["kinds is empty", "movie"]),
    (lambda cp: cp.share(by=""), ["by is empty", "year", "none"]),
    (lambda cp: cp.share(by=[""]), ["by is empty", "year", "none"]),
    (lambda cp: cp.share(by=[]), ["by is empty", "year", "none"]),
    (lambda cp: cp.share(roles=""), ["roles is empty", "director"]),
    (lambda cp: cp.share(roles=[" ", ""]), ["roles is empty", "director"]),
    (lambda cp: cp.distribution(kinds=",,"), ["kinds is empty", "movie"]),
    (lambda cp: cp.distribution(roles=","), ["roles is empty", "director"]),
    (lambda cp: cp.distribution(by=""), ["by is empty", "none", "year"]),
    (lambda cp: cp.no_woman(by=" "), ["by is empty", "none", "year"]),
    (lambda cp: cp.no_woman(kinds=[""]), ["kinds is empty", "movie"]),
])
def test_the_python_api_refuses_empty_lists(demo_db_names_only: Path, call: Callable[[Any], object],
                                            words: list[str]) -> None:
    with crewparity.open(demo_db_names_only) as cp, pytest.raises(ValueError) as caught:
        call(cp)
    assert isinstance(caught.value, crewparity.ArgumentError)
    for word in words:
        assert word in str(caught.value), str(caught.value)
    assert "--" not in str(caught.value)   # the API's argument names, not the CLI's options


@pytest.mark.parametrize(("call", "words"), [
    (lambda cp: cp.share(roles=5), ["roles=5", "director", "comma-separated"]),
    (lambda cp: cp.share(roles=[5]), ["roles", "5", "director"]),
    (lambda cp: cp.share(roles=b"director"), ["roles=b'director'", "director"]),
    (lambda cp: cp.share(kinds=7), ["kinds=7", "movie"]),
    (lambda cp: cp.share(by=1.5), ["by=1.5", "year"]),
    (lambda cp: cp.distribution(roles=True), ["roles=True", "director"]),
])
def test_a_wrong_type_names_the_argument(demo_db_names_only: Path, call: Callable[[Any], object],
                                         words: list[str]) -> None:
    with crewparity.open(demo_db_names_only) as cp, pytest.raises((TypeError, ValueError)) as caught:
        call(cp)
    assert isinstance(caught.value, crewparity.ArgumentError)
    for word in words:
        assert word in str(caught.value), str(caught.value)


def test_lists_and_tuples_still_work(demo_db_names_only: Path) -> None:
    with crewparity.open(demo_db_names_only) as cp:
        want = cp.share(roles="director,writer", by="role", kinds="movie").to_pylist()
        assert cp.share(roles=["director", "writer"], by=["role"], kinds=("movie",)).to_pylist() == want
