"""People (and credits) counted per genre without expanding every (person, genre) or (credit, genre) pair.

Why: a person counts once in each genre they worked in, so the natural SQL unnests each person's genres and
keeps the distinct (genre, person) rows. Over all years at full scale that is 45M pairs (a person with many
credits has worked in most genres), and the DISTINCT over them took 22 of 25 s. Here each person is one row
with the union of their credits' genre masks (``key_credits.genre_mask``), and the people are counted per
genre with one conditional sum per genre bit, grouped by gender, evidence kind and p bin: one pass over the
people, no pairs. Credits are counted the same way, one row per credit (genres of every kind at full scale:
17 s with the pairs). The counts are the same as the pairs' (tests compare them with the titles' genre lists).

The default question (``share --by genre``: the key roles, every kind, every year) is also counted once at
ingest into the derived table ``genre_cells`` (:func:`stored_cells_sql`), so it is a read of a few thousand
rows; the meta key :data:`GENRE_ROLES_KEY` records which roles those cells counted.
"""

from __future__ import annotations

from crewparity.metrics.derived import P_BIN_SQL, meta_list
from crewparity.metrics.samples import in_list
from crewparity.store import Store

#: meta key: the roles (JSON list) that ``genre_cells`` counted
GENRE_ROLES_KEY = "derived_genre_roles"


def stored_roles(store: Store) -> list[str] | None:
    """The roles ``genre_cells`` counted (None: the store has no usable genre cells)."""
    return meta_list(store.con, GENRE_ROLES_KEY)


def per_person_sql(source: str, groups: list[tuple[str, str]]) -> str:
    """One row per person (and per value of each group expression) of ``source`` with the union of their genre
    masks.

    ``source`` (aliased ``s``) has person_key, gender, ev, p_woman and genre_mask; ``groups`` are ``(SQL over
    s, output name)`` -- the group options other than genre, so a person counts once per group (a decade, not
    each of its years). A person's gender columns are the same on each of their rows, so they ride along with
    ``any_value`` instead of widening the hash key. ``no_genre``: one of the person's credits has no genre
    (that puts the person in the no-genre group too).
    """
    keys = [*(f"{sql} AS {name}" for sql, name in groups), "s.person_key"]
    group = ", ".join([*(name for _, name in groups), "s.person_key"])
    return (f"SELECT {', '.join(keys)}, any_value(s.gender) AS gender, any_value(s.ev) AS ev, "
            f"any_value(s.p_woman) AS p_woman, bit_or(s.genre_mask) AS genre_mask, "
            f"bool_or(s.genre_mask = 0) AS no_genre FROM {source} s GROUP BY {group}")


def per_credit_sql(source: str, groups: list[tuple[str, str]]) -> str:
    """Each credit of ``source`` (aliased ``s``) as a row for :func:`counted_sql`: with ``--unit credits`` a
    credit counts once in each of its genres, so no aggregation is needed before counting."""
    keys = [f"{sql} AS {name}" for sql, name in groups]
    return (f"SELECT {', '.join([*keys, 's.gender', 's.ev', 's.p_woman', 's.genre_mask'])}, "
            f"s.genre_mask = 0 AS no_genre FROM {source} s")


def counted_sql(persons: str, names: list[str], vocabulary: list[str]) -> str:
    """Rows (names..., genre, gender, ev, pb, n): the units of ``persons`` (people from :func:`per_person_sql`
    or credits from :func:`per_credit_sql`, whose group columns are ``names``) counted per genre of the
    vocabulary (bit i of the mask is ``vocabulary[i]``); the no-genre group has genre NULL. Only non-empty
    cells are kept."""
    slots = [f"g{i}" for i in range(len(vocabulary))] + ["gnone"]
    sums = [f"sum(((genre_mask >> {i}) & 1)::INTEGER)::BIGINT AS g{i}" for i in range(len(vocabulary))]
    sums.append("(count(*) FILTER (WHERE no_genre))::BIGINT AS gnone")
    aggregated = (f"SELECT {', '.join([*names, 'gender', 'ev', f'{P_BIN_SQL} AS pb', *sums])} "
                  f"FROM ({persons}) GROUP BY ALL")
    genre_of = ", ".join([*(f"({in_list([slot])}, {in_list([g])})" for slot, g in zip(slots, vocabulary, strict=False)),
                          "('gnone', NULL)"])
    keep = ", ".join([*(f"u.{n}" for n in names), "v.genre", "u.gender", "u.ev", "u.pb", "u.n"])
    return (f"SELECT {keep} FROM (UNPIVOT ({aggregated}) ON {', '.join(slots)} INTO NAME slot VALUE n) u "
            f"JOIN (VALUES {genre_of}) v(slot, genre) USING (slot) WHERE u.n > 0")


def stored_cells_sql(roles: list[str], vocabulary: list[str]) -> str:
    """The ``genre_cells`` rows: people credited in ``roles`` (any kind, any year) counted per genre."""
    source = f"(SELECT person_key, gender, ev, p_woman, genre_mask FROM key_credits WHERE role IN ({in_list(roles)}))"
    return counted_sql(per_person_sql(source, []), [], vocabulary)
