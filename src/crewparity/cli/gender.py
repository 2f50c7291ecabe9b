"""`crewparity gender guess | explain | eval`: the first-name model on its own, one person's evidence chain, and
the model's evaluation. Thin skins over :mod:`crewparity.api_gender`."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import pyarrow as pa
import typer

from crewparity.cli.app import DbOption, emit, gender_app, stdout
from crewparity.errors import ArgumentError
from crewparity.gender.name_file import name_headers_list

FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table (for people), csv or json (for programs).")]
FORMATS = ("table", "csv", "json")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ArgumentError(f"unknown --format {fmt!r}; allowed: {', '.join(FORMATS)}")


def _pct(v: Any) -> str:
    return "" if v is None or v != v else f"{v:.3f}"


@gender_app.command("guess")
def guess(
    names: Annotated[list[str] | None, typer.Argument(help="Full names to guess, e.g. \"Deborah Chow\".",
                                                      show_default=False)] = None,
    input_file: Annotated[Path | None, typer.Option(
        "--input", "-i", help="File of names: one full name per line, or a CSV with a column of names headed "
        f"{name_headers_list()} (any case). A blank line gives a row (unknown).",
        show_default=False)] = None,
    birth_year: Annotated[int | None, typer.Option(
        "--birth-year", help="Birth year of everyone in the list: the name's US birth decade moves its probability.",
        show_default=False)] = None,
    fmt: FormatOpt = "table",
    db: Annotated[Path | None, typer.Option(
        "--db", help="Adapt the model with the recorded genders in this store (as resolve does); default: the "
        "prior alone.", show_default=False)] = None,
) -> None:
    """Guess gender from first names: woman / man / unknown (inside the abstain band), p_woman and source, in
    input order. Initials and names the model has never seen are unknown, not guessed.

    \b
    Examples:
      crewparity gender guess "Deborah Chow" "S. J. Clarkson"
      crewparity gender guess --input names.txt --format csv     # one full name per line
    """
    from crewparity.api_gender import guess as api_guess
    from crewparity.gender.name_file import read_name_array

    _check_format(fmt)
    if names and input_file is not None:
        raise ArgumentError("give NAMES or --input FILE, not both")
    if not names and input_file is None:
        raise ArgumentError("give one or more NAMES, or --input FILE")
    items = list(names) if names else read_name_array(input_file)  # type: ignore[arg-type]
    table = api_guess(items, birth_year, db=db)
    if fmt == "table":
        shown = pa.table({"name": table["name"], "gender": table["gender"],
                          "p_woman": [_pct(v) for v in table["p_woman"].to_pylist()], "n": table["n"],
                          "source": table["source"]})
        emit(shown, fmt, title="First-name model",
             caption="p_woman is a statistical estimate about a name, not a statement about a person; "
                     "n = the evidence behind it (people counted in the name data and the store; a name listed "
                     "without counts, 1 per source); unknown = inside the abstain band, or no usable first name "
                     "(source none)")
    else:  # the API's columns, n too (the evidence behind p_woman)
        _write_fast(table, fmt)


def _write_fast(table: pa.Table, fmt: str) -> None:
    """Write csv / json exactly as :func:`crewparity.cli.app.emit` does (the same bytes), column-wise.

    ``emit`` formats row by row in Python (3-8 s for a million names, longer than the guessing). Here the name
    cells are checked with one regexp per column, and only a name that needs care (a formula prefix, a character
    to quote or escape) goes through the Python function emit uses; the rest of a row (gender, p_woman, source)
    has few distinct values, so each distinct rest is formatted once and taken per row.
    """
    chunks = _fast_bytes(table, fmt)
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    buffer = getattr(sys.stdout, "buffer", None)
    if chunks is None or buffer is None or encoding != "utf8":
        emit(table, fmt)  # another encoding, a missing name, an unexpected column type: the row-wise writer
        return
    sys.stdout.flush()
    for chunk in chunks:
        buffer.write(chunk)
    buffer.flush()


def _csv_cell(v: Any) -> str:
    """One cell exactly as crewparity.output.to_csv writes it (formula prefix neutralised, csv.writer quoting)."""
    import io

    from crewparity import output as out

    if v is None:
        return ""
    if isinstance(v, float):
        return out.csv_float(v)
    row = io.StringIO()
    out._LineWriter(row).writerow([out.neutralise_cell(v) if isinstance(v, str) else str(v)])
    return row.getvalue()[:-1]


def _json_value(v: Any) -> str:
    """One value exactly as crewparity.output.to_json writes it (json.dumps; NaN and infinities -> null)."""
    import json

    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return "null"
    return json.dumps(v, ensure_ascii=False)


#: from this many rows on, the csv/json text is made in slices on parallel threads
PARALLEL_ROWS = 200_000
#: rows per slice: the output is made and written a few slices at a time. Why: made whole, a million names' json
#: (about 150 MB in Arrow buffers) was fresh memory, and on this VM faulting it in cost 1-2 s on a command's first
#: (and only) call, against 0.1-0.2 s for the same work in memory already touched
BLOCK_ROWS = 65_536
#: names that need no care: in csv no formula prefix and nothing csv.writer quotes; in json nothing to escape
_PLAIN = {"csv": r'^[^=+\-@\t\r,"\n][^,"\r\n]*$|^$', "json": r'^[^\x00-\x1f"\\]*$'}


def _fast_bytes(table: pa.Table, fmt: str) -> Iterator[Any] | None:
    """The bytes emit would write for ``table`` (a string column of names, then columns of few distinct values),
    as chunks, made as they are taken; None when the table does not have that shape (then emit's own writer is
    used)."""
    import numpy as np
    import pyarrow.compute as pc

    if table.num_columns < 1 or table.num_rows == 0:
        return None
    names = table.column(0).combine_chunks()
    if not (pa.types.is_string(names.type) or pa.types.is_large_string(names.type)) or names.null_count:
        return None
    # the rest of each row: codes of its distinct values per column, then of the distinct combinations
    codes, values = [], []
    for col in table.columns[1:]:
        arr = col.combine_chunks()
        if pa.types.is_floating(arr.type):
            bits = arr.cast(pa.float64()).fill_null(np.nan).to_numpy(zero_copy_only=False).view(np.int64)
            enc = pc.dictionary_encode(pa.array(bits))  # by bit pattern: -0.0 and 0.0 stay apart
            vals: list[Any] = enc.dictionary.to_numpy().view(np.float64).tolist()
        elif pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type) or pa.types.is_integer(arr.type):
            enc = pc.dictionary_encode(arr)
            vals = [*enc.dictionary.to_pylist(), None]  # a null is the last code
        else:
            return None
        codes.append(enc.indices.fill_null(len(vals) - 1).to_numpy(zero_copy_only=False).astype(np.int64))
        values.append(vals)
    if np.prod([float(len(v)) for v in values]) >= 2.0**62:
        return None
    combo = np.zeros(table.num_rows, dtype=np.int64)
    for c, vals in zip(codes, values, strict=True):
        combo = combo * len(vals) + c
    enc = pc.dictionary_encode(pa.array(combo))
    rests = enc.dictionary.to_numpy()
    # each column's distinct values formatted once; then the text of each distinct rest, in column order
    # (its value in each column decoded from the mixed-radix code)
    cols = table.column_names
    at_per_col = []
    for vals in reversed(values):
        at_per_col.append((rests % len(vals)).tolist())
        rests = rests // len(vals)
    at_per_col.reverse()
    if fmt == "csv":
        header = ",".join(_csv_cell(c) for c in cols) + "\n"
        fix = _csv_cell
        lead = ""
        texts = [["," + _csv_cell(v) for v in vals] for vals in values]
        end = "\n"
    else:
        header = "[\n"
        fix = lambda v: _json_value(v)[1:-1]  # noqa: E731 - the escaped text between the quotes
        lead = f'  {{\n    {_json_value(cols[0])}: "'
        texts = [[f",\n    {_json_value(c)}: {_json_value(v)}" for v in vals]
                 for c, vals in zip(cols[1:], values, strict=True)]
        end = "\n  },\n"
    close = '"' if fmt == "json" else ""  # the name's closing quote
    rows = zip(*at_per_col, strict=True) if at_per_col else [()] * len(enc.dictionary)
    tails = [close + "".join(t[i] for t, i in zip(texts, row, strict=True)) + end for row in rows]
    tail_texts = pa.array(tails, pa.large_string())

    def body(lo: int, hi: int) -> memoryview:
        """The rows lo..hi as one buffer (Arrow kernels release the GIL, so slices format in parallel)."""
        cells = names.slice(lo, hi - lo).cast(pa.large_string())
        bad = pc.invert(pc.match_substring_regex(cells, _PLAIN[fmt]))
        if pc.any(bad).as_py():
            where = pa.array(np.flatnonzero(bad.to_numpy(zero_copy_only=False)))
            cells = pc.replace_with_mask(cells, bad, pa.array([fix(v) for v in cells.take(where).to_pylist()],
                                                              pa.large_string()))
        rows = pc.binary_join_element_wise(pa.scalar(lead, pa.large_string()), cells,
                                           tail_texts.take(enc.indices.slice(lo, hi - lo)),
                                           pa.scalar("", pa.large_string()))
        offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)[rows.offset:rows.offset + len(rows) + 1]
        return memoryview(rows.buffers()[2])[offsets[0]:offsets[-1]]

    n = table.num_rows
    threads = min(os.cpu_count() or 1, 4) if n >= PARALLEL_ROWS else 1
    size = max(1, min(BLOCK_ROWS, -(-n // threads)))
    bounds = [*range(0, n, size), n]
    blocks = list(zip(bounds[:-1], bounds[1:], strict=True))

    def chunks() -> Iterator[Any]:
        """The header, then the blocks in order, a window of ``threads`` blocks at a time: each window's buffers
        are written before the next is made, so Arrow's pool hands the same memory out again."""
        yield header.encode("utf-8")
        held: Any = None  # the last block so far: json's last row loses its ",\n"
        pool = None
        if threads > 1:
            from concurrent.futures import ThreadPoolExecutor

            pool = ThreadPoolExecutor(threads)
        try:
            for start in range(0, len(blocks), threads):
                window = blocks[start:start + threads]
                made = list(pool.map(body, *zip(*window, strict=True))) if pool else [body(*b) for b in window]
                for part in made:
                    if held is not None:
                        yield held
                    held = part
        finally:
            if pool is not None:
                pool.shutdown()
        if fmt == "csv":
            yield held
        else:
            yield held[:-2]
            yield b"\n]\n"

    return chunks()


