"""One person's name and birth year, as every part of crewparity reads them from ``people``: one rule, in SQL.

``people`` has a ``source`` column, so a person could have a row from more than one source (IMDb, TMDB, a crew
list). The ingests keep one row per ``person_id`` today (``ingest tmdb`` and ``ingest crewlist`` add only the ids
the store does not hold, ``ingest imdb`` drops the other sources' rows of the ids it has: docs/sources.md, *The
order of the loads does not matter*), but nothing in the schema says so, and the places that read a person's name
(the first-name model in resolve, ``gender explain``, the series episode list) each took ``any_value(name)``,
which DuckDB does not make stable: with two rows, another thread count or machine could give another name, so
another first-name key, so another inferred gender, and explain or the episode list could show a name resolve
never read. Every one of them now takes the name and birth year from :func:`people_sql` (or the two aggregate
expressions it is made of), so they agree, and give the same answer on every run.

The rule:

* **name**: among the person's rows with a name, the one whose source ranks first in
  :data:`crewparity.schema.EVIDENCE_PRECEDENCE` (overrides > crewlist > wikidata > tmdb > imdb; a source outside
  the list after them), and between rows of the same rank the smallest name (plain string order). Why this
  order: it is the one the project already states for what a source says about a person (its gender), so the
  name shown beside a crew list's self-reported gender is that list's spelling, and one order is there to learn,
  not two. Why the name as the tie-break: it is deterministic and needs no other column (``people`` has no load
  time or line number to tell two rows of one source apart).
* **birth year**: the latest among the rows with a name (``max(birth_year) FILTER (WHERE name IS NOT NULL)``), as
  resolve has always taken it: the model reads the birth decade together with the name, and a nameless row has
  nothing for it to go with. The latest, not the name row's: a crew list has no birth years, and its name
  winning should not drop IMDb's year.

Cost: ``arg_min`` over a (rank, name) key instead of ``any_value``: on 5M one-row people (2 threads) the
per-person aggregate took 1.0 s instead of 0.6 s; at the full 15M about a second more of resolve's ~33 CPU
seconds (docs/gender.md, Speed). A ``min`` over a struct or a concatenated string key took twice that.
"""

from __future__ import annotations

from crewparity.schema import EVIDENCE_PRECEDENCE


def source_rank_sql(column: str = "source") -> str:
    """SQL: the rank of a ``people`` row's source in :data:`EVIDENCE_PRECEDENCE` (0 first; others 99)."""
    ranks = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(EVIDENCE_PRECEDENCE))
    return f"(CASE {column} {ranks} ELSE 99 END)::UTINYINT"


def name_sql() -> str:
    """SQL aggregate over one person's ``people`` rows (``GROUP BY person_id``): their name by the module's rule."""
    return f"arg_min(name, ({source_rank_sql()}, name)) FILTER (WHERE name IS NOT NULL)"


def birth_year_sql() -> str:
    """SQL aggregate over one person's ``people`` rows: their birth year by the module's rule."""
    return "max(birth_year) FILTER (WHERE name IS NOT NULL)"


def professions_sql() -> str:
    """SQL aggregate: the professions of the row that ranks first by the name's order among the rows that have
    them (only IMDb rows have professions today; ``gender explain`` shows them)."""
    return f"arg_min(professions, ({source_rank_sql()}, name)) FILTER (WHERE professions IS NOT NULL)"


def people_sql(where: str = "") -> str:
    """SQL: ``person_id, name, birth_year``, one row per person in ``people`` (each person's rows together),
    by the module's rule. ``where``: a condition on ``people`` rows that must keep or drop all of a person's rows
    at once (``person_id = ?``, ``person_id IN (...)``); to find people by one of their names, select their ids
    in a subquery, so that the name shown is the rule's, not that of the row that matched."""
    cond = f" WHERE {where}" if where else ""
    return (f"SELECT person_id, {name_sql()} AS name, {birth_year_sql()} AS birth_year "
            f"FROM people{cond} GROUP BY person_id")
