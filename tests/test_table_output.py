"""Tables in ``--format table`` keep every cell whole: in a file or a pipe, and in a terminal narrower than them.

rich fits a table to its console and cuts what does not fit with an ellipsis; off a terminal its console is 80
columns wide, so a share table saved with ``>`` held cut numbers ("62.5%-62.…"). Each cell printed here is
compared with the same table's CSV.
"""

from __future__ import annotations

import csv
import importlib
import io
import re
from pathlib import Path

import pyarrow as pa
import pytest
from rich.console import Console

from crewparity import output
from tests.conftest import run_cli

cli_app = importlib.import_module("crewparity.cli.app")  # the module (crewparity.cli.app is also the Typer app)


@pytest.fixture(scope="module")
def demo_db(demo_db_names_only: Path) -> Path:
    return demo_db_names_only


def _cells(text: str) -> list[list[str]]:
    """The body rows of a rich table (│-separated), cells stripped."""
    return [[c.strip() for c in line.split("│")[1:-1]] for line in text.splitlines() if line.startswith("│")]


@pytest.mark.parametrize("columns", ["80", "200"])
def test_a_piped_share_table_is_whole(demo_db: Path, columns: str) -> None:
    args = ("share", "--by", "role", "--db", str(demo_db))
    table = run_cli(*args, env={"COLUMNS": columns})
    assert table.returncode == 0, table.stderr
    assert "…" not in table.stdout
    rows = list(csv.DictReader(io.StringIO(run_cli(*args, "--format", "csv").stdout)))
    cells = _cells(table.stdout)
    assert len(cells) == len(rows) >= 3
    for row, printed in zip(rows, cells, strict=True):
        assert printed[0] == row["role"]
        assert printed[1:6] == [row["women"], row["men"], row["nonbinary"], row["unknown"], row["total"]]
    header = next(line for line in table.stdout.splitlines() if line.startswith("┃"))
    assert "share_expected" in header and "if_unknown_men-women" in header


def _terminal(width: int) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, width=width, color_system=None, soft_wrap=True), buffer


TABLE = pa.table({
    "role": ["cinematographer", "production_designer", "director"],
    "women": pa.array([3, 1234, 30], pa.int64()),
    "share_expected": [0.155, 0.62512, 0.5],
    "if_unknown_men_women": ["15.0%-30.0%", "48.9%-75.5%", "0.0%-100.0%"],
})


