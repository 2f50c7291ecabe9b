"""Episode shares: who directed each episode of a series, per season (the DGA's unit).

An episode is counted once, by the genders of its directors (``resolved_gender``):

* ``codirected="any"`` (default, as the DGA counts): an episode is *women* when at least one director is a
  woman; otherwise *nonbinary* when one is nonbinary; otherwise *unknown* when one director's gender is
  unknown (it could be a woman); otherwise *men* (only men).
* ``codirected="fractional"``: each of an episode's k directors counts 1/k to their gender, so the columns
  are fractions and still add up to the number of episodes.

``total`` counts episodes with at least one director credit, the denominator of every share; an episode without
one is no data point for a share, but it is not dropped: :func:`series_seasons` counts it in ``no_director``, so
"women directed 2 of 5" is never read as the whole season when the season has a sixth episode with no director.
Pilots (by the title rule in ``data/roles.toml``) and specials (its ``specials.seasons``: TMDB's season 0) are
left out unless ``include_pilots`` is set, as the DGA leaves them out. All counting is one SQL statement; only the
handful of matching series ids is passed through Python, so a query for one show touches only that show's episodes.
"""

from __future__ import annotations

import re

import pyarrow as pa

from crewparity.errors import ArgumentError
from crewparity.metrics.derived import pilot_expr, pilot_or_special_expr
from crewparity.metrics.roles import Study, dga_best_share, dga_min_episodes, special_seasons, special_sql, study
from crewparity.metrics.samples import SERIES_KINDS, excluded_series_sql
from crewparity.store import Store

CODIRECTED: tuple[str, ...] = ("any", "fractional")
RANKS: tuple[str, ...] = ("best", "worst")
#: resolved sources that are recorded facts; ``name_model`` is an inference, ``none`` is no evidence.
INFERRED_SOURCES = ("name_model",)


def how_known_sql(gender: str, source: str) -> str:
    """SQL for how a resolved gender is known, one rule for every per-person list (``series --episodes``'
    ``evidence``, ``credits``' ``how``): ``recorded`` (a recorded source gave a gender), ``inferred`` (the
    first-name model called the name) or ``unknown`` (no evidence, a recorded source that contradicts itself, or a
    name the model abstained on), as the method section counts people. (The two lists had a CASE each, and the
    episode list said ``recorded`` beside the gender unknown of a self-contradicting source.)"""
    from crewparity.metrics.derived import RECORDED_SOURCES

    inferred = ", ".join(f"'{s}'" for s in INFERRED_SOURCES)
    recorded = ", ".join(f"'{s}'" for s in RECORDED_SOURCES)
    return (f"CASE WHEN {gender} NOT IN ('woman', 'man', 'nonbinary') OR {gender} IS NULL THEN 'unknown' "
            f"WHEN {source} IN ({inferred}) THEN 'inferred' WHEN {source} IN ({recorded}) THEN 'recorded' "
            "ELSE 'unknown' END")
#: a title id of a source crewparity reads (IMDb tt2357547, demo:..., tmdb:tv:60573, crew:title:...): a query
#: of this shape that matches nothing is a wrong id, not a title fragment
_ID = re.compile(r"^(tt\d+|(demo|tmdb|crew):\S+)$", re.IGNORECASE)
#: what else could be an id as a store keeps it (a word, a colon, no space); "Re:Zero" could also be a title
_ID_SHAPE = re.compile(r"^[a-z]+:\S+$", re.IGNORECASE)


def check_codirected(codirected: str) -> str:
    if codirected not in CODIRECTED:
        raise ArgumentError(f"unknown --codirected {codirected!r}; allowed: {', '.join(CODIRECTED)}")
    return codirected


def _a_kind(kind: str | None) -> str:
    """A title kind with its article, for an error message: "a movie", "an episode", "a tv movie"."""
    words = {"tv_episode": "episode", None: "title of no recorded kind"}.get(kind, str(kind).replace("_", " "))
    return ("an " if words[0] in "aeiou" else "a ") + words


