"""The README's word on `--db` is true of the commands: it names exactly the commands that take no store option.

Why: it said "Every command takes `--db FILE`", but ``synth`` has no ``--db`` (it writes only the dumps it is asked
for), so ``crewparity synth out --db x.duckdb`` failed as the README promised it would work; ``gender eval`` had none
either until it learnt to evaluate a store's adapted model, and this test caught the README's stale word then."""

from __future__ import annotations

import re
from pathlib import Path

from crewparity.cli.docs import walk

README = Path(__file__).resolve().parents[1] / "README.md"


def _commands_without_db() -> set[str]:
    out = set()
    for path, command in walk():
        if getattr(command, "commands", None):
            continue   # a group: its commands are checked
        opts = {o for p in command.params for o in getattr(p, "opts", [])}
        if "--db" not in opts:
            out.add(" ".join(path[1:]))
    return out


def test_readme_does_not_claim_every_command_takes_db() -> None:
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert "Every command takes `--db" not in text


def test_readme_names_the_commands_without_db() -> None:
    text = " ".join(README.read_text(encoding="utf-8").split())
    said = re.search(r"Every command but ((?:`[^`]+`(?:, | and )?)+) \([^)]*\) takes `--db FILE`", text)
    assert said, "the README should say which commands take no --db"
    named = set(re.findall(r"`([^`]+)`", said.group(1)))
    assert named == _commands_without_db()
