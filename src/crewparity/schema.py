"""The canonical schema: the one shape every source writes and every metric reads.

Bump :data:`SCHEMA_VERSION` whenever a table or column changes; a store written with another version is
refused with a clear message rather than read wrongly.
"""

from __future__ import annotations

SCHEMA_VERSION = 13

#: Roles, one fixed vocabulary. ``actor`` credits are kept as gender evidence and for later on-screen work.
ROLES: tuple[str, ...] = (
    "director",
    "writer",
    "creator",
    "producer",
    "executive_producer",
    "editor",
    "cinematographer",
    "composer",
    "production_designer",
    "casting_director",
    "actor",
)

#: Recorded genders; ``resolved_gender`` adds ``unknown``.
GENDERS: tuple[str, ...] = ("woman", "man", "nonbinary")
RESOLVED_GENDERS: tuple[str, ...] = (*GENDERS, "unknown")

#: Evidence sources in precedence order (first wins). ``name_model`` is an estimate, never a fact.
#: ``crewlist`` is self-reported gender in a production's own crew list: next to overrides.
EVIDENCE_PRECEDENCE: tuple[str, ...] = ("overrides", "crewlist", "wikidata", "tmdb", "imdb", "name_model")

TABLES: dict[str, str] = {
    "meta": "key VARCHAR PRIMARY KEY, value VARCHAR",
    "sources": "source VARCHAR, location VARCHAR, loaded_at TIMESTAMP, rows_read BIGINT, detail VARCHAR",
    "titles": (
        "title_id VARCHAR NOT NULL, kind VARCHAR, name VARCHAR, original_name VARCHAR, year INTEGER, "
        "end_year INTEGER, series_id VARCHAR, season INTEGER, episode INTEGER, genres VARCHAR[], "
        "runtime_minutes INTEGER, is_adult BOOLEAN, votes INTEGER, rating DOUBLE, source VARCHAR NOT NULL"
    ),
    "people": (
        "person_id VARCHAR NOT NULL, name VARCHAR, birth_year INTEGER, death_year INTEGER, "
        "professions VARCHAR[], source VARCHAR NOT NULL"
    ),
    "credits": "title_id VARCHAR NOT NULL, person_id VARCHAR NOT NULL, role VARCHAR NOT NULL, job VARCHAR, "
    "source VARCHAR NOT NULL",
    "gender_evidence": "person_id VARCHAR NOT NULL, gender VARCHAR NOT NULL, source VARCHAR NOT NULL, "
    "confidence DOUBLE, detail VARCHAR",
    "resolved_gender": "person_id VARCHAR NOT NULL, gender VARCHAR NOT NULL, p_woman DOUBLE, "
    "source VARCHAR NOT NULL",
}