def find_series(store: Store, query: str) -> list[tuple[str, str | None]]:
    """Series matching QUERY: a series id as the store keeps it (exact: an IMDb id like tt2357547, or any id the
    tool prints in series_id, e.g. tmdb:tv:60573) or a case-insensitive substring of a series' title.

    Raises :class:`ArgumentError` when nothing matches, so a typo is not reported as "no episodes", and when
    the id is a title that is not a series (a movie; an episode, naming its series).
    """
    q = query.strip()
    if not q:
        raise ArgumentError("the series QUERY is empty; give a title (or part of one) or an IMDb id like tt2357547")
    kinds = ", ".join(f"'{k}'" for k in SERIES_KINDS)
    ids = [q, q.lower() if _ID.match(q) else q]  # an IMDb id also as TT2357547
    rows = store.rows("SELECT series_id, name FROM series_index WHERE series_id IN (?, ?) LIMIT 1", ids)
    if rows:
        return [(str(rows[0][0]), rows[0][1])]
    if _ID.match(q) or _ID_SHAPE.match(q):
        # The series row may be missing (or of another kind) while episodes point to it: accept the id if they do.
        eps = store.rows("SELECT any_value(series_id) FROM episodes WHERE series_id IN (?, ?)", ids)
        if eps and eps[0][0] is not None:
            sid = str(eps[0][0])
            named = store.rows("SELECT name FROM titles WHERE title_id = ? LIMIT 1", [sid])
            return [(sid, named[0][0] if named else None)]
        titles = store.rows("SELECT title_id, name, kind, series_id FROM titles WHERE title_id IN (?, ?) LIMIT 1", ids)
        if titles:
            tid, name, kind, parent = titles[0]
            if parent is not None:
                of = store.rows("SELECT name FROM titles WHERE title_id = ? LIMIT 1", [parent])
                series = f"{of[0][0]} ({parent})" if of and of[0][0] else str(parent)
                raise ArgumentError(f"{tid} ({name}) is {_a_kind(kind)} of {series}, not a series; "
                                    f"give the series: crewparity series {parent}")
            raise ArgumentError(f"{tid} ({name}) is {_a_kind(kind)}, not a series; give a TV series or mini-series")
        if _ID.match(q):
            raise ArgumentError(f"no title with id {q!r} in the store")
    rows = store.rows(
        f"SELECT series_id, name FROM series_index WHERE kind IN ({kinds}) AND contains(lower(name), lower(?)) "
        "ORDER BY votes DESC NULLS LAST, name, series_id",
        [q],
    )
    if not rows:
        raise ArgumentError(f"no TV series or mini-series title contains {q!r}; try part of the title or an IMDb id")
    return [(str(r[0]), r[1]) for r in rows]


def series_facts(store: Store, ids: list[str]) -> dict[str, tuple[str | None, int | None, int | None, int]]:
    """Per series id: its kind, the first and last year of its episodes (the series' own year when none has one) and
    how many episodes the store holds, for telling apart the shows a search finds under one name."""
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = store.rows(
        f"""SELECT s.series_id, any_value(s.kind), coalesce(min(e.year), any_value(t.year)),
                   coalesce(max(e.year), any_value(t.year)), count(e.series_id)
            FROM series_index s LEFT JOIN episodes e ON e.series_id = s.series_id
            LEFT JOIN titles t ON t.title_id = s.series_id
            WHERE s.series_id IN ({marks}) GROUP BY s.series_id""", list(ids))
    return {str(r[0]): (r[1], r[2], r[3], int(r[4])) for r in rows}


