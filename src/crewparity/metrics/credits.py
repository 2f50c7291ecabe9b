"""One title's credits with the gender behind each count: who was counted, and how each gender is known.

``share --by title`` gives a title's counts, ``series --episodes`` its episodes' directors and ``gender explain`` one
person; this lists a title's crew so that "3 of the 9 key crew were women" can be checked name by name.

* A film (or any title that is no series): its credits, one row per (person, role).
* A series: its episodes' credits rolled up with its own (DESIGN: episodes count for their series), one row per
  (person, role) with ``episodes`` (the episodes the person is credited on in that role; 0 for a credit on the
  series' own title only) and ``first_year`` / ``last_year`` (the years of those credits). ``season`` narrows a
  series to that season's episodes (the series' own credits belong to no season and are left out).

The rows are those ``share --unit people --by title`` counts for the title (distinct people per role; cast is no
crew), so the counts per role of :func:`summary` equal that table's women / men / nonbinary / unknown for the
whole title. ``gender`` is the resolved gender (``resolved_gender``; unknown without a row), ``how`` says
``recorded`` (overrides, crew list, Wikidata, TMDB, IMDb labels), ``inferred`` (the first-name model: a statistical
estimate about a name, not a statement about a person; ``p_woman`` is its probability) or ``unknown`` (no
evidence, or a name the model abstained on: source ``name_model``, its ``p_woman`` inside the abstain band), as
``series --episodes`` words it; ``source`` is the resolved source (``none``: no evidence). ``name`` follows the one
rule of :mod:`crewparity.gender.person`. All of it is one SQL statement over the title's own rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from crewparity.errors import ArgumentError
from crewparity.gender import person
from crewparity.metrics.derived import (
    NOT_SERIES,
    decode_role_sql,
    has_role_sql,
    is_built,
    kind_vocabulary,
    person_id_of_key_sql,
    title_key_sql,
)
from crewparity.metrics.episodes import _ID, _ID_SHAPE, check_season, how_known_sql
from crewparity.metrics.roles import CREW_ROLES, parse_roles
from crewparity.store import Store

#: the schema metadata keys of a credits table: the title it lists (id, name, kind, year) and the season asked for
TITLE_ID_KEY = b"crewparity.credits.title_id"
TITLE_NAME_KEY = b"crewparity.credits.title_name"
TITLE_KIND_KEY = b"crewparity.credits.title_kind"
TITLE_YEAR_KEY = b"crewparity.credits.title_year"
SEASON_KEY = b"crewparity.credits.season"
#: at most this many titles named in the error for an ambiguous name
_MAX_CANDIDATES = 8
GENDERS: tuple[str, ...] = ("women", "men", "nonbinary", "unknown")


@dataclass(frozen=True)
class Title:
    """A title as :func:`find_title` found it; ``series``: it has episodes that roll up to it."""

    title_id: str
    name: str | None
    kind: str | None
    year: int | None
    series: bool

    def label(self) -> str:
        """``Name (year, kind, id)``, as the errors and the table's title name it."""
        facts = ", ".join(str(v) for v in (self.year, self.kind) if v is not None)
        return f"{self.name or self.title_id} ({facts + ', ' if facts else ''}{self.title_id})"


