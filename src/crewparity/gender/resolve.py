"""Evidence -> one resolved gender per person, by the precedence of DESIGN.md, set-based SQL throughout.

Precedence: overrides > crewlist > wikidata > tmdb > imdb > name_model > unknown. The first source that has
evidence for a person wins; if that source contradicts itself (an IMDb person listed both as actor and
actress) the person is unknown rather than guessed. Every resolved row keeps its source.

People with no recorded evidence go to the first-name model (:mod:`crewparity.gender.names`), adapted with
the first names of the people whose gender *is* recorded: ``source = 'name_model'`` with ``p_woman`` and a
call outside the abstain band (inside it: ``unknown``, ``p_woman`` kept); no usable first name (initials
only) or a name never seen: ``source = 'none'``, ``p_woman`` NULL. A person who has recorded evidence but a
contradictory one stays ``unknown`` with the recorded source: the name model never overrides a record.

Steps: one temp table of every person with the recorded resolution, first-name key and birth decade (one
statement: no person-by-person joins between steps) -> store counts per key -> name table -> one INSERT: the
recorded people as they are, the others through the small table of scored (key, decade) pairs. At IMDb scale
(15M people, 90M credits) this is about 33 CPU seconds and 3.4 GB peak (docs/gender.md, Speed).
"""

from __future__ import annotations

from collections.abc import Callable

from crewparity.gender import names, parse, person
from crewparity.gender.estimate import (
    CALIBRATION_SAMPLE,
    Calibration,
    calibration_from_labels,
    default_calibration,
)
from crewparity.metrics import derived
from crewparity.schema import EVIDENCE_PRECEDENCE
from crewparity.store import Store, record_source


