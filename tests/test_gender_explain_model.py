"""``gender explain`` reports the first-name model that ``resolve`` and ``gender guess --db`` use: the same
adaptation with the store's recorded genders, so the same ``p_woman`` and call for every person.

Why: explain counted a name's recorded people with a query of its own, and it disagreed with resolve in three
ways the store below holds: a substring filter on ``lower(strip_accents(name))`` missed the names the model
folds further ("Łucja" is ``lucja``, "D’Arcy" is ``d'arcy``), so their recorded people were not counted; a name
with no recorded people and not in the prior got ``p_woman`` 0.5 from nothing (resolve: no probability, source
``none``); and a hyphenated name the model does not know ("Marit-Qwyx") fell back to its first part *without*
the store's adaptation of that part.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from crewparity import api_gender
from tests.conftest import crewlist_store, run_cli, synth_store

RECORDED = [("Łucja", "woman"), ("D’Arcy", "man"), ("Marit", "man"), ("Kelsey", "man")]
SURNAMES = ("Abe", "Bly", "Cox", "Dunn", "Eyre")
#: people without a recorded gender: the first-name model resolves them
UNRECORDED = ("Łucja Pell", "D’Arcy Lyle", "Marit-Qwyx Lund", "Qwyxor Pell", "Kelsey Orr", "S. J. Clarkson",
              "Jennifer Lynch", "Jean-Pierre Jeunet")


@pytest.fixture(scope="module")
def crew(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = [f"Film {i},2020,{first} {s},writer,{g}\n" for i, (first, g) in enumerate(RECORDED) for s in SURNAMES]
    rows += [f"Film U,2021,{name},director,\n" for name in UNRECORDED]
    return crewlist_store(tmp_path_factory.mktemp("explain"), "title,year,name,role,gender\n" + "".join(rows))


Person = tuple[str, str, str, float | None, str, int | None]


def _resolved(db: Path) -> list[Person]:
    """Every person of the store: id, name, and the gender, p_woman and source resolve stored; the birth year."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [(str(r[0]), str(r[1]), str(r[2]), r[3], str(r[4]), r[5]) for r in con.execute(
            "SELECT person_id, any_value(p.name), r.gender, r.p_woman, r.source, max(p.birth_year) "
            "FROM resolved_gender r JOIN people p USING (person_id) GROUP BY ALL ORDER BY person_id").fetchall()]
    finally:
        con.close()


def _agrees(db: Path, people: list[Person]) -> list[str]:
    """Each person whose explain (name model) or guess --db (the API's, with the person's birth year, as resolve
    scores it) differs from what resolve stored."""
    guessed: dict[str, dict[str, Any]] = {}
    for year in {p[5] for p in people}:
        of_year = [p for p in people if p[5] == year]
        rows = api_gender.guess([p[1] for p in of_year], birth_year=year, db=db).to_pylist()
        guessed.update((p[0], g) for p, g in zip(of_year, rows, strict=True))
    wrong = []
    for pid, name, gender, p_woman, source, _ in people:
        g = guessed[pid]
        m = api_gender.explain(pid, db)["name_model"]
        got = {"explain": (m["p_woman"], m["call"]), "guess": (g["p_woman"], g["gender"])}
        if source in ("name_model", "none"):
            want = (p_woman, gender)
        else:  # a recorded person: explain and guess must still agree with each other
            want = got["guess"]
        if got["explain"] != want or got["guess"] != want:
            wrong.append(f"{pid} {name}: resolve {want}, {got}")
    return wrong


def test_explain_guess_and_resolve_agree_on_every_person(crew: Path) -> None:
    people = _resolved(crew)
    assert len(people) == len(RECORDED) * len(SURNAMES) + len(UNRECORDED)
    assert _agrees(crew, people) == []
    by_name = {p[1]: p for p in people}
    # what the store's recorded people did: Łucja's five women make her a woman (the prior alone abstains or
    # does not know the name), and Marit-Qwyx falls back on Marit, adapted with five men
    assert by_name["Łucja Pell"][2:5] == ("woman", by_name["Łucja Pell"][3], "name_model")
    assert by_name["Qwyxor Pell"][2:5] == ("unknown", None, "none")
    m = api_gender.explain("Łucja Pell", crew)["name_model"]
    assert (m["first_name"], m["store_women"], m["store_men"]) == ("lucja", 5, 0)
    m = api_gender.explain("D’Arcy Lyle", crew)["name_model"]
    assert (m["first_name"], m["store_women"], m["store_men"]) == ("d'arcy", 0, 5)
    m = api_gender.explain("Marit-Qwyx Lund", crew)["name_model"]
    # the counts of the key the model used: the first part of a hyphenated name it does not know
    assert (m["first_name"], m["store_women"], m["store_men"]) == ("marit-qwyx", 0, 5)
    m = api_gender.explain("Qwyxor Pell", crew)["name_model"]
    assert (m["p_woman"], m["n"], m["call"]) == (None, 0, "unknown")


def _cli_json(*args: str) -> Any:
    r = run_cli(*args, "--format", "json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_the_cli_prints_the_same_as_resolve_stored(crew: Path) -> None:
    """As a user sees it: ``gender explain`` and ``gender guess --db`` in real processes."""
    people = {p[1]: p for p in _resolved(crew)}
    names = ["Łucja Pell", "D’Arcy Lyle", "Marit-Qwyx Lund", "Qwyxor Pell"]
    guessed = _cli_json("gender", "guess", *names, "--db", str(crew))
    for name, g in zip(names, guessed, strict=True):
        _, _, gender, p_woman, _, _ = people[name]
        m = _cli_json("gender", "explain", name, "--db", str(crew))["name_model"]
        assert (m["p_woman"], m["call"]) == (g["p_woman"], g["gender"]) == (p_woman, gender), name


def test_on_a_synth_store_explain_agrees_with_resolve(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A generated IMDb store: most people resolved by their recorded actor/actress labels, the crew by the model."""
    db = synth_store(tmp_path_factory, "explain-synth", seed=7)
    sample = [p for p in _resolved(db) if p[4] in ("name_model", "none")]
    assert len(sample) > 100
    sample = sample[:: max(1, len(sample) // 40)]
    assert _agrees(db, sample) == []


def test_the_rows_for_some_keys_are_the_whole_tables_rows(crew: Path) -> None:
    """``store_name_table(store, keys)``, what explain builds, holds exactly the whole table's rows of those keys."""
    from crewparity.gender import names, parse
    from crewparity.store import open_store

    store = open_store(crew)
    try:
        whole = names.store_name_table(store).to_pylist()
        for name in [p[1] for p in _resolved(crew)]:
            keys = names.lookup_keys(parse.first_name(name))
            part = names.store_name_table(store, keys).to_pylist()
            assert sorted(part, key=lambda r: r["key"]) == sorted(
                (r for r in whole if r["key"] in keys), key=lambda r: r["key"]), name
    finally:
        store.close()
