"""Where each person's gender came from: the counts a method section must state."""

from __future__ import annotations

import pyarrow as pa

from crewparity.store import Store

#: How each resolved source is described to readers: recorded evidence, an inference, or nothing.
SOURCE_KIND = {
    "overrides": "recorded",
    "crewlist": "recorded",
    "wikidata": "recorded",
    "tmdb": "recorded",
    "imdb": "recorded",
    "name_model": "inferred",
    "none": "unknown",
}


def evidence_summary(store: Store, *, key_roles_only: bool = True) -> pa.Table:
    """People per resolved source (and gender): by default only those with a credit in one of the key roles
    (``key_roles`` in roles.toml, the roles the report and the demo say these counts are of); with
    ``key_roles_only=False`` every person of the store, cast and every crew role included.

    Why the key roles and not every crew role: the report's method section and the demo label these counts
    "key roles"; counting composers, creators or casting directors too made the numbers larger than the
    words (167 people where the demo's key roles have 143)."""
    from crewparity.metrics.roles import key_roles

    kinds = " ".join(f"WHEN '{s}' THEN '{k}'" for s, k in SOURCE_KIND.items())
    where, params = "", list[str]()
    if key_roles_only:
        params = list(key_roles())
        where = ("WHERE person_id IN (SELECT person_id FROM credits WHERE role IN "
                 f"({', '.join('?' * len(params))}))" if params else "WHERE false")
    return store.arrow(
        f"""
        SELECT source, CASE source {kinds} ELSE 'recorded' END AS evidence,
               count(*) AS people,
               count(*) FILTER (WHERE gender = 'woman') AS women,
               count(*) FILTER (WHERE gender = 'man') AS men,
               count(*) FILTER (WHERE gender = 'nonbinary') AS nonbinary,
               count(*) FILTER (WHERE gender = 'unknown') AS unknown
        FROM resolved_gender {where}
        GROUP BY source
        ORDER BY people DESC, source
        """,
        params or None,
    )