def _people(store: Store, with_keys: bool) -> None:
    """Temp table ``cp_p``: every person (in people or credits) with the recorded resolution (``gender``,
    ``p_woman``, ``source``; ``source = 'none'``: no record) and, ``with_keys``, the first-name ``key`` and
    birth ``decade`` of the name model.

    Evidence: one GROUP BY with integer states only. With ``k = rank * 10 + g`` (g = 1 woman, 2 man,
    3 nonbinary, 4 other), ``min(k)`` gives the best rank (so the source) and the smallest gender code at it,
    ``min(rank * 10 + 9 - g)`` the largest; they differ exactly when the winning source contradicts itself (then
    unknown, not guessed). A source outside the precedence list (rank 99) keeps its name by ``arg_min``.
    People: one name and birth year per person by the rule every reader of ``people`` shares
    (:mod:`crewparity.gender.person`: a person may have a row from several sources); people who are only in
    credits are found by an anti-join (credits has ~6 rows a person, so a DISTINCT over people and credits
    together would hash every credit). Only the key is kept
    from the name (parsed in the same statement, so the names are never stored twice).
    """
    ranks = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(EVIDENCE_PRECEDENCE))
    rank = f"(CASE source {ranks} ELSE 99 END)"
    g = "(CASE gender WHEN 'woman' THEN 1 WHEN 'man' THEN 2 WHEN 'nonbinary' THEN 3 ELSE 4 END)"
    known = ", ".join(f"'{s}'" for s in EVIDENCE_PRECEDENCE)
    people = f"""
        WITH ev AS (
            SELECT person_id, min(k) AS k_lo, min(k_hi) AS k_hi, arg_min(source, k) FILTER (WHERE k >= 990) AS other
            FROM (SELECT person_id, source, {rank} * 10 + {g} AS k, {rank} * 10 + 9 - {g} AS k_hi FROM gender_evidence)
            GROUP BY person_id
        ),
        base AS (
            {person.people_sql()}
            UNION ALL
            SELECT DISTINCT person_id, NULL, NULL FROM credits ANTI JOIN people USING (person_id)
        )
        SELECT b.*, e.k_lo % 10 AS g_lo, 9 - e.k_hi % 10 AS g_hi,
               CASE WHEN e.k_lo >= 990 THEN e.other ELSE ([{known}])[e.k_lo // 10 + 1] END AS source
        FROM base b LEFT JOIN ev e USING (person_id)"""
    if with_keys:
        src = (f"SELECT * EXCLUDE (name, birth_year), {names.decade_sql('birth_year')} AS decade "
               f"FROM ({parse.keys_sql(people)})")
    else:
        src = people
    store.con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE cp_p AS
        SELECT person_id,
               CASE WHEN g_lo <> g_hi THEN 'unknown'
                    WHEN g_lo = 1 THEN 'woman' WHEN g_lo = 2 THEN 'man' WHEN g_lo = 3 THEN 'nonbinary'
                    ELSE 'unknown' END AS gender,
               CASE WHEN g_lo = g_hi AND g_lo = 1 THEN 1.0 WHEN g_lo = g_hi AND g_lo = 2 THEN 0.0 END AS p_woman,
               coalesce(source, 'none') AS source{", key, decade" if with_keys else ""}
        FROM ({src})
        """
    )


def resolve(store: Store, *, band: tuple[float, float] | None = None, name_model: bool = True,
            progress: Callable[[str], None] | None = None, evidence_only: bool = False) -> dict[str, int]:
    """Rebuild ``resolved_gender`` from ``gender_evidence`` and the first-name model; people per resolved source.

    ``band`` overrides the model's abstain band; ``name_model=False`` leaves everyone without a record
    unknown (source ``none``), as before the model existed. Every write path runs this, so it also brings the
    derived query tables (:mod:`crewparity.metrics.derived`) up to date: rebuilt from scratch, or, when the
    caller says the write changed only gender evidence (``evidence_only``: overrides, Wikidata), updated for the
    people whose resolved gender changed (an override on a full-scale store: seconds instead of minutes).
    """
    incremental = evidence_only and derived.is_built(store)
    if incremental:
        store.con.execute("CREATE OR REPLACE TEMP TABLE cp_before AS SELECT * FROM resolved_gender")
    try:
        counts = resolve_genders(store, band=band, name_model=name_model)
        if progress is not None:
            progress("updating the query tables" if incremental else "building the query tables")
        if incremental:
            store.con.execute("""CREATE OR REPLACE TEMP TABLE cp_changed AS
                                 SELECT * FROM resolved_gender EXCEPT SELECT * FROM cp_before""")
            derived.update_genders(store, "cp_changed")
        else:
            derived.rebuild(store)
    finally:
        store.con.execute("DROP TABLE IF EXISTS cp_before")
        store.con.execute("DROP TABLE IF EXISTS cp_changed")
    return counts


def resolve_genders(store: Store, *, band: tuple[float, float] | None = None,
                    name_model: bool = True) -> dict[str, int]:
    """The gender part of :func:`resolve`: ``resolved_gender`` only (benchmarks time it alone)."""
    lo_hi = names.band_or_default(band)
    con = store.con
    try:
        _people(store, with_keys=name_model)
        con.execute("DELETE FROM resolved_gender")
        if not name_model:
            con.execute("INSERT INTO resolved_gender SELECT person_id, gender, p_woman, source FROM cp_p")
            return _counts(store)
        con.execute(f"CREATE OR REPLACE TEMP TABLE cp_counts AS {names.store_counts_sql('cp_p', 'cp_p')}")
        table = names.build_name_table(con, "cp_counts")
        con.register("cp_nm_table", table)
        con.register("cp_nm_decades", names.decade_table())
        # recorded people go in as they are; the model scores each distinct (key, decade) of the people without
        # a record once, and only those people probe that small table
        todo = "(SELECT key, decade FROM cp_p WHERE source = 'none')"
        con.execute(
            f"""
            INSERT INTO resolved_gender
            WITH s AS ({names.score_sql(todo, 'cp_nm_table', 'cp_nm_decades')})
            SELECT person_id, gender, p_woman, source FROM cp_p WHERE source <> 'none'
            UNION ALL
            SELECT r.person_id, {names.call_sql('s.p_woman', lo_hi)}, s.p_woman,
                   CASE WHEN s.p_woman IS NOT NULL THEN '{names.MODEL_NAME}' ELSE 'none' END
            FROM cp_p r LEFT JOIN s ON s.key IS NOT DISTINCT FROM r.key AND s.decade IS NOT DISTINCT FROM r.decade
            WHERE r.source = 'none'
            """
        )
        adapted = con.execute("SELECT count(*), coalesce(sum(women + men), 0) FROM cp_counts").fetchall()[0]
        calibration = _calibrate(store)
    finally:
        con.unregister("cp_nm_table")
        con.unregister("cp_nm_decades")
        for t in ("cp_p", "cp_counts", "cp_lab"):
            con.execute(f"DROP TABLE IF EXISTS {t}")
    _record(store, lo_hi, table.num_rows, int(adapted[0]), int(adapted[1]))
    con.execute("DELETE FROM meta WHERE key = ?", [CALIBRATION_KEY])
    if calibration is not None:
        con.execute("INSERT INTO meta VALUES (?, ?)", [CALIBRATION_KEY, calibration.to_json()])
    return _counts(store)


#: meta key of the name model's recalibration on this store's recorded people (read by the share estimates)
CALIBRATION_KEY = "name_model_calibration"


def _calibrate(store: Store) -> Calibration | None:
    """Measure how the store-adapted name model is calibrated, on people whose gender is recorded.

    Why: the model that resolve applies is adapted with the store's own actors and actresses, so it is no longer
    calibrated at its prior's base rate; the prior-shift estimator needs the rate (and the slope) it really has,
    or it over-corrects (synth scale 0.1: interval coverage 74% with the prior's rate, 99.8% with this). Scored
    with the same name table and decade shifts as the inferred people, in SQL; only the fit is NumPy.
    Caveat: the adapted model has seen these people's own labels, so for rare names the fit is in-sample.
    """
    con = store.con
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE cp_lab AS
            SELECT key, decade, gender = 'woman' AS woman
            FROM cp_p
            WHERE source <> 'none' AND gender IN ('woman', 'man') AND key IS NOT NULL
            ORDER BY hash(person_id) LIMIT {CALIBRATION_SAMPLE}"""
    )
    lab = store.arrow(
        f"""WITH s AS ({names.score_sql('cp_lab', 'cp_nm_table', 'cp_nm_decades')})
            SELECT s.p_woman, l.woman::DOUBLE AS woman
            FROM cp_lab l JOIN s ON s.key = l.key AND s.decade IS NOT DISTINCT FROM l.decade
            WHERE s.p_woman IS NOT NULL
            ORDER BY s.p_woman, woman"""
        # in a fixed order: the join's order varies with its threads, and so did the fit's last digits (the
        # intercept differed at 1e-17 between two ingests of the same files), and every share_expected with it
    )
    return calibration_from_labels(lab["p_woman"].to_numpy(), lab["woman"].to_numpy())


