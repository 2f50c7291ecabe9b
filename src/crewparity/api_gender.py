"""The Python API for names alone and for one person's gender: guess, explain, evaluate.

``guess`` reads a plain list of names (no store needed); ``explain`` shows, for one person of a store, every
piece of gender evidence, what the first-name model says about their name, and which one won and why;
``evaluate`` scores the model on a labelled file with the Santamaría & Mihaljević (2018) metrics.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from crewparity.errors import ArgumentError, python_names
from crewparity.gender import evaluate as evaluate_mod
from crewparity.gender import names as names_mod
from crewparity.gender import parse, person
from crewparity.gender.name_file import read_name_array
from crewparity.schema import EVIDENCE_PRECEDENCE

__all__ = ["evaluate", "explain", "guess", "read_names"]

GUESS_COLUMNS = ("name", "gender", "p_woman", "source")


def read_names(path: str | os.PathLike[str]) -> list[str]:
    """Names from FILE: one full name per line, or a CSV whose header has a ``name`` column.

    A list for Python callers; ``gender guess`` reads the same names as one Arrow array
    (:func:`crewparity.gender.name_file.read_name_array`) and passes that to :func:`guess` as it is.
    """
    names: list[str] = read_name_array(path).to_pylist()
    return names


@python_names
def guess(names: str | Sequence[str] | pa.Array, birth_year: int | None = None,
          db: str | os.PathLike[str] | None = None) -> pa.Table:
    """Guess from first names: ``name, gender, p_woman, source`` in input order (``n`` too, for programs: the
    evidence behind ``p_woman``, :mod:`crewparity.gender.names`; at least 1 wherever there is a ``p_woman``).

    With ``db`` the model is adapted with the recorded genders in that store, as ``resolve`` does. One name as a
    string is that one name (a string is a sequence of letters: ``guess("Uta Briesewitz")`` gave 14 rows).
    """
    if isinstance(names, str):
        names = [names]
    _check_birth_year(birth_year)
    table = _store_model(db)
    out = names_mod.guess_names(names, birth_year, table=table)
    return out.select(["name", "gender", "p_woman", "source", "n"])


def _check_birth_year(birth_year: int | None) -> None:
    if birth_year is not None and not (1800 <= birth_year <= 2100):
        raise ArgumentError(f"--birth-year {birth_year} is not a plausible birth year (1800-2100)")


def _store_model(db: str | os.PathLike[str] | None) -> pa.Table | None:
    """The name table adapted with the recorded genders in store ``db`` (opened read-only, left as it was), as
    ``guess`` and ``evaluate`` use it; None (the prior alone) without a store. A missing store is the usual
    :class:`~crewparity.StoreError`."""
    if db is None:
        return None
    from crewparity.store import open_store

    store = open_store(db)
    try:
        return names_mod.store_name_table(store)
    finally:
        store.close()


def _find_person(store: Any, query: str) -> tuple[str, str | None, int | None, list[str] | None]:
    q = query.strip()
    if not q:
        raise ArgumentError("give a person id (e.g. nm0000229) or a name")
    # by id, else by a whole name, else by part of a name: each person's name, birth year and professions by the
    # rule resolve reads them by (crewparity.gender.person), over all of that person's rows, not only the row
    # that matched
    cols = f"person_id, {person.name_sql()}, {person.birth_year_sql()}, {person.professions_sql()}"
    rows = store.rows(f"SELECT {cols} FROM people WHERE person_id = ? GROUP BY person_id", [q])
    for match in ("lower(name) = lower(?)", "contains(lower(name), lower(?))"):
        if rows:
            break
        rows = store.rows(f"SELECT {cols} FROM people WHERE person_id IN (SELECT person_id FROM people WHERE {match}) "
                          "GROUP BY person_id ORDER BY person_id LIMIT 21", [q])
    if not rows:
        in_credits = store.rows("SELECT person_id FROM credits WHERE person_id = ? LIMIT 1", [q])
        if in_credits:
            return q, None, None, None
        raise ArgumentError(f"no person with id or name {q!r} in the store")
    if len(rows) > 1:
        listed = "; ".join(f"{r[0]} {r[1]}" for r in rows[:20])
        more = " and more" if len(rows) > 20 else ""
        raise ArgumentError(f"{query!r} matches several people ({listed}{more}): give an id")
    r = rows[0]
    return str(r[0]), r[1], r[2], list(r[3]) if r[3] is not None else None


@python_names
def explain(query: str, db: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The evidence chain for one person (an id, or a name that matches one person).

    Returns ``person`` (id, name, birth_year, professions), ``evidence`` (every gender_evidence row with its
    precedence rank), ``name_model`` (first-name key, p_woman and n with and without the store's adaptation,
    the call at the band), ``resolved`` (gender, p_woman, source as stored) and ``why`` (one sentence).
    """
    from crewparity.store import open_store

    store = open_store(db)
    try:
        pid, name, birth_year, professions = _find_person(store, query)
        rank = {s: i + 1 for i, s in enumerate(EVIDENCE_PRECEDENCE)}
        evidence = [
            {"source": s, "gender": g, "confidence": c, "detail": d, "rank": rank.get(s)}
            for s, g, c, d in store.rows("SELECT source, gender, confidence, detail FROM gender_evidence "
                                         "WHERE person_id = ? ORDER BY source, gender", [pid])
        ]
        evidence.sort(key=lambda e: (e["rank"] or 99, e["gender"]))
        resolved_rows = store.rows("SELECT gender, p_woman, source FROM resolved_gender WHERE person_id = ?", [pid])
        resolved = ({"gender": resolved_rows[0][0], "p_woman": resolved_rows[0][1], "source": resolved_rows[0][2]}
                    if resolved_rows else None)
        model = _model_for(store, name, birth_year)
    finally:
        store.close()
    return {"person": {"person_id": pid, "name": name, "birth_year": birth_year, "professions": professions},
            "evidence": evidence, "name_model": model, "resolved": resolved,
            "why": _why(evidence, model, resolved)}


