"""Evidence -> one resolved gender per person, by the precedence of DESIGN.md, as one SQL statement.

Precedence: overrides > wikidata > tmdb > imdb > name_model > unknown. The first source that has
evidence for a person wins; if that source contradicts itself (an IMDb person listed both as actor and
actress) the person is unknown rather than guessed. Every resolved row keeps its source.
"""

from __future__ import annotations

from crewparity.schema import EVIDENCE_PRECEDENCE
from crewparity.store import Store


def resolve(store: Store) -> dict[str, int]:
    """Rebuild ``resolved_gender`` from ``gender_evidence``; returns people per resolved source."""
    rank = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(EVIDENCE_PRECEDENCE))
    con = store.con
    con.execute("DELETE FROM resolved_gender")
    con.execute(
        f"""
        INSERT INTO resolved_gender
        WITH ev AS (
            SELECT person_id, gender, source, confidence, CASE source {rank} ELSE 99 END AS rnk
            FROM gender_evidence
        ),
        best AS (
            SELECT person_id, min(rnk) AS rnk FROM ev GROUP BY person_id
        ),
        top AS (
            SELECT ev.person_id, ev.source, count(DISTINCT ev.gender) AS n, any_value(ev.gender) AS gender,
                   max(ev.confidence) AS confidence
            FROM ev JOIN best USING (person_id, rnk)
            GROUP BY ev.person_id, ev.source
        ),
        everyone AS (
            SELECT DISTINCT person_id FROM people
            UNION SELECT DISTINCT person_id FROM credits
        )
        SELECT e.person_id,
               CASE WHEN t.n = 1 THEN t.gender ELSE 'unknown' END,
               CASE WHEN t.n = 1 AND t.gender = 'woman' THEN 1.0
                    WHEN t.n = 1 AND t.gender = 'man' THEN 0.0 END,
               coalesce(t.source, 'none')
        FROM everyone e LEFT JOIN top t USING (person_id)
        """
    )
    rows = con.execute("SELECT source, count(*) FROM resolved_gender GROUP BY source").fetchall()
    return {str(s): int(n) for s, n in rows}