def stored_calibration(store: Store) -> Calibration | None:
    """The recalibration resolve measured on this store, or None (fewer than estimate.CALIBRATION_MIN_PEOPLE to fit on)."""
    rows = store.con.execute("SELECT value FROM meta WHERE key = ?", [CALIBRATION_KEY]).fetchall()
    return Calibration.from_json(rows[0][0]) if rows else None


def estimate_calibration(store: Store) -> Calibration | None:
    """The recalibration ``share_expected`` uses on this store: its own (measured by resolve on its recorded
    people), else the name model's default measured on US births (:func:`crewparity.gender.estimate.
    default_calibration`), as for a list of names without a store."""
    return stored_calibration(store) or default_calibration()


def _record(store: Store, band: tuple[float, float], n_names: int, adapted_names: int, adapted_people: int) -> None:
    """Say in the store which model and band made the inferred rows (the report's method section reads it)."""
    con = store.con
    con.execute("DELETE FROM sources WHERE source = ?", [names.MODEL_NAME])
    detail = (f"{names.describe(band)}; names={n_names}; store names={adapted_names}; "
              f"store people with a recorded gender={adapted_people}")
    record_source(store, names.MODEL_NAME, str(names.prior_path()), n_names, detail=detail)
    con.execute(
        "INSERT OR REPLACE INTO meta VALUES ('name_model_band', ?), ('name_model_prior', ?), ('name_model', ?)",
        [f"{band[0]},{band[1]}", "nomquamgender", names.describe(band)],
    )


def _counts(store: Store) -> dict[str, int]:
    rows = store.con.execute("SELECT source, count(*) FROM resolved_gender GROUP BY source").fetchall()
    return {str(s): int(n) for s, n in rows}
