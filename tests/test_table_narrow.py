"""Tables in a terminal of 70-110 columns: figures whole on one line, headers broken only between words.

A user review found ``share`` at 80 columns printing "share_if_unknown_women" split mid-word and numbers over
two lines ("20.7%-1" / "00.0%"): when the narrowest layout was still too wide, rich was left to squeeze every
column. Now such a table is folded into parts, each repeating the columns that name a row. Each command is
run in-process with a terminal of each width; its cells are compared with the same command's wide table.
"""

from __future__ import annotations

import importlib
import io
import re
from pathlib import Path

import pyarrow as pa
import pytest
from rich.console import Console
from typer.testing import CliRunner

from crewparity import output
from crewparity.cli import app

cli_app = importlib.import_module("crewparity.cli.app")  # the module (crewparity.cli.app is also the Typer app)

WIDTHS = [70, 80, 100, 110]
COMMANDS = [
    ("share",),
    ("share", "--by", "title", "--from", "2015"),
    ("share", "--by", "year,genre", "--from", "2018"),
    ("share", "--by", "role", "--unit", "credits"),
    ("distribution", "--by", "year", "--from", "2019"),
    ("compare", "celluloid_ceiling", "--from", "2022"),
    ("series", "Jessica Jones"),
    ("credits", "Jessica Jones", "--roles", "all"),
]
#: a printed figure: a count, a percentage, a range of two, a difference in points
FIGURE = re.compile(r"[-+]?\d[\d.,]*%?(?:-[\d.,]+%?)?(?: pts)?")


@pytest.fixture(scope="module")
def demo_db(demo_db_names_only: Path) -> Path:
    return demo_db_names_only


def _run(args: tuple[str, ...], db: Path, width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=width, color_system=None, soft_wrap=True)
    monkeypatch.setattr(cli_app, "stdout", console)
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return buffer.getvalue()


def _table_lines(text: str) -> list[str]:
    """The lines of the tables (a caption is text the terminal wraps, as any other line)."""
    return [line for line in text.splitlines() if line[:1] in ("┏", "┃", "┡", "│", "└")]


def _body_cells(text: str) -> list[str]:
    return [c.strip() for line in text.splitlines() if line.startswith("│") for c in line.split("│")[1:-1]]


def _header_words(text: str) -> set[str]:
    """The words of the headers (a table that fits is printed as it is, its underscores kept)."""
    return {w for line in text.splitlines() if line.startswith("┃") for c in line.split("┃")[1:-1]
            for w in c.replace("_", " ").split()}


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_narrow_terminals_keep_figures_and_header_words_whole(args: tuple[str, ...], demo_db: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    wide = _run(args, demo_db, 1000, monkeypatch)
    whole = set(_body_cells(wide))
    words = _header_words(wide)
    assert whole and words
    for width in WIDTHS:
        text = _run(args, demo_db, width, monkeypatch)
        assert "…" not in text, width
        assert all(len(line) <= width for line in _table_lines(text)), width
        for cell in _body_cells(text):
            if FIGURE.fullmatch(cell):
                assert cell in whole, (width, cell)  # a figure cut over two lines is no cell of the wide table
        printed = _header_words(text)
        assert printed <= words, (width, printed - words)  # no header broken inside a word
        assert words <= printed, (width, words - printed)  # and no column left out


def test_the_demo_share_table_at_80_columns_is_folded_not_squeezed(demo_db: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The reviewed case: the year-by-year share table at 80 columns. It comes as parts under one another,
    every part naming the year of each row, every figure on one line."""
    text = _run(("share",), demo_db, 80, monkeypatch)
    assert "(continued, part 2 of" in text
    years = [line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│")]
    rows = [y for y in years if y]
    assert all(re.fullmatch(r"\d{4}", y) for y in rows)
    assert len(years) == len(rows)  # no row takes a second line
    assert text.count("crewparity share") == 1  # the caption once, under the last part


def test_a_text_column_wraps_at_its_punctuation(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long role list ("director,writer,...") breaks after its commas, never inside a role's name; the
    figures beside it stay whole."""
    table = pa.table({"role": ["director,writer,producer,executive_producer,editor,cinematographer", "director"],
                      "metric": ["pct_women_of_individuals"] * 2, "published": [0.22, 0.16],
                      "ci_95": ["12.0%-31.5%", "9.9%-25.0%"], "counted": pa.array([1234, 56], pa.int64())})
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=70, color_system=None, soft_wrap=True)
    monkeypatch.setattr(cli_app, "stdout", console)
    cli_app.emit(table, "table", title="t")
    text = buffer.getvalue()
    cells = _body_cells(text)
    assert "…" not in text and all(len(line) <= 70 for line in _table_lines(text))
    for figure in ("22.0%", "16.0%", "12.0%-31.5%", "9.9%-25.0%", "1234", "56"):
        assert figure in cells
    first = [line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│")]
    part = first[:first.index("director")]  # the first part's lines of the role list
    assert len(part) > 1 and "".join(part) == table["role"][0].as_py()
    assert all(piece.endswith((",", "_")) for piece in part[:-1]), part


def test_the_layout_never_cuts_at_any_width() -> None:
    """Every width from 20 to 140: no ellipsis, no line wider than the terminal, every figure once per part."""
    table = pa.table({"year": pa.array([1970, 2023], pa.int64()), "women": pa.array([1, 17], pa.int64()),
                      "share_if_unknown_women": [0.5, 0.125], "ci_95": ["20.7%-100.0%", "0.0%-44.7%"],
                      "title": ["Portrait of a Lady on Fire", "Marvel's Jessica Jones"]})
    for width in range(20, 141):
        console = Console(file=io.StringIO(), width=width, color_system=None, soft_wrap=True)
        console.print(output.render_table(table, title="t", caption="c", fit=width))
        text = console.file.getvalue()  # type: ignore[attr-defined]
        assert "…" not in text, width
        assert all(len(line) <= width for line in _table_lines(text)), width
        if width >= 50:  # room for the year and the widest figure side by side: figures whole
            cells = _body_cells(text)
            assert "20.7%-100.0%" in cells and "12.5%" in cells, width
