"""Evaluating the first-name model against names with known gender.

Metrics as defined by Santamaría & Mihaljević (2018, "Comparison and benchmark of name-to-gender inference
services", PeerJ Comput. Sci. 4:e156), after Wais (2016). With ``xy`` = people of true gender x called y
(f woman, m man, u unknown / abstained):

* ``errorCoded = (fm + mf + fu + mu) / (ff + fm + mf + mm + fu + mu)`` — an abstention counts as an error;
* ``errorCodedWithoutNA = (fm + mf) / (ff + fm + mf + mm)`` — errors among the people called;
* ``naCoded = (fu + mu) / (ff + fm + mf + mm + fu + mu)`` — the share not called;
* ``errorGenderBias = (mf - fm) / (ff + fm + mf + mm)`` — positive: more men called women than the reverse.

Rows whose true gender is neither woman nor man (blank, "unknown", nonbinary: the model calls only woman or man)
are left out and counted. A label file's labels are the spellings of :mod:`crewparity.gender.spelling`; any other
label is an error naming its line (a typo such as "femal" was silently left out). The abstain
curve re-calls the same probabilities at symmetric bands ``(x, 1 - x)``: no refitting, so a curve point
costs one pass over the scored names. Everything is computed in DuckDB from Arrow arrays.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from crewparity.errors import ArgumentError, InputError, header_cells
from crewparity.gender import names as names_mod
from crewparity.gender import spelling
from crewparity.gender.name_file import SEPARATOR_NAMES, csv_records, decode_text, fields_message

#: Half-widths of the symmetric bands on the curve: (lo, hi) = (x, 1 - x).
CURVE_LOWS: tuple[float, ...] = (0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1, 0.08, 0.06, 0.05, 0.04, 0.03, 0.02, 0.01,
                                 0.005)
WOMAN_LABELS = spelling.WOMAN
MAN_LABELS = spelling.MAN
METRICS = ("errorCoded", "errorCodedWithoutNA", "naCoded", "errorGenderBias")


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    return con


def truth_sql(col: str) -> str:
    """SQL: a truth label normalised to woman / man (NULL for anything else)."""
    w = ", ".join(f"'{v}'" for v in WOMAN_LABELS)
    m = ", ".join(f"'{v}'" for v in MAN_LABELS)
    return (f"CASE WHEN lower(trim({col})) IN ({w}) THEN 'woman' WHEN lower(trim({col})) IN ({m}) THEN 'man' "
            "END")


def _metrics_sql(rel: str, call: str) -> str:
    return f"""
        WITH c AS (
            SELECT count(*) FILTER (WHERE truth = 'woman' AND {call} = 'woman') AS ff,
                   count(*) FILTER (WHERE truth = 'woman' AND {call} = 'man') AS fm,
                   count(*) FILTER (WHERE truth = 'man' AND {call} = 'woman') AS mf,
                   count(*) FILTER (WHERE truth = 'man' AND {call} = 'man') AS mm,
                   count(*) FILTER (WHERE truth = 'woman' AND {call} NOT IN ('woman', 'man')) AS fu,
                   count(*) FILTER (WHERE truth = 'man' AND {call} NOT IN ('woman', 'man')) AS mu
            FROM {rel} WHERE truth IS NOT NULL
        )
        SELECT ff, fm, mf, mm, fu, mu,
               (fm + mf + fu + mu) / nullif(ff + fm + mf + mm + fu + mu, 0) AS "errorCoded",
               (fm + mf) / nullif(ff + fm + mf + mm, 0) AS "errorCodedWithoutNA",
               (fu + mu) / nullif(ff + fm + mf + mm + fu + mu, 0) AS "naCoded",
               (mf - fm) / nullif(ff + fm + mf + mm, 0) AS "errorGenderBias"
        FROM c"""


def metrics(truth: Sequence[str | None], predicted: Sequence[str | None]) -> dict[str, float | int | None]:
    """The four metrics and the confusion counts for true labels and calls (woman/man/anything else = unknown)."""
    if len(truth) != len(predicted):
        raise ArgumentError(f"truth has {len(truth)} labels but predicted has {len(predicted)}")
    con = _connect()
    try:
        con.register("t", pa.table({"t": pa.array(list(truth), pa.string()), "c": pa.array(list(predicted), pa.string())}))
        rel = f"(SELECT {truth_sql('t')} AS truth, coalesce(c, 'unknown') AS c FROM t)"
        res = con.sql(_metrics_sql(rel, "c")).to_arrow_table().to_pylist()[0]
    finally:
        con.close()
    return res


def curve(truth: Sequence[str | None], p_woman: Sequence[float | None],
          lows: Sequence[float] = CURVE_LOWS) -> pa.Table:
    """The metrics at each symmetric band (lo, 1 - lo): one row per band, from the same probabilities."""
    con = _connect()
    try:
        con.register("t", pa.table({"t": pa.array(list(truth), pa.string()),
                                    "p": pa.array([None if v is None else float(v) for v in p_woman], pa.float64())}))
        con.register("bands", pa.table({"lo": pa.array([float(x) for x in lows], pa.float64())}))
        call = "CASE WHEN p IS NULL THEN 'unknown' WHEN p >= 1 - lo AND p > 0.5 THEN 'woman' " \
               "WHEN p <= lo AND p < 0.5 THEN 'man' ELSE 'unknown' END"
        out = con.sql(f"""
            SELECT b.lo, 1 - b.lo AS hi, m.*
            FROM bands b, LATERAL ({_metrics_sql(f"(SELECT {truth_sql('t')} AS truth, p, b.lo AS lo FROM t)", call)}) m
            ORDER BY b.lo DESC""").to_arrow_table()
    finally:
        con.close()
    return out


def choose_band(table: pa.Table, target: float = 0.01) -> tuple[float, float]:
    """The widest-coverage (narrowest) symmetric band on a curve whose errorCodedWithoutNA is at most ``target``."""
    rows = [r for r in table.to_pylist() if r["errorCodedWithoutNA"] is not None]
    ok = [r for r in rows if r["errorCodedWithoutNA"] <= target]
    if not ok:
        best = min(rows, key=lambda r: r["errorCodedWithoutNA"])
        return float(best["lo"]), float(best["hi"])
    best = max(ok, key=lambda r: r["lo"])
    return float(best["lo"]), float(best["hi"])


@dataclass
class Evaluation:
    """The evaluation of one labelled file: metrics at the band, the curve, and what was left out."""

    path: str
    rows: int
    evaluated: int
    skipped_truth: int
    band: tuple[float, float]
    metrics: dict[str, Any]
    curve: pa.Table
    share: dict[str, Any] = field(default_factory=dict)
    #: the store whose recorded genders adapted the model (None: the prior alone) and how many recorded women and
    #: men with a usable first name it adapted with
    store: str | None = None
    recorded_people: int | None = None

    @property
    def model(self) -> str:
        """Which model was scored, in words: ``prior alone`` or ``adapted with STORE: N recorded people``."""
        if self.store is None:
            return "prior alone"
        n = self.recorded_people or 0
        return f"adapted with {self.store}: {n:,} recorded {'person' if n == 1 else 'people'}"

    def metrics_table(self) -> pa.Table:
        """One row: the model scored, the metrics at the band plus the confusion counts and the share estimate's
        error."""
        row: dict[str, Any] = {"file": os.path.basename(self.path), "model": self.model, "n": self.evaluated,
                               "band": f"{self.band[0]:g}-{self.band[1]:g}"}
        row.update({k: self.metrics[k] for k in METRICS})
        row.update({k: self.metrics[k] for k in ("ff", "fm", "mf", "mm", "fu", "mu")})
        row.update(self.share)
        return pa.Table.from_pylist([row])

    def as_table(self, curve: bool = True) -> pa.Table:
        """The headline and the curve as one table, as ``gender eval --format csv`` writes it: a ``part`` column
        (``headline``: the metrics at the chosen band, the first row; ``curve``: one row per band of the curve),
        then ``file, model, n, skipped_truth, band, lo, hi``, the metrics, the confusion counts and the share estimate
        (``share_true`` .. ``share_error``: the headline's, blank on the curve's rows). ``curve`` False: the
        headline row alone, in the same columns."""
        head = self.metrics_table().to_pylist()[0]
        share = [k for k in head if k in self.share]
        columns = ["part", "file", "model", "n", "skipped_truth", "band", "lo", "hi", *METRICS,
                   "ff", "fm", "mf", "mm", "fu", "mu", *share]
        rows = [{**head, "part": "headline", "skipped_truth": self.skipped_truth, "lo": float(self.band[0]),
                 "hi": float(self.band[1])}]
        for r in self.curve.to_pylist() if curve else []:
            rows.append({**{k: None for k in columns}, **r, "part": "curve", "file": head["file"],
                         "model": head["model"], "n": head["n"],
                         "skipped_truth": self.skipped_truth, "band": f"{r['lo']:g}-{r['hi']:g}"})
        schema = pa.schema([(c, pa.string() if c in ("part", "file", "model", "band") else
                             pa.int64() if c in ("n", "skipped_truth", "ff", "fm", "mf", "mm", "fu", "mu") else
                             pa.float64()) for c in columns])
        return pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows], schema=schema)


#: what a labelled file must be, for an error about its encoding
LABELS_EXPECTED = "expected a CSV of names and their genders, saved as UTF-8"


def read_labelled(path: str | os.PathLike[str], name_col: str, gender_col: str) -> pa.Table:
    """A CSV with a name column and a true-gender column -> ``name, truth_raw`` (strings; an empty cell is
    missing, None).

    Read with Python's csv module (strictly), as the other readers of a user's files are: comma-separated, or
    semicolon- or tab-separated when the header read with commas is one cell holding those (a spreadsheet's
    export: :func:`crewparity.sources.overrides.other_delimiter`). Every row has the header's number of fields; a
    row that has not is an error naming its line and saying too few or too many (DuckDB's sniffer, thrown by such a
    row, read the file as one column or took the row for the header, and the error named line 1). A line with
    nothing but separators and spaces is skipped. A label outside the spellings of
    :mod:`crewparity.gender.spelling` is an error naming its line.
    """
    from crewparity.sources.overrides import other_delimiter

    p = Path(path)
    if not p.exists():
        raise InputError("no such file", path=p)
    if p.is_dir():
        raise InputError("is a directory, not a CSV file", path=p)
    text = decode_text(p.read_bytes(), p, LABELS_EXPECTED)
    delimiter = ","
    records = csv_records(csv.reader(io.StringIO(text, newline=""), strict=True), p)
    first = next(records, None)
    if first is None:
        raise InputError(f"empty file; expected a CSV header line with the columns {name_col!r} and {gender_col!r}",
                         path=p, line=1)
    header = first[1]
    if any(c not in header for c in (name_col, gender_col)):
        other = other_delimiter(header)
        if other is not None:
            delimiter = other
            records = csv_records(csv.reader(io.StringIO(text, newline=""), delimiter=other, strict=True), p)
            header = next(records)[1]
    for c in (name_col, gender_col):
        if c not in header:
            read_as = "" if delimiter == "," else f", read as {SEPARATOR_NAMES[delimiter]}-separated,"
            raise InputError(f"no column {c!r}; the header{read_as} has: {header_cells(header)}", path=p, line=1)
    i_name, i_gender = header.index(name_col), header.index(gender_col)
    names: list[str | None] = []
    labels: list[str | None] = []
    for line, row in records:
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise InputError(fields_message(len(row), header, delimiter), path=p, line=line)
        label = row[i_gender] or None
        if spelling.canonical_gender(label) is None and not spelling.is_not_recorded(label):
            spelling.parse_recorded_gender(label, p, line, gender_col)  # raises, naming the file and line
        names.append(row[i_name] or None)
        labels.append(label)
    return pa.table({"name": pa.array(names, pa.string()), "truth_raw": pa.array(labels, pa.string())})


def evaluate_names(names: Sequence[str | None], truth: Sequence[str | None],
                   band: tuple[float, float] | None = None, *, path: str = "",
                   table: pa.Table | None = None, store: str | None = None,
                   birth_year: int | None = None) -> Evaluation:
    """Guess every name and compare with the truth: with the prior-only model, or with ``table`` (a name table
    adapted from a store by :func:`crewparity.gender.names.store_name_table`, the store's path in ``store``, as
    the result's ``model`` names it); ``birth_year`` for everyone, as ``guess_names`` takes it."""
    band = names_mod.band_or_default(band)
    guessed = names_mod.guess_names(list(names), birth_year, band=band, table=table)
    truth_list = list(truth)
    calls = guessed.column("gender").to_pylist()
    ps = guessed.column("p_woman").to_pylist()
    con = _connect()
    try:
        con.register("t", pa.table({"t": pa.array(truth_list, pa.string())}))
        norm = [r[0] for r in con.execute(f"SELECT {truth_sql('t')} FROM t").fetchall()]
    finally:
        con.close()
    keep = [i for i, v in enumerate(norm) if v is not None]
    m = metrics([norm[i] for i in keep], [calls[i] for i in keep])
    cur = curve([norm[i] for i in keep], [ps[i] for i in keep])
    share = _share_error([norm[i] for i in keep], [ps[i] for i in keep])
    recorded = None
    if table is not None:
        recorded = int(pc.sum(table.column("n_store")).as_py() or 0)
    return Evaluation(path=path, rows=len(truth_list), evaluated=len(keep), skipped_truth=len(truth_list) - len(keep),
                      band=band, metrics=m, curve=cur, share=share,
                      store=None if table is None else (store or "a store"), recorded_people=recorded)


def _share_error(truth: list[str | None], ps: list[float | None]) -> dict[str, Any]:
    """The women's share estimated from the probabilities alone, as ``gender estimate`` does for a list (with the
    model's default calibration), beside the true share."""
    try:
        from crewparity.gender.estimate import default_calibration, estimate_share
    except ImportError:
        return {}
    if not truth:
        return {}
    true_share = sum(1 for t in truth if t == "woman") / len(truth)
    p = [v for v in ps if v is not None]
    est = estimate_share(0, 0, 0, p, len(ps) - len(p), calibration=default_calibration())
    return {"share_true": true_share, "share_expected": est.share_expected, "ci_low": est.ci_low,
            "ci_high": est.ci_high, "share_error": est.share_expected - true_share}


def evaluate_file(path: str | os.PathLike[str], name_col: str, gender_col: str,
                  band: tuple[float, float] | None = None) -> Evaluation:
    """Evaluate the model on a labelled CSV (the names as written, the prior-only model)."""
    return evaluate_labelled(read_labelled(path, name_col, gender_col), band, path=str(path))


def evaluate_labelled(labelled: pa.Table, band: tuple[float, float] | None = None, *, path: str = "",
                      table: pa.Table | None = None, store: str | None = None,
                      birth_year: int | None = None) -> Evaluation:
    """Evaluate the model on a table read by :func:`read_labelled` (see :func:`evaluate_names`)."""
    return evaluate_names(labelled.column("name").to_pylist(), labelled.column("truth_raw").to_pylist(), band,
                          path=path, table=table, store=store, birth_year=birth_year)
