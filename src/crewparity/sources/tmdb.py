"""TMDB API v3 responses (JSON files) -> titles, people, credits and gender evidence.

Supported endpoints, recognised by their keys (a file of any other shape is an error):

- ``/movie/{id}`` and ``/tv/{id}`` (details: the title itself; ``created_by`` gives creator credits),
- ``/movie/{id}/credits`` (cast and crew with ``job``),
- ``/tv/{id}/aggregate_credits`` (series-level cast ``roles`` and crew ``jobs``),
- ``/tv/{id}/season/{n}`` (episodes, each with its own crew and guest stars: what episode shares need),
- ``/person/{id}`` (its ``imdb_id`` links the TMDB person to IMDb) and ``/person/{id}/combined_credits``.

TMDB ``gender`` 1 = woman, 2 = man, 3 = nonbinary is evidence (source ``tmdb``, confidence 0.95);
0 means "not set" and is not evidence. Ids: a person with a known IMDb id (from a ``/person`` file in the
same ingest: ``imdb_id`` or ``external_ids.imdb_id``) is recorded under it, as is a movie whose details give
one; everything else gets
``tmdb:`` ids (``tmdb:movie:496243``, ``tmdb:tv:60573``, ``tmdb:tv:60573:s1e1``, ``tmdb:person:12345``).
Rows the store already has (same id, or the same title/person/role credit) are not added twice, and an IMDb load
after this one drops the TMDB rows its own rows have (:func:`crewparity.sources.imdb.drop_rows_imdb_has`): either
order gives the same store.
An ingest replaces every earlier TMDB row: give all the files of a collection in one command. What the new files
drop of the earlier load is said in the summary's warnings (:func:`replaced_warning`).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from crewparity.errors import InputError, not_utf8
from crewparity.sources.overrides import EvidenceSummary, insert_evidence, insert_missing
from crewparity.store import Store, delete_source, record_source

SOURCE = "tmdb"
CONFIDENCE = 0.95
GENDERS = {1: "woman", 2: "man", 3: "nonbinary"}

#: TMDB crew ``job`` -> canonical role (jobs not listed are not key roles and are skipped, counted).
JOB_ROLES: dict[str, str] = {
    "Director": "director", "Co-Director": "director",
    "Screenplay": "writer", "Writer": "writer", "Story": "writer", "Teleplay": "writer", "Co-Writer": "writer",
    "Head Writer": "writer", "Original Story": "writer", "Screenstory": "writer", "Adaptation": "writer",
    "Dialogue": "writer", "Novel": "writer", "Book": "writer", "Author": "writer", "Characters": "writer",
    "Original Concept": "writer", "Comic Book": "writer",
    "Creator": "creator", "Series Creator": "creator", "Original Series Creator": "creator",
    "Producer": "producer", "Co-Producer": "producer", "Line Producer": "producer",
    "Supervising Producer": "producer", "Consulting Producer": "producer", "Associate Producer": "producer",
    "Executive Producer": "executive_producer", "Co-Executive Producer": "executive_producer",
    "Editor": "editor", "Supervising Editor": "editor",
    "Director of Photography": "cinematographer", "Cinematography": "cinematographer",
    "Original Music Composer": "composer", "Music": "composer", "Composer": "composer",
    "Production Design": "production_designer", "Production Designer": "production_designer",
    "Casting": "casting_director", "Casting Director": "casting_director",
}

ENDPOINTS = ("/movie/{id}", "/movie/{id}/credits", "/tv/{id}", "/tv/{id}/aggregate_credits", "/tv/{id}/season/{n}",
             "/person/{id}", "/person/{id}/combined_credits")

TITLE_COLS = ("title_id", "kind", "name", "original_name", "year", "end_year", "series_id", "season", "episode",
              "genres", "runtime_minutes", "votes", "rating")
TITLE_SCHEMA = pa.schema([
    ("title_id", pa.string()), ("kind", pa.string()), ("name", pa.string()), ("original_name", pa.string()),
    ("year", pa.int32()), ("end_year", pa.int32()), ("series_id", pa.string()), ("season", pa.int32()),
    ("episode", pa.int32()), ("genres", pa.list_(pa.string())), ("runtime_minutes", pa.int32()),
    ("votes", pa.int32()), ("rating", pa.float64()), ("source", pa.string()),
])
PEOPLE_SCHEMA = pa.schema([("person_id", pa.string()), ("name", pa.string()), ("birth_year", pa.int32()),
                           ("death_year", pa.int32()), ("source", pa.string())])
CREDIT_SCHEMA = pa.schema([("title_id", pa.string()), ("person_id", pa.string()), ("role", pa.string()),
                           ("job", pa.string()), ("source", pa.string())])


def _year(value: Any) -> int | None:
    if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit():
        return int(value[:4])
    return None


@dataclass
class Batch:
    """Everything read from a set of TMDB files, before it is written."""

    titles: dict[str, dict[str, Any]] = field(default_factory=dict)
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    credits: set[tuple[str, str, str, str]] = field(default_factory=set)
    evidence: dict[tuple[str, str], str] = field(default_factory=dict)
    person_imdb: dict[int, str] = field(default_factory=dict)
    movie_imdb: dict[int, str] = field(default_factory=dict)
    series_seen: set[str] = field(default_factory=set)
    skipped: Counter[str] = field(default_factory=Counter)
    files: Counter[str] = field(default_factory=Counter)


#: the Python types :meth:`Reader.get` checks, as a message says them (in JSON's terms, with their article: the
#: type's own name gave "expected a int value")
JSON_KINDS: dict[type | tuple[type, ...], str] = {int: "an integer", str: "a string", (int, float): "a number"}


def json_type(value: Any) -> str:
    """What a decoded JSON value is, for a message, with its article: a string ("2"), null, an integer (7)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({json.dumps(value[:20], ensure_ascii=False)})"
    return "a list" if isinstance(value, list) else "an object"


