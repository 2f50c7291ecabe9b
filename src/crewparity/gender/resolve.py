"""Evidence -> one resolved gender per person, by the precedence of DESIGN.md, set-based SQL throughout.

Precedence: overrides > crewlist > wikidata > tmdb > imdb > name_model > unknown. The first source that has
evidence for a person wins; if that source contradicts itself (an IMDb person listed both as actor and
actress) the person is unknown rather than guessed. Every resolved row keeps its source.

People with no recorded evidence go to the first-name model (:mod:`crewparity.gender.names`), adapted with
the first names of the people whose gender *is* recorded: ``source = 'name_model'`` with ``p_woman`` and a
call outside the abstain band (inside it: ``unknown``, ``p_woman`` kept); no usable first name (initials
only) or a name never seen: ``source = 'none'``, ``p_woman`` NULL. A person who has recorded evidence but a
contradictory one stays ``unknown`` with the recorded source: the name model never overrides a record.

Steps (temp tables, each one pass over the people): recorded resolution -> first-name key and birth decade
per person -> store counts per key -> name table -> one INSERT joining people to the name table by key.
"""

from __future__ import annotations

from crewparity.gender import names, parse
from crewparity.gender.estimate import Calibration, fit_calibration
from crewparity.metrics import derived
from crewparity.schema import EVIDENCE_PRECEDENCE
from crewparity.store import Store, record_source


def _recorded(store: Store) -> None:
    """Temp table ``cp_rec``: every person with the recorded resolution (``source = 'none'``: no record).

    One GROUP BY over the evidence: with ``k = rank * 10 + g`` (g = 1 woman, 2 man, 3 nonbinary, 4 other),
    ``min(k)`` gives the best rank and the smallest gender code at it, ``min(rank * 10 + 9 - g)`` the largest;
    they differ exactly when the winning source contradicts itself (then unknown, not guessed).
    """
    rank = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(EVIDENCE_PRECEDENCE))
    store.con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE cp_rec AS
        WITH ev AS (
            SELECT person_id, source, CASE source {rank} ELSE 99 END AS rnk,
                   CASE gender WHEN 'woman' THEN 1 WHEN 'man' THEN 2 WHEN 'nonbinary' THEN 3 ELSE 4 END AS g
            FROM gender_evidence
        ),
        top AS (
            SELECT person_id, arg_min(source, rnk * 10 + g) AS source, min(rnk * 10 + g) % 10 AS g_lo,
                   9 - min(rnk * 10 + 9 - g) % 10 AS g_hi
            FROM ev GROUP BY person_id
        ),
        everyone AS (
            SELECT person_id FROM people UNION SELECT person_id FROM credits
        )
        SELECT e.person_id,
               CASE WHEN t.g_lo <> t.g_hi THEN 'unknown'
                    WHEN t.g_lo = 1 THEN 'woman' WHEN t.g_lo = 2 THEN 'man' WHEN t.g_lo = 3 THEN 'nonbinary'
                    ELSE 'unknown' END AS gender,
               CASE WHEN t.g_lo = t.g_hi AND t.g_lo = 1 THEN 1.0
                    WHEN t.g_lo = t.g_hi AND t.g_lo = 2 THEN 0.0 END AS p_woman,
               coalesce(t.source, 'none') AS source
        FROM everyone e LEFT JOIN top t USING (person_id)
        """
    )


def resolve(store: Store, *, band: tuple[float, float] | None = None, name_model: bool = True) -> dict[str, int]:
    """Rebuild ``resolved_gender`` from ``gender_evidence`` and the first-name model; people per resolved source.

    ``band`` overrides the model's abstain band; ``name_model=False`` leaves everyone without a record
    unknown (source ``none``), as before the model existed. Every write path runs this, so it also rebuilds
    the derived query tables (:mod:`crewparity.metrics.derived`) from what it resolved.
    """
    counts = resolve_genders(store, band=band, name_model=name_model)
    derived.rebuild(store)
    return counts


def resolve_genders(store: Store, *, band: tuple[float, float] | None = None,
                    name_model: bool = True) -> dict[str, int]:
    """The gender part of :func:`resolve`: ``resolved_gender`` only (benchmarks time it alone)."""
    lo_hi = names.band_or_default(band)
    con = store.con
    _recorded(store)
    con.execute("DELETE FROM resolved_gender")
    if not name_model:
        con.execute("INSERT INTO resolved_gender SELECT person_id, gender, p_woman, source FROM cp_rec")
        con.execute("DROP TABLE IF EXISTS cp_rec")
        return _counts(store)
    # One name and birth decade per person (a person may have a row from several sources).
    people = ("SELECT person_id, any_value(name) AS name, max(birth_year) AS birth_year "
              "FROM people WHERE name IS NOT NULL GROUP BY person_id")
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE cp_keys AS
            SELECT person_id, key, {names.decade_sql('birth_year')} AS decade FROM ({parse.keys_sql(people)})"""
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE cp_counts AS {names.store_counts_sql('cp_keys', 'cp_rec')}")
    table = names.build_name_table(con, "cp_counts")
    con.register("cp_nm_table", table)
    con.register("cp_nm_decades", names.decade_table())
    try:
        con.execute(
            """CREATE OR REPLACE TEMP TABLE cp_todo AS
                SELECT k.person_id, k.key, k.decade FROM cp_keys k JOIN cp_rec r USING (person_id)
                WHERE r.source = 'none'"""
        )
        con.execute(
            f"""
            INSERT INTO resolved_gender
            WITH s AS ({names.score_sql('cp_todo', 'cp_nm_table', 'cp_nm_decades')}),
            model AS (
                SELECT t.person_id, s.p_woman
                FROM cp_todo t JOIN s ON s.key IS NOT DISTINCT FROM t.key AND s.decade IS NOT DISTINCT FROM t.decade
            )
            SELECT r.person_id,
                   CASE WHEN r.source <> 'none' THEN r.gender ELSE {names.call_sql('m.p_woman', lo_hi)} END,
                   CASE WHEN r.source <> 'none' THEN r.p_woman ELSE m.p_woman END,
                   CASE WHEN r.source <> 'none' THEN r.source
                        WHEN m.p_woman IS NOT NULL THEN '{names.MODEL_NAME}' ELSE 'none' END
            FROM cp_rec r LEFT JOIN model m USING (person_id)
            """
        )
        adapted = con.execute("SELECT count(*), coalesce(sum(women + men), 0) FROM cp_counts").fetchall()[0]
        calibration = _calibrate(store)
    finally:
        con.unregister("cp_nm_table")
        con.unregister("cp_nm_decades")
        for t in ("cp_rec", "cp_keys", "cp_counts", "cp_todo", "cp_lab"):
            con.execute(f"DROP TABLE IF EXISTS {t}")
    _record(store, lo_hi, table.num_rows, int(adapted[0]), int(adapted[1]))
    con.execute("DELETE FROM meta WHERE key = ?", [CALIBRATION_KEY])
    if calibration is not None:
        con.execute("INSERT INTO meta VALUES (?, ?)", [CALIBRATION_KEY, calibration.to_json()])
    return _counts(store)


