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
    """People per resolved source (and gender), optionally only those with a key-role credit."""
    kinds = " ".join(f"WHEN '{s}' THEN '{k}'" for s, k in SOURCE_KIND.items())
    where = "WHERE person_id IN (SELECT person_id FROM credits WHERE role <> 'actor')" if key_roles_only else ""
    return store.con.sql(
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
        """
    ).to_arrow_table()
