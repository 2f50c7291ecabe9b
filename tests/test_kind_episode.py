"""`--kind tv_episode` is refused with the reason: an episode's credits count under its series, so the kind selected
nothing (an empty table with exit 0). The error says to use tv_series / tv_mini_series, and the allowed list no
longer offers tv_episode."""

from __future__ import annotations

from pathlib import Path

import pytest

from crewparity.errors import ArgumentError
from crewparity.metrics.samples import KINDS, SCOPE_KINDS, parse_kinds
from tests._reliability import assert_one_line_error
from tests.conftest import run_cli


@pytest.mark.parametrize("spelling", ["tv_episode", "tvEpisode", "movie,tv_episode", " TV Episode "])
def test_parse_kinds_refuses_the_episode_kind(spelling: str) -> None:
    with pytest.raises(ArgumentError) as info:
        parse_kinds(spelling)
    message = str(info.value)
    assert "episodes count under their series" in message and "use tv_series or tv_mini_series" in message
    allowed = message.split("allowed: ", 1)[1].split(", ")
    assert allowed == list(SCOPE_KINDS) and "tv_episode" not in allowed


def test_every_other_kind_is_still_taken() -> None:
    assert parse_kinds(",".join(SCOPE_KINDS)) == list(SCOPE_KINDS)
    assert set(KINDS) - set(SCOPE_KINDS) == {"tv_episode"}


def test_an_unknown_kind_lists_the_kinds_without_tv_episode() -> None:
    with pytest.raises(ArgumentError, match="unknown kind 'film'") as info:
        parse_kinds("film")
    assert "tv_episode" not in str(info.value)


@pytest.mark.parametrize("command", [("share", "--by", "none"), ("distribution",)])
def test_the_cli_says_why_in_one_line(command: tuple[str, ...], sample_store: Path) -> None:
    result = run_cli(*command, "--kind", "tv_episode", "--db", str(sample_store))
    line = assert_one_line_error(result, "--kind tv_episode", "episodes count under their series",
                                 "use tv_series or tv_mini_series")
    assert "tv_episode," not in line.split("allowed:", 1)[1]


def test_the_error_comes_before_the_store_is_opened(tmp_path: Path) -> None:
    result = run_cli("share", "--kind", "tv_episode", "--db", str(tmp_path / "none.duckdb"))
    assert_one_line_error(result, "episodes count under their series")