#: meta key of the name model's recalibration on this store's recorded people (read by the share estimates)
CALIBRATION_KEY = "name_model_calibration"
#: recorded people sampled for the recalibration (a deterministic hash sample; 200k fit as well as 490k on synth)
CALIBRATION_SAMPLE = 200_000
#: fewer labelled people than this and no recalibration is stored: two parameters fitted on the demo's 106
#: people came out at slope 1.96, intercept 3.49, noise that would move every estimate
CALIBRATION_MIN_PEOPLE = 1_000


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
            SELECT k.key, k.decade, r.gender = 'woman' AS woman
            FROM cp_keys k JOIN cp_rec r USING (person_id)
            WHERE r.source <> 'none' AND r.gender IN ('woman', 'man') AND k.key IS NOT NULL
            ORDER BY hash(k.person_id) LIMIT {CALIBRATION_SAMPLE}"""
    )
    lab = store.arrow(
        f"""WITH s AS ({names.score_sql('cp_lab', 'cp_nm_table', 'cp_nm_decades')})
            SELECT s.p_woman, l.woman::DOUBLE AS woman
            FROM cp_lab l JOIN s ON s.key = l.key AND s.decade IS NOT DISTINCT FROM l.decade
            WHERE s.p_woman IS NOT NULL"""
    )
    if lab.num_rows < CALIBRATION_MIN_PEOPLE:
        return None
    try:
        return fit_calibration(lab["p_woman"].to_numpy(), lab["woman"].to_numpy())
    except ValueError:  # no recorded women or no recorded men: nothing to calibrate on
        return None


def stored_calibration(store: Store) -> Calibration | None:
    """The recalibration resolve measured on this store, or None (fewer than CALIBRATION_MIN_PEOPLE to fit on)."""
    rows = store.con.execute("SELECT value FROM meta WHERE key = ?", [CALIBRATION_KEY]).fetchall()
    return Calibration.from_json(rows[0][0]) if rows else None


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
