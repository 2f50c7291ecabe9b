"""A production's own crew list (CSV) -> titles, people, credits and self-reported gender.

Columns: ``title``, ``year``, ``kind`` (optional, default ``movie``), ``name``, ``role``, ``gender``
(optional, self-reported), ``person_id`` (optional, e.g. an IMDb nm id). ``--title``/``--year`` fill in a
missing column or empty cell, for a list that covers one production. Roles are the canonical names or the
aliases in :data:`ROLE_ALIASES`; rows in other roles (gaffer, grip, ...) are skipped and counted.

A TV production's list describes episodes with the optional columns ``series`` (the series' title), ``season``
and ``episode`` (positive whole numbers) and ``episode_title``: such a row credits the episode (kind
``tv_episode``, linked to its series with its season and number as IMDb's episodes are), a row with a series and
no episode credits the series itself (a creator, a showrunner). The series is a title of kind ``tv_series`` (or
``tv_mini_series`` when a row's ``kind`` says so); a list with a ``series`` column needs no ``title`` column.

Ids are derived from the content so that re-ingesting the same list gives the same rows:
``crew:title:<12 hex of sha1(title|year|kind)>``, a series ``crew:title:<12 hex of sha1(series||series)>`` and
its episodes ``<series id>:s<season>e<episode>`` and, without a person_id,
``crew:person:<12 hex of sha1(name)>`` (name case-folded, spaces collapsed). Self-reported gender (the spellings
of :mod:`crewparity.gender.spelling`; blank or "unknown" = not recorded) is evidence with source ``crewlist``
(confidence 1.0), ranked right after overrides. Re-ingesting a list replaces the rows of the titles it credits;
other crew lists stay (a series that two lists' episodes share keeps the series-level credits of both). A person
with two genders in one list is an error; in two lists, both rows are kept (the person resolves to unknown) and
the ingest warns (:func:`contradiction_warnings`).
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import pyarrow as pa

from crewparity.errors import InputError
from crewparity.gender.spelling import parse_recorded_gender
from crewparity.schema import EVIDENCE_PRECEDENCE, ROLES
from crewparity.sources.overrides import (
    EvidenceSummary,
    insert_evidence,
    insert_missing,
    other_delimiter,
    read_csv_rows,
    table_counts,
)
from crewparity.store import Store, record_source

SOURCE = "crewlist"
CONFIDENCE = 1.0
KINDS = ("movie", "tv_series", "tv_mini_series", "tv_episode", "tv_movie", "tv_special", "short", "video")
#: the kinds a series can be (a row of a series may also say tv_episode, for the episode it credits)
SERIES_KINDS = ("tv_series", "tv_mini_series")
#: the columns that place a row in an episode: none without a series
EPISODE_COLUMNS = ("season", "episode", "episode_title")
#: the largest season or episode number (the store's columns are 32-bit integers)
MAX_NUMBER = 2**31 - 1
#: a title id where the ``series`` column takes a title: IMDb's, TMDB's or a crew list's own (see
#: :func:`series_cell_error`)
_SERIES_ID = re.compile(r"(?i)(tt\d+|tmdb:(tv|movie):\d+|crew:title:[0-9a-f]{12})")

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
COLUMNS_TEXT = ("required: name, role (and title unless --title is given or the list has a series column); "
                "optional: year, kind, gender, person_id, series, season, episode, episode_title")
#: what a list that lacks a column can give instead
INSTEAD = {"title": "a list of one film can give the film with --title NAME (and its year with --year YEAR) instead"}


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _hash(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:12]


def title_id(name: str, year: int | None, kind: str) -> str:
    return f"crew:title:{_hash(normalise(name).casefold(), str(year or ''), kind)}"


def series_id(name: str) -> str:
    """A series' id: its title alone (no year, no kind), so that lists of its seasons name one series."""
    return f"crew:title:{_hash(normalise(name).casefold(), '', 'series')}"


def episode_id(series: str, season: int, episode: int) -> str:
    """An episode's id: its series' id and its place (as TMDB's ``tmdb:tv:ID:s1e3``), not its title."""
    return f"{series_id(series)}:s{season}e{episode}"


def person_id(name: str) -> str:
    return f"crew:person:{_hash(normalise(name).casefold())}"


def canonical_role(value: str) -> str | None:
    key = re.sub(r"[\s_]+", " ", value.strip().lower())
    return ROLE_ALIASES.get(key)


