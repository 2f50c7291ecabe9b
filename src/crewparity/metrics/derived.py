"""Derived query tables: the joins every figure needs, done once per write instead of once per question.

Why: a share or a series question over the canonical tables joins tens of millions of credits to titles (rolled
up to their series) and to ``resolved_gender`` on text ids. At full IMDb scale that took 30-50 s for a share by
year and about a second for one show's seasons. These tables hold the result of those joins, denormalised and
(for the series look-ups) sorted, so that a question is one scan with no join:

* ``key_credits`` -- one row per distinct crew credit (title, person, role; cast is not crew), with the credited
  title's year, the rolled-up title (an episode counts for its series) and its kind, the person's resolved
  gender and evidence kind as one code (``ge``), ``p_woman`` and its bin (``pbi``), and the title's genres as a
  bit mask (``genre_mask``, over the vocabulary in meta ``derived_genres``: a genre question needs no join with
  ``titles``). Every column is an integer: the person (:func:`person_key_sql`, as in the person tables), the
  credited and the rolled-up title (:func:`title_key_sql`; ``title_keys`` keeps the ids that are not IMDb's,
  ``title_names`` the rolled-up titles' names),
  the role (:func:`role_code_sql`) and the kind (:func:`kind_code_sql`, over the vocabulary in meta
  ``derived_kinds``). Why: the table holds 44M rows at full scale, and writing and sorting it with text columns
  took 73-77 s against 45 s in integers (peak 7.9 against 6.2 GB); queries group on the codes and decode the
  few result rows;
* ``person_years`` -- one row per (year, person) with a bit mask of the (kind, role) pairs the person was
  credited in that year: distinct people per year for any set of roles and kinds without a DISTINCT at query
  time; and the genres of the person's key-role credits that year (``gmask``, the union of their genre masks,
  and ``gnone``, one of them has no genre), for people by genre without reading the credits;
* ``person_decades``, ``person_all`` -- the same per (decade, person) and per person, for ``--by decade``, a year
  range of whole decades (a third as many rows as the years) and one overall row without a year range;
* ``people_cells`` -- those three counted per (level, period, mask, gender and evidence, p bin): people per year,
  decade or overall for any roles and kinds is a scan of under a million rows (a year range over decades or
  everything still needs the person rows, to count a person once);
* ``credit_cells`` -- credits counted per (year, kind, role, gender, evidence, p bin);
* ``title_cells`` -- titles as the unit for the key roles, counted per year and kind, per kind over every year
  and per kind and genre over every year, by gender, evidence and p bin (:mod:`crewparity.metrics.title_cells`);
* ``genre_cells`` -- the people of the key roles (any kind) counted per genre, gender, evidence and p bin, per
  year, per decade and overall (``level``, ``period``, as ``people_cells``): ``share --by genre``, ``--by
  year,genre`` and ``--by decade,genre`` without reading the credits (see :mod:`crewparity.metrics.genres`);
* ``title_years`` -- rolled-up titles per year with their votes (one figure per title and year), their key and
  their place in the year's ranking by votes among all titles and among their kind (``year_rank``,
  ``kind_rank``), for the ``top:N`` sample; each credit carries its title's places too (``key_credits.year_rank``,
  ``kind_rank``);
* ``series_index`` -- the TV series and mini-series, for finding a show by name, with their genres and adult flag
  (a study's ``exclude_genres`` / ``exclude_adult`` picks the series to leave out from these few rows, not from
  every title: :func:`crewparity.metrics.samples.excluded_series_sql`);
* ``episodes`` -- one row per episode with its directors counted by gender (the DGA's unit), sorted by series;
* ``episode_directors`` -- one row per episode and director with the episode's series, sorted by series (the
  episode's own columns are in ``episodes``).

They are rebuilt from scratch at the end of every :func:`crewparity.gender.resolve.resolve`, which every write
path runs, so they can never disagree with the canonical tables; a write of gender evidence alone (overrides,
Wikidata) updates the gender columns of the people whose resolved gender changed instead (:func:`update_genders`).
The pilot flag of ``episodes`` follows the rules file as it was at the last rebuild; :func:`pilot_expr` falls back
to the rule itself when the file changed since. Specials (the rules file's ``specials.seasons``) are no stored flag:
:func:`pilot_or_special_expr` reads the season number.
"""

from __future__ import annotations

import json
import threading

import duckdb

from crewparity.errors import StoreError
from crewparity.gender import person
from crewparity.metrics.roles import CREW_ROLES, key_roles, pilot_patterns, pilot_sql, special_sql
from crewparity.metrics.samples import KINDS, SERIES_KINDS, in_list
from crewparity.schema import DERIVED_TABLES
from crewparity.store import Store

#: IMDb title kinds as the store keeps them, in mask-slot order (the schema version covers this order: masks are
#: stored); any other kind (or none) takes the last slot.
MASK_KINDS: tuple[str, ...] = KINDS
OTHER_KIND_SLOT = len(MASK_KINDS)
#: the kinds episodes do not roll up to: an episode whose series row is of one of these keeps its own title
#: (``samples.sample_titles_cte`` rolls a listed title up by the same rule)
NOT_SERIES = ("tv_episode", "movie", "short", "video_game")
PILOT_RULE_KEY = "derived_pilot_rule"
#: meta key of the genre vocabulary behind ``key_credits.genre_mask`` (JSON list, or null when unusable)
GENRES_KEY = "derived_genres"
#: meta key of the kind vocabulary behind ``key_credits.kind_code``: :data:`MASK_KINDS`, then any other kind the
#: store's titles have, sorted (so a code is never ambiguous and the mask slots are the codes' first values)
KINDS_KEY = "derived_kinds"
GENRE_BITS = 64


