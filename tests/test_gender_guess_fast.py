"""The fast paths of `gender guess`: per-pair parsing with a take back to the rows, and the column-wise csv/json
writer. Both must give exactly what the plain way gives (one name at a time; emit's row-by-row writer)."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest

from crewparity import output
from crewparity.cli.gender import _fast_bytes
from crewparity.gender import names

NAMES = ["Jennifer Lynch", "S. J. Clarkson", "Leslie Nielsen", "Leslie Mann", "Jean-Pierre Jeunet", "Marie-Zzyzx Foo",
         "Zetna Fuentes", "Lynch, Jennifer", "Dr. Smith", "Madonna", "Zoë Kravitz", "Андрей Звягинцев", "", "Bob Gale"]


def _one_by_one(items: list[str | None], years: list[int | None]) -> list[dict[str, object]]:
    rows = []
    for name, year in zip(items, years, strict=True):
        rows += names.guess_names([name], year).to_pylist()
    return rows


@pytest.mark.parametrize("distinct", [False, True])
def test_guess_arrow_equals_one_name_at_a_time(distinct: bool) -> None:
    rng = random.Random(5)
    if distinct:  # every row its own name: the list is parsed row by row, not deduplicated
        items: list[str | None] = [f"{rng.choice(NAMES)} {i}" for i in range(60)]
    else:  # repeated names, a missing one among them
        items = [rng.choice([*NAMES, None]) for _ in range(60)]
    years: list[int | None] = [rng.choice([None, 1926, 1985, 1931, -5, 2024]) for _ in items]
    got = names.guess_arrow(pa.array(items, pa.string()), pa.array(years, pa.int32()))
    assert got.schema == names.GUESS_SCHEMA
    assert got.to_pylist() == _one_by_one(items, years)
    # one birth year for all (the CLI's --birth-year), and none
    assert names.guess_names(items, 1926).to_pylist() == _one_by_one(items, [1926] * len(items))
    assert names.guess_names(items).to_pylist() == _one_by_one(items, [None] * len(items))


def test_guess_empty_and_non_str() -> None:
    assert names.guess_names([]).num_rows == 0
    assert names.guess_names([]).schema == names.GUESS_SCHEMA
    # values that are not str are guessed on their text, as before
    assert names.guess_names([12, "Bob Gale"]).column("name").to_pylist() == ["12", "Bob Gale"]  # type: ignore[list-item]


ODD = ["Jennifer Lynch", "Lynch, Jennifer", 'Robert "Bob" Smith', "=SUM(A1)", "-1.5", "-Anna", "+1", "@home", "\tTab",
       "\rCR", "line\nbreak", "quote\"inside", "back\\slash", "ctrl\x01char", "\x7fdel", "Zoë", "😀 Emoji", "a\u2028b",
       "", " lead", "-inf", "-nan", "1_0", " -1", "Ann-Marie, Jr."]


@pytest.mark.parametrize(("parallel_rows", "block_rows"), [(10**9, 65_536), (7, 65_536), (10**9, 3), (7, 2)])
def test_fast_writer_matches_emit(parallel_rows: int, block_rows: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from crewparity.cli import gender as cli_gender

    monkeypatch.setattr(cli_gender, "PARALLEL_ROWS", parallel_rows)  # 7: tables of 7+ rows go in slices
    monkeypatch.setattr(cli_gender, "BLOCK_ROWS", block_rows)  # 2, 3: many blocks, several windows of them
    rng = random.Random(11)
    for trial in range(60):
        n = rng.randint(1, 40)
        table = pa.table({
            "name": pa.array([rng.choice(ODD) + rng.choice(["", " x", ","]) for _ in range(n)], pa.string()),
            "gender": pa.array([rng.choice(["woman", "man", "unknown", None]) for _ in range(n)], pa.string()),
            "p_woman": pa.array([rng.choice([None, float("nan"), 0.0, -0.0, 1.0, 1e-5, 1.23456789e-7, 0.1234565,
                                             float("inf"), rng.random()]) for _ in range(n)], pa.float64()),
            "source": pa.array([rng.choice(["name_model", "none"]) for _ in range(n)], pa.string()),
        })
        if trial % 3 == 1:  # fewer columns after the name, down to none
            table = table.select(rng.choice([["name"], ["name", "p_woman"], ["name", "source", "gender"]]))
        csv_chunks = _fast_bytes(table, "csv")
        json_chunks = _fast_bytes(table, "json")
        assert csv_chunks is not None and json_chunks is not None
        assert b"".join(bytes(c) for c in csv_chunks) == output.to_csv(table).encode("utf-8"), trial
        assert b"".join(bytes(c) for c in json_chunks) == (output.to_json(table) + "\n").encode("utf-8"), trial


def test_fast_writer_declines_what_it_does_not_handle() -> None:
    assert _fast_bytes(pa.table({"name": pa.array([], pa.string())}), "csv") is None  # empty: emit writes it
    assert _fast_bytes(pa.table({"name": pa.array(["a", None])}), "csv") is None  # a missing name
    assert _fast_bytes(pa.table({"name": ["a"], "x": pa.array([[1]])}), "json") is None  # a list column