def found(obj: dict[str, Any], key: str) -> str:
    """What an object holds at ``key``, for a message: :func:`json_type`, or that the key is missing."""
    return json_type(obj[key]) if key in obj else "no value (the key is missing)"


class Reader:
    """Reads one decoded TMDB document into a :class:`Batch`; ``where`` is the file, for errors."""

    def __init__(self, batch: Batch, where: str):
        self.b = batch
        self.where = where

    def fail(self, at: str, expected: str) -> InputError:
        return InputError(f"{at}: expected {expected}", path=self.where)

    def get(self, obj: Any, key: str, at: str, kind: type | tuple[type, ...], required: bool = True) -> Any:
        if not isinstance(obj, dict):
            raise self.fail(at, f"an object, found {json_type(obj)}")
        value = obj.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(f"{at}.{key}", f"{JSON_KINDS.get(kind, 'a value of another type')}, found {found(obj, key)}")
        return value

    def items(self, obj: Any, key: str, at: str) -> list[Any]:
        value = obj.get(key) if isinstance(obj, dict) else None
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(f"{at}.{key}", f"a list, found {json_type(value)}")
        return value

    # -- ids -----------------------------------------------------------------------------------------------
    def person_id(self, tmdb_id: int) -> str:
        return self.b.person_imdb.get(tmdb_id) or f"tmdb:person:{tmdb_id}"

    def movie_id(self, tmdb_id: int) -> str:
        return self.b.movie_imdb.get(tmdb_id) or f"tmdb:movie:{tmdb_id}"

    # -- rows ----------------------------------------------------------------------------------------------
    def person(self, obj: Any, at: str) -> str:
        """Record a person (name, gender evidence) and return the canonical person id."""
        tid = self.get(obj, "id", at, int)
        pid = self.person_id(tid)
        name = self.get(obj, "name", at, str, required=False)
        gender = obj.get("gender")
        if gender is not None and (type(gender) is not int or gender not in (0, 1, 2, 3)):
            raise self.fail(f"{at}.gender", f"0 (not set), 1 (woman), 2 (man) or 3 (nonbinary), found {json_type(gender)}")
        row = self.b.people.setdefault(pid, {"person_id": pid, "name": name, "birth_year": None, "death_year": None})
        if row["name"] is None:
            row["name"] = name
        if gender in GENDERS:
            self.b.evidence.setdefault((pid, GENDERS[gender]), f"TMDB person {tid} gender {gender}")
        elif gender == 0:
            self.b.skipped["people mentions with gender 0 (not set)"] += 1
        return pid

    def title(self, tid: str, **values: Any) -> None:
        row = self.b.titles.setdefault(tid, {c: None for c in TITLE_COLS} | {"title_id": tid})
        for key, value in values.items():
            if value is not None and value != "":
                row[key] = value

    def crew(self, title_id: str, obj: Any, at: str, job: Any) -> None:
        if not isinstance(job, str):
            if not isinstance(obj, dict):
                raise self.fail(at, f"an object, found {json_type(obj)}")
            raise self.fail(f"{at}.job", f"a string, found {found(obj, 'job')}")
        role = JOB_ROLES.get(job)
        if role is None:
            self.b.skipped["crew credits in other jobs"] += 1
            return
        self.b.credits.add((title_id, self.person(obj, at), role, job))

    def cast(self, title_id: str, obj: Any, at: str) -> None:
        self.b.credits.add((title_id, self.person(obj, at), "actor", "cast"))

    # -- endpoints -----------------------------------------------------------------------------------------
    def read(self, doc: Any) -> str:
        """Detect the endpoint by the keys and read the document; returns the endpoint name."""
        if not isinstance(doc, dict):
            raise self.fail("$", "a JSON object (a TMDB API v3 response)")
        if isinstance(doc.get("episodes"), list) and "season_number" in doc:
            self.season(doc)
            return "/tv/{id}/season/{n}"
        if isinstance(doc.get("cast"), list) or isinstance(doc.get("crew"), list):
            entries = [e for k in ("cast", "crew") for e in self.items(doc, k, "$")]
            if any(isinstance(e, dict) and ("jobs" in e or "roles" in e) for e in entries):
                self.aggregate(doc)
                return "/tv/{id}/aggregate_credits"
            if any(isinstance(e, dict) and "media_type" in e for e in entries):
                self.person_credits(doc)
                return "/person/{id}/combined_credits"
            self.movie_credits(doc, "$")
            return "/movie/{id}/credits"
        if "also_known_as" in doc or ("birthday" in doc and "known_for_department" in doc):
            self.person_details(doc)
            return "/person/{id}"
        if "release_date" in doc and "title" in doc:
            self.movie(doc)
            return "/movie/{id}"
        if "first_air_date" in doc and ("seasons" in doc or "number_of_seasons" in doc):
            self.tv(doc)
            return "/tv/{id}"
        raise self.fail("$", "a TMDB API v3 response of " + ", ".join(ENDPOINTS) + f" (keys found: "
                        f"{', '.join(sorted(map(str, doc))[:8]) or 'none'})")

    def genres(self, doc: Any) -> list[str] | None:
        names = [g.get("name") for g in self.items(doc, "genres", "$") if isinstance(g, dict)]
        return [n for n in names if isinstance(n, str)] or None

    def movie(self, doc: Any) -> None:
        mid = self.get(doc, "id", "$", int)
        tid = self.movie_id(mid)
        self.title(tid, kind="movie", name=self.get(doc, "title", "$", str, False),
                   original_name=self.get(doc, "original_title", "$", str, False),
                   year=_year(doc.get("release_date")), genres=self.genres(doc),
                   runtime_minutes=self.get(doc, "runtime", "$", int, False),
                   votes=self.get(doc, "vote_count", "$", int, False),
                   rating=self.get(doc, "vote_average", "$", (int, float), False))
        if isinstance(doc.get("credits"), dict):  # append_to_response=credits
            self.movie_credits(doc["credits"], "$.credits", mid)

    def tv(self, doc: Any) -> None:
        sid = f"tmdb:tv:{self.get(doc, 'id', '$', int)}"
        runtimes = [r for r in self.items(doc, "episode_run_time", "$") if isinstance(r, int)]
        ended = doc.get("status") in ("Ended", "Canceled")
        kind = "tv_mini_series" if doc.get("type") == "Miniseries" else "tv_series"
        self.title(sid, kind=kind, name=self.get(doc, "name", "$", str, False),
                   original_name=self.get(doc, "original_name", "$", str, False),
                   year=_year(doc.get("first_air_date")), end_year=_year(doc.get("last_air_date")) if ended else None,
                   genres=self.genres(doc), runtime_minutes=runtimes[0] if runtimes else None,
                   votes=self.get(doc, "vote_count", "$", int, False),
                   rating=self.get(doc, "vote_average", "$", (int, float), False))
        for i, c in enumerate(self.items(doc, "created_by", "$")):
            self.b.credits.add((sid, self.person(c, f"$.created_by[{i}]"), "creator", "Creator"))

    def movie_credits(self, doc: Any, at: str, movie: int | None = None) -> None:
        tid = self.movie_id(movie if movie is not None else self.get(doc, "id", at, int))
        self.title(tid, kind="movie")
        for i, c in enumerate(self.items(doc, "cast", at)):
            self.cast(tid, c, f"{at}.cast[{i}]")
        for i, c in enumerate(self.items(doc, "crew", at)):
            self.crew(tid, c, f"{at}.crew[{i}]", c.get("job") if isinstance(c, dict) else None)

    def aggregate(self, doc: Any) -> None:
        sid = f"tmdb:tv:{self.get(doc, 'id', '$', int)}"
        self.b.series_seen.add(sid)
        for i, c in enumerate(self.items(doc, "cast", "$")):
            self.cast(sid, c, f"$.cast[{i}]")
        for i, c in enumerate(self.items(doc, "crew", "$")):
            at = f"$.crew[{i}]"
            for j, job in enumerate(self.items(c, "jobs", at)):
                self.crew(sid, c, at, self.get(job, "job", f"{at}.jobs[{j}]", str))

    def season(self, doc: Any) -> None:
        for i, ep in enumerate(self.items(doc, "episodes", "$")):
            at = f"$.episodes[{i}]"
            show = self.get(ep, "show_id", at, int)
            season = self.get(ep, "season_number", at, int)
            number = self.get(ep, "episode_number", at, int)
            sid = f"tmdb:tv:{show}"
            self.b.series_seen.add(sid)
            eid = f"{sid}:s{season}e{number}"
            self.title(eid, kind="tv_episode", name=self.get(ep, "name", at, str, False),
                       year=_year(ep.get("air_date")), series_id=sid, season=season, episode=number,
                       runtime_minutes=self.get(ep, "runtime", at, int, False),
                       votes=self.get(ep, "vote_count", at, int, False),
                       rating=self.get(ep, "vote_average", at, (int, float), False))
            for j, c in enumerate(self.items(ep, "crew", at)):
                self.crew(eid, c, f"{at}.crew[{j}]", c.get("job") if isinstance(c, dict) else None)
            for j, c in enumerate(self.items(ep, "guest_stars", at)):
                self.cast(eid, c, f"{at}.guest_stars[{j}]")

    def person_details(self, doc: Any) -> None:
        pid = self.person(doc, "$")
        row = self.b.people[pid]
        row["birth_year"] = _year(doc.get("birthday"))
        row["death_year"] = _year(doc.get("deathday"))

    def person_credits(self, doc: Any) -> None:
        person = {"id": self.get(doc, "id", "$", int)}
        for key in ("cast", "crew"):
            for i, c in enumerate(self.items(doc, key, "$")):
                at = f"$.{key}[{i}]"
                kind = self.get(c, "media_type", at, str)
                if kind == "movie":
                    tid = self.movie_id(self.get(c, "id", at, int))
                    self.title(tid, kind="movie", name=c.get("title"), original_name=c.get("original_title"),
                               year=_year(c.get("release_date")))
                elif kind == "tv":
                    tid = f"tmdb:tv:{self.get(c, 'id', at, int)}"
                    self.title(tid, kind="tv_series", name=c.get("name"), original_name=c.get("original_name"),
                               year=_year(c.get("first_air_date")))
                else:
                    raise self.fail(f"{at}.media_type", f"movie or tv, found {json_type(kind)}")
                if key == "cast":
                    self.b.credits.add((tid, self.person(person, "$"), "actor", "cast"))
                elif kind == "tv" and JOB_ROLES.get(c.get("job")) in EPISODE_ROLES:
                    # A series-level line for work done on some episodes: stored on the series, it would count in
                    # the series' first year (a guest director of ER "directing ER in 1994"). The season
                    # responses (/tv/{id}/season/{n}) give the same credits per episode, with their air dates.
                    self.b.skipped["TV directing and writing credits of a person's combined_credits "
                                   "(no episode or air date; load the season responses)"] += 1
                else:
                    self.crew(tid, person, at, c.get("job"))


