"""resolve's set-based SQL against a plain formulation of the same rules, on people chosen for the edge cases:
precedence, a source contradicting itself, a source outside the precedence list, people only in credits or only
in the evidence, several people rows for one person, missing names, initials and birth decades."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from crewparity.gender import names
from crewparity.gender.resolve import resolve_genders
from crewparity.schema import EVIDENCE_PRECEDENCE
from crewparity.store import Store, writing

PEOPLE = [  # person_id, name, birth_year, source
    ("p1", "Anna Berg", None, "imdb"),
    ("p2", "Bob Gale", None, "imdb"),
    ("p3", "Jessica Jones", 1980, "imdb"),
    ("p4", "Chris Nobody", None, "imdb"),
    ("p5", None, 1950, "tmdb"),          # one person, two rows: the year of the row with no name is not used
    ("p5", "Leslie Nielsen", None, "imdb"),
    ("p6", "Leslie Mann", 1985, "imdb"),
    ("p7", "Leslie Mann", 1926, "imdb"),
    ("p8", "S. J. Clarkson", None, "imdb"),
    ("p9", None, None, "imdb"),
    ("p10", "Zzyzxq Qwrtp", None, "imdb"),
    ("p11", "Jean-Pierre Jeunet", None, "imdb"),
    ("p12", "Maria Schmidt", None, "imdb"),
    ("p13", "Maria Lopez", None, "imdb"),
    ("p14", "Dr. Smith", None, "imdb"),
]
EVIDENCE = [  # person_id, gender, source
    ("p1", "woman", "imdb"),
    ("p1", "man", "wikidata"),            # wikidata outranks imdb
    ("p2", "man", "imdb"),
    ("p2", "woman", "imdb"),              # imdb says both: unknown, not guessed
    ("p3", "nonbinary", "overrides"),
    ("p3", "woman", "tmdb"),
    ("p4", "man", "zz_unlisted"),         # a source outside the precedence list still records
    ("p12", "woman", "imdb"),
    ("p13", "woman", "zz_unlisted"),
    ("p13", "man", "crewlist"),           # a listed source outranks an unlisted one
    ("c2", "other", "tmdb"),              # only in credits, with evidence of another gender
    ("e1", "woman", "imdb"),              # only in the evidence: no resolved row
]
CREDITS = [("t1", "p1"), ("t1", "c1"), ("t2", "c1"), ("t1", "c2"), ("t2", "p2")]


def _store(path: Path) -> None:
    with writing(path, fresh=True) as store:
        store.con.executemany("INSERT INTO people VALUES (?, ?, ?, NULL, NULL, ?)", PEOPLE)
        store.con.executemany("INSERT INTO gender_evidence VALUES (?, ?, ?, NULL, NULL)", EVIDENCE)
        store.con.executemany("INSERT INTO credits VALUES (?, ?, 'director', NULL, 'imdb')", CREDITS)


def _plain(store: Store) -> set[tuple[object, ...]]:
    """The rules written the plain way: Python over the few rows, names through guess_names one by one."""
    rank = {s: i for i, s in enumerate(EVIDENCE_PRECEDENCE)}
    everyone = {p[0] for p in PEOPLE} | {c[1] for c in CREDITS}
    recorded: dict[str, tuple[str, float | None, str]] = {}
    for pid in everyone:
        ev = [(rank.get(s, 99), g, s) for p, g, s in EVIDENCE if p == pid]
        if not ev:
            continue
        best = min(r for r, _g, _s in ev)
        top = {(g, s) for r, g, s in ev if r == best}
        genders = {g for g, _s in top}
        source = sorted(s for _g, s in top)[0]
        gender = genders.pop() if len(genders) == 1 else "unknown"
        gender = gender if gender in ("woman", "man", "nonbinary") else "unknown"
        recorded[pid] = (gender, {"woman": 1.0, "man": 0.0}.get(gender), source)
    named = {}
    for pid, name, _year, _src in PEOPLE:
        if name is not None:
            years = [y for p, n, y, _s in PEOPLE if p == pid and n is not None and y is not None]
            named[pid] = (name, max(years) if years else None)
    # the store's counts per first-name key, from the recorded women and men
    counts: dict[str, list[int]] = {}
    for pid, (gender, _p, _s) in recorded.items():
        if pid in named and gender in ("woman", "man"):
            from crewparity.gender.parse import first_name

            key = first_name(named[pid][0])
            if key is not None:
                counts.setdefault(key, [0, 0])[gender == "man"] += 1
    store.con.register("plain_counts", pa.table({"key": list(counts), "women": [c[0] for c in counts.values()],
                                                 "men": [c[1] for c in counts.values()]}))
    table = names.build_name_table(store.con, "plain_counts")
    out: set[tuple[object, ...]] = set()
    for pid in everyone:
        if pid in recorded:
            out.add((pid, *recorded[pid]))
        elif pid in named:
            g = names.guess_names([named[pid][0]], named[pid][1], table=table).to_pylist()[0]
            out.add((pid, g["gender"], g["p_woman"], g["source"]))
        else:
            out.add((pid, "unknown", None, "none"))
    return out


def test_resolve_matches_the_plain_rules(tmp_path: Path) -> None:
    db = tmp_path / "edge.duckdb"
    _store(db)
    with writing(db) as store:
        counts = resolve_genders(store)
        got = set(store.rows("SELECT person_id, gender, p_woman, source FROM resolved_gender"))
        assert store.rows("SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE 'cp_%'") == []
        assert got == _plain(store)
    assert sum(counts.values()) == len(got) == len({p[0] for p in PEOPLE} | {c[1] for c in CREDITS})
    by_id = {r[0]: r for r in got}
    assert by_id["p1"][1:] == ("man", 0.0, "wikidata")
    assert by_id["p2"][1:] == ("unknown", None, "imdb")
    assert by_id["p3"][1:] == ("nonbinary", None, "overrides")
    assert by_id["p4"][1:] == ("man", 0.0, "zz_unlisted")
    assert by_id["p13"][1:] == ("man", 0.0, "crewlist")
    assert by_id["c1"][1:] == ("unknown", None, "none") and by_id["c2"][1:] == ("unknown", None, "tmdb")
    assert "e1" not in by_id
    assert by_id["p8"][3] == "none" and by_id["p9"][3] == "none" and by_id["p14"][3] == "none"
    assert by_id["p6"][2] != by_id["p7"][2]  # Leslie born 1985 vs 1926: the decade moves p_woman


def test_resolve_without_the_name_model(tmp_path: Path) -> None:
    db = tmp_path / "edge.duckdb"
    _store(db)
    with writing(db) as store:
        resolve_genders(store, name_model=False)
        assert store.rows("SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE 'cp_%'") == []
        rows = dict((r[0], r[1:]) for r in store.rows("SELECT person_id, gender, p_woman, source FROM resolved_gender"))
    assert rows["p1"] == ("man", 0.0, "wikidata") and rows["p11"] == ("unknown", None, "none")
    assert {s for _g, _p, s in rows.values()} <= {*EVIDENCE_PRECEDENCE, "zz_unlisted", "none"}
