"""share --unit titles: each title classified from the distinct people on it, checked against a plain count.

Why: titles as the unit no longer take every (title, person) pair through one DISTINCT. A title is classified from
the set of its people's codes, its p bin from the product over its rows where that is exact (at most one inferred
row), and from its distinct inferred people otherwise (over kinds without series, each title's people are made
distinct first); by genre it is classified per genre mask and its genres unnested after. The reference here
does it the plain way, in Python, from the scope's rows: for each group and title the set of distinct people,
then woman if any woman (then nonbinary, unknown, else man), evidence kind by the same order, and the p bin
1 - prod(1 - p_woman) over the distinct inferred people. The store must hold the cases the shortcuts are about:
a person on one title in several rows (several roles, several episodes of a series) and a series whose episodes
carry different genre lists.
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from crewparity.metrics import derived
from crewparity.metrics.samples import parse_sample, scope_cte
from crewparity.metrics.share import parse_by, share_counts
from crewparity.store import Store, open_store
from tests.conftest import synth_store

GENDERS = derived.GENDER_CODES
EVS = derived.EV_CODES


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth_store(tmp_path_factory, "titles", seed=5, scale=0.003)


def _reference(store: Store, by: list[str], roles: str | None, kinds: list[str] | None, year_from: int | None,
               year_to: int | None, sample: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Per group: the counts of its titles by gender and evidence kind, and the titles' p bins, the plain way."""
    scope, params = scope_cte(roles, kinds, year_from, year_to, parse_sample(sample), needs={"genres"})
    rows = store.arrow(f"""WITH {scope} SELECT s.*, {derived.title_id_sql('s.title_key', 'x')} AS title_id
                           FROM scope s LEFT JOIN title_keys x ON x.title_key = s.title_key""", params).to_pylist()
    kind_names = derived.kind_vocabulary(store.con)
    role_names = derived.CREW_ROLES
    people: dict[tuple[Any, ...], dict[int, tuple[int, float | None]]] = defaultdict(dict)
    for r in rows:
        values: dict[str, list[Any]] = {
            "year": [r["year"]],
            "decade": [None if r["year"] is None else r["year"] // 10 * 10],
            "kind": [None if r["kind_code"] is None else kind_names[r["kind_code"]]],
            "role": [role_names[r["role_code"]]],
            "genre": list(r["genres"] or []) or [None],
            "title": [r["title_id"]],
        }
        combos: list[tuple[Any, ...]] = [()]
        for b in by:
            combos = [c + (v,) for c in combos for v in values[b]]
        for combo in combos:
            people[(combo, r["title_key"])][r["person_key"]] = (r["ge"], r["p_woman"])
    out: dict[tuple[Any, ...], dict[str, Any]] = defaultdict(lambda: {"n": defaultdict(int), "bins": []})
    for (combo, _title), persons in people.items():
        genders = {GENDERS[ge // 8] for ge, _ in persons.values()}
        evs = {EVS[ge % 8] for ge, _ in persons.values()}
        gender = next((g for g in ("woman", "nonbinary", "unknown") if g in genders), "man")
        ev = next((e for e in ("rec_woman", "noinfo", "model", "rec_nonbinary") if e in evs), "rec_man")
        out[combo]["n"][gender] += 1
        out[combo]["n"][ev] += 1
        if ev == "model":
            inferred = sorted(p for ge, p in persons.values() if EVS[ge % 8] == "model")
            out[combo]["bins"].append(1 - math.prod(1 - p for p in inferred))
    return out


@pytest.mark.parametrize(("by", "extra"), [
    ("kind", {}),
    ("year", {}),
    ("none", {}),
    ("genre", {}),
    ("year,genre", {}),
    ("genre,kind", {"year_from": 2000}),
    ("role", {"roles": "director,writer,editor"}),
    ("decade,genre", {"roles": "director"}),
    ("year", {"kinds": "tv_series,tv_mini_series"}),
    ("title", {"kinds": "tv_series", "year_from": 2010}),
    ("genre", {"sample": "top:20"}),
    # kinds without series: each (title, person) once first (share.dense_titles)
    ("year", {"kinds": "movie,short"}),
    ("genre", {"kinds": "movie"}),
    ("kind,genre", {"kinds": "movie,tv_movie,short,video", "roles": "director,writer"}),
])
def test_titles_match_the_plain_count(store_path: Path, by: str, extra: dict[str, Any]) -> None:
    opts: dict[str, Any] = {"roles": None, "kinds": None, "year_from": None, "year_to": None, "sample": "all",
                            **extra}
    by_list = parse_by(by)
    with open_store(store_path) as store:
        table, cols = share_counts(store, by=by, unit="titles", **opts)
        kinds = None if opts["kinds"] is None else opts["kinds"].split(",")
        expected = _reference(store, by_list, opts["roles"], kinds, opts["year_from"], opts["year_to"],
                              opts["sample"])
    got = table.to_pylist()
    assert len(got) == len(expected) > 0
    for row in got:
        key = tuple(row[c] for c in cols if c != "title")  # (by title: the id, then its name)
        assert key in expected, key
        want = expected[key]
        counts = {"women": "woman", "men": "man", "nonbinary": "nonbinary", "unknown": "unknown",
                  "rec_women": "rec_woman", "rec_men": "rec_man", "rec_nonbinary": "rec_nonbinary",
                  "no_info": "noinfo", "inferred": "model"}
        assert {c: row[c] for c in counts} == {c: want["n"][v] for c, v in counts.items()}, key
        # each title's bin is its probability rounded to 0.01 (one may land in the next bin where the two sums
        # differ in the last bit at a half)
        bins = sorted(b for b, n in zip(row["p_bins"] or [], row["p_counts"] or [], strict=True) for _ in range(n))
        assert len(bins) == len(want["bins"]), key
        assert bins == pytest.approx(sorted(want["bins"]), abs=0.0051), key


def test_the_store_holds_the_cases(store_path: Path) -> None:
    """The cases the fast paths are about are in the store the test above reads."""
    with open_store(store_path) as store:
        repeated = store.rows(f"""
            SELECT count(*) FROM (SELECT title_key, person_key FROM key_credits
                                  WHERE {derived.ev_is_sql('ge', 'model')} GROUP BY ALL HAVING count(*) > 1)""")[0][0]
        several_roles = store.rows("""
            SELECT count(*) FROM (SELECT credit_key, person_key FROM key_credits GROUP BY ALL
                                  HAVING count(DISTINCT role_code) > 1)""")[0][0]
        mixed_genres = store.rows("""
            SELECT count(*) FROM (SELECT title_key FROM key_credits GROUP BY ALL
                                  HAVING count(DISTINCT genre_mask) > 1)""")[0][0]
    assert repeated > 0 and several_roles > 0 and mixed_genres > 0