#: roles done per episode: a person's combined_credits lists them per series, without episodes or dates
EPISODE_ROLES = frozenset({"director", "writer"})


def load(paths: list[str | os.PathLike[str]]) -> list[tuple[str, Any]]:
    """Decode every file first, so that a bad one fails before anything is read into the batch."""
    if not paths:
        raise InputError("no files given; expected TMDB API v3 JSON responses")
    docs = []
    for path in paths:
        p = Path(path)
        if not p.is_file():
            raise InputError("no such file" if not p.exists() else "not a file", path=p)
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the file ({exc.strerror})", path=p) from None
        try:
            docs.append((str(p), json.loads(data.decode("utf-8-sig"))))
        except UnicodeDecodeError:
            raise not_utf8(p, "expected a TMDB API JSON response saved as UTF-8", data) from None
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg}); expected a TMDB API JSON response", path=p,
                             line=exc.lineno) from None
    return docs


def imdb_id_of(doc: dict[str, Any]) -> str | None:
    """The IMDb id a details response carries: ``imdb_id``, or ``external_ids.imdb_id`` (from
    ``append_to_response=external_ids``); None when it has none."""
    external = doc.get("external_ids")
    for value in (doc.get("imdb_id"), external.get("imdb_id") if isinstance(external, dict) else None):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def read(paths: list[str | os.PathLike[str]]) -> Batch:
    """Read TMDB files into a batch. Person and movie details are read first: they carry the IMDb ids."""
    docs = load(paths)
    batch = Batch()
    for _where, doc in docs:
        if isinstance(doc, dict):
            imdb = imdb_id_of(doc)
            if isinstance(doc.get("id"), int) and imdb is not None:
                if imdb.startswith("nm") and ("also_known_as" in doc or "birthday" in doc):
                    batch.person_imdb[doc["id"]] = imdb
                elif imdb.startswith("tt") and "release_date" in doc:
                    batch.movie_imdb[doc["id"]] = imdb
    for where, doc in docs:
        batch.files[Reader(batch, where).read(doc)] += 1
    for sid in batch.series_seen:
        batch.titles.setdefault(sid, {c: None for c in TITLE_COLS} | {"title_id": sid, "kind": "tv_series"})
    return batch