def _model_for(store: Any, name: str | None, birth_year: int | None) -> dict[str, Any]:
    """What the name model says about one name: prior only and adapted with the store's recorded genders.

    The adapted model is the one ``resolve`` and ``guess --db`` use (:func:`crewparity.gender.names.
    store_name_table`, by the same SQL), restricted to the rows this name can be looked up by, so the ``p_woman``
    and call are what ``resolve`` stored for a person the model resolves. ``store_women`` and ``store_men`` are the
    recorded people of the key the model used (a hyphenated name it does not know: its first part)."""
    key = parse.first_name(name)
    band = names_mod.band_or_default(None)
    out: dict[str, Any] = {"first_name": key, "band": list(band)}
    prior = names_mod.guess_names([name], birth_year).to_pylist()[0] if name is not None else None
    out["prior_p_woman"] = prior["p_woman"] if prior else None
    out["prior_n"] = prior["n"] if prior else 0
    if key is None:
        out.update(p_woman=None, n=0, call="unknown", store_women=0, store_men=0)
        return out
    table = names_mod.store_name_table(store, names_mod.lookup_keys(key))
    adapted = names_mod.guess_names([name], birth_year, band=band, table=table).to_pylist()[0]
    rows = {r["key"]: r for r in table.select(["key", "women_store", "n_store"]).to_pylist()}
    used = next((rows[k] for k in names_mod.lookup_keys(key) if k in rows), None)
    women = int(used["women_store"]) if used else 0
    men = int(used["n_store"]) - women if used else 0
    out.update(p_woman=adapted["p_woman"], n=adapted["n"], call=adapted["gender"], store_women=women, store_men=men)
    return out


def _why(evidence: list[dict[str, Any]], model: dict[str, Any], resolved: dict[str, Any] | None) -> str:
    if resolved is None:
        return "not resolved yet: run `crewparity resolve`"
    src = resolved["source"]
    if src not in ("name_model", "none"):
        top = [e for e in evidence if e["source"] == src]
        if len({e["gender"] for e in top}) > 1:
            return (f"{src} ranks first among this person's evidence but says more than one gender "
                    f"({', '.join(sorted({e['gender'] for e in top}))}): unknown rather than guessed")
        lower = sorted({e["source"] for e in evidence if e["source"] != src})
        tail = f"; it outranks {', '.join(lower)}" if lower else ""
        return f"recorded evidence from {src} wins (precedence {' > '.join(EVIDENCE_PRECEDENCE)}){tail}"
    if src == "name_model":
        lo, hi = model["band"]
        p = resolved["p_woman"]
        if resolved["gender"] == "unknown":
            return (f"no recorded evidence; the first-name model gives p(woman) = {p:.3f}, inside the abstain band "
                    f"({lo:.2f}, {hi:.2f}): unknown, the probability is kept for estimates")
        return (f"no recorded evidence; the first-name model gives p(woman) = {p:.3f}, outside the abstain band "
                f"({lo:.2f}, {hi:.2f}): inferred {resolved['gender']} (an estimate about the name, not a record)")
    if model.get("first_name") is None:
        return "no recorded evidence and no usable first name (initials only or none): unknown, not guessed"
    return f"no recorded evidence and the first name {model['first_name']!r} is not in the model: unknown"


@python_names
def evaluate(path: str | os.PathLike[str], name_col: str = "name", gender_col: str = "gender",
             band: str | tuple[float, float] | None = None, db: str | os.PathLike[str] | None = None,
             birth_year: int | None = None) -> evaluate_mod.Evaluation:
    """Score the first-name model on a labelled CSV: metrics at the band, and the abstain curve.

    ``name_col`` and ``gender_col`` default to ``name`` and ``gender``, as ``gender eval``'s ``--name-col`` and
    ``--gender-col`` do; ``band`` is the abstain band, ``(lo, hi)`` or the CLI's text ``"LO,HI"`` (default: the
    model's); any other value is an :class:`~crewparity.ArgumentError`, the CLI's one line.

    The model is the prior alone unless ``db``: then it is adapted with the recorded genders in that store, as
    :func:`guess` with ``db`` calls each name (the same name table; the store is opened read-only). ``birth_year``
    (everyone's) moves each name's probability by its US birth decade, as :func:`guess`'s does. The result's
    ``model`` says which model was scored."""
    parsed = names_mod.parse_band(band)
    _check_birth_year(birth_year)
    labelled = evaluate_mod.read_labelled(path, name_col, gender_col)
    table = _store_model(db)
    return evaluate_mod.evaluate_labelled(labelled, parsed, path=str(path), table=table,
                                          store=None if db is None else str(db), birth_year=birth_year)
