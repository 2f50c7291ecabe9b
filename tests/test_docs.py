"""Every command and option has help text, and docs/cli.md is the current help (as sqlite-utils' test_docs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crewparity.cli.docs import help_text, render, walk

DOCS = Path(__file__).resolve().parents[1] / "docs"
COMMANDS = list(walk())


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_has_help(path: tuple[str, ...], command: object) -> None:
    assert (getattr(command, "help", None) or "").strip(), f"{' '.join(path)} has no help text"
    for param in getattr(command, "params", []):
        if getattr(param, "param_type_name", "") == "option" and param.name != "help":
            assert (param.help or "").strip(), f"{' '.join(path)} option {param.opts} has no help text"


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_is_documented(path: tuple[str, ...], command: object) -> None:
    assert f"## {' '.join(path)}\n" in (DOCS / "cli.md").read_text(encoding="utf-8")


def test_cli_reference_is_current() -> None:
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == render(), (
        "docs/cli.md is stale: run `python -m crewparity.cli.docs > docs/cli.md`")


def test_readme_opens_with_make_demo_and_make_test() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    head = readme[:600]
    assert "make demo" in head and "make test" in head


def test_rendering_help_leaves_the_environment_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    """``help_text`` renders at 100 columns through ``COLUMNS``; left set, it leaked into every process the test
    session started afterwards (``crewparity demo`` printed 100 columns wide in CI)."""
    import os

    monkeypatch.delenv("COLUMNS", raising=False)
    path, command = next(walk())
    assert "Usage" in help_text(path, command)
    assert "COLUMNS" not in os.environ
