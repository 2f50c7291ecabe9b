"""`crewparity gender guess | explain | eval`: the first-name model on its own, one person's evidence chain, and
the model's evaluation. Thin skins over :mod:`crewparity.api_gender`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import pyarrow as pa
import typer

from crewparity.cli.app import DbOption, emit, gender_app, stdout
from crewparity.errors import ArgumentError

FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table (for people), csv or json (for programs).")]
FORMATS = ("table", "csv", "json")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ArgumentError(f"unknown --format {fmt!r}; allowed: {', '.join(FORMATS)}")


def _parse_band(band: str | None) -> tuple[float, float] | None:
    if band is None:
        return None
    try:
        lo_s, hi_s = band.split(",")
        return float(lo_s), float(hi_s)
    except ValueError:
        raise ArgumentError(f"--band {band!r}: give two probabilities as LO,HI, e.g. 0.15,0.85") from None


def _pct(v: Any) -> str:
    return "" if v is None or v != v else f"{v:.3f}"


@gender_app.command("guess")
def guess(
    names: Annotated[list[str] | None, typer.Argument(help="Full names to guess, e.g. \"Deborah Chow\".",
                                                      show_default=False)] = None,
    input_file: Annotated[Path | None, typer.Option(
        "--input", "-i", help="File of names: one full name per line, or a CSV with a 'name' column.",
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
    input order. Initials and names the model has never seen are unknown, not guessed."""
    from crewparity.api_gender import guess as api_guess
    from crewparity.api_gender import read_names

    _check_format(fmt)
    if names and input_file is not None:
        raise ArgumentError("give NAMES or --input FILE, not both")
    if not names and input_file is None:
        raise ArgumentError("give one or more NAMES, or --input FILE")
    items = list(names) if names else read_names(input_file)  # type: ignore[arg-type]
    table = api_guess(items, birth_year, db=db)
    if fmt == "table":
        shown = pa.table({"name": table["name"], "gender": table["gender"],
                          "p_woman": [_pct(v) for v in table["p_woman"].to_pylist()], "n": table["n"],
                          "source": table["source"]})
        emit(shown, fmt, title="First-name model",
             caption="p_woman is a statistical estimate about a name, not a statement about a person; "
                     "unknown = inside the abstain band, or no usable first name (source none)")
    else:
        emit(table.select(["name", "gender", "p_woman", "source"]), fmt)


@gender_app.command("explain")
def explain(
    person: Annotated[str, typer.Argument(help="A person id (e.g. nm0000229) or a name matching one person.")],
    fmt: FormatOpt = "table",
    db: DbOption = None,
) -> None:
    """Show one person's gender evidence chain: every recorded piece of evidence, what the first-name model says
    about the name, and which one won and why."""
    from crewparity.api_gender import explain as api_explain

    _check_format(fmt)
    info = api_explain(person, db)
    if fmt == "json":
        sys.stdout.write(json.dumps(info, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if fmt == "csv":
        # one row per piece of evidence, the name model and the result as rows of the same shape
        rows: list[dict[str, Any]] = [{"step": "evidence", "source": e["source"], "gender": e["gender"],
                                       "p_woman": None, "detail": e["detail"]} for e in info["evidence"]]
        m = info["name_model"]
        rows.append({"step": "name_model", "source": "name_model", "gender": m.get("call"),
                     "p_woman": m.get("p_woman"), "detail": f"first name {m.get('first_name')}; n={m.get('n')}"})
        r = info["resolved"] or {}
        rows.append({"step": "resolved", "source": r.get("source"), "gender": r.get("gender"),
                     "p_woman": r.get("p_woman"), "detail": info["why"]})
        emit(pa.Table.from_pylist(rows), "csv")
        return
    p = info["person"]
    say = lambda text: stdout.print(text, markup=False, highlight=False)  # noqa: E731 - names are not markup
    say(f"{p['person_id']}  {p['name'] or '(no name)'}"
                 + (f"  born {p['birth_year']}" if p["birth_year"] else "")
                 + (f"  [{', '.join(p['professions'])}]" if p["professions"] else ""))
    ev = info["evidence"]
    if ev:
        emit(pa.Table.from_pylist([{"rank": e["rank"], "source": e["source"], "gender": e["gender"],
                                    "detail": e["detail"] or ""} for e in ev]),
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
            f"n={m.get('n', 0):,} observations (prior alone: {_pct(m.get('prior_p_woman')) or 'none'}; this store's "
            f"recorded people with that name: {m.get('store_women', 0)} women, {m.get('store_men', 0)} men); "
            f"call {m.get('call')} at band ({lo:.2f}, {hi:.2f})")
    r = info["resolved"]
    if r:
        say(f"Resolved: {r['gender']} (source {r['source']}, p_woman {_pct(r['p_woman']) or 'none'})")
    say(f"Why: {info['why']}")


@gender_app.command("eval")
def eval_cmd(
    file: Annotated[Path, typer.Argument(help="CSV of names with their known gender (e.g. a benchmark).")],
    name_col: Annotated[str, typer.Option("--name-col", help="Column holding the full name.")] = "name",
    gender_col: Annotated[str, typer.Option(
        "--gender-col", help="Column holding the true gender (f/female/woman or m/male/man; others skipped).")
    ] = "gender",
    band: Annotated[str | None, typer.Option(
        "--band", help="Abstain band LO,HI to evaluate at (default: the model's).", show_default=False)] = None,
    curve: Annotated[bool, typer.Option("--curve/--no-curve", help="Also print the abstain-band curve.")] = True,
    fmt: FormatOpt = "table",
) -> None:
    """Evaluate the first-name model (prior alone) on a labelled file: errorCoded, errorCodedWithoutNA, naCoded,
    errorGenderBias (Santamaria & Mihaljevic 2018), the share estimate's error, and the abstain-band curve."""
    from crewparity.api_gender import evaluate as api_evaluate

    _check_format(fmt)
    ev = api_evaluate(file, name_col, gender_col, _parse_band(band))
    table = ev.metrics_table()
    if fmt == "json":
        out = {"metrics": table.to_pylist()[0], "skipped_truth": ev.skipped_truth,
               "curve": ev.curve.to_pylist() if curve else None}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if fmt == "csv":  # one table per stream: the curve, or with --no-curve the metrics row
        emit(ev.curve if curve else table, "csv")
        return
    row = table.to_pylist()[0]
    shown = pa.table({"measure": list(row), "value": [_fmt(v) for v in row.values()]})
    emit(shown, "table", title=f"First-name model on {file.name}",
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
