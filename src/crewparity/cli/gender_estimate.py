"""`crewparity gender estimate`: the women's share of a plain list of names, with the base rate re-estimated.

A thin skin over :func:`crewparity.gender.estimate.estimate_names`; this module only reads the list.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import typer

from crewparity.cli.app import emit, gender_app
from crewparity.errors import ArgumentError, InputError, header_cells
from crewparity.gender.name_file import name_headers_list

FORMATS = ("table", "csv", "json")
#: a ``gender`` cell that means "not recorded"
FIELDS = ("n", "women", "men", "nonbinary", "unknown", "share_known", "share_expected", "ci_low", "ci_high",
          "inferred", "no_info", "share_naive", "base_rate", "pi_hat")


def read_people(path: Path) -> tuple[list[str], list[str | None] | None]:
    """Names (and recorded genders, if the file has a ``gender`` column) from FILE.

    FILE is one full name per line, or a CSV whose header has a names column (``name``, ``full_name`` ...:
    :func:`crewparity.gender.name_file.name_column`) and optionally ``gender``
    (the spellings of :mod:`crewparity.gender.spelling`; empty or unknown = not recorded). Names are kept as text:
    "Nan" and "Null" are first names, not missing values.
    """
    from crewparity.gender.name_file import (
        check_name_lengths,
        csv_records,
        decode_text,
        fields_message,
        first_line_cells,
        name_column,
        name_headers_text,
    )
    from crewparity.gender.spelling import parse_recorded_gender

    if not path.exists():
        raise InputError("no such file", path=path)
    if path.is_dir():
        raise InputError("is a directory, not a file of names", path=path)
    text = decode_text(path.read_bytes(), path)
    lines = text.splitlines()
    if not lines:
        return [], None
    cells = first_line_cells(lines[0])
    header = [c.strip().lower() for c in cells]
    i_name = name_column(cells)  # the same header rule as gender guess
    if i_name is None and len(header) <= 1:  # a plain list: one full name per line
        check_name_lengths(lines, path)
        return [ln.strip() for ln in lines if ln.strip()], None
    if i_name is None:
        raise InputError(f"a CSV needs a {name_headers_text()}; the header has: "
                         f"{header_cells(cells)}", path=path, line=1)
    i_gender = header.index("gender") if "gender" in header else None
    names: list[str] = []
    genders: list[str | None] = []
    for lineno, row in csv_records(csv.reader(lines[1:]), path, offset=1):
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise InputError(fields_message(len(row), cells), path=path, line=lineno)
        names.append(row[i_name].strip())
        if i_gender is not None:
            genders.append(parse_recorded_gender(row[i_gender], path, lineno, cells[i_gender].strip()))
    return names, genders if i_gender is not None else None


@gender_app.command("estimate")
def estimate(
    input_file: Annotated[Path, typer.Option(
        "--input", "-i", help="File of names: one full name per line, or a CSV with a column of names headed "
        f"{name_headers_list()} (any case), and optionally a 'gender' column (recorded genders, counted as facts).",
        show_default=False)],
    birth_year: Annotated[int | None, typer.Option(
        "--birth-year", help="Birth year of everyone in the list: the name's US birth decade moves its probability.",
        show_default=False)] = None,
    no_info: Annotated[str, typer.Option(
        "--no-info", help="People with no usable first name: mar (like the rest of the list; default) or bounds "
        "(the interval runs from all of them men to all of them women).")] = "mar",
    target: Annotated[str, typer.Option(
        "--target", help="What the interval is for: rate (the rate behind the list, like a binomial interval; "
        "default) or list (the share within this very list; narrower).")] = "rate",
    fmt: Annotated[str, typer.Option("--format", "-f", help="table (for people), csv or json (for programs).")
                   ] = "table",
    db: Annotated[Path | None, typer.Option(
        "--db", help="Adapt the name model with the recorded genders in this store (as resolve does) and "
        "recalibrate it as share does there (the store's own recalibration, else the default); default: the prior "
        "alone at its own base rate, with its default calibration (measured on US births: "
        "docs/gender-estimate.md).", show_default=False)] = None,
) -> None:
    """Estimate the women's share of a list of names, honestly: recorded genders count as facts, first names
    as probabilities with the name model's base rate re-estimated from the list (EM prior shift, Saerens et al.
    2002), and people without a usable first name widen the 95% interval.

    \b
    Examples:
      crewparity gender estimate --input names.txt
      crewparity gender estimate --input crew.csv --target list --db demo.duckdb
    """
    from crewparity.gender.estimate import check_estimate_options, estimate_names

    if fmt not in FORMATS:
        raise ArgumentError(f"unknown --format {fmt!r}; allowed: {', '.join(FORMATS)}")
    kind = check_estimate_options(no_info, target, birth_year)
    names, genders = read_people(input_file)
    if not names:
        raise InputError("no names in the file", path=input_file)
    if db is None:
        est = estimate_names(names, genders, birth_year, no_info=no_info, target=kind)
    else:
        from crewparity.store import open_store

        with open_store(db) as store:
            est = estimate_names(names, genders, birth_year, store=store, no_info=no_info, target=kind)
    row = est.as_dict()
    ints = ("n", "women", "men", "nonbinary", "unknown", "inferred", "no_info")
    record = {k: int(round(row[k])) if k in ints else row[k] for k in FIELDS}
    if fmt != "table":
        emit(pa.Table.from_pylist([record]), fmt)
        return

    def pct(v: float) -> str:
        return "" if v != v else f"{v:.1%}"

    # Each row is labelled with the csv/json fields it shows (the words in brackets say what they are): the count
    # was "people" here and "n" in csv and json, so a reader could not tell which column a figure was.
    lines = [
        ("n (people)", f"{record['n']:,}"),
        ("women / men / nonbinary / unknown (as called)",
         f"{record['women']:,} / {record['men']:,} / {record['nonbinary']:,} / {record['unknown']:,}"),
        ("recorded / inferred / no_info (no usable first name)",
         f"{int(est.recorded):,} / {record['inferred']:,} / {record['no_info']:,}"),
        ("share_known (women of called)", pct(est.share_known)),
        ("share_expected", pct(est.share_expected)),
        (f"ci_low - ci_high (95% interval, {target})", f"{pct(est.ci_low)} - {pct(est.ci_high)}"),
        ("share_naive (plain mean of p_woman)", pct(est.share_naive)),
        ("pi_hat / base_rate (inferred's base rate: list / model)", f"{pct(est.pi_hat)} / {pct(est.base_rate)}"),
    ]
    emit(pa.table({"": [a for a, _ in lines], "value": [b for _, b in lines]}), "table",
         title=f"Women's share of the names in {input_file.name}",
         caption="Recorded genders count as facts; first names as probabilities re-weighted to the list's own base "
                 "rate (EM prior shift); people without a usable first name are "
                 + ("assumed like the rest (missing at random)." if no_info == "mar" else "bounded (all men .. all women).")
                 + "\nRows are named by the fields of --format csv/json (recorded = n - inferred - no_info); "
                 "share_naive is biased toward the model's base rate, shown for comparison.")
