"""A production's own crew list (CSV) -> titles, people, credits and self-reported gender.

Columns: ``title``, ``year``, ``kind`` (optional, default ``movie``), ``name``, ``role``, ``gender``
(optional, self-reported), ``person_id`` (optional, e.g. an IMDb nm id). ``--title``/``--year`` fill in a
missing column or empty cell, for a list that covers one production. Roles are the canonical names or the
aliases in :data:`ROLE_ALIASES`; rows in other roles (gaffer, grip, ...) are skipped and counted.

Ids are derived from the content so that re-ingesting the same list gives the same rows:
``crew:title:<12 hex of sha1(title|year|kind)>`` and, without a person_id,
``crew:person:<12 hex of sha1(name)>`` (name case-folded, spaces collapsed). Self-reported gender (the spellings
of :mod:`crewparity.gender.spelling`; blank or "unknown" = not recorded) is evidence with source ``crewlist``
(confidence 1.0), ranked right after overrides. Re-ingesting a list replaces the rows of the titles it names;
other crew lists stay. A person with two genders in one list is an error; in two lists, both rows are kept (the
person resolves to unknown) and the ingest warns (:func:`contradiction_warnings`).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pyarrow as pa

from crewparity.errors import InputError
from crewparity.gender.spelling import parse_recorded_gender
from crewparity.schema import EVIDENCE_PRECEDENCE, ROLES
from crewparity.sources.overrides import (
    EvidenceSummary,
    insert_evidence,
    insert_missing,
    read_csv_rows,
)
from crewparity.store import Store, record_source

SOURCE = "crewlist"
CONFIDENCE = 1.0
KINDS = ("movie", "tv_series", "tv_mini_series", "tv_episode", "tv_movie", "tv_special", "short", "video")

ROLE_ALIASES: dict[str, str] = {r.replace("_", " "): r for r in ROLES} | {
    "co-director": "director", "co director": "director", "directed by": "director",
    "screenwriter": "writer", "screenplay": "writer", "written by": "writer", "teleplay": "writer",
    "story": "writer", "co-writer": "writer",
    "created by": "creator", "series creator": "creator",
    "co-producer": "producer", "line producer": "producer", "produced by": "producer",
    "ep": "executive_producer", "exec producer": "executive_producer", "co-executive producer": "executive_producer",
    "showrunner": "executive_producer",
    "film editor": "editor", "picture editor": "editor", "edited by": "editor",
    "dp": "cinematographer", "dop": "cinematographer", "director of photography": "cinematographer",
    "cinematography": "cinematographer",
    "music": "composer", "original music": "composer", "music by": "composer",
    "production design": "production_designer",
    "casting": "casting_director", "casting by": "casting_director",
    "actress": "actor", "cast": "actor",
}


#: the columns, for a message: the same text whatever the options (which column --title makes optional is said)
COLUMNS_TEXT = "required: name, role (and title unless --title is given); optional: year, kind, gender, person_id"
#: what a list that lacks a column can give instead
INSTEAD = {"title": "a list of one film can give the film with --title NAME (and its year with --year YEAR) instead"}


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _hash(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:12]


def title_id(name: str, year: int | None, kind: str) -> str:
    return f"crew:title:{_hash(normalise(name).casefold(), str(year or ''), kind)}"


def person_id(name: str) -> str:
    return f"crew:person:{_hash(normalise(name).casefold())}"


def canonical_role(value: str) -> str | None:
    key = re.sub(r"[\s_]+", " ", value.strip().lower())
    return ROLE_ALIASES.get(key)


class Parsed:
    def __init__(self) -> None:
        self.titles: dict[str, tuple[str, str, int | None]] = {}
        self.people: dict[str, str] = {}
        self.credits: set[tuple[str, str, str, str]] = set()
        self.evidence: dict[tuple[str, str], str] = {}
        self.read = 0
        self.skipped: Counter[str] = Counter()


def read(path: str | os.PathLike[str], title: str | None = None, year: int | None = None) -> Parsed:
    """Parse a crew list; every problem names the file and line."""
    p = Path(path)
    required = ("name", "role") + (() if title is not None else ("title",))
    optional = (("title",) if title is not None else ()) + ("year", "kind", "gender", "person_id")
    out = Parsed()
    genders: dict[str, tuple[str, int]] = {}
    for line, row in read_csv_rows(p, required, optional, columns=COLUMNS_TEXT, instead=INSTEAD):
        out.read += 1
        t = normalise(row.get("title") or "") or normalise(title or "")
        if not t:
            raise InputError("column title is empty; expected the production's title (or give --title)",
                             path=p, line=line)
        y_text = (row.get("year") or "").strip()
        if y_text:
            if not re.fullmatch(r"\d{4}", y_text):
                raise InputError(f"column year: {y_text[:20]!r} is not a year; expected four digits", path=p, line=line)
            y: int | None = int(y_text)
        else:
            y = year
        kind = (row.get("kind") or "").strip().lower().replace(" ", "_").replace("-", "_") or "movie"
        if kind not in KINDS:
            raise InputError(f"column kind: {kind!r} is not allowed; expected one of {', '.join(KINDS)}",
                             path=p, line=line)
        name = normalise(row["name"])
        if not name:
            raise InputError("column name is empty; expected the person's name", path=p, line=line)
        role_text = row["role"].strip()
        if not role_text:
            raise InputError("column role is empty; expected a role such as director, writer or DP", path=p, line=line)
        role = canonical_role(role_text)
        if role is None:
            out.skipped[f"role {role_text.lower()}"] += 1
            continue
        tid = title_id(t, y, kind)
        pid = (row.get("person_id") or "").strip() or person_id(name)
        out.titles[tid] = (kind, t, y)
        out.people.setdefault(pid, name)
        out.credits.add((tid, pid, role, role_text))
        gender = parse_recorded_gender(row.get("gender"), p, line)
        if gender is not None:
            if pid in genders and genders[pid][0] != gender:
                raise InputError(f"{name} is {genders[pid][0]} on line {genders[pid][1]} and {gender} here; "
                                 "expected one gender per person", path=p, line=line)
            genders[pid] = (gender, line)
            out.evidence.setdefault((pid, gender), f"{tid} {p.name}:{line}")
    if out.read == 0:
        raise InputError("no crew rows; expected a header and at least one line", path=p, line=2)
    return out


def store_parsed(store: Store, parsed: Parsed, location: str) -> EvidenceSummary:
    """Replace this list's titles' crew-list rows in a store opened with ``writing()``; add what is new."""
    con = store.con
    tids = sorted(parsed.titles)
    con.execute("DELETE FROM credits WHERE source = ? AND list_contains(?, title_id)", [SOURCE, tids])
    con.execute("DELETE FROM titles WHERE source = ? AND list_contains(?, title_id)", [SOURCE, tids])
    con.execute("DELETE FROM gender_evidence WHERE source = ? AND list_contains(?, split_part(detail, ' ', 1))",
                [SOURCE, tids])
    con.execute("DELETE FROM sources WHERE source = ? AND location = ?", [SOURCE, location])
    rows: dict[str, int] = {}
    titles = pa.table({"title_id": tids, "kind": [parsed.titles[t][0] for t in tids],
                       "name": [parsed.titles[t][1] for t in tids],
                       "year": pa.array([parsed.titles[t][2] for t in tids], pa.int32()),
                       "source": [SOURCE] * len(tids)})
    people = pa.table({"person_id": list(parsed.people), "name": list(parsed.people.values()),
                       "source": [SOURCE] * len(parsed.people)})
    cr = sorted(parsed.credits)
    credits = pa.table({"title_id": [c[0] for c in cr], "person_id": [c[1] for c in cr], "role": [c[2] for c in cr],
                        "job": [c[3] for c in cr], "source": [SOURCE] * len(cr)})
    warnings = contradiction_warnings(store, parsed)
    for table, data, key in (("titles", titles, ("title_id",)), ("people", people, ("person_id",)),
                             ("credits", credits, ("title_id", "person_id", "role"))):
        rows[table] = insert_missing(store, table, data, key)
    rows["gender_evidence"] = insert_evidence(store, parsed.evidence, SOURCE, CONFIDENCE)
    record_source(store, SOURCE, location, parsed.read, detail="; ".join(f"{k}={v}" for k, v in rows.items()))
    return EvidenceSummary(SOURCE, location, rows_read=parsed.read, rows=rows, skipped=dict(parsed.skipped),
                           warnings=warnings)


#: the sources that outrank a crew list: their evidence decides a person whom two crew lists contradict
ABOVE = EVIDENCE_PRECEDENCE[:EVIDENCE_PRECEDENCE.index(SOURCE)]
#: how many people a crew-list ingest names, one warning line each, whose gender another crew list contradicts
CONTRADICTIONS_SHOWN = 10


def _where(detail: str, title: str | None, year: int | None) -> str:
    """A crew-list evidence row's ``FILE:LINE`` with its title: "a.csv:2 (Film A, 2024)"."""
    tid, _, at = detail.partition(" ")
    name = title if title is not None else tid
    return f"{at or detail} ({name}{f', {year}' if year is not None else ''})"