def check_season(store: Store, found: list[tuple[str, str | None]], season: int | None,
                 include_pilots: bool = False) -> None:
    """Refuse a ``--season`` none of the ``found`` series has, naming the seasons it does have (an empty table
    for "season 3" read as "no episodes there", which the store does not say), and a specials season (TMDB's
    season 0) without ``include_pilots``, which would be empty for the same reason."""
    if season is None:
        return
    rows = store.rows(
        "SELECT DISTINCT season FROM episodes WHERE list_contains($ids, series_id) AND season IS NOT NULL "
        "ORDER BY season", {"ids": [sid for sid, _ in found]})
    seasons = [int(r[0]) for r in rows]
    if season in seasons:
        if season in special_seasons() and not include_pilots:
            raise ArgumentError(f"season {season} holds specials, which are left out as pilots are "
                                "(specials.seasons in data/roles.toml); --include-pilots keeps them")
        return
    have = f"seasons: {', '.join(map(str, seasons))}" if seasons else "the store has no episodes of it with a season"
    if len(found) == 1:
        sid, name = found[0]
        raise ArgumentError(f"{name + ' (' + sid + ')' if name else sid} has no season {season}; {have}")
    raise ArgumentError(f"none of the {len(found)} series that match has a season {season}; {have}")


def _episodes_cte(store: Store, season: int | None, include_pilots: bool) -> str:
    """The CTE ``eps``: the episodes of the series in ``$ids`` (rows of the derived table ``episodes``, one per
    episode with its directors counted by gender: k directors, w women, m men, nb nonbinary, u unknown; k is
    NULL for an episode without a director, which the gender counts leave out and ``no_director`` counts)."""
    season_filter = "AND e.season = $season" if season is not None else ""
    pilot_filter = "" if include_pilots else f"AND NOT {pilot_or_special_expr(store, 'e')}"
    return f"""
        eps AS (
            SELECT e.title_id, e.series_id, e.season, e.episode, e.title AS name, e.year,
                   {pilot_expr(store, 'e')} AS pilot, {special_sql('e.season')} AS special, e.k, e.w, e.m, e.nb, e.u,
                   e.i
            FROM episodes e
            WHERE e.series_id IN (SELECT unnest($ids::VARCHAR[])) {season_filter} {pilot_filter}
        )"""


def _season_counts(codirected: str) -> str:
    """Aggregates over the episodes of ``eps`` that have a director: women/men/nonbinary/unknown/total. An
    episode without one (k NULL) is in none of them, also where the caller keeps its row (:func:`series_seasons`
    does, to count it in ``no_director``)."""
    if codirected == "fractional":
        # (coalesce: a season whose episodes all lack a director has no director's share to sum: 0, not NULL)
        return """
            count(*) FILTER (WHERE k IS NOT NULL) AS total,
            coalesce(sum(w / k), 0) AS women, coalesce(sum(m / k), 0) AS men,
            coalesce(sum(nb / k), 0) AS nonbinary, coalesce(sum(u / k), 0) AS unknown"""
    return """
            count(*) FILTER (WHERE k IS NOT NULL) AS total,
            count(*) FILTER (WHERE w > 0) AS women,
            count(*) FILTER (WHERE k IS NOT NULL AND w = 0 AND nb = 0 AND u = 0) AS men,
            count(*) FILTER (WHERE w = 0 AND nb > 0) AS nonbinary,
            count(*) FILTER (WHERE w = 0 AND nb = 0 AND u > 0) AS unknown"""


def series_seasons(store: Store, query: str, season: int | None = None, codirected: str = "any",
                   include_pilots: bool = False) -> pa.Table:
    """One row per series-season: episodes directed by women / only men / nonbinary / unknown.

    Columns: series_id, series, season, total, women, men, nonbinary, unknown, no_director, share_known
    (= women / (women + men + nonbinary); null when no episode has a known director gender), inferred (the
    episodes with a director whose gender is a first-name-model call, as :func:`rank_seasons` counts them: a
    season's "men" may be guesses from names, which ``--episodes`` shows). ``total`` counts the
    episodes with a director credit (women + men + nonbinary + unknown); ``no_director`` the season's episodes
    without one, which no share counts but which are shown, so a season's episodes are total + no_director (a
    season whose episodes all lack a director is a row with total 0).

    A series' episodes without a season number are one more row, last, with season null (the table formats,
    charts and the dashboard label it "(no season)"): shown, so no episode goes missing, but no season, so
    :func:`rank_seasons` never ranks it.
    """
    check_codirected(codirected)
    found = find_series(store, query)
    check_season(store, found, season, include_pilots)
    ids = [sid for sid, _ in found]
    names = {sid: name for sid, name in found}
    params: dict[str, object] = {"ids": ids}
    if season is not None:
        params["season"] = int(season)
    table = store.arrow(
        f"""
        WITH {_episodes_cte(store, season, include_pilots)},
        named AS (SELECT unnest($ids::VARCHAR[]) AS series_id, unnest($names::VARCHAR[]) AS series)
        SELECT eps.series_id, any_value(named.series) AS series, eps.season, {_season_counts(codirected)},
               count(*) FILTER (WHERE eps.k IS NULL) AS no_director,
               count(*) FILTER (WHERE eps.i > 0) AS inferred
        FROM eps JOIN named USING (series_id)
        GROUP BY eps.series_id, eps.season
        ORDER BY any_value(named.series), eps.series_id, eps.season NULLS LAST
        """,
        {**params, "names": [names[i] for i in ids]},
    )
    table = _with_share(table)
    return table.select([c for c in table.column_names if c != "inferred"] + ["inferred"])