#: Derived query tables (see :mod:`crewparity.metrics.derived`): rebuilt from the tables above at the end of
#: every resolve, never written by a source. Schema 2 added them, schema 3 ``people_cells`` and
#: ``key_credits.genre_mask``, schema 4 ``genre_cells``, ``key_credits.year_rank`` and ``kind_rank``, integer person keys
#: (``person_key``) in key_credits and the person tables, and one ``title_years`` row per title and year; schema 5 the key
#: roles' genre mask in the person tables (``gmask``, ``gnone``) and ``genre_cells`` per year, decade and overall;
#: schema 6 the person codes ``ge``, ``pbi`` in ``key_credits`` too; schema 7 ``key_credits`` in integers only
#: (title keys, role and kind codes, no gender or evidence strings beside ``ge``), ``title_keys`` and
#: ``title_names``; schema 8 ``episode_directors`` with the director rows only (the episode's own columns are in
#: ``episodes``); schema 9 ``title_cells``; schema 10 each ``title_years`` row's key and its places in its year's
#: ranking (``title_key``, ``year_rank``, ``kind_rank``: a top-N sample's titles without ranking at query time) and
#: each ``series_index`` row's genres and adult flag (a study's excluded series picked from these rows); schema 11
#: ``title_units`` (titles as the unit from stored per-(title, year, role, genre mask) classes); schema 12 each
#: ``episodes`` row's directors whose gender is a first-name-model call (``i``); schema 13 the same ``i`` without
#: the names the model abstained on (they are unknown, ``u``, and were counted in both). A store of an older schema
#: is refused by a read with "run `crewparity resolve`", which rebuilds these tables from its own canonical rows
#: (``store.UPGRADABLE_FROM``).
DERIVED_TABLES: dict[str, str] = {
    "key_credits": (
        "credit_key BIGINT, title_key BIGINT, person_key BIGINT, role_code UTINYINT, year INTEGER, "
        "kind_code UTINYINT, p_woman DOUBLE, genre_mask UBIGINT, year_rank UINTEGER, kind_rank UINTEGER, "
        "ge UTINYINT, pbi UTINYINT"
    ),
    "title_keys": "title_key BIGINT, title_id VARCHAR",
    "title_names": "title_key BIGINT, name VARCHAR",
    "person_years": "year INTEGER, person_key BIGINT, mask HUGEINT, ge UTINYINT, pbi UTINYINT, gmask UBIGINT, gnone BOOLEAN",
    "person_decades": (
        "decade INTEGER, person_key BIGINT, mask HUGEINT, ge UTINYINT, pbi UTINYINT, gmask UBIGINT, gnone BOOLEAN"
    ),
    "person_all": "person_key BIGINT, mask HUGEINT, ge UTINYINT, pbi UTINYINT, gmask UBIGINT, gnone BOOLEAN",
    "people_cells": "level VARCHAR, period INTEGER, mask HUGEINT, ge UTINYINT, pbi UTINYINT, n BIGINT",
    "credit_cells": "year INTEGER, kind VARCHAR, role VARCHAR, gender VARCHAR, ev VARCHAR, pb DOUBLE, n BIGINT",
    "genre_cells": "level VARCHAR, period INTEGER, genre VARCHAR, gender VARCHAR, ev VARCHAR, pb DOUBLE, n BIGINT",
    "title_cells": (
        "level VARCHAR, year INTEGER, kind VARCHAR, genre VARCHAR, gender VARCHAR, ev VARCHAR, pb DOUBLE, n BIGINT"
    ),
    "title_units": (
        "title_key BIGINT, year INTEGER, role_code UTINYINT, genre_mask UBIGINT, kind_code UTINYINT, "
        "year_rank UINTEGER, kind_rank UINTEGER, codes UINTEGER, n_model UINTEGER, prod_not DOUBLE, "
        "one_mask BOOLEAN, one_year BOOLEAN"
    ),
    "title_years": ("title_id VARCHAR, year INTEGER, kind VARCHAR, votes INTEGER, title_key BIGINT, "
                    "year_rank UINTEGER, kind_rank UINTEGER"),
    "series_index": "series_id VARCHAR, name VARCHAR, kind VARCHAR, votes INTEGER, genres VARCHAR[], is_adult BOOLEAN",
    "episodes": (
        "series_id VARCHAR, season INTEGER, episode INTEGER, title_id VARCHAR, title VARCHAR, year INTEGER, "
        "kind VARCHAR, pilot BOOLEAN, k BIGINT, w BIGINT, m BIGINT, nb BIGINT, u BIGINT, i BIGINT"
    ),
    "episode_directors": (
        "series_id VARCHAR, title_id VARCHAR, person_id VARCHAR, director VARCHAR, gender VARCHAR, p_woman DOUBLE, "
        "source VARCHAR"
    ),
}

#: Tables whose rows carry a ``source`` column and are replaced per source on re-ingest.
SOURCED_TABLES: tuple[str, ...] = ("titles", "people", "credits", "gender_evidence")


def create_sql() -> list[str]:
    """The statements that create an empty store of the current version."""
    return [f"CREATE TABLE IF NOT EXISTS {name} ({cols})" for name, cols in {**TABLES, **DERIVED_TABLES}.items()]
