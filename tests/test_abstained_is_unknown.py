"""A name the first-name model abstained on is listed as unknown, not inferred.

`credits` and `series --episodes` said `how` / `evidence` = inferred beside the gender unknown for a person whose
name fell inside the abstain band (source name_model, p_woman e.g. 0.83), while the method section counts the same
people as unknown ("an abstention is unknown, not a guess"). In the demo without its curated corrections, Jessica
Jones season 2's directors Minkie Spiro and Mairzee Almas rest on the name model and it abstains on both."""

from __future__ import annotations

from pathlib import Path

import crewparity

ABSTAINED = {"Minkie Spiro", "Mairzee Almas"}


def _rows(table: object) -> list[dict[str, object]]:
    return table.to_pylist()  # type: ignore[attr-defined, no-any-return]


def test_credits_and_episode_lists_say_unknown_for_an_abstention(demo_db_names_only: Path) -> None:
    cp = crewparity.open(demo_db_names_only)
    credits = {r["name"]: r for r in _rows(cp.credits("Jessica Jones", season=2, roles="director"))}
    episodes = {r["director"]: r for r in _rows(cp.series_episodes("Jessica Jones", season=2))}
    for name in ABSTAINED:
        for row, how in ((credits[name], "how"), (episodes[name], "evidence")):
            assert row["gender"] == "unknown" and row["source"] == "name_model", row
            assert 0.10 < float(row["p_woman"]) < 0.90, row   # (inside the default abstain band)
            assert row[how] == "unknown", row
    # and a name the model did call stays inferred
    called = [r for r in credits.values() if r["source"] == "name_model" and r["gender"] != "unknown"]
    assert called and all(r["how"] == "inferred" for r in called)
    for rows, how in ((credits.values(), "how"), (episodes.values(), "evidence")):
        assert not [r for r in rows if r[how] == "inferred" and r["gender"] == "unknown"]


def test_one_rule_says_how_a_gender_is_known() -> None:
    """Both lists take ``how_known_sql``: a recorded source that contradicts itself (resolve leaves the gender
    unknown, the source kept) is unknown, not recorded, as the method section counts it (the episode list said
    ``recorded`` beside the gender unknown)."""
    import duckdb

    from crewparity.metrics.episodes import how_known_sql

    cases = [("woman", "wikidata", "recorded"), ("unknown", "imdb", "unknown"), ("man", "name_model", "inferred"),
             ("unknown", "name_model", "unknown"), (None, None, "unknown"), ("unknown", "none", "unknown"),
             ("nonbinary", "overrides", "recorded")]
    for gender, source, how in cases:
        got = duckdb.sql(f"SELECT {how_known_sql('g', 's')} FROM (SELECT ?::VARCHAR AS g, ?::VARCHAR AS s)",
                         params=[gender, source]).fetchall()[0][0]
        assert got == how, (gender, source, got)


def test_season_inferred_counts_calls_not_abstentions(demo_db_names_only: Path) -> None:
    """``series``' ``inferred`` (a season's episodes with a director whose gender is a first-name-model call) is
    the episodes the episode list marks ``inferred``: season 2's episodes 2, 3 and 6 (Minkie Spiro,
    Mairzee Almas, Jet Wilkinson: the model abstained) are unknown and were counted inferred as well (schema 12)."""
    cp = crewparity.open(demo_db_names_only)
    seasons = {r["season"]: r for r in _rows(cp.series("Jessica Jones"))}
    episodes = _rows(cp.series_episodes("Jessica Jones"))
    for season, row in seasons.items():
        listed = {r["title_id"] for r in episodes if r["season"] == season and r["evidence"] == "inferred"}
        assert row["inferred"] == len(listed), (season, row)
    abstained = {r["episode"] for r in episodes
                 if r["season"] == 2 and r["source"] == "name_model" and r["gender"] == "unknown"}
    assert abstained == {2, 3, 6}
    # 13 episodes: 3 recorded women, 6 called women, 3 abstentions and one director with no evidence
    assert (seasons[2]["inferred"], seasons[2]["unknown"], seasons[2]["total"]) == (6, 4, 13)