#: resolved sources that are recorded facts (the rest: ``name_model`` inferred, ``none`` no information).
RECORDED_SOURCES: tuple[str, ...] = ("overrides", "crewlist", "wikidata", "tmdb", "imdb")


def evidence_sql(alias: str = "r") -> str:
    """The evidence kind of a resolved row: rec_woman / rec_man / rec_nonbinary, model, or noinfo."""
    recorded = ", ".join(f"'{s}'" for s in RECORDED_SOURCES)
    return f"""CASE WHEN {alias}.source IN ({recorded}) AND {alias}.gender IN ('woman', 'man', 'nonbinary')
                     THEN 'rec_' || {alias}.gender
                     WHEN {alias}.source = 'name_model' AND {alias}.p_woman IS NOT NULL THEN 'model'
                     ELSE 'noinfo' END"""


#: the IMDb person ids that map to an integer by their digits (anything else takes a hash)
_IMDB_PERSON_RE = "nm[0-9]{1,17}"


def person_key_sql(column: str) -> str:
    """SQL: a person's integer key in the query tables, from their id.

    Why: counting distinct people hashes and compares the key of every credit in scope; on 8-byte integers that
    is about 3x faster than on the id strings ("nm0000001"), and the tables are smaller and cheaper to write.
    An IMDb id maps to its digits behind a leading 1 (so "nm01" and "nm1" stay apart); any other id (TMDB,
    crew lists) to minus the top 63 bits of its MD5 (a fixed algorithm, so a later DuckDB computes the same
    key when it updates the tables in place), and a rebuild refuses a store where two of those collide
    (:func:`_check_person_keys`), so the key is as distinct as the id.
    """
    return _id_key_sql(column, _IMDB_PERSON_RE)


def person_id_of_key_sql(key: str) -> str:
    """SQL: the IMDb person id behind a person key (:func:`person_key_sql`: "nm" and the key's digits after its
    leading 1), NULL for a key that is a hash (an id that is not IMDb's: no table maps it back)."""
    return f"CASE WHEN {key} >= 0 THEN 'nm' || substr({key}::VARCHAR, 2) END"


def _id_key_sql(column: str, imdb_re: str) -> str:
    """The key rule of :func:`person_key_sql` for ids whose IMDb form ``imdb_re`` matches (two letters, digits)."""
    return (f"CASE WHEN regexp_full_match({column}, '{imdb_re}') THEN ('1' || substr({column}, 3))::BIGINT "
            f"ELSE -1 - (md5_number({column}) >> 65)::BIGINT END")


_IMDB_TITLE_RE = "tt[0-9]{1,17}"


def title_key_sql(column: str) -> str:
    """SQL: a title's integer key in ``key_credits``, from its id, by the rule of :func:`person_key_sql` ("tt"
    for "nm"). Why: the two title columns were a third of the cost of writing that table as text (about 15 s
    at full scale), and grouping titles on integers is cheaper too."""
    return _id_key_sql(column, _IMDB_TITLE_RE)


def title_id_sql(key: str, lookup: str) -> str:
    """SQL: the title id behind a title key. An IMDb key gives its id back from its digits; any other is
    ``lookup.title_id``, where ``lookup`` is ``title_keys`` LEFT JOINed on the key."""
    return f"CASE WHEN {key} >= 0 THEN 'tt' || substr({key}::VARCHAR, 2) ELSE {lookup}.title_id END"


def sql_list(values: tuple[str, ...] | list[str]) -> str:
    """A SQL list literal of strings, quoted."""
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def role_code_sql(column: str) -> str:
    """SQL: a crew role's code in ``key_credits`` (its place in :data:`CREW_ROLES`, as in the person masks)."""
    return f"(list_position({sql_list(CREW_ROLES)}, {column}) - 1)::UTINYINT"


def codes_in_sql(code: str, codes: list[int], count: int | None = None) -> str:
    """SQL: the integer code ``code`` is one of ``codes``, in comparisons DuckDB pushes into the scan.

    One or two codes: ``IN``; more: the range of the codes less the codes in it that are not wanted (the six key
    roles: ``code <= 6 AND code <> 2``). ``count``: how many codes there are (0..count-1), so a range that
    reaches an end needs no bound there; None when the vocabulary is the store's. Why: full scale, the credits
    of a set of roles read from ``key_credits`` took 0.13-0.24 s in these forms against 0.29-0.54 s for a bit
    test (``((1 << code) & mask) <> 0``, evaluated on every one of the 44M rows after the scan) and 0.33-0.75 s
    for an IN list of three or more integers (which DuckDB plans as a join against the list).
    """
    wanted = sorted(set(codes))
    if not wanted:
        return "false"
    if len(wanted) <= 2:
        return f"({code} IN ({', '.join(map(str, wanted))}))"
    lo, hi = wanted[0], wanted[-1]
    parts = [f"{code} >= {lo}"] if lo > 0 else []
    if count is None or hi < count - 1:
        parts.append(f"{code} <= {hi}")
    parts += [f"{code} <> {c}" for c in range(lo, hi + 1) if c not in wanted]
    return "(" + " AND ".join(parts or [f"{code} IS NOT NULL"]) + ")"


