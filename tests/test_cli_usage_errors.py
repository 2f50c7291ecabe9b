"""A wrong flag, a bad value or a missing argument is one `crewparity: error:` line naming the command and where
its options are listed, as every other bad input is. Click printed three lines ("Usage: python -m crewparity share
[OPTIONS]", "Try ... for help.", "Error: No such option: --bogus"), which a script or a log matching
`crewparity: error:` missed. Usage errors keep click's exit code, 2."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli


@pytest.mark.parametrize("args,line", [
    (["share", "--bogus"],
     "crewparity: error: share: no such option: --bogus; crewparity share --help lists the options"),
    (["share", "--bi", "role"],
     "crewparity: error: share: no such option: --bi (Possible options: --by, --db, --unit); "
     "crewparity share --help lists the options"),
    (["share", "--from", "abc"],
     "crewparity: error: share: invalid value for '--from': Input should be a valid integer, unable to parse string "
     "as an integer; crewparity share --help lists the options"),
    (["series", "--rank"],
     "crewparity: error: series: option '--rank' requires an argument; crewparity series --help lists the options"),
    (["gender", "guess", "Anna", "-o", "g.csv"],
     "crewparity: error: gender guess: no such option: -o; crewparity gender guess --help lists the options"),
    (["gender", "guess", "--input"],
     "crewparity: error: gender guess: option '--input' requires an argument; crewparity gender guess --help lists "
     "the options"),
    (["ingest", "imdb"],
     "crewparity: error: ingest imdb: missing argument 'folder'; crewparity ingest imdb --help lists the options"),
    (["nope"], "crewparity: error: no such command 'nope'; crewparity --help lists the commands"),
    (["gender", "frob"], "crewparity: error: gender: no such command 'frob'; crewparity gender --help lists the commands"),
    # an option of the top group or a sub-group, parsed before any command runs
    (["--bogus"], "crewparity: error: no such option: --bogus; crewparity --help lists the options"),
    (["gender", "--bogus"],
     "crewparity: error: gender: no such option: --bogus; crewparity gender --help lists the options"),
])
def test_a_usage_error_is_one_line(args: list[str], line: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [line]
    assert result.stdout == ""


def test_a_group_without_a_command_still_prints_its_help() -> None:
    for args in (["gender"], []):
        result = run_cli(*args)
        assert "Usage:" in result.stdout + result.stderr and "crewparity: error" not in result.stderr


def test_bad_input_stays_exit_code_1() -> None:
    result = run_cli("share", "--unit", "persons", "--db", "nowhere.duckdb")
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["crewparity: error: unknown --unit 'persons'; allowed: credits, people, titles"]