def _table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    cols = {name: [r.get(name) for r in rows] for name in schema.names if name != "source"}
    cols["source"] = [SOURCE] * len(rows)
    return pa.table(cols, schema=schema)


def unmatched_warning(store: Store, batch: Batch | None = None) -> str | None:
    """The warning for a store that holds IMDb rows beside TMDB rows under ``tmdb:`` ids, or None; said by
    ``ingest tmdb`` (``batch``: the files just read, whose rows with an IMDb id are counted) and by ``ingest
    imdb`` (no batch) alike, whichever of the two sources came second.

    Why: nothing matches a ``tmdb:`` id to an IMDb id (entity matching is not done), so a film or person in both
    sources is counted twice. Rows a details file gave an IMDb id for are stored under it and merge.
    """
    titles, people = store.rows(
        f"SELECT (SELECT count(*) FROM titles WHERE source = '{SOURCE}' AND title_id LIKE 'tmdb:%'), "
        f"(SELECT count(*) FROM people WHERE source = '{SOURCE}' AND person_id LIKE 'tmdb:%')")[0]
    if not titles and not people:  # the common case after an IMDb load: no TMDB rows, no scan for IMDb's
        return None
    (imdb_rows,), = store.rows("SELECT EXISTS (SELECT 1 FROM titles WHERE source = 'imdb') "
                               "OR EXISTS (SELECT 1 FROM people WHERE source = 'imdb')")
    if not imdb_rows:
        return None
    if batch is not None:
        merged_titles = sum(1 for t in batch.titles if not t.startswith("tmdb:"))
        merged_people = sum(1 for p in batch.people if not p.startswith("tmdb:"))
        held = "were added with"
        merged = f"{_n(merged_titles, 'title', 'titles')} and {_n(merged_people, 'person', 'people')} whose"
    else:
        held, merged = "are in the store with", "TMDB rows whose"
    return (f"{_n(titles, 'title', 'titles')} and {_n(people, 'person', 'people')} from TMDB {held} tmdb: ids; "
            "they are not matched to the store's IMDb ids, so a film or person present in both sources counts "
            f"twice ({merged} /movie/{{id}} or /person/{{id}} file gave an imdb_id are stored under it and merge)")


