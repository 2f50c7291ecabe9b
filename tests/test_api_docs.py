"""docs/api.md is executable: every ```python block runs, in order, in a folder with the demo store.

Why: documentation examples rot silently; running them keeps the API page true (as sqlite-utils does for
its CLI docs).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO

API_DOC = REPO / "docs" / "api.md"


def _blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", API_DOC.read_text(encoding="utf-8"), flags=re.S)


def test_api_doc_has_examples() -> None:
    assert len(_blocks()) >= 4


def test_api_doc_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from crewparity.demo import build_demo

    build_demo(tmp_path / "demo.duckdb", report=None)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CREWPARITY_DB", raising=False)
    namespace: dict[str, object] = {"__name__": "api_doc"}
    for i, block in enumerate(_blocks(), 1):
        try:
            exec(compile(block, f"docs/api.md block {i}", "exec"), namespace)  # noqa: S102
        except Exception as err:  # pragma: no cover - the failure message is the point
            pytest.fail(f"docs/api.md block {i} failed: {type(err).__name__}: {err}")
    assert (tmp_path / "mine.duckdb").is_file()
    assert (tmp_path / "report.md").is_file()