def has_role_sql(code: str, roles: list[str] | tuple[str, ...]) -> str:
    """SQL: the role code ``code`` is one of ``roles`` (:func:`codes_in_sql`)."""
    return codes_in_sql(code, [CREW_ROLES.index(r) for r in roles], len(CREW_ROLES))


def decode_role_sql(code: str) -> str:
    return f"{sql_list(CREW_ROLES)}[{code} + 1]"


def kind_code_sql(column: str, vocabulary: list[str]) -> str:
    """SQL: a kind's code in ``key_credits`` (its place in the store's kind vocabulary; NULL stays NULL)."""
    return f"(list_position({sql_list(vocabulary)}, {column}) - 1)::UTINYINT"


def has_kind_sql(code: str, kinds: list[str] | tuple[str, ...]) -> str:
    """SQL: the kind code ``code`` is one of the validated ``kinds`` (:data:`MASK_KINDS` come first in every
    vocabulary; a store may have more, so the range keeps its upper bound): :func:`codes_in_sql`."""
    return codes_in_sql(code, [MASK_KINDS.index(k) for k in kinds])


def decode_kind_sql(code: str, vocabulary: list[str]) -> str:
    return f"{sql_list(vocabulary)}[{code} + 1]"


def kind_slot_of_code_sql(code: str) -> str:
    """SQL: the person masks' kind slot of a kind code (kinds beyond :data:`MASK_KINDS`, and none, share the last)."""
    return f"coalesce(least({code}, {OTHER_KIND_SLOT}), {OTHER_KIND_SLOT})"