def _n(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


#: the tables an ingest writes, in the order the summary lists them
TABLES = ("titles", "people", "credits", "gender_evidence")


@dataclass
class TmdbSummary(EvidenceSummary):
    """What ``ingest tmdb`` read and stored. ``rows``: the rows this load added per table (a title, person or
    credit the store holds from another source is not added; the API adds ``resolved_gender``: the people
    resolved, in the whole store); ``read``: the rows the files gave; ``in_store``: every source's rows of each
    table after the load. Why three: one column of "rows" showed titles 0 (added) beside resolved_gender 141 (in
    the store)."""

    read: dict[str, int] = field(default_factory=dict)
    in_store: dict[str, int] = field(default_factory=dict)


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def replaced_warning(store: Store, batch: Batch, evidence_only: bool = False) -> str | None:
    """What replacing the earlier TMDB load by ``batch`` drops, as one line; None when it drops nothing. Worked
    out before the old rows are deleted, as overrides and Wikidata say what their replacing loads drop.

    Why: an ingest replaces every TMDB row, so a later ingest of one response (a season fetched today) silently
    removed every other title, credit and gender of the earlier load (142 evidence rows -> 11 on the sample). The
    load keeps replacing (a /person file maps a TMDB person to an IMDb id within one ingest only; added to an
    earlier load, a later season would give that person a second, ``tmdb:`` id) and says what it dropped: the
    titles (a few named, a series' episodes counted under the series), the credits, and the people whose TMDB
    gender evidence is gone. ``evidence_only``: the batch is what an evidence-only load keeps, so what it drops may
    well be in the files (said so).
    """
    con = store.con
    kept = {
        "_kept_titles": pa.table({"title_id": pa.array(list(batch.titles), pa.string())}),
        "_kept_credits": pa.table({"title_id": pa.array([c[0] for c in batch.credits], pa.string()),
                                   "person_id": pa.array([c[1] for c in batch.credits], pa.string()),
                                   "role": pa.array([c[2] for c in batch.credits], pa.string())}),
        "_kept_people": pa.table({"person_id": pa.array(sorted({p for p, _ in batch.evidence}), pa.string())}),
    }
    for name, data in kept.items():
        con.register(name, data)
    try:
        titles = con.execute(
            f"""SELECT t.title_id, t.name, t.series_id, t.votes FROM titles t
                WHERE t.source = '{SOURCE}' AND NOT EXISTS (SELECT 1 FROM _kept_titles k WHERE k.title_id = t.title_id)
             """).fetchall()
        (credits,), = con.execute(
            # a credit as share counts it: a title, a person, a role (two TMDB jobs of one role are one credit)
            f"""SELECT count(*) FROM (SELECT DISTINCT title_id, person_id, role FROM credits WHERE source = '{SOURCE}') c
                WHERE NOT EXISTS (SELECT 1 FROM _kept_credits k
                                  WHERE k.title_id = c.title_id AND k.person_id = c.person_id AND k.role = c.role)"""
        ).fetchall()
        (people,), = con.execute(
            f"""SELECT count(DISTINCT g.person_id) FROM gender_evidence g WHERE g.source = '{SOURCE}'
                AND NOT EXISTS (SELECT 1 FROM _kept_people k WHERE k.person_id = g.person_id)""").fetchall()
        series = sorted({r[2] for r in titles if r[2] is not None})
        names = dict(con.execute("SELECT title_id, name FROM titles WHERE title_id IN (SELECT unnest(?))",
                                 [series]).fetchall()) if series else {}
        # a series these files name only through its seasons or credits stays as a row without a name
        stubs = sorted(sid for sid in batch.series_seen if batch.titles.get(sid, {}).get("name") is None)
        unnamed = con.execute(f"""SELECT title_id, name FROM titles WHERE source = '{SOURCE}' AND name IS NOT NULL
                                  AND title_id IN (SELECT unnest(?)) ORDER BY title_id""",
                              [stubs]).fetchall() if stubs else []
    finally:
        for name in kept:
            con.unregister(name)
    if not titles and not credits and not people and not unnamed:
        return None
    parts = [_n(len(titles), "title", "titles")] if titles else []
    parts += [_n(credits, "credit", "credits")] if credits else []
    parts += [f"the TMDB gender evidence of {_n(people, 'person', 'people')}"] if people else []
    gone = "are not among what this evidence-only load keeps" if evidence_only else "are not in these files"
    what = f"{_and(parts)} from the earlier TMDB load {gone}, and are dropped" if parts else ""
    series_text = ", ".join(f"{name} ({sid})" for sid, name in unnamed[:3])
    series_text += f" and {_n(len(unnamed) - 3, 'more', 'more')}" if len(unnamed) > 3 else ""
    lose = (f"the series {series_text} {'lose their' if len(unnamed) > 1 else 'loses its'} name and details (no "
            "/tv/{id} file among these)" if unnamed else "")
    text = (f"{what or lose} (ingest tmdb replaces the earlier TMDB load whole: give all the files of a collection "
            "in one command)")
    if titles:
        text += f"; the titles dropped include {_titles_dropped(titles, names)}"
    return text + (f"; {lose}" if what and lose else "")


def _titles_dropped(titles: list[tuple[Any, ...]], names: dict[str, str | None]) -> str:
    """A few of the dropped titles, for a message: the most voted first; a series' dropped episodes as one item
    ("48 episodes of Silicon Valley (tmdb:tv:60573)")."""
    units: dict[str, dict[str, Any]] = {}
    for title_id, name, series_id, votes in titles:
        unit = units.setdefault(series_id or title_id, {"self": False, "name": None, "episodes": 0, "votes": -1})
        unit["votes"] = max(unit["votes"], votes if votes is not None else -1)
        if series_id is None:
            unit["self"], unit["name"] = True, name
        else:
            unit["episodes"] += 1
    items = []
    for uid, u in sorted(units.items(), key=lambda kv: (-kv[1]["votes"], kv[0]))[:3]:
        name = u["name"] or names.get(uid)
        label = f"{name} ({uid})" if name else uid
        episodes = _n(u["episodes"], "episode", "episodes")
        items.append(label if not u["episodes"] else f"{label} with {episodes}" if u["self"]
                     else f"{episodes} of {label}")
    more = len(units) - len(items)
    return ", ".join(items) + (f" and {_n(more, 'more', 'more')}" if more else "")


def store_batch(store: Store, batch: Batch, location: str) -> TmdbSummary:
    """Replace the TMDB rows of a store opened with ``writing()`` by the batch; adds only what is missing.

    The summary's ``warnings`` say what the replaced TMDB load had that the batch does not (:func:`replaced_warning`)
    and when the store also holds IMDb rows that the ``tmdb:`` ids are not matched to.
    """
    dropped = replaced_warning(store, batch)
    delete_source(store, SOURCE)
    staged = {
        "titles": _table(list(batch.titles.values()), TITLE_SCHEMA),
        "people": _table(list(batch.people.values()), PEOPLE_SCHEMA),
        "credits": pa.table({"title_id": [c[0] for c in batch.credits], "person_id": [c[1] for c in batch.credits],
                             "role": [c[2] for c in batch.credits], "job": [c[3] for c in batch.credits],
                             "source": [SOURCE] * len(batch.credits)}, schema=CREDIT_SCHEMA),
    }
    keys = {"titles": ("title_id",), "people": ("person_id",), "credits": ("title_id", "person_id", "role")}
    rows = {table: insert_missing(store, table, data, keys[table]) for table, data in staged.items()}
    rows["gender_evidence"] = insert_evidence(store, batch.evidence, SOURCE, CONFIDENCE)
    n_files = sum(batch.files.values())
    detail = "; ".join(f"{k}={v}" for k, v in rows.items()) + "; files " + ", ".join(
        f"{k} x{v}" for k, v in sorted(batch.files.items()))
    record_source(store, SOURCE, location, n_files, detail=detail)
    warnings = [w for w in (dropped, unmatched_warning(store, batch)) if w]
    read = {"titles": len(batch.titles), "people": len(batch.people), "credits": len(batch.credits),
            "gender_evidence": len(batch.evidence)}
    totals = store.rows("SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in TABLES))[0]
    return TmdbSummary(SOURCE, location, rows_read=n_files, rows=rows, skipped=dict(batch.skipped),
                       warnings=warnings, read=read, in_store=dict(zip(TABLES, map(int, totals), strict=True)))


def has_title_rows(store: Store) -> bool:
    """Whether the store holds TMDB titles, people or credits (a full TMDB load), not only TMDB gender evidence.
    An evidence-only load that replaces none of them changes genders alone, so the query tables can be updated for
    the people whose gender changed instead of rebuilt."""
    (found_any,), = store.rows("SELECT " + " OR ".join(f"EXISTS (SELECT 1 FROM {t} WHERE source = '{SOURCE}')"
                                           for t in ("titles", "people", "credits")))
    return bool(found_any)


def linked_evidence(batch: Batch) -> dict[tuple[str, str], str]:
    """The batch's gender evidence of the people a ``/person/{id}`` file of the batch linked to an IMDb id (their
    person ids are IMDb's; everyone else's are ``tmdb:person:``)."""
    return {key: detail for key, detail in batch.evidence.items() if not key[0].startswith("tmdb:")}


def store_evidence(store: Store, batch: Batch, location: str) -> TmdbSummary:
    """``ingest tmdb --evidence-only``: replace the TMDB rows of a store opened with ``writing()`` by the batch's
    gender evidence of the people linked to an IMDb id (:func:`linked_evidence`), and nothing else: no titles, no
    credits, no people.

    Why: a researcher with an IMDb store wants TMDB's recorded genders for its people; a full load would also add
    TMDB's titles, and a series under ``tmdb:tv:`` ids beside IMDb's own episodes counts twice. Evidence under an
    IMDb id joins the store's own person (TMDB then wins over the first-name model and IMDb's labels, and overrides
    and Wikidata still win over it); a ``tmdb:person:`` id joins nobody, so that evidence is left out, counted.

    No ``people`` row is added, not even for a linked person the store does not hold (or holds only in credits, as
    IMDb's sample does for people missing from name.basics): a person without credits is counted by no figure, and
    a name added for a known gender adapts the first-name model, which would move other people's inferred genders,
    so the store's figures would change through more than the genders TMDB gives. The evidence of a person the
    store lacks stays in ``gender_evidence``, as Wikidata's does, and counts once a load adds that person.

    Like every TMDB ingest it replaces the earlier TMDB load whole (a full load's titles and credits too, said in
    the warnings); the summary's ``skipped`` and one warning say what the files gave that was left out.
    """
    linked = linked_evidence(batch)
    kept = Batch(evidence=linked)
    dropped = replaced_warning(store, kept, evidence_only=True)
    delete_source(store, SOURCE)
    added = insert_evidence(store, linked, SOURCE, CONFIDENCE)
    rows = {"titles": 0, "people": 0, "credits": 0, "gender_evidence": added}
    n_files = sum(batch.files.values())
    record_source(store, SOURCE, location, n_files, detail=f"evidence only; gender_evidence={added}; files " + ", ".join(
        f"{k} x{v}" for k, v in sorted(batch.files.items())))
    people = sorted({p for p, _ in linked})
    store.con.register("_tmdb_linked", pa.table({"person_id": pa.array(people, pa.string())}))
    try:
        # people first: credits is read only for the ids that people does not hold
        (absent,), = store.rows(
            """SELECT count(*) FROM _tmdb_linked l WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.person_id = l.person_id)
               AND NOT EXISTS (SELECT 1 FROM credits c WHERE c.person_id = l.person_id)""")
    finally:
        store.con.unregister("_tmdb_linked")
    unlinked = len({p for p, _ in batch.evidence if p.startswith("tmdb:")})
    skipped = dict(batch.skipped)
    for what, n in (("titles (evidence only)", len(batch.titles)), ("credits (evidence only)", len(batch.credits)),
                    ("people with a TMDB gender but no IMDb id (evidence only)", unlinked)):
        if n:
            skipped[what] = n
    note = evidence_only_note(batch, len(people), unlinked, int(absent))
    read = {"titles": len(batch.titles), "people": len(batch.people), "credits": len(batch.credits),
            "gender_evidence": len(batch.evidence)}
    totals = store.rows("SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in TABLES))[0]
    return TmdbSummary(SOURCE, location, rows_read=n_files, rows=rows, skipped=skipped,
                       warnings=[w for w in (dropped, note) if w], read=read,
                       in_store=dict(zip(TABLES, map(int, totals), strict=True)))


def evidence_only_note(batch: Batch, linked: int, unlinked: int, absent: int) -> str:
    """The line an evidence-only load says: the people whose TMDB gender was loaded, those left out for want of an
    IMDb id, and that the titles and credits were not loaded; when nobody is linked, why and what to add.

    Nobody linked is a valid load, not an error: the files are good and may simply have no IMDb ids (TMDB has
    none for many crew), ``fetch tmdb --evidence-only`` should not end in an error after its requests, and the
    load does what every TMDB load does (replace the earlier one, said in its own warning)."""
    pages = batch.files.get("/person/{id}", 0)
    not_loaded = (f"titles and credits were not loaded ({_n(len(batch.titles), 'title', 'titles')}, "
                  f"{_n(len(batch.credits), 'credit', 'credits')} in the files)")
    if not linked:
        if not unlinked:
            return f"evidence only: these files give no TMDB gender (1, 2 or 3) of anyone; nothing was loaded; {not_loaded}"
        why = (f"the {_n(pages, '/person/{id} file among them gives', '/person/{id} files among them give')} no "
               "imdb_id for them" if pages else "there is no /person/{id} file among them; add the people's "
               "/person/{id} responses, which carry the imdb_id, as fetch tmdb --evidence-only does")
        return (f"evidence only: none of the {_n(unlinked, 'person', 'people')} with a TMDB gender in these files is "
                f"linked to an IMDb id, so no TMDB gender evidence was stored: {why}; {not_loaded}")
    waiting = (f" ({absent:,} of them not in this store: no people or credits row; their evidence counts once a "
               "load adds them)" if absent else "")
    left = (f"; {_n(unlinked, 'person', 'people')} with a gender but no IMDb id (no /person/{{id}} file, or TMDB has "
            f"none) {'was' if unlinked == 1 else 'were'} left out" if unlinked else "")
    return (f"evidence only: {_n(linked, 'person', 'people')} with a TMDB gender linked to IMDb ids"
            f"{waiting}{left}; {not_loaded}")