def contradiction_warnings(store: Store, parsed: Parsed) -> list[str]:
    """One line for each person whose gender in this list another crew list in the store contradicts (run after
    this list's earlier rows are deleted, so what is left is another list's; or an earlier version of this one
    under another title).

    Inside one list the same contradiction is an error (:func:`read`); across lists both rows are kept, since
    neither file is wrong on its own: crewlist is then a source that contradicts itself, and resolution makes the
    person unknown rather than pick one (docs/sources.md). A user who loads them one after the other is told, with
    the person, both genders and both places, so that one list can be corrected or an override can say which."""
    if not parsed.evidence:
        return []
    new = sorted(parsed.evidence.items())
    name = "_crewlist_new_evidence"
    store.con.register(name, pa.table({"person_id": [k[0] for k, _ in new], "gender": [k[1] for k, _ in new],
                                       "detail": [d for _, d in new]}))
    try:
        found = store.con.execute(
            f"""SELECT n.person_id, n.gender, n.detail, o.gender, o.detail, t.name, t.year,
                       (SELECT min(x.source) FROM gender_evidence x
                        WHERE x.person_id = n.person_id AND list_contains(?, x.source)) AS above
                FROM {name} n JOIN gender_evidence o
                  ON o.person_id = n.person_id AND o.source = ? AND o.gender <> n.gender
                LEFT JOIN titles t ON t.title_id = split_part(o.detail, ' ', 1)
                ORDER BY n.person_id, o.detail""", [list(ABOVE), SOURCE]).fetchall()
    finally:
        store.con.unregister(name)
    # per person: this list's gender and row, then the other lists' rows that say another gender
    people: dict[str, tuple[str, str, str | None, list[str]]] = {}
    for pid, gender, detail, old_gender, old_detail, title, year, above in found:
        where = f"{old_gender} in {_where(old_detail, title, year)}"
        people.setdefault(pid, (gender, detail, above, []))[3].append(where)
    out = []
    for pid, (gender, detail, above, earlier) in list(people.items())[:CONTRADICTIONS_SHOWN]:
        _, title, year = parsed.titles[detail.partition(" ")[0]]
        person = parsed.people.get(pid, pid)
        label = person if pid.startswith("crew:person:") else f"{person} ({pid})"
        more = f" and {len(earlier) - 2} more crew-list rows" if len(earlier) > 2 else ""
        outcome = (f"{above} evidence, which outranks crew lists, decides {person}'s gender" if above is not None else
                   f"{person}'s gender resolves to unknown until one list is corrected or an overrides file says which")
        out.append(f"{label} is {gender} in {_where(detail, title, year)} but {' and '.join(earlier[:2])}{more}, "
                   f"from a crew list loaded before; both are kept, and {outcome} "
                   f'(crewparity gender explain "{person}" shows the evidence)')
    if len(people) > CONTRADICTIONS_SHOWN:
        out.append(f"{len(people) - CONTRADICTIONS_SHOWN:,} more people of this list have a gender that another crew "
                   "list contradicts; they resolve to unknown")
    return out