def without_director(table: pa.Table) -> list[tuple[str, int | None, int, int]]:
    """The episodes a :func:`series_seasons` table counts in no share for want of a director credit, as (series,
    season, episodes without one, episodes) per season that has any (season None: no season number), from its
    ``no_director`` and ``total`` columns; [] for a table without them. Why: a chart of the seasons' bars (which
    count the episodes with a director) is pasted alone, and says so under its title with this."""
    if "no_director" not in table.column_names or "total" not in table.column_names:
        return []
    out = []
    for row in table.select(["series", "season", "total", "no_director"]).to_pylist():
        if row["no_director"]:
            without = int(row["no_director"])
            out.append((str(row["series"]), row["season"], without, int(round(row["total"])) + without))
    return out


def without_director_words(table: pa.Table) -> str | None:
    """:func:`without_director` as the sentence ``chart seasons`` puts under its title (None when every episode has
    a director): how many are in no bar, and per season how many of its episodes. The table says it in its
    ``no_director`` column; a chart pasted alone has no columns."""
    rows = without_director(table)
    if not rows:
        return None
    n = sum(r[2] for r in rows)
    several = len({r[0] for r in rows}) > 1
    where = [f"{name + ' ' if several else ''}{'(no season)' if s is None else f'season {s}'}: {k} of {of}"
             for name, s, k, of in rows]
    more = f" and {len(where) - 5} more seasons" if len(where) > 5 else ""
    return (f"{n:,} episode{'s' if n != 1 else ''} without a director credit in the store "
            f"{'are' if n != 1 else 'is'} in no share (the counts are of the episodes with one): "
            f"{', '.join(where[:5])}{more}")


def _with_share(table: pa.Table) -> pa.Table:
    """Append share_known = women / (women + men + nonbinary), null where that is 0 (vectorised)."""
    import pyarrow.compute as pc

    known = pc.add(pc.add(table["women"], table["men"]), table["nonbinary"])
    known_f = pc.cast(known, pa.float64())
    share = pc.if_else(pc.greater(known_f, 0), pc.divide(pc.cast(table["women"], pa.float64()), known_f), None)
    return table.append_column("share_known", share)