@gender_app.command("explain")
def explain(
    person: Annotated[str, typer.Argument(help="A person id (e.g. nm0000229) or a name matching one person.")],
    fmt: FormatOpt = "table",
    db: DbOption = None,
) -> None:
    """Show one person's gender evidence chain: every recorded piece of evidence, what the first-name model says
    about the name, and which one won and why.

    \b
    Examples:
      crewparity gender explain "Deborah Chow" --db demo.duckdb
      crewparity gender explain nm0000229 --format json --db demo.duckdb
    """
    from crewparity.api_gender import explain as api_explain

    _check_format(fmt)
    info = api_explain(person, db)
    if fmt == "json":
        sys.stdout.write(json.dumps(info, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if fmt == "csv":
        emit(_explain_rows(info), "csv")
        return
    p = info["person"]
    say = lambda text: stdout.print(text, markup=False, highlight=False)  # noqa: E731 - names are not markup
    say(f"{p['person_id']}  {p['name'] or '(no name)'}"
                 + (f"  born {p['birth_year']}" if p["birth_year"] else "")
                 + (f"  [{', '.join(p['professions'])}]" if p["professions"] else ""))
    ev = info["evidence"]
    if ev:
        emit(pa.Table.from_pylist([{"rank": e["rank"], "source": e["source"], "gender": e["gender"],
                                    "confidence": _fmt(e["confidence"]), "detail": e["detail"] or ""} for e in ev]),
             "table", title="Recorded evidence (precedence rank: lower wins)")
    else:
        say("Recorded evidence: none")
    m = info["name_model"]
    lo, hi = m["band"]
    if m["first_name"] is None:
        say(f"First-name model: no usable first name (initials only, or none): not guessed; band ({lo:.2f}, {hi:.2f})")
    else:
        say(
            f"First-name model: first name {m['first_name']!r}; p(woman) {_pct(m.get('p_woman')) or 'none'} from "
            f"n={m.get('n', 0):,} (prior alone: {_pct(m.get('prior_p_woman')) or 'none'} from n={m.get('prior_n', 0):,}; "
            "this store's "
            f"recorded people with that name: {_recorded_counts(m)}); "
            f"call {m.get('call')} at band ({lo:.2f}, {hi:.2f})")
    r = info["resolved"]
    if r:
        say(f"Resolved: {r['gender']} (source {r['source']}, p_woman {_pct(r['p_woman']) or 'none'})")
    say(f"Why: {info['why']}")


def _recorded_counts(m: dict[str, Any]) -> str:
    """The store's recorded people with the name, as words: "1 woman, 0 men" (it read "1 women")."""
    women, men = int(m.get("store_women") or 0), int(m.get("store_men") or 0)
    return f"{women} {'woman' if women == 1 else 'women'}, {men} {'man' if men == 1 else 'men'}"


def _explain_rows(info: dict[str, Any]) -> pa.Table:
    """``gender explain --format csv``: one row per piece of evidence, then the name model and the result as rows
    of the same shape. ``rank`` is the precedence of the row's source (as the json's evidence has it: lower wins),
    ``confidence`` the evidence's; the name model's row says in ``detail`` what the json's ``name_model`` holds."""
    from crewparity.schema import EVIDENCE_PRECEDENCE

    rank = {s: i + 1 for i, s in enumerate(EVIDENCE_PRECEDENCE)}
    rows: list[dict[str, Any]] = [{"step": "evidence", "rank": e["rank"], "source": e["source"], "gender": e["gender"],
                                   "confidence": e["confidence"], "p_woman": None, "detail": e["detail"]}
                                  for e in info["evidence"]]
    m = info["name_model"]
    lo, hi = m["band"]
    if m.get("first_name") is None:
        detail = "no usable first name (initials only, or none): not guessed"
    else:
        detail = (f"first name {m['first_name']}; n={m.get('n', 0)} (prior alone {_pct(m.get('prior_p_woman')) or 'none'} "
                  f"from n={m.get('prior_n', 0)}; this store's recorded people with that name: "
                  f"{_recorded_counts(m)})")
    rows.append({"step": "name_model", "rank": rank.get("name_model"), "source": "name_model", "gender": m.get("call"),
                 "confidence": None, "p_woman": m.get("p_woman"), "detail": f"{detail}; band {lo:g}-{hi:g}"})
    r = info["resolved"] or {}
    rows.append({"step": "resolved", "rank": rank.get(r.get("source") or ""), "source": r.get("source"),
                 "gender": r.get("gender"), "confidence": None, "p_woman": r.get("p_woman"), "detail": info["why"]})
    schema = pa.schema([("step", pa.string()), ("rank", pa.int64()), ("source", pa.string()), ("gender", pa.string()),
                        ("confidence", pa.float64()), ("p_woman", pa.float64()), ("detail", pa.string())])
    return pa.Table.from_pylist(rows, schema=schema)


@gender_app.command("eval")
def eval_cmd(
    file: Annotated[Path, typer.Argument(help="CSV of names with their known gender (e.g. a benchmark).")],
    name_col: Annotated[str, typer.Option("--name-col", help="Column holding the full name.")] = "name",
    gender_col: Annotated[str, typer.Option(
        "--gender-col", help="Column holding the true gender (f/female/woman or m/male/man; others skipped).")
    ] = "gender",
    band: Annotated[str | None, typer.Option(
        "--band", help="Abstain band LO,HI to evaluate at (default: the model's).", show_default=False)] = None,
    curve: Annotated[bool, typer.Option("--curve/--no-curve", help="Also print the abstain-band curve (in csv: rows "
                                        "after the headline's, the column part saying which is which).")] = True,
    fmt: FormatOpt = "table",
    db: Annotated[Path | None, typer.Option(
        "--db", help="Evaluate the model adapted with the recorded genders in this store, as `gender guess --db` "
        "calls each name; default: the prior alone.", show_default=False)] = None,
    birth_year: Annotated[int | None, typer.Option(
        "--birth-year", help="Birth year of everyone in the file, as `gender guess --birth-year` takes it.",
        show_default=False)] = None,
) -> None:
    """Evaluate the first-name model on a labelled file: errorCoded, errorCodedWithoutNA, naCoded,
    errorGenderBias (Santamaria & Mihaljevic 2018), the share estimate's error, and the abstain-band curve. The
    model is the prior alone, or with --db adapted with a store's recorded genders; the output says which.

    \b
    Examples:
      crewparity gender eval benchmark.csv --name-col full_name     # columns full_name and gender (f/m)
      crewparity gender eval benchmark.csv --name-col full_name --band 0.2,0.8 --no-curve
      crewparity gender eval benchmark.csv --name-col full_name --db demo.duckdb   # adapted model
    """
    from crewparity.api_gender import evaluate as api_evaluate

    _check_format(fmt)
    ev = api_evaluate(file, name_col, gender_col, band, db=db, birth_year=birth_year)
    table = ev.metrics_table()
    if fmt == "json":
        out = {"metrics": table.to_pylist()[0], "skipped_truth": ev.skipped_truth,
               "model_store": ev.store, "recorded_people": ev.recorded_people,
               "curve": ev.curve.to_pylist() if curve else None}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if fmt == "csv":  # one table: the headline row, then (unless --no-curve) the curve's rows; a part column
        emit(ev.as_table(curve), "csv")
        return
    row = table.to_pylist()[0]
    shown = pa.table({"measure": list(row), "value": [_fmt(v) for v in row.values()]})
    emit(shown, "table", title=f"First-name model ({ev.model}) on {file.name}",
         caption=f"{ev.evaluated} names with a woman/man label; {ev.skipped_truth} rows without one skipped. "
                 "xy = true x called y (f woman, m man, u unknown)")
    if curve:
        rows = ev.curve.to_pylist()
        emit(pa.table({"band": [f"{r['lo']:g}-{r['hi']:g}" for r in rows],
                       "errorCoded": [_fmt(r["errorCoded"]) for r in rows],
                       "withoutNA": [_fmt(r["errorCodedWithoutNA"]) for r in rows],
                       "naCoded": [_fmt(r["naCoded"]) for r in rows],
                       "genderBias": [_fmt(r["errorGenderBias"]) for r in rows]}),
             "table", title="Abstain-band curve (same probabilities, other bands)",
             caption="withoutNA = errorCodedWithoutNA; genderBias = errorGenderBias (+: men called women)")


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return "" if v != v else f"{v:.4f}"
    return "" if v is None else str(v)