class Title(NamedTuple):
    """A title of the list: a film (or any kind of title) by its own row, a series, or an episode of one."""

    kind: str
    name: str | None
    year: int | None
    series_id: str | None = None
    season: int | None = None
    episode: int | None = None


class Parsed:
    def __init__(self) -> None:
        self.titles: dict[str, Title] = {}
        self.people: dict[str, str] = {}
        self.credits: set[tuple[str, str, str, str]] = set()
        self.evidence: dict[tuple[str, str], str] = {}
        self.read = 0
        self.skipped: Counter[str] = Counter()

    def label(self, tid: str) -> tuple[str, int | None]:
        """A title of the list as a warning names it, with its year: "Our Film", or "Our Show S1E3"."""
        t = self.titles[tid]
        if t.series_id is not None:
            return f"{self.titles[t.series_id].name} S{t.season}E{t.episode}", t.year
        return str(t.name), t.year


def has_series_column(path: Path) -> bool:
    """Whether the list's header has a ``series`` column (read as :func:`read_csv_rows` reads it: with commas, or
    with the one separator a one-cell header holds). False for a file it cannot read: read_csv_rows says why."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh, strict=True), [])
            delimiter = other_delimiter(header)
            if delimiter is not None:
                fh.seek(0)
                header = next(csv.reader(fh, delimiter=delimiter, strict=True), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return False
    return "series" in (h.strip().lower() for h in header)


def series_cell_error(cell: str) -> str:
    """The error for a title id in the ``series`` column ("tt0944947"), which takes the series' title.

    Why not take the id and attach the list's rows to the store's series: the list's episodes are titles of their
    own (``<series id>:s1e3``), so under IMDb's series each would stand beside IMDb's own episode with the same
    place, and its director (a ``crew:person:`` id, unless the list gives IMDb's ``nm`` id) would count a second
    time. Before this check the id was read as a title: a series named "tt0944947", beside the real one."""
    what = "an IMDb title id" if cell[:2].lower() == "tt" else "a TMDB title id" if cell.lower().startswith(
        "tmdb:") else "a crew list's title id"
    return (f"column series is {cell[:40]!r}, {what}; expected the series' title (My Show): the list's episodes "
            "are titles of their own, and put under the store's series they would count beside its episodes, twice")


def _number(row: dict[str, str], column: str, path: Path, line: int) -> int | None:
    """A season or episode number: a positive whole number, or None for an empty cell."""
    text = (row.get(column) or "").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{1,10}", text) or not 0 < int(text) <= MAX_NUMBER:
        raise InputError(f"column {column}: {text[:20]!r} is not {'a season' if column == 'season' else 'an episode'} "
                         "number; expected a whole number from 1", path=path, line=line)
    return int(text)


def read(path: str | os.PathLike[str], title: str | None = None, year: int | None = None) -> Parsed:
    """Parse a crew list; every problem names the file and line."""
    p = Path(path)
    required = ("name", "role") + (() if title is not None or has_series_column(p) else ("title",))
    optional = (() if "title" in required else ("title",)) + (
        "year", "kind", "gender", "person_id", "series", *EPISODE_COLUMNS)
    out = Parsed()
    genders: dict[str, tuple[str, int]] = {}
    # what the rows of a series say of it and of its episodes, with the line that said it first
    series_names: dict[str, str] = {}
    series_kinds: dict[str, tuple[str, int]] = {}
    series_years: dict[str, int] = {}
    episode_titles: dict[str, tuple[str, int]] = {}
    episode_years: dict[str, tuple[int, int]] = {}
    credited_episodes: dict[str, tuple[str, int, int]] = {}
    for line, row in read_csv_rows(p, required, optional, columns=COLUMNS_TEXT, instead=INSTEAD):
        out.read += 1
        series = normalise(row.get("series") or "")
        if _SERIES_ID.fullmatch(series):
            raise InputError(series_cell_error(series), path=p, line=line)
        given = {c: normalise(row.get(c) or "") for c in EPISODE_COLUMNS}
        season = episode = None
        if not series:
            first = next((c for c in EPISODE_COLUMNS if given[c]), None)
            if first is not None:
                why = "column series is empty" if "series" in row else "the list has no series column"
                raise InputError(f"column {first} is {given[first][:40]!r} but {why}; expected the series' title in "
                                 "column series (an episode belongs to a series)", path=p, line=line)
        else:
            season, episode = _number(row, "season", p, line), _number(row, "episode", p, line)
            if (season is None) != (episode is None):
                empty, what = ("season", "season") if season is None else ("episode", "number in its season")
                raise InputError(f"column {empty} is empty; expected the episode's {what} (an episode has a season "
                                 "and a number; a row with neither credits the series itself)", path=p, line=line)
            if given["episode_title"] and season is None:
                raise InputError(f"column episode_title is {given['episode_title'][:40]!r} but columns season and "
                                 "episode are empty; expected the episode's season and number", path=p, line=line)
        cell = normalise(row.get("title") or "")
        if series and cell and cell.casefold() != series.casefold():
            raise InputError(f"column title is {cell[:40]!r} and column series is {series[:40]!r}; expected the "
                             "series' title or nothing in column title (an episode's own title goes in column "
                             "episode_title)", path=p, line=line)
        t = cell or normalise(title or "")
        if not t and not series:
            raise InputError("column title is empty; expected the production's title (or give --title; an episode "
                             "names its series in column series)", path=p, line=line)
        y_text = (row.get("year") or "").strip()
        if y_text:
            if not re.fullmatch(r"\d{4}", y_text):
                raise InputError(f"column year: {y_text[:20]!r} is not a year; expected four digits", path=p, line=line)
            y: int | None = int(y_text)
        else:
            y = year
        kind_text = (row.get("kind") or "").strip().lower().replace(" ", "_").replace("-", "_")
        if kind_text and kind_text not in KINDS:
            raise InputError(f"column kind: {kind_text!r} is not allowed; expected one of {', '.join(KINDS)}",
                             path=p, line=line)
        if series and kind_text == "tv_episode" and season is None:
            raise InputError("column kind: 'tv_episode' but columns season and episode are empty; expected the "
                             "episode's season and number (a row with neither credits the series itself)",
                             path=p, line=line)
        if series and kind_text and kind_text not in (*SERIES_KINDS, "tv_episode"):
            raise InputError(f"column kind: {kind_text!r} in a row of the series {series[:40]!r}; expected "
                             f"{' or '.join(SERIES_KINDS)} (the series' kind), tv_episode or nothing",
                             path=p, line=line)
        kind = kind_text or "movie"
        name = normalise(row["name"])
        if not name:
            raise InputError("column name is empty; expected the person's name", path=p, line=line)
        role_text = row["role"].strip()
        if not role_text:
            raise InputError("column role is empty; expected a role such as director, writer or DP", path=p, line=line)
        if series:
            sid = series_id(series)
            series_names.setdefault(sid, series)
            if kind_text in SERIES_KINDS:
                if sid in series_kinds and series_kinds[sid][0] != kind_text:
                    raise InputError(f"the series {series[:40]!r} is {series_kinds[sid][0]} on line "
                                     f"{series_kinds[sid][1]} and {kind_text} here; expected one kind per series",
                                     path=p, line=line)
                series_kinds.setdefault(sid, (kind_text, line))
            if y is not None:
                series_years[sid] = min(y, series_years.get(sid, y))
            if season is not None and episode is not None:
                eid = episode_id(series, season, episode)
                where = f"episode {season}.{episode} of {series[:40]!r}"
                if given["episode_title"]:
                    had = episode_titles.setdefault(eid, (given["episode_title"], line))
                    if had[0].casefold() != given["episode_title"].casefold():
                        raise InputError(f"{where} is titled {had[0][:40]!r} on line {had[1]} and "
                                         f"{given['episode_title'][:40]!r} here; expected one title per episode",
                                         path=p, line=line)
                if y is not None:
                    had_year = episode_years.setdefault(eid, (y, line))
                    if had_year[0] != y:
                        raise InputError(f"{where} is of {had_year[0]} on line {had_year[1]} and of {y} here; "
                                         "expected one year per episode", path=p, line=line)
        role = canonical_role(role_text)
        if role is None:
            out.skipped[f"role {role_text.lower()}"] += 1
            continue
        if series:
            if season is not None and episode is not None:
                tid = episode_id(series, season, episode)
                credited_episodes[tid] = (sid, season, episode)
            else:
                tid = sid
            out.titles.setdefault(sid, Title("tv_series", series, None))
        else:
            tid = title_id(t, y, kind)
            out.titles[tid] = Title(kind, t, y)
        pid = (row.get("person_id") or "").strip() or person_id(name)
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
    # the series a credited row names, with what all its rows say (its kind, its first year), and its episodes
    for sid in [s for s in out.titles if s in series_names]:
        kind = series_kinds[sid][0] if sid in series_kinds else "tv_series"
        out.titles[sid] = Title(kind, series_names[sid], series_years.get(sid))
    for eid, (sid, season, episode) in credited_episodes.items():
        out.titles[eid] = Title("tv_episode", episode_titles[eid][0] if eid in episode_titles else None,
                                episode_years[eid][0] if eid in episode_years else None, sid, season, episode)
    return out


def store_parsed(store: Store, parsed: Parsed, location: str) -> EvidenceSummary:
    """Replace this list's titles' crew-list rows in a store opened with ``writing()``; add what is new.

    The credits and evidence replaced are those of the titles the list credits: a series that only the list's
    episodes name keeps the series-level credits another list (an earlier season's) gave it. Its title row is
    written again, and its year is then the earliest of its episodes in the store and of this list's rows."""
    con = store.con
    tids = sorted(parsed.titles)
    credited = sorted({c[0] for c in parsed.credits})
    con.execute("DELETE FROM credits WHERE source = ? AND list_contains(?, title_id)", [SOURCE, credited])
    con.execute("DELETE FROM gender_evidence WHERE source = ? AND list_contains(?, split_part(detail, ' ', 1))",
                [SOURCE, credited])
    con.execute("DELETE FROM sources WHERE source = ? AND location = ?", [SOURCE, location])
    rows: dict[str, int] = {}
    ts = [parsed.titles[t] for t in tids]
    titles = pa.table({"title_id": tids, "kind": [t.kind for t in ts], "name": pa.array([t.name for t in ts], pa.string()),
                       "year": pa.array([t.year for t in ts], pa.int32()),
                       "series_id": pa.array([t.series_id for t in ts], pa.string()),
                       "season": pa.array([t.season for t in ts], pa.int32()),
                       "episode": pa.array([t.episode for t in ts], pa.int32()),
                       "source": [SOURCE] * len(tids)})
    people = pa.table({"person_id": list(parsed.people), "name": list(parsed.people.values()),
                       "source": [SOURCE] * len(parsed.people)})
    cr = sorted(parsed.credits)
    credits = pa.table({"title_id": [c[0] for c in cr], "person_id": [c[1] for c in cr], "role": [c[2] for c in cr],
                        "job": [c[3] for c in cr], "source": [SOURCE] * len(cr)})
    warnings = contradiction_warnings(store, parsed)  # with the titles of the other lists' rows still in place
    con.execute("DELETE FROM titles WHERE source = ? AND list_contains(?, title_id)", [SOURCE, tids])
    for table, data, key in (("titles", titles, ("title_id",)), ("people", people, ("person_id",)),
                             ("credits", credits, ("title_id", "person_id", "role"))):
        rows[table] = insert_missing(store, table, data, key)
    rows["gender_evidence"] = insert_evidence(store, parsed.evidence, SOURCE, CONFIDENCE)
    series = sorted(tid for tid, t in parsed.titles.items() if t.kind in SERIES_KINDS)
    if series:
        # a list of season 2 alone does not move the series' first year from season 1's (loaded before)
        con.execute("""UPDATE titles s SET year = least(s.year, (SELECT min(e.year) FROM titles e
                                                                 WHERE e.series_id = s.title_id))
                       WHERE s.source = ? AND list_contains(?, s.title_id)""", [SOURCE, series])
    record_source(store, SOURCE, location, parsed.read, detail="; ".join(f"{k}={v}" for k, v in rows.items()))
    read = {"titles": len(parsed.titles), "people": len(parsed.people), "credits": len(parsed.credits),
            "gender_evidence": len(parsed.evidence)}
    return EvidenceSummary(SOURCE, location, rows_read=parsed.read, rows=rows, skipped=dict(parsed.skipped),
                           warnings=warnings, read=read, in_store=table_counts(store, list(read)), read_unit="lines")


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
            f"""SELECT n.person_id, n.gender, n.detail, o.gender, o.detail,
                       CASE WHEN t.series_id IS NULL THEN t.name
                            ELSE concat(s.name, ' S', t.season, 'E', t.episode) END, t.year,
                       (SELECT min(x.source) FROM gender_evidence x
                        WHERE x.person_id = n.person_id AND list_contains(?, x.source)) AS above
                FROM {name} n JOIN gender_evidence o
                  ON o.person_id = n.person_id AND o.source = ? AND o.gender <> n.gender
                LEFT JOIN titles t ON t.title_id = split_part(o.detail, ' ', 1)
                LEFT JOIN titles s ON s.title_id = t.series_id
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
        title, year = parsed.label(detail.partition(" ")[0])
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