def series_episodes(store: Store, query: str, season: int | None = None, include_pilots: bool = False) -> pa.Table:
    """Every episode with each of its directors, their gender, p_woman and where the gender came from.

    One row per episode and director (an episode without a director credit has one row with no director).
    ``evidence`` says ``recorded`` (overrides, crew list, Wikidata, TMDB, IMDb labels), ``inferred`` (the
    first-name model: a statistical estimate about a name, not a statement about a person) or ``unknown`` (no
    evidence, a recorded source that contradicts itself, or a name the model abstained on: ``source`` name_model
    with its ``p_woman`` inside the abstain band, as the method section counts it; it said ``inferred`` beside the
    gender ``unknown``). ``counts_as`` is the episode's category under ``codirected="any"``; ``pilot`` marks
    episodes the pilot rule recognises and ``special`` those of a specials season (TMDB's season 0; both listed only with
    ``include_pilots``).
    """
    found = find_series(store, query)
    check_season(store, found, season, include_pilots)
    ids = [sid for sid, _ in found]
    params: dict[str, object] = {"ids": ids, "names": [n for _, n in found]}
    if season is not None:
        params["season"] = int(season)
    return store.arrow(
        f"""
        WITH {_episodes_cte(store, season, include_pilots)},
        named AS (SELECT unnest($ids::VARCHAR[]) AS series_id, unnest($names::VARCHAR[]) AS series)
        SELECT eps.series_id, named.series, eps.season, eps.episode, eps.title_id, eps.name AS title, eps.year,
               d.person_id AS director_id, d.director,
               CASE WHEN d.person_id IS NULL THEN NULL ELSE coalesce(d.gender, 'unknown') END AS gender,
               d.p_woman,
               CASE WHEN d.person_id IS NULL THEN NULL ELSE {how_known_sql('d.gender', 'd.source')} END AS evidence,
               CASE WHEN d.person_id IS NULL THEN NULL ELSE coalesce(d.source, 'none') END AS source,
               CASE WHEN eps.k IS NULL THEN NULL
                    WHEN eps.w > 0 THEN 'women' WHEN eps.nb > 0 THEN 'nonbinary'
                    WHEN eps.u > 0 THEN 'unknown' ELSE 'men' END AS counts_as,
               eps.pilot, eps.special
        FROM eps
        JOIN named USING (series_id)
        LEFT JOIN (SELECT * FROM episode_directors WHERE series_id IN (SELECT unnest($ids::VARCHAR[]))) d
             ON d.title_id = eps.title_id
        ORDER BY named.series, eps.series_id, eps.season NULLS LAST, eps.episode NULLS LAST, eps.title_id, director
        """,
        params,
    )


#: the schema metadata key of :func:`rank_seasons`' tables: how many seasons were left out only for unknowns
LEFT_OUT_KEY = b"crewparity.left_out_for_unknowns"
#: ... and how many series had episodes without a season number, which are no season and so never ranked
UNNUMBERED_KEY = b"crewparity.unnumbered_series_left_out"
#: ... and how many seasons were left out because their series is one ``compare dga`` leaves out
EXCLUDED_KEY = b"crewparity.excluded_series_seasons_left_out"
#: ... and how many seasons the table lists before ``limit`` (on the list, or with ``undecided`` left out of it)
LISTED_KEY = b"crewparity.seasons_listed_before_limit"
#: the study whose sample the lists are drawn from: the DGA's, which counts scripted series only (``compare dga``)
DGA_STUDY = "dga"


def dga_study() -> Study:
    """The DGA study of the rules file (``compare dga``): its ``exclude_genres`` / ``exclude_adult`` are the series
    the season lists leave out unless ``all_series`` is set (one rule for both)."""
    return study(DGA_STUDY)


def excluded_series_words() -> str:
    """The series the season lists leave out by default, in words, as ``compare dga``'s caveat names them ("" for
    none)."""
    from crewparity.metrics.compare import exclusion_words

    return exclusion_words(dga_study())


def _could_be_women(codirected: str) -> str:
    """A season aggregate: the episodes (or, ``fractional``, the directors' shares) not counted as women that
    would be if every director of unknown gender were a woman. With ``any`` that is every episode without a
    known woman and with an unknown director: also one counted *nonbinary* for a co-director."""
    if codirected == "fractional":
        return "sum(u / k)"
    return "count(*) FILTER (WHERE w = 0 AND u > 0)"