@pytest.mark.parametrize("width", [200, 60, 40, 30])
def test_in_a_terminal_cells_are_never_cut(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    console, buffer = _terminal(width)
    monkeypatch.setattr(cli_app, "stdout", console)
    cli_app.emit(TABLE, "table", title="t")
    text = buffer.getvalue()
    assert "…" not in text
    assert all(len(line) <= width for line in text.splitlines())
    expected = [[output.format_cell(v, k) for k, v in row.items()] for row in TABLE.to_pylist()]
    rows = _cells(text)
    if width >= 60:  # wide enough for every cell on one line: the headers give way (wrap), not the numbers
        assert rows == expected
    elif width == 40:  # too narrow for that: the table comes in parts, each row named by its role in each part
        joined: dict[str, list[str]] = {}
        for row in rows:
            joined.setdefault(row[0], [row[0]]).extend(row[1:])
        assert list(joined.values()) == expected
    else:  # too narrow even for the role and one other column: cells wrap, joined again they are whole
        for column in range(len(expected[0])):
            printed = "".join(r[column] for r in rows)
            assert re.sub(r"\s", "", printed) == "".join(re.sub(r"\s", "", e[column]) for e in expected)


def test_a_table_that_fits_is_printed_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    console, buffer = _terminal(200)
    monkeypatch.setattr(cli_app, "stdout", console)
    cli_app.emit(TABLE, "table")
    assert "share_expected" in buffer.getvalue() and "if_unknown_men_women" in buffer.getvalue()


ODD_CELLS = ["Zoë", "李安", "😀 Emoji", "", "a b", "Ava DuVernay", "é" * 30, "Sinéad O’Connor", "ß", "x,y", "\u00a0nbsp"]


def test_the_direct_text_is_what_rich_prints_to_a_file() -> None:
    """output.table_text makes, without rich's layout, exactly the text rich prints for the same table to a
    file (full width, no colours): on tables of odd cells, numbers, nulls and no rows."""
    import random

    rng = random.Random(3)
    for trial in range(40):
        n = rng.choice([0, 1, 2, 7])
        table = pa.table({
            rng.choice(["role", "name_of_title", "名前"]): pa.array([rng.choice(ODD_CELLS) for _ in range(n)], pa.string()),
            "women": pa.array([rng.choice([None, 0, 7, 123456]) for _ in range(n)], pa.int64()),
            "share_known": pa.array([rng.choice([None, 0.0, 0.1234, 1.0, float("nan")]) for _ in range(n)], pa.float64()),
            "genres": pa.array([rng.choice([None, ["Drama", "Comedy"], []]) for _ in range(n)], pa.list_(pa.string())),
        })
        title = rng.choice([None, "Women's share (unit: people)"])
        caption = rng.choice([None, "crewparity share --by role\nsecond line of a caption"])
        direct = output.table_text(table, title=title, caption=caption)
        assert direct is not None
        assert direct == cli_app.plain_text(output.render_table(table, title=title, caption=caption)), trial


def test_a_control_character_goes_through_rich() -> None:
    table = pa.table({"name": ["bell\x07", "ok"]})
    assert output.table_text(table) is None
    assert "ok" in cli_app.plain_text(output.render_table(table))


def test_table_format_with_output_writes_the_file(demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "share.txt"
    r = run_cli("share", "--by", "role", "--db", str(demo_db), "--output", str(target))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "" and "wrote" in r.stderr
    text = target.read_text(encoding="utf-8")
    assert text == run_cli("share", "--by", "role", "--db", str(demo_db)).stdout
    assert "┃ role" in text and "if_unknown_men-women" in text


@pytest.mark.parametrize("width", [200, 40])
def test_a_long_table_in_a_terminal(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """From PLAIN_TERMINAL_ROWS rows on, a table that fits the terminal is written as plain text (rich takes
    about a millisecond a row); one that does not fit still goes through rich's narrow layout, whole."""
    rows = cli_app.PLAIN_TERMINAL_ROWS
    table = pa.table({"title": [f"Title number {i}" for i in range(rows)], "women": pa.array(range(rows), pa.int64()),
                      "share_expected": [i / rows for i in range(rows)]})
    console, buffer = _terminal(width)
    monkeypatch.setattr(cli_app, "stdout", console)
    written = io.StringIO()
    monkeypatch.setattr(cli_app.sys, "stdout", written)
    cli_app.emit(table, "table", title="t")
    if width == 200:
        assert written.getvalue() == output.table_text(table, title="t") and buffer.getvalue() == ""
    else:
        assert written.getvalue() == "" and "…" not in buffer.getvalue()
        assert len(_cells(buffer.getvalue())) >= rows


INFINITE = pa.table({
    "role": ["director", "writer", "editor", "producer"],
    "ratio": [float("inf"), -float("inf"), 0.25, float("nan")],
    "share_known": [float("inf"), 0.5, None, 0.25],
})


@pytest.mark.parametrize("how", ["pipe", "terminal", "narrow terminal"])
def test_an_infinity_is_shown_as_infinity_with_its_meaning(how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """An infinite value reads ``∞`` (``-∞``) in a table, and the note under the table says what it is and how
    csv and json write it: the table printed Python's ``inf`` (``inf%`` in a share column), which csv writes as
    INF and json as null, so a reader of the table alone could not tell a figure from a glitch."""
    if how == "pipe":
        text = cli_app.render(INFINITE, "table", title="t", caption="crewparity share")
        assert text == cli_app.plain_text(output.render_table(INFINITE, title="t", caption="crewparity share"))
    else:
        console, buffer = _terminal(200 if how == "terminal" else 30)
        monkeypatch.setattr(cli_app, "stdout", console)
        cli_app.emit(INFINITE, "table", title="t", caption="crewparity share")
        text = buffer.getvalue()
    assert "inf" not in text.replace("infinite", "")
    joined = re.sub(r"\s", "", text)
    assert "∞" in joined and "-∞" in joined
    if how != "narrow terminal":
        assert [row[:3] for row in _cells(text)] == [["director", "∞", "∞"], ["writer", "-∞", "50.0%"],
                                                     ["editor", "0.25", ""], ["producer", "", "25.0%"]]
    note = text[text.index("crewparity share"):]
    assert "∞" in note and "infinite" in note and "INF" in note and "null" in note


def test_no_infinity_no_note() -> None:
    text = cli_app.render(TABLE, "table", caption="crewparity share")
    assert "∞" not in text and "infinite" not in text


def test_format_cell_of_an_infinity() -> None:
    assert output.format_cell(float("inf"), "ratio") == "∞"
    assert output.format_cell(-float("inf"), "share_known") == "-∞"
    assert output.format_cell(float("inf"), "difference") == "∞"
    # csv and json keep what they wrote
    assert output.to_csv(INFINITE).splitlines()[1:3] == ["director,INF,INF", "writer,-INF,0.5"]
    assert '"ratio": null' in output.to_json(INFINITE)
