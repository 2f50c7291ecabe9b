"""``api.report`` takes ``crewparity report``'s options under the API's names (``kinds=``, ``year_from=``,
``fmt=``) with the command's defaults, and writes what the command writes: they were passed through as
``**options`` under the report module's own names, so ``kinds="movie"`` (what every other method takes) was a
TypeError, and its errors named ``--format`` in Python."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import crewparity
from crewparity import api
from tests.conftest import run_cli


def test_the_api_writes_the_cli_report(demo_db_names_only: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cli").mkdir()
    (tmp_path / "api").mkdir()
    r = run_cli("report", "--kind", "movie,tv_series", "--from", "2000", "--roles", "director,writer", "-o", "r.md",
                "--db", str(demo_db_names_only), cwd=tmp_path / "cli")
    assert r.returncode == 0, r.stderr
    monkeypatch.chdir(tmp_path / "api")
    path = api.report("r.md", demo_db_names_only, kinds=["movie", "tv_series"], year_from=2000,
                      roles=["director", "writer"])
    assert path == Path("r.md")

    def unstamped(text: str) -> str:  # the two runs may straddle a minute: the report says when it was written
        return re.sub(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\b", "(written)", text)

    api_text = path.read_text(encoding="utf-8")
    assert unstamped(api_text) != api_text  # the stamp is there, and nothing else is left out
    assert unstamped(api_text) == unstamped((tmp_path / "cli" / "r.md").read_text(encoding="utf-8"))


def test_the_output_defaults_to_report_html_as_in_the_cli(demo_db_names_only: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert api.report(db=demo_db_names_only) == Path("report.html")
    assert (tmp_path / "report.html").read_text(encoding="utf-8").lower().startswith("<!doctype html>")


@pytest.mark.parametrize(("kwargs", "python", "cli"), [
    ({"fmt": "pdf"}, "unknown report fmt='pdf'", "unknown report --format 'pdf'"),
    ({"year_from": 2020, "year_to": 2010}, "year_from=2020 is after year_to=2010", "--from 2020 is after --to 2010"),
    ({"kinds": "film"}, "unknown kind 'film'", "unknown kind 'film'"),
])
def test_bad_options_name_the_python_arguments(demo_db_names_only: Path, tmp_path: Path, kwargs: dict[str, object],
                                               python: str, cli: str) -> None:
    with pytest.raises(crewparity.ArgumentError) as caught:
        api.report(tmp_path / "r.html", demo_db_names_only, **kwargs)  # type: ignore[arg-type]
    assert python in str(caught.value) and "--" not in str(caught.value)
    assert caught.value.cli_message is not None and cli in caught.value.cli_message
    assert list(tmp_path.iterdir()) == []