def rank_rule(rank: str, best_share: float) -> tuple[str, str]:
    """The one rule for the DGA lists, as two SQL conditions over a season's ``women``, ``total``,
    ``no_director`` and ``could_be_women`` (:func:`_could_be_women`): (on the list, left out only because of
    unknowns).

    A season is on a list only when its unknowns cannot change that: **best** when women / (total +
    no_director) >= best_share even if every unknown were a man; **worst** when no episode was directed by a
    woman, none has a director of unknown gender and none lacks a director credit. A season that would be on the
    list if its unknowns went the list's way is left out and counted instead (``share_known`` alone would put a
    season with 2 women, 1 man and 10 unknowns at 67%; an unknown director could be a woman, so such a season is
    no sure 0%). An episode without a director credit is such an unknown: someone directed it, and the store does
    not say who (a season of 6 credited men and 4 uncredited episodes is no sure "no woman director").
    """
    episodes = "(total + no_director)"
    if rank == "best":
        # (less a rounding margin: with fractional counts 6 x 1/3 of 5 episodes must still make 40%)
        floor = f"{best_share!r} - 1e-9"
        sure = f"women::DOUBLE / {episodes} >= {floor}"
        return sure, f"NOT ({sure}) AND (women + could_be_women + no_director)::DOUBLE / {episodes} >= {floor}"
    return ("women = 0 AND could_be_women = 0 AND no_director = 0",
            "women = 0 AND (could_be_women > 0 OR no_director > 0)")


def left_out_for_unknowns(table: pa.Table) -> int | None:
    """How many seasons :func:`rank_seasons` left out of its list only because of unknowns: directors of unknown
    gender or episodes without a director credit (in the table's metadata; None for a table that does not say)."""
    meta = table.schema.metadata or {}
    return int(meta[LEFT_OUT_KEY]) if LEFT_OUT_KEY in meta else None


def left_out_unnumbered(table: pa.Table) -> int | None:
    """How many series :func:`rank_seasons` left episodes out of for want of a season number (in the table's
    metadata; None for a table that does not say). Those episodes are no season: IMDb leaves the number blank
    for about a fifth of its episodes, often across years, so grouping them would rank a season no one aired."""
    meta = table.schema.metadata or {}
    return int(meta[UNNUMBERED_KEY]) if UNNUMBERED_KEY in meta else None


def left_out_excluded(table: pa.Table) -> int | None:
    """How many seasons :func:`rank_seasons` left out because their series is one ``compare dga`` leaves out
    (unscripted or adult: :func:`excluded_series_words`), seasons that would otherwise be in the table (in its
    metadata; 0 with ``all_series``; None for a table that does not say)."""
    meta = table.schema.metadata or {}
    return int(meta[EXCLUDED_KEY]) if EXCLUDED_KEY in meta else None


def listed_before_limit(table: pa.Table) -> int | None:
    """How many seasons :func:`rank_seasons`' table would list without its ``limit`` (in its metadata; None for a
    table that does not say), so a list cut at ``limit`` rows can say that it is cut, and of how many."""
    meta = table.schema.metadata or {}
    return int(meta[LISTED_KEY]) if LISTED_KEY in meta else None