def credit_roles(roles: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """``--roles``: None the six key roles (as ``share``), ``all`` every crew role, else a list by
    :func:`crewparity.metrics.roles.parse_roles` (whose error names the allowed values, here with ``all``)."""
    if isinstance(roles, str) and roles.strip().lower() == "all":
        return list(CREW_ROLES)
    if isinstance(roles, list | tuple) and [str(r).strip().lower() for r in roles] == ["all"]:
        return list(CREW_ROLES)
    try:
        return parse_roles(roles)
    except ArgumentError as err:
        raise ArgumentError(f"{err}; or all (every crew role)") from None


def _title(store: Store, title_id: str) -> Title | None:
    rows = store.rows(
        f"""SELECT t.title_id, t.name, t.kind, t.year,
                   coalesce(t.kind NOT IN ({', '.join(f"'{k}'" for k in NOT_SERIES)}), true)
                   AND EXISTS (SELECT 1 FROM titles e WHERE e.series_id = t.title_id)
            FROM titles t WHERE t.title_id = ? LIMIT 1""", [title_id])
    if not rows:
        return None
    tid, name, kind, year, series = rows[0]
    return Title(str(tid), name, kind, year, bool(series))


def find_title(store: Store, query: str) -> Title:
    """The one title QUERY names: its id as the store keeps it (tt0133093, TT0133093, tmdb:movie:603,
    crew:title:...), else its name as ``series`` finds a series: the titles (no episodes: give an episode by its id)
    whose name is QUERY (case-insensitive), else those whose name contains it. Several: an :class:`ArgumentError`
    listing them with year, kind and id and asking for the id; none: one naming QUERY."""
    q = query.strip()
    if not q:
        raise ArgumentError("the TITLE is empty; give a title id (tt0133093) or a title's name")
    for tid in dict.fromkeys([q, q.lower() if _ID.match(q) else q]):
        found = _title(store, tid)
        if found is not None:
            return found
    if _ID.match(q):
        raise ArgumentError(f"no title with id {q!r} in the store")
    not_episode = "series_id IS NULL AND coalesce(kind, '') <> 'tv_episode'"
    order = "ORDER BY votes DESC NULLS LAST, year NULLS LAST, name, title_id"
    rows = store.rows(f"SELECT title_id FROM titles WHERE {not_episode} AND lower(name) = lower(?) {order}", [q])
    if not rows:
        rows = store.rows(
            f"SELECT title_id FROM titles WHERE {not_episode} AND contains(lower(name), lower(?)) {order}", [q])
    if not rows:
        shape = " (nor a title with that id)" if _ID_SHAPE.match(q) else ""
        raise ArgumentError(f"no title is named or contains {q!r}{shape}; try part of the title or its id "
                            "(an episode: its id)")
    titles = [t for t in (_title(store, str(r[0])) for r in rows[:_MAX_CANDIDATES]) if t is not None]
    if len(rows) == 1:
        return titles[0]
    more = f" and {len(rows) - _MAX_CANDIDATES} more" if len(rows) > _MAX_CANDIDATES else ""
    raise ArgumentError(f"{q!r} matches {len(rows)} titles: {'; '.join(t.label() for t in titles)}{more}; "
                        f"give the id, e.g. crewparity credits {titles[0].title_id}")


def credits(store: Store, query: str, season: int | None = None,
            roles: str | list[str] | tuple[str, ...] | None = None) -> pa.Table:
    """The credits of the title QUERY names (:func:`find_title`) in ``roles`` (:func:`credit_roles`), one row per
    (person, role), in the order of the roles, then (a series) by episodes, then by name.

    Columns: role, person_id, name, gender, how, source, p_woman, and for a series episodes, first_year,
    last_year. The title is in the schema metadata (:func:`title_of`). ``season`` is for a series only."""
    role_list = credit_roles(roles)
    title = find_title(store, query)
    if season is not None:
        if not title.series:
            raise ArgumentError(f"--season picks a season of a series; {title.label()} has no episodes")
        check_season(store, [(title.title_id, title.name)], season, include_pilots=True)
    table = _series_from_key_credits(store, title, season, role_list) if title.series else None
    if table is None:
        table = _from_credits(store, title, season, role_list)
    meta = {TITLE_ID_KEY: title.title_id, TITLE_NAME_KEY: title.name or "", TITLE_KIND_KEY: title.kind or "",
            TITLE_YEAR_KEY: "" if title.year is None else str(title.year),
            SEASON_KEY: "" if season is None else str(season)}
    return table.replace_schema_metadata({**(table.schema.metadata or {}),
                                          **{k: v.encode() for k, v in meta.items()}})


def _from_credits(store: Store, title: Title, season: int | None, role_list: list[str]) -> pa.Table:
    """The general path: the title's (and its episodes') rows of ``credits``, found through ``titles``. It reads
    the whole ``credits`` table for a series (its episodes' ids are spread over it): full scale, 3.8-5.2 s for a
    series (docs/performance.md, twenty-third session). A film is found by its id, which the zone maps of
    ``credits`` (in title order) narrow to a few row groups."""
    if title.series:
        # the series' own credits (no season) and its episodes' (of the season asked for)
        scope = """SELECT title_id, year, title_id <> $id AS episode FROM titles
                   WHERE (title_id = $id AND $season::INTEGER IS NULL)
                      OR (series_id = $id AND ($season::INTEGER IS NULL OR season = $season))"""
        extra = """, count(DISTINCT c.title_id) FILTER (WHERE s.episode) AS episodes,
                   min(s.year) AS first_year, max(s.year) AS last_year"""
        columns = ", episodes, first_year, last_year"
        order = "episodes DESC, "
    else:
        scope = "SELECT title_id, year, false AS episode FROM titles WHERE title_id = $id"
        extra = columns = order = ""
    return store.arrow(
        f"""
        WITH scope AS ({scope}),
        credited AS (
            SELECT c.person_id, c.role {extra}
            FROM credits c JOIN scope s ON s.title_id = c.title_id
            WHERE list_contains($roles::VARCHAR[], c.role)
            GROUP BY c.person_id, c.role  -- (a credit repeated in credits is one row here: no DISTINCT over them all)
        ),
        {_people_sql(columns, order)}""",
        {"id": title.title_id, "roles": role_list, **({"season": season} if title.series else {})},
    )


def _people_sql(columns: str, order: str) -> str:
    """The end of both paths' statement, after a CTE ``credited`` (person_id, role and ``columns``): each person's
    name, resolved gender and how it is known, in the table's order."""
    # (the name by the rule of crewparity.gender.person; not its birth year, one column less to read per person)
    return f"""named AS (SELECT person_id, {person.name_sql()} AS name FROM people
                         WHERE person_id IN (SELECT person_id FROM credited) GROUP BY person_id)
        SELECT c.role, c.person_id, n.name, coalesce(r.gender, 'unknown') AS gender,
               {how_known_sql('r.gender', 'r.source')} AS how,
               coalesce(r.source, 'none') AS source, r.p_woman {columns}
        FROM credited c
        LEFT JOIN named n ON n.person_id = c.person_id
        LEFT JOIN resolved_gender r ON r.person_id = c.person_id
        ORDER BY list_position($roles::VARCHAR[], c.role), {order}n.name NULLS LAST, c.person_id"""


def _series_from_key_credits(store: Store, title: Title, season: int | None, role_list: list[str]) -> pa.Table | None:
    """A series' credits from ``key_credits``, whose rows carry the series they roll up to (``title_key``) in
    integers: one scan of an integer column, which the kind's zone maps narrow to the series kinds' rows, instead
    of a join of every row of ``credits`` (text ids) with the series' episodes. Full scale, the largest series:
    see docs/performance.md (twenty-third session).

    The same rows as :func:`_from_credits`: ``key_credits`` holds each distinct crew credit (title, person, role)
    of a title in ``titles`` with its year and the title it rolls up to, which for an episode is its series by the
    rule :attr:`Title.series` follows (a series row of a kind that is no :data:`NOT_SERIES`). None (the caller
    takes the general path) where that does not hold or the keys cannot be read back: query tables never built,
    a series row without a kind (``key_credits`` rolls up to a kind only), a series row that is itself an episode
    (its own credits roll up further) or of which ``titles`` has two, or a person whose id is not IMDb's
    (``person_key`` is then a hash; the rows are checked after the query, which is cheaper than a second scan)."""
    if not is_built(store):
        return None
    rows = store.rows("SELECT count(*), any_value(kind), count(series_id) FROM titles WHERE title_id = ?",
                      [title.title_id])
    count, kind, in_series = rows[0]
    vocabulary = kind_vocabulary(store.con)
    if count != 1 or kind not in vocabulary or in_series:
        return None
    # The years of the series' titles narrow the scan further (key_credits is sorted by kind, then year): a series
    # of a few years reads a few row groups. Only when every one has a year (a row without one sorts last).
    years = store.rows("""SELECT min(year), max(year), count(*) = count(year) FROM (
                              SELECT year FROM episodes WHERE series_id = $id
                              UNION ALL SELECT year FROM titles WHERE title_id = $id)""", {"id": title.title_id})
    y0, y1, all_years = years[0]
    year_filter = f"AND k.year BETWEEN {int(y0)} AND {int(y1)}" if all_years and y0 is not None else ""
    season_filter = ""
    if season is not None:
        # the season's episodes by their keys (the series' own credits belong to no season)
        season_filter = f"""AND k.credit_key IN (SELECT {title_key_sql('title_id')} FROM episodes
                                                 WHERE series_id = $id AND season = $season)"""
    table = store.arrow(
        f"""
        WITH series AS (SELECT {title_key_sql('$id')} AS title_key),
        credited AS (
            SELECT {person_id_of_key_sql('k.person_key')} AS person_id, {decode_role_sql('k.role_code')} AS role,
                   count(DISTINCT k.credit_key) FILTER (WHERE k.credit_key <> s.title_key) AS episodes,
                   min(k.year) AS first_year, max(k.year) AS last_year
            FROM key_credits k JOIN series s ON k.title_key = s.title_key
            WHERE k.kind_code = $kind_code AND {has_role_sql('k.role_code', role_list)} {year_filter} {season_filter}
            GROUP BY k.person_key, k.role_code
        ),
        {_people_sql(", episodes, first_year, last_year", "episodes DESC, ")}""",
        {"id": title.title_id, "roles": role_list, "kind_code": vocabulary.index(kind),
         **({"season": season} if season is not None else {})},
    )
    if table.num_rows and table["person_id"].null_count:
        return None
    return table


def title_of(table: pa.Table) -> Title | None:
    """The title a :func:`credits` table lists (from its schema metadata), or None for another table."""
    meta = table.schema.metadata or {}
    if TITLE_ID_KEY not in meta:
        return None
    year = meta[TITLE_YEAR_KEY].decode()
    return Title(meta[TITLE_ID_KEY].decode(), meta[TITLE_NAME_KEY].decode() or None,
                 meta[TITLE_KIND_KEY].decode() or None, int(year) if year else None, "episodes" in table.column_names)


def season_of(table: pa.Table) -> int | None:
    """The season a :func:`credits` table was narrowed to (None: the whole title)."""
    value = (table.schema.metadata or {}).get(SEASON_KEY, b"").decode()
    return int(value) if value else None


def seasons(store: Store, series_id: str) -> list[int]:
    """The season numbers of the series ``series_id``'s episodes, in order (what ``season`` takes for it)."""
    rows = store.rows("SELECT DISTINCT season FROM episodes WHERE series_id = ? AND season IS NOT NULL "
                      "ORDER BY season", [series_id])
    return [int(r[0]) for r in rows]


def empty_words(label: str, season: int | None, roles: str | None) -> str:
    """Why a credits table has no row: the CLI's note (and the dashboard's, on the page and in its note header)."""
    return (f"{label} has no credit in the store in {f'the roles {roles}' if roles else 'the key roles'}"
            + (f" in season {season}" if season is not None else ""))


def summary(table: pa.Table) -> pa.Table:
    """Per role (in the table's order): women, men, nonbinary, unknown and total people, counted from a
    :func:`credits` table as ``share --unit people --by title`` counts them (one row is one person in one role)."""
    gender = table["gender"]
    counted = pa.table({"role": table["role"],
                        "women": pc.cast(pc.equal(gender, "woman"), pa.int64()),
                        "men": pc.cast(pc.equal(gender, "man"), pa.int64()),
                        "nonbinary": pc.cast(pc.equal(gender, "nonbinary"), pa.int64()),
                        "unknown": pc.cast(pc.equal(gender, "unknown"), pa.int64())})
    sums = counted.group_by("role", use_threads=False).aggregate([(g, "sum") for g in GENDERS])
    sums = sums.rename_columns(["role", *GENDERS] if sums.column_names[0] == "role"
                               else [*GENDERS, "role"]).select(["role", *GENDERS])
    total = pc.add(pc.add(sums["women"], sums["men"]), pc.add(sums["nonbinary"], sums["unknown"]))
    return sums.append_column("total", total)


def summary_words(table: pa.Table) -> str:
    """:func:`summary` as the line under the table: per role, women / men / nonbinary / unknown (people)."""
    rows = summary(table).to_pylist()
    if not rows:
        return ""
    per_role = "; ".join(f"{r['role']}: " + ", ".join(f"{g} {r[g]}" for g in GENDERS) for r in rows)
    season = season_of(table)
    whose = (f"season {season}'s episodes (share --by title counts the whole series)" if season is not None
             else "as share --unit people --by title counts this title")
    return f"People per role, {whose}: {per_role}"