def kind_vocabulary(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The kinds in the order of ``key_credits.kind_code`` (recorded at the last rebuild)."""
    return meta_list(con, KINDS_KEY) or list(MASK_KINDS)


def _record_kinds(con: duckdb.DuckDBPyConnection) -> list[str]:
    others = [r[0] for r in con.execute(
        f"""SELECT DISTINCT kind FROM titles WHERE kind IS NOT NULL AND kind NOT IN ({in_list(list(MASK_KINDS))})
            ORDER BY kind""").fetchall()]
    vocabulary = [*MASK_KINDS, *others]
    if len(vocabulary) > 255:
        raise StoreError(f"the titles have {len(vocabulary)} kinds; the query tables code at most 255")
    con.execute("DELETE FROM meta WHERE key = ?", [KINDS_KEY])
    con.execute("INSERT INTO meta VALUES (?, ?)", [KINDS_KEY, json.dumps(vocabulary)])
    return vocabulary


def bit(kind_slot: int, role_slot: int) -> int:
    return 1 << (kind_slot * len(CREW_ROLES) + role_slot)


def mask_for(roles: list[str], kinds: list[str] | None) -> int:
    """The ``person_years.mask`` bits of these roles in these kinds (None: every kind, including unknown)."""
    slots = range(OTHER_KIND_SLOT + 1) if kinds is None else [MASK_KINDS.index(k) for k in kinds]
    out = 0
    for k in slots:
        for r in roles:
            out |= bit(k, CREW_ROLES.index(r))
    return out


def hugeint(value: int) -> str:
    """A mask as a SQL HUGEINT literal (masks use at most 120 bits, so they stay positive)."""
    return f"{int(value)}::HUGEINT"


#: a person's gender and evidence kind in key_credits and the person tables, as one small integer (``ge``, the
#: gender's place times :data:`_EV_SPAN` plus the evidence kind's): grouping by it is about twice as fast as
#: grouping by the two strings, and the tables are smaller
GENDER_CODES: tuple[str, ...] = ("woman", "man", "nonbinary", "unknown")
EV_CODES: tuple[str, ...] = ("rec_woman", "rec_man", "rec_nonbinary", "model", "noinfo")
_EV_SPAN = 8


def code_sql(gender: str, ev: str) -> str:
    """SQL: the person code of SQL expressions giving a gender's and an evidence kind's places in
    :data:`GENDER_CODES` and :data:`EV_CODES`."""
    return f"(({gender}) * {_EV_SPAN} + ({ev}))::UTINYINT"


def encode_sql(gender: str, ev: str) -> str:
    """SQL: the person code of a gender and an evidence kind given as strings."""
    return code_sql(f"list_position({sql_list(GENDER_CODES)}, {gender}) - 1",
                    f"list_position({sql_list(EV_CODES)}, {ev}) - 1")


def decode_gender_sql(code: str) -> str:
    return f"{sql_list(GENDER_CODES)}[{code} // {_EV_SPAN} + 1]"


def decode_ev_sql(code: str) -> str:
    return f"{sql_list(EV_CODES)}[{code} % {_EV_SPAN} + 1]"


def gender_is_sql(code: str, gender: str) -> str:
    """SQL: the person code ``code`` has this resolved gender."""
    return f"({code} // {_EV_SPAN} = {GENDER_CODES.index(gender)})"


def ev_is_sql(code: str, ev: str) -> str:
    """SQL: the person code ``code`` has this evidence kind."""
    return f"({code} % {_EV_SPAN} = {EV_CODES.index(ev)})"


def code_set_sql(code: str) -> str:
    """SQL: the person codes of a group's rows as one set, bit ``code`` of a UINTEGER (``bit_or`` it): which
    genders and evidence kinds a group has in one aggregate, not one ``bool_or`` each."""
    return f"(1::UINTEGER << {code})"


def code_set_has_sql(codes: str, *, gender: str | None = None, ev: str | None = None) -> str:
    """SQL: the code set ``codes`` (:func:`code_set_sql`) holds a person of this gender (and/or evidence kind)."""
    mask = 0
    for g in range(len(GENDER_CODES)):
        for e in range(len(EV_CODES)):
            if (gender is None or GENDER_CODES[g] == gender) and (ev is None or EV_CODES[e] == ev):
                mask |= 1 << (g * _EV_SPAN + e)
    return f"(({codes} & {mask}::UINTEGER) <> 0)"


#: the p_woman bin of an inferred person (0.01 wide), computed once per person: every table keeps it as an
#: integer 0-100 (``pbi``) and every count reads ``pbi / 100``, so the pre-aggregated counts and the ones counted
#: from the credit rows fall in the same bins (a title's bin, from its people's, is ``round(p, 2)`` alike)
P_BIN_SQL = "CASE WHEN ev = 'model' THEN round(p_woman, 2) END"
_P_BIN_INT_SQL = f"round({P_BIN_SQL} * 100)::UTINYINT"


def _credit_cells_sql(kinds: list[str]) -> str:
    """Credits counted per (year, kind, role, gender, evidence, p bin), grouped on the codes and decoded in the
    415k result rows (full scale: 1.2 s, 2.2 s on the strings)."""
    return f"""
    SELECT year, {decode_kind_sql('kind_code', kinds)}, {decode_role_sql('role_code')}, {decode_gender_sql('ge')},
           {decode_ev_sql('ge')}, pbi / 100, n
    FROM (SELECT year, kind_code, role_code, ge, pbi, count(*) AS n FROM key_credits GROUP BY ALL)"""
#: the person tables counted per (period, mask, gender and evidence, p bin): 32M person-years at full scale are
#: 0.7M cells, and counting people per year for any roles and kinds needs nothing more
_PEOPLE_CELLS_SQL = """
    SELECT 'year', year, mask, ge, pbi, count(*) FROM person_years GROUP BY ALL
    UNION ALL SELECT 'decade', decade, mask, ge, pbi, count(*) FROM person_decades GROUP BY ALL
    UNION ALL SELECT 'all', NULL, mask, ge, pbi, count(*) FROM person_all GROUP BY ALL"""


def _episode_counts_sql(where: str = "") -> str:
    """Each episode's directors counted by gender (title_id, k, w, m, nb, u) and those of them whose gender is a
    first-name-model call (i: the season lists say how many episodes rest on such calls) from
    ``episode_directors`` rows (``where``: which), for the rebuild and for an update of genders alike.

    A call, not an abstention: a name the model abstained on (source ``name_model``, gender unknown) is counted in
    ``u`` and not in ``i`` (schema 13; it was in both), as the episode list and the method section count it."""
    return f"""SELECT title_id, count(*) AS k,
                      count(*) FILTER (WHERE gender = 'woman') AS w,
                      count(*) FILTER (WHERE gender = 'man') AS m,
                      count(*) FILTER (WHERE gender = 'nonbinary') AS nb,
                      count(*) FILTER (WHERE gender IS NULL OR gender = 'unknown') AS u,
                      count(*) FILTER (WHERE source = 'name_model' AND gender IN ('woman', 'man', 'nonbinary')) AS i
               FROM episode_directors {where} GROUP BY title_id"""


def replace_table(con: duckdb.DuckDBPyConnection, name: str, select: str) -> None:
    """Write the derived table ``name`` afresh from ``select`` (its columns as :data:`DERIVED_TABLES` has them)."""
    _replace(con, name, select)


def _replace(con: duckdb.DuckDBPyConnection, name: str, select: str) -> None:
    con.execute(f"DROP TABLE IF EXISTS {name}")
    con.execute(f"CREATE TABLE {name} ({DERIVED_TABLES[name]})")
    con.execute(f"INSERT INTO {name} {select}")


def rebuild(store: Store) -> None:
    """Rebuild every derived table from titles, credits, people and resolved_gender (set-based SQL).

    The episode tables are built on a second connection while this one builds the credit tables: writing a
    table (compressing its strings) keeps about one core busy, so the two chains overlap on two cores.
    """
    side = store.con.cursor()
    failures: list[BaseException] = []

    def episodes_chain() -> None:
        try:
            _rebuild_episodes(side)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            failures.append(exc)

    thread = threading.Thread(target=episodes_chain, name="crewparity-derived-episodes", daemon=True)
    thread.start()
    try:
        _rebuild_credits(store.con)
    except BaseException:
        side.interrupt()
        thread.join()
        side.close()
        raise
    thread.join()
    side.close()
    if failures:
        raise failures[0]


def meta_list(con: duckdb.DuckDBPyConnection, key: str) -> list[str] | None:
    """A JSON list kept in meta by the last rebuild, or None (not recorded, or recorded as null)."""
    rows = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    value = json.loads(rows[0][0]) if rows else None
    return list(value) if value is not None else None


def genre_vocabulary(store: Store) -> list[str] | None:
    """The genres in the order of ``key_credits.genre_mask``'s bits, or None when the mask is not usable (more
    distinct genres than bits: then genre questions join ``titles`` instead)."""
    return meta_list(store.con, GENRES_KEY)


def _genre_mask_sql(con: duckdb.DuckDBPyConnection, genres: str) -> str:
    """SQL for a title's genres as a bit mask over the store's genre vocabulary (recorded in meta)."""
    vocab = [r[0] for r in con.execute(
        "SELECT DISTINCT g FROM (SELECT unnest(genres) AS g FROM titles) WHERE g IS NOT NULL ORDER BY g").fetchall()]
    usable = len(vocab) <= GENRE_BITS
    con.execute("DELETE FROM meta WHERE key = ?", [GENRES_KEY])
    con.execute("INSERT INTO meta VALUES (?, ?)", [GENRES_KEY, json.dumps(vocab if usable else None)])
    if not usable:
        return "NULL::UBIGINT"
    return (f"coalesce(list_sum(list_transform(list_distinct({genres}), "
            f"lambda g: 1::UBIGINT << (list_position({sql_list(vocab)}, g) - 1)))::UBIGINT, 0::UBIGINT)")


def _rebuild_credits(con: duckdb.DuckDBPyConnection) -> None:
    not_series = ", ".join(f"'{k}'" for k in NOT_SERIES)
    # Genres as a scope has always read them: the series' own, else the credited title's. The mask is worked out
    # once per distinct genre list (a few thousand) and joined, not with a list lambda on each of 12M titles
    # (full scale: 7.4 -> 4.9 s, the same rows); no genres or an empty list give mask 0.
    list_mask = _genre_mask_sql(con, "genres")  # records the vocabulary in meta (NULL when not usable)
    masks, mask = "", "NULL::UBIGINT"
    if meta_list(con, GENRES_KEY) is not None:
        masks = f"""LEFT JOIN (SELECT genres, {list_mask} AS genre_mask
                               FROM (SELECT DISTINCT genres FROM titles WHERE genres IS NOT NULL)) m
                           ON m.genres = coalesce(s.genres, t.genres)"""
        mask = "coalesce(m.genre_mask, 0::UBIGINT)"
    kinds = _record_kinds(con)
    # The integer keys and the kind code are worked out here, once per title (1.2M at 0.1), not per credit in
    # key_credits (4.4M): there that projection was the largest single cost of the statement (0.1: key_credits
    # 4.65 -> 2.95-3.38 s, 9.1 -> 5.7-6.3 CPU s with this table's extra 0.1-0.2 s; the same rows, same order).
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE cp_rolled AS
            SELECT t.title_id AS credit_id, t.year, coalesce(s.title_id, t.title_id) AS title_id,
                   coalesce(s.kind, t.kind) AS kind, coalesce(s.votes, t.votes) AS votes, {mask} AS genre_mask,
                   {title_key_sql('t.title_id')} AS credit_key,
                   {title_key_sql('coalesce(s.title_id, t.title_id)')} AS title_key,
                   {kind_code_sql('coalesce(s.kind, t.kind)', kinds)} AS kind_code
            FROM titles t
            LEFT JOIN (SELECT title_id, kind, votes, genres FROM titles WHERE kind NOT IN ({not_series})) s
                   ON s.title_id = t.series_id
            {masks}"""
    )
    # Each person once: the integer key and the gender and evidence codes, computed per person, not per credit.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE cp_people AS
            SELECT person_id, person_key, p_woman, {encode_sql('gender', 'ev')} AS ge, {_P_BIN_INT_SQL} AS pbi
            FROM (SELECT person_id, {person_key_sql('person_id')} AS person_key, gender, {evidence_sql('r')} AS ev,
                         p_woman
                  FROM resolved_gender r)"""
    )
    try:
        _check_person_keys(con)
        # The title ids that are not IMDb's, by key: the queries give a counted title its id back from here.
        _replace(con, "title_keys", f"""
            SELECT DISTINCT {title_key_sql('title_id')}, title_id FROM titles
            WHERE NOT regexp_full_match(title_id, '{_IMDB_TITLE_RE}')""")
        _check_title_keys(con)
        # The rolled-up titles' names by key, for --by title: a fifth of the titles (one row per titles row).
        _replace(con, "title_names", f"""
            SELECT {title_key_sql('t.title_id')}, t.name FROM titles t
            SEMI JOIN (SELECT DISTINCT title_id FROM cp_rolled) r ON r.title_id = t.title_id""")
        # One row per rolled-up title and year. Votes are the series' own, else (a series without votes) the
        # most any of its episodes of that year has: one figure per title, so a title takes one place in a
        # top-N ranking. With the title's key and its place per year among all titles and among its kind: --sample
        # top:N for every kind or one kind is then a filter on key_credits (which takes the places from here)
        # instead of a join with the ranking (2.1 s at full scale), and the sample's own titles (those without a
        # credit in scope too: samples.sample_titles_cte) a filter on this table instead of a ranking per query
        # (distribution, top 100 over every kind and year at full scale: 0.8-1.0 s when ranked per query).
        _replace(con, "title_years", f"""
            SELECT title_id, year, kind, votes, {title_key_sql('title_id')},
                   row_number() OVER (PARTITION BY year ORDER BY votes DESC, title_id),
                   row_number() OVER (PARTITION BY year, kind ORDER BY votes DESC, title_id)
            FROM (SELECT title_id, year, any_value(kind) AS kind, max(votes) AS votes FROM cp_rolled
                  WHERE votes IS NOT NULL GROUP BY title_id, year)""")
        # Sorted by kind and year: a question about one kind or a few years (one year's movies, a top-N sample,
        # unit titles) then reads a few row groups instead of touching every vector of 90M rows (a year of movies
        # at full scale: 1.4 s -> 16 ms); the sorted write costs no more than the unsorted one. Within a kind and
        # year, by the title's place in the year's ranking, so a top-N sample reads the first rows of each block
        # (top 100 per year over every kind at full scale: 1.0 -> 0.3 s for the scan).
        con.execute("SET SESSION preserve_insertion_order = true")
        try:
            _replace(con, "key_credits", f"""
                SELECT r.credit_key, r.title_key,
                       coalesce(g.person_key, {person_key_sql('c.person_id')}), {role_code_sql('c.role')},
                       r.year, r.kind_code, g.p_woman, r.genre_mask, rk.year_rank, rk.kind_rank,
                       coalesce(g.ge, {encode_sql("'unknown'", "'noinfo'")}), g.pbi
                FROM (SELECT DISTINCT title_id, person_id, role FROM credits WHERE role <> 'actor') c
                JOIN cp_rolled r ON r.credit_id = c.title_id
                LEFT JOIN title_years rk ON rk.title_key = r.title_key AND rk.year IS NOT DISTINCT FROM r.year
                LEFT JOIN cp_people g ON g.person_id = c.person_id
                ORDER BY r.kind_code NULLS LAST, r.year NULLS LAST, rk.year_rank NULLS LAST""")
        finally:
            con.execute("RESET SESSION preserve_insertion_order")
        con.execute("DROP TABLE IF EXISTS cp_people")
        # The key roles' genres ride along in the same aggregation (about 2.5 s of 11 at full scale): genre_cells
        # per year and decade are then counted from person rows, not by grouping 44M credits again.
        genre_roles = list(key_roles())
        roles = has_role_sql("role_code", genre_roles)
        _replace(con, "person_years", f"""
            SELECT year, person_key,
                   bit_or(1::HUGEINT << ({kind_slot_of_code_sql('kind_code')} * {len(CREW_ROLES)} + role_code)::HUGEINT),
                   any_value(ge), any_value(pbi),
                   coalesce(bit_or(genre_mask) FILTER (WHERE {roles}), 0)::UBIGINT,
                   coalesce(bool_or(genre_mask = 0) FILTER (WHERE {roles}), false)
            FROM key_credits GROUP BY year, person_key""")
        _record_genre_roles(con, genre_roles)
        _replace(con, "person_decades", """
            SELECT (year // 10) * 10, person_key, bit_or(mask), any_value(ge), any_value(pbi), bit_or(gmask), bool_or(gnone)
            FROM person_years GROUP BY (year // 10) * 10, person_key""")
        _replace(con, "person_all", """
            SELECT person_key, bit_or(mask), any_value(ge), any_value(pbi), bit_or(gmask), bool_or(gnone)
            FROM person_decades GROUP BY person_key""")
        _replace(con, "people_cells", _PEOPLE_CELLS_SQL)
        _replace(con, "credit_cells", _credit_cells_sql(kinds))
        _rebuild_genre_cells(con)
        from crewparity.metrics import title_cells  # it builds on the share SQL, which builds on this module

        title_cells.rebuild(con, kinds)
        from crewparity.metrics import title_units

        title_units.rebuild(con)
    finally:
        con.execute("DROP TABLE IF EXISTS cp_rolled")
        con.execute("DROP TABLE IF EXISTS cp_people")


def _check_person_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse to build on person keys that are not distinct (two non-IMDb ids with the same 63-bit hash: about
    one chance in 10^7 for a million such ids), rather than count two people as one."""
    _check_keys(con, "person", f"""SELECT count(DISTINCT person_id), count(DISTINCT person_key) FROM cp_people
                                   WHERE NOT regexp_full_match(person_id, '{_IMDB_PERSON_RE}')""")


def _check_title_keys(con: duckdb.DuckDBPyConnection) -> None:
    """As :func:`_check_person_keys`, for the title ids that are not IMDb's (all in ``title_keys``)."""
    _check_keys(con, "title", "SELECT count(DISTINCT title_id), count(DISTINCT title_key) FROM title_keys")


def _check_keys(con: duckdb.DuckDBPyConnection, what: str, counts_sql: str) -> None:
    ids, keys = con.execute(counts_sql).fetchall()[0]
    if ids != keys:
        raise StoreError(f"{ids} {what} ids gave {keys} integer keys in the query tables (a hash collision); "
                         f"please report this store's non-IMDb {what} ids")


def _record_genre_roles(con: duckdb.DuckDBPyConnection, roles: list[str]) -> None:
    """Say in meta which roles the person tables' genre masks cover (none when the genre mask is not usable): a
    user who edits the key roles afterwards gets the general path, not cells of the old roles."""
    from crewparity.metrics import genres  # genres builds on this module's SQL helpers

    con.execute("DELETE FROM meta WHERE key = ?", [genres.GENRE_ROLES_KEY])
    if meta_list(con, GENRES_KEY) is not None:
        con.execute("INSERT INTO meta VALUES (?, ?)", [genres.GENRE_ROLES_KEY, json.dumps(roles)])


def _rebuild_genre_cells(con: duckdb.DuckDBPyConnection) -> None:
    """``genre_cells``: the people of the key roles (any kind) counted per genre per year, decade and overall, from
    the person tables' genre masks (so an update of genders recounts them without reading the credits)."""
    from crewparity.metrics import genres

    vocabulary = meta_list(con, GENRES_KEY)
    if vocabulary is None or meta_list(con, genres.GENRE_ROLES_KEY) is None:
        _replace(con, "genre_cells", "SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE false")
        return
    _replace(con, "genre_cells", genres.stored_cells_sql(vocabulary))


def _rebuild_episodes(con: duckdb.DuckDBPyConnection) -> None:
    series_kinds = ", ".join(f"'{k}'" for k in SERIES_KINDS)
    _replace(con, "series_index", f"""
        SELECT title_id, name, kind, votes, genres, is_adult FROM titles WHERE kind IN ({series_kinds})""")
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE cp_eps AS
            SELECT title_id, series_id, season, episode, name, year, kind, {pilot_sql('name')} AS pilot
            FROM titles WHERE series_id IS NOT NULL"""
    )
    try:
        con.execute(
            """CREATE OR REPLACE TEMP TABLE cp_dirs AS
               SELECT DISTINCT c.title_id, c.person_id
               FROM credits c SEMI JOIN cp_eps e ON e.title_id = c.title_id
               WHERE c.role = 'director'"""
        )
        # Both sorted by series so that one show's rows sit in a few row groups (zone maps skip the rest).
        con.execute("SET SESSION preserve_insertion_order = true")  # this connection only
        # The directors only, with the series to find them by: the episode's own columns are in ``episodes``,
        # which the episode list joins to these rows (an episode without a director has no row here). Half the
        # rows and half the columns of one row per episode and director (full scale: 9.5M episodes, 4.6M with a
        # director): writing and sorting the episode names twice was most of this table's cost (0.1: 2.5 -> 1.3 s).
        # each director's name by the rule resolve reads names by (crewparity.gender.person)
        _replace(con, "episode_directors", f"""
            SELECT e.series_id, d.title_id, d.person_id, p.name, r.gender, r.p_woman, r.source
            FROM cp_dirs d
            JOIN cp_eps e ON e.title_id = d.title_id
            LEFT JOIN resolved_gender r ON r.person_id = d.person_id
            LEFT JOIN ({person.people_sql('person_id IN (SELECT person_id FROM cp_dirs)')}) p
                   ON p.person_id = d.person_id
            ORDER BY e.series_id, d.title_id, p.name""")
        # Each episode's directors counted from those rows (their genders are already joined), as
        # update_genders recounts them.
        _replace(con, "episodes", f"""
            WITH per_ep AS ({_episode_counts_sql()})
            SELECT e.series_id, e.season, e.episode, e.title_id, e.name, e.year, e.kind, e.pilot,
                   p.k, p.w, p.m, p.nb, p.u, p.i
            FROM cp_eps e LEFT JOIN per_ep p USING (title_id)
            ORDER BY e.series_id, e.season NULLS LAST, e.episode NULLS LAST, e.title_id""")
    finally:
        con.execute("RESET SESSION preserve_insertion_order")
        con.execute("DROP TABLE IF EXISTS cp_eps")
        con.execute("DROP TABLE IF EXISTS cp_dirs")
    con.execute("DELETE FROM meta WHERE key = ?", [PILOT_RULE_KEY])
    con.execute("INSERT INTO meta VALUES (?, ?)", [PILOT_RULE_KEY, json.dumps(list(pilot_patterns()))])


def is_built(store: Store) -> bool:
    """True when a full rebuild has run on this store (it records the pilot rule it used)."""
    return bool(store.rows("SELECT 1 FROM meta WHERE key = ?", [PILOT_RULE_KEY]))


#: above this share of changed people a full rebuild is cheaper than updating rows in place
UPDATE_MAX_SHARE = 0.05


def update_genders(store: Store, changed: str) -> None:
    """Bring the derived tables up to date after a write that changed gender evidence only.

    ``changed`` names a table of the new ``resolved_gender`` rows of the people whose row changed. Titles and
    credits are as they were, so only the gender columns move: they are updated in place for those people, the
    per-episode counts recounted for their episodes and ``credit_cells`` recounted. When many people changed (a
    first Wikidata load), a full :func:`rebuild` is cheaper and is done instead. Tests compare the result with a
    full rebuild, table by table.
    """
    con = store.con
    n_changed = store.rows(f"SELECT count(*) FROM {changed}")[0][0]
    n_all = store.rows("SELECT count(*) FROM resolved_gender")[0][0]
    if n_changed > UPDATE_MAX_SHARE * max(n_all, 1):
        rebuild(store)
        return
    if n_changed == 0:
        return
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE cp_new AS
            SELECT person_id, {person_key_sql('person_id')} AS person_key, gender, ev, p_woman, source,
                   {encode_sql('gender', 'ev')} AS ge, {_P_BIN_INT_SQL} AS pbi
            FROM (SELECT c.person_id, c.gender, {evidence_sql('c')} AS ev, c.p_woman, c.source FROM {changed} c)"""
    )
    try:
        con.execute("""UPDATE key_credits k SET p_woman = n.p_woman, ge = n.ge, pbi = n.pbi
                       FROM cp_new n WHERE k.person_key = n.person_key""")
        genre_delta = _genre_cells_delta_start(con)
        for table in ("person_years", "person_decades", "person_all"):
            con.execute(f"UPDATE {table} p SET ge = n.ge, pbi = n.pbi FROM cp_new n WHERE p.person_key = n.person_key")
        _replace(con, "people_cells", _PEOPLE_CELLS_SQL)
        _replace(con, "credit_cells", _credit_cells_sql(kind_vocabulary(con)))
        from crewparity.metrics import title_cells

        title_cells.rebuild(con, kind_vocabulary(con))  # a title's class follows its people's genders
        from crewparity.metrics import title_units

        # only the titles of the changed people are worked out again
        title_units.rebuild(con, "SELECT DISTINCT k.title_key FROM key_credits k SEMI JOIN cp_new n "
                                 "ON n.person_key = k.person_key")
        if genre_delta is None:
            _rebuild_genre_cells(con)
        else:
            _genre_cells_delta_apply(con, genre_delta)
        con.execute("""UPDATE episode_directors d SET gender = n.gender, p_woman = n.p_woman, source = n.source
                       FROM cp_new n WHERE d.person_id = n.person_id""")
        touched = ("WHERE title_id IN (SELECT title_id FROM episode_directors "
                   "WHERE person_id IN (SELECT person_id FROM cp_new))")
        con.execute(f"""UPDATE episodes e SET k = r.k, w = r.w, m = r.m, nb = r.nb, u = r.u, i = r.i
                        FROM ({_episode_counts_sql(touched)}) r WHERE e.title_id = r.title_id""")
    finally:
        con.execute("DROP TABLE IF EXISTS cp_new")
        con.execute("DROP TABLE IF EXISTS cp_genre_old")


def _genre_cells_delta_start(con: duckdb.DuckDBPyConnection) -> list[str] | None:
    """Before the person tables take the changed people's new genders: their share of ``genre_cells`` as it
    stands (temp table ``cp_genre_old``), and the vocabulary to count the new share with; None when the cells
    are not kept (then :func:`_rebuild_genre_cells` writes the empty table as a rebuild would).

    Why: recounting every person-year of the key roles per genre costs about 3 s at full scale; the changed
    people's rows are a few hundred (1.0-1.3 s for 300 people, with the update)."""
    from crewparity.metrics import genres

    vocabulary = meta_list(con, GENRES_KEY)
    if vocabulary is None or meta_list(con, genres.GENRE_ROLES_KEY) is None:
        return None
    con.execute(f"CREATE OR REPLACE TEMP TABLE cp_genre_old AS {genres.stored_cells_sql(vocabulary, 'cp_new')}")
    return vocabulary


def _genre_cells_delta_apply(con: duckdb.DuckDBPyConnection, vocabulary: list[str]) -> None:
    """``genre_cells`` minus the changed people's old share plus their new one (cells that reach zero go, as a
    rebuild never writes them): the same rows as a rebuild, which the tests check table by table."""
    from crewparity.metrics import genres

    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE cp_genre_cells AS
            SELECT level, period, genre, gender, ev, pb, sum(n)::BIGINT AS n
            FROM (SELECT level, period, genre, gender, ev, pb, n FROM genre_cells
                  UNION ALL {genres.stored_cells_sql(vocabulary, 'cp_new')}
                  UNION ALL SELECT level, period, genre, gender, ev, pb, -n FROM cp_genre_old)
            GROUP BY level, period, genre, gender, ev, pb
            HAVING sum(n) <> 0"""
    )
    try:
        _replace(con, "genre_cells", "SELECT * FROM cp_genre_cells")
    finally:
        con.execute("DROP TABLE IF EXISTS cp_genre_cells")


def pilot_expr(store: Store, alias: str) -> str:
    """SQL for "this episode is a pilot": the stored flag while the rules file's pilot rule is the one it was built
    with, else the rule applied to the episode title (a user who edits the rule sees it at once)."""
    rows = store.rows("SELECT value FROM meta WHERE key = ?", [PILOT_RULE_KEY])
    if rows and rows[0][0] == json.dumps(list(pilot_patterns())):
        return f"{alias}.pilot"
    return pilot_sql(f"{alias}.title")


def pilot_or_special_expr(store: Store, alias: str) -> str:
    """SQL for "this episode is left out unless --include-pilots": a pilot (:func:`pilot_expr`) or a special (its
    season is one of the rules file's ``specials.seasons``, TMDB's season 0). The specials rule reads the stored
    season number at query time, so it needs no column of its own and no rebuild when the rule is edited."""
    return f"({pilot_expr(store, alias)} OR {special_sql(f'{alias}.season')})"