def rank_seasons(store: Store, rank: str = "best", year_from: int | None = None, year_to: int | None = None,
                 min_episodes: int | None = None, codirected: str = "any", include_pilots: bool = False,
                 limit: int | None = None, undecided: bool = False, all_series: bool = False) -> pa.Table:
    """The DGA's lists over every scripted series: seasons with the highest share of episodes directed by women
    (``best``: at least the rules file's ``dga.best_share``, 40%, counting every unknown as a man) or none at all
    (``worst``: 0%, with every director's gender known). :func:`rank_rule` is the rule.

    A season belongs to the year its first episode aired; ``year_from``/``year_to`` select on that year and
    ``min_episodes`` (default: the rules file's ``dga.min_episodes``, 6) drops short seasons (counted after
    pilots are removed, episodes without a director credit included; a specials season, TMDB's season 0, is left
    out as pilots are). Columns: series_id, series, kind, season, year, total (the episodes with a director
    credit), women, men, nonbinary, unknown, no_director (the episodes without one: unknowns for the lists, see
    :func:`rank_rule`; a season with no director credit at all is not ranked), share_known, share_if_unknown_men
    (= women / (total + no_director), what the best list is ranked by), inferred (the season's episodes with a
    director whose gender is a first-name-model call: a season on the worst list with inferred > 0 is there partly
    on a guess from names, which ``crewparity series TITLE --episodes`` shows). The number of seasons left out
    only for unknowns (within the years and lengths asked for, before ``limit``) is in the schema metadata:
    :func:`left_out_for_unknowns`.

    Episodes without a season number are no season and are never ranked (they are one row, season null, in a
    series' own table: :func:`series_seasons`); how many series had such episodes with a director, aired within
    the years asked for (any length: they are not a season to be short), is in the metadata too:
    :func:`left_out_unnumbered`.

    ``undecided`` lists those left-out seasons instead of the list (``--undecided``), in the list's order and
    with one more column, ``could_be_women`` (:func:`_could_be_women`: the episodes that would count as directed
    by women if their directors of unknown gender were women; with ``no_director``, those that could), so a
    reader can see which seasons the count counts and what would decide them. The metadata count is the same;
    :func:`rank_rule` picks both.

    The series ``compare dga`` leaves out are left out here too, as the DGA counts scripted series only: those
    the rules file's DGA study excludes (its ``exclude_genres``, IMDb's unscripted genres, and ``exclude_adult``,
    IMDb's adult titles: :func:`dga_study`). How many of their seasons would otherwise be in the table (on the
    list, or with ``undecided`` among those listed; before ``limit``) is in the metadata:
    :func:`left_out_excluded`; the other two counts are over the series kept. How many seasons the table lists
    before ``limit`` is in the metadata too (:func:`listed_before_limit`), so a cut list can say it is cut. ``all_series``
    (``--all-series``) keeps every series, and that count is 0.
    """
    check_codirected(codirected)
    if rank not in RANKS:
        raise ArgumentError(f"unknown --rank {rank!r}; allowed: {', '.join(RANKS)}")
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ArgumentError(f"--from {year_from} is after --to {year_to}")
    if min_episodes is None:
        min_episodes = dga_min_episodes()
    if min_episodes < 1:
        raise ArgumentError(f"--min-episodes must be at least 1, got {min_episodes}")
    if limit is not None and limit < 1:
        # (DuckDB refuses a negative LIMIT with a BinderException, and LIMIT 0 empties a list that has rows)
        raise ArgumentError(f"--limit must be at least 1, got {limit}")
    on_list, left_out = rank_rule(rank, dga_best_share())
    shown = left_out if undecided else on_list
    pilot_filter = "" if include_pilots else f"AND NOT {pilot_or_special_expr(store, 'e')}"
    kinds = ", ".join(f"'{k}'" for k in SERIES_KINDS)
    if rank == "best":
        order = "share_if_unknown_men DESC, share_known DESC, total DESC, series, season, series_id"
    else:
        order = "total DESC, series, season, series_id"  # (two series may share a name: the id settles ties)
    lim = f"LIMIT {int(limit)}" if limit is not None else ""
    st = dga_study()
    excluded = None if all_series else excluded_series_sql(st.exclude_genres, st.exclude_adult)
    # the excluded series' ids (a hash join against them, as compare dga's; none: an empty set)
    excluded_cte = (f"SELECT DISTINCT series_id FROM ({excluded})" if excluded
                    else "SELECT NULL::VARCHAR AS series_id WHERE false")
    columns = ("series_id, series, kind, season, year, total, women, men, nonbinary, unknown, no_director, "
               "share_known, share_if_unknown_men, inferred" + (", could_be_women" if undecided else ""))
    # One pass over the episodes: the listed rows and the count of those left out come out of one query (a row
    # of NULLs carries the count when the list is empty), as the scan is most of a ranking's second at full scale.
    table = store.arrow(
        f"""
        WITH excluded AS ({excluded_cte}),
        eps AS (
            SELECT e.title_id, e.series_id, e.season, e.year, e.k, e.w, e.m, e.nb, e.u, e.i
            FROM episodes e
            WHERE e.kind = 'tv_episode' {pilot_filter}
        ),
        credited AS (
            SELECT eps.series_id, eps.season, min(eps.year) AS year, {_season_counts(codirected)},
                   {_could_be_women(codirected)} AS could_be_women, count(*) FILTER (WHERE eps.i > 0) AS inferred
            FROM eps WHERE eps.k IS NOT NULL AND eps.season IS NOT NULL
            GROUP BY eps.series_id, eps.season
        ),
        -- the episodes without a director credit, counted apart and only for the seasons that can be in the
        -- years asked for (a season's year is its first episode's, so one whose credited episodes began before
        -- --from cannot be): grouped with the others, a ranking took 0.8-1.1 s at full scale instead of 0.5-0.65 s
        uncredited AS (
            SELECT eps.series_id, eps.season, min(eps.year) AS year, count(*) AS no_director
            FROM eps SEMI JOIN (SELECT series_id, season FROM credited
                                WHERE $from::INTEGER IS NULL OR year >= $from) c
                     ON c.series_id = eps.series_id AND c.season = eps.season
            WHERE eps.k IS NULL AND eps.season IS NOT NULL
            GROUP BY eps.series_id, eps.season
        ),
        seasons AS (
            SELECT c.* REPLACE (least(c.year, u.year) AS year), coalesce(u.no_director, 0) AS no_director
            FROM credited c LEFT JOIN uncredited u ON u.series_id = c.series_id AND u.season = c.season
        ),
        unnumbered AS (
            SELECT count(DISTINCT eps.series_id) AS n
            FROM eps SEMI JOIN series_index t ON t.series_id = eps.series_id AND t.kind IN ({kinds})
            ANTI JOIN excluded x ON x.series_id = eps.series_id
            WHERE eps.k IS NOT NULL AND eps.season IS NULL
              AND ($from::INTEGER IS NULL OR eps.year >= $from) AND ($to::INTEGER IS NULL OR eps.year <= $to)
        ),
        scored AS MATERIALIZED (
            SELECT s.series_id, t.name AS series, t.kind, s.season, s.year, s.total, s.women, s.men, s.nonbinary,
                   s.unknown, s.no_director, s.could_be_women, s.inferred,
                   CASE WHEN s.women + s.men + s.nonbinary > 0
                        THEN s.women::DOUBLE / (s.women + s.men + s.nonbinary) END AS share_known,
                   s.women::DOUBLE / (s.total + s.no_director) AS share_if_unknown_men,
                   x.series_id IS NOT NULL AS is_excluded
            FROM seasons s JOIN series_index t ON t.series_id = s.series_id AND t.kind IN ({kinds})
            LEFT JOIN excluded x ON x.series_id = s.series_id
            WHERE s.total + s.no_director >= $min_episodes
              AND ($from::INTEGER IS NULL OR s.year >= $from) AND ($to::INTEGER IS NULL OR s.year <= $to)
        ),
        listed AS (
            SELECT {columns} FROM scored WHERE {shown} AND NOT is_excluded
            ORDER BY {order}
            {lim}
        ),
        counted AS (SELECT count(*) FILTER (WHERE {left_out} AND NOT is_excluded) AS left_out,
                           count(*) FILTER (WHERE {shown} AND NOT is_excluded) AS n_listed,
                           count(*) FILTER (WHERE {shown} AND is_excluded) AS n_excluded,
                           (SELECT n FROM unnumbered) AS unnumbered
                    FROM scored)
        SELECT listed.*, counted.left_out, counted.n_listed, counted.n_excluded, counted.unnumbered
        FROM counted LEFT JOIN listed ON true
        ORDER BY {order}
        """,
        {"min_episodes": int(min_episodes), "from": year_from, "to": year_to},
    )
    import pyarrow.compute as pc

    n_left_out = int(table["left_out"][0].as_py()) if table.num_rows else 0
    n_unnumbered = int(table["unnumbered"][0].as_py() or 0) if table.num_rows else 0
    n_excluded = int(table["n_excluded"][0].as_py() or 0) if table.num_rows else 0
    n_listed = int(table["n_listed"][0].as_py() or 0) if table.num_rows else 0
    table = table.filter(pc.is_valid(table["series_id"])).drop_columns(
        ["left_out", "n_listed", "n_excluded", "unnumbered"])
    return table.replace_schema_metadata({**(table.schema.metadata or {}), LEFT_OUT_KEY: str(n_left_out).encode(),
                                          LISTED_KEY: str(n_listed).encode(),
                                          UNNUMBERED_KEY: str(n_unnumbered).encode(),
                                          EXCLUDED_KEY: str(n_excluded).encode()})

