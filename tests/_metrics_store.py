"""A small hand-written IMDb-format store for the metrics tests: every expected count is worked out by hand.

Series "Harbour Lights" (tt0100001, 2 seasons), "Another Harbour Show" (tt0100002, men only), a movie
whose title also contains "Harbour" (not a series), and a few films across years for shares.

People and how their gender is known:
  nm0000001 Alice Ames     actress in primaryProfession        -> woman (imdb)
  nm0000002 Bob Brown      actor                               -> man (imdb)
  nm0000003 C. J. Cole     no evidence, initials only          -> unknown (the name model never guesses)
  nm0000004 Dana Diaz      Wikidata evidence added by the test -> woman (wikidata)
  nm0000005 Eve Evans      actress                             -> woman (imdb)
  nm0000006 Frank Ford     actor                               -> man (imdb)
  nm0000007 Gus Gray       actor                               -> man (imdb)

Harbour Lights season 1 (2015): E1 "Pilot" (Alice), E2 (Bob), E3 (Alice + Bob), E4 (Chris), E5 no director.
Harbour Lights season 2 (2018): E1 (Alice), E2 (Dana), E3 (Bob).
Another Harbour Show season 1 (2016): E1, E2 (Bob).
"""

from __future__ import annotations

from pathlib import Path

BASICS = ["tconst", "titleType", "primaryTitle", "originalTitle", "isAdult", "startYear", "endYear",
          "runtimeMinutes", "genres"]

N = "\\N"


def _write(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    lines = ["\t".join(header)] + ["\t".join(r) for r in rows]
    (folder / f"{name}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _title(tid: str, kind: str, name: str, year: int | str, genres: str = "Drama") -> list[str]:
    return [tid, kind, name, name, "0", str(year), N, "45", genres]


def write_dump(folder: Path) -> Path:
    """Write the IMDb-format files into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    basics = [
        _title("tt0100001", "tvSeries", "Harbour Lights", 2015),
        _title("tt0100002", "tvSeries", "Another Harbour Show", 2016),
        _title("tt0100003", "movie", "Harbour Movie", 2016),
        # Harbour Lights S1
        _title("tt0101011", "tvEpisode", "Pilot", 2015),
        _title("tt0101012", "tvEpisode", "The Storm", 2015),
        _title("tt0101013", "tvEpisode", "Two Hands", 2015),
        _title("tt0101014", "tvEpisode", "Unknown Waters", 2015),
        _title("tt0101015", "tvEpisode", "No Credit", 2015),
        # Harbour Lights S2
        _title("tt0101021", "tvEpisode", "Return", 2018),
        _title("tt0101022", "tvEpisode", "Pilot Light", 2018),
        _title("tt0101023", "tvEpisode", "Ending", 2018),
        # Another Harbour Show S1
        _title("tt0102011", "tvEpisode", "First", 2016),
        _title("tt0102012", "tvEpisode", "Second", 2016),
        # films for shares (2016, 2017)
        _title("tt0200001", "movie", "Film One", 2016, "Drama"),
        _title("tt0200002", "movie", "Film Two", 2016, "Comedy,Drama"),
        _title("tt0200003", "movie", "Film Three", 2017, "Comedy"),
        _title("tt0200004", "short", "Short One", 2017, "Short"),
    ]
    episodes = [
        ["tt0101011", "tt0100001", "1", "1"], ["tt0101012", "tt0100001", "1", "2"],
        ["tt0101013", "tt0100001", "1", "3"], ["tt0101014", "tt0100001", "1", "4"],
        ["tt0101015", "tt0100001", "1", "5"],
        ["tt0101021", "tt0100001", "2", "1"], ["tt0101022", "tt0100001", "2", "2"],
        ["tt0101023", "tt0100001", "2", "3"],
        ["tt0102011", "tt0100002", "1", "1"], ["tt0102012", "tt0100002", "1", "2"],
    ]
    crew = [
        ["tt0101011", "nm0000001", N], ["tt0101012", "nm0000002", N], ["tt0101013", "nm0000001,nm0000002", N],
        ["tt0101014", "nm0000003", N], ["tt0101015", N, N],
        ["tt0101021", "nm0000001", N], ["tt0101022", "nm0000004", N], ["tt0101023", "nm0000002", N],
        ["tt0102011", "nm0000002", N], ["tt0102012", "nm0000002", N],
        ["tt0100003", "nm0000006", N],
        # Film One: director Alice, writers Alice + Frank
        ["tt0200001", "nm0000001", "nm0000001,nm0000006"],
        # Film Two: director Bob, writer Eve
        ["tt0200002", "nm0000002", "nm0000005"],
        # Film Three: director Chris (unknown), writer Gus
        ["tt0200003", "nm0000003", "nm0000007"],
        ["tt0200004", "nm0000005", N],
    ]
    principals = [
        ["tt0200001", "1", "nm0000007", "producer", "producer", N],
        ["tt0200001", "2", "nm0000005", "editor", N, N],
        ["tt0200002", "1", "nm0000006", "producer", "executive producer", N],
        ["tt0200003", "1", "nm0000005", "cinematographer", "director of photography", N],
        ["tt0200003", "2", "nm0000002", "actor", N, '["Sam"]'],
    ]
    names = [
        ["nm0000001", "Alice Ames", N, N, "actress,director,writer", N],
        ["nm0000002", "Bob Brown", N, N, "actor,director", N],
        ["nm0000003", "C. J. Cole", N, N, "director", N],
        ["nm0000004", "Dana Diaz", N, N, "director", N],
        ["nm0000005", "Eve Evans", N, N, "actress,editor", N],
        ["nm0000006", "Frank Ford", N, N, "actor,producer", N],
        ["nm0000007", "Gus Gray", N, N, "actor,writer", N],
    ]
    votes = {"tt0200001": "900", "tt0200002": "500", "tt0200003": "700", "tt0200004": "50",
             "tt0100001": "1000", "tt0100002": "10", "tt0100003": "20"}
    return write_files(folder, basics, episodes, crew, names, votes, principals)


def write_files(folder: Path, basics: list[list[str]], episodes: list[list[str]], crew: list[list[str]],
                names: list[list[str]], votes: dict[str, str], principals: list[list[str]] | None = None) -> Path:
    """The six IMDb files in ``folder`` from their rows (the headers are IMDb's): title.ratings rates each title
    of ``votes`` 7.0 with its number of votes; title.principals is empty without ``principals``. Returns ``folder``."""
    _write(folder, "title.basics", BASICS, basics)
    _write(folder, "title.episode", ["tconst", "parentTconst", "seasonNumber", "episodeNumber"], episodes)
    _write(folder, "title.crew", ["tconst", "directors", "writers"], crew)
    _write(folder, "title.principals", ["tconst", "ordering", "nconst", "category", "job", "characters"],
           principals or [])
    _write(folder, "name.basics", ["nconst", "primaryName", "birthYear", "deathYear", "primaryProfession",
                                   "knownForTitles"], names)
    _write(folder, "title.ratings", ["tconst", "averageRating", "numVotes"], [[k, "7.0", v] for k, v in votes.items()])
    return folder


def build_store(tmp: Path) -> Path:
    """Ingest the dump, then add Dana's Wikidata evidence and resolve again (copy-on-write)."""
    from crewparity import api
    from crewparity.gender.resolve import resolve
    from crewparity.store import writing

    db = tmp / "metrics.duckdb"
    api.ingest_imdb(write_dump(tmp / "dump"), db)
    with writing(db) as store:
        store.con.execute(
            "INSERT INTO gender_evidence VALUES ('nm0000004', 'woman', 'wikidata', 1.0, 'P21 Q6581072')")
        resolve(store)
    return db


#: "Loose Ends" (tt0100004, added by :func:`add_loose_ends`), directed by Alice (a woman) and Bob (a man):
#:   season 1 (2019): 3 x Alice, 3 x Bob                         -> 3 of 6, on the best list
#:   season 0 (2019): 6 x Alice, "Behind the Scenes 1".."6"      -> specials: left out as pilots are
#:   no season number (2 each in 2019, 2020, 2021): 6 x Alice   -> no season: one "(no season)" row, never ranked
LOOSE_ENDS = "tt0100004"


def add_loose_ends(dump: Path) -> Path:
    """Append "Loose Ends" (:data:`LOOSE_ENDS`) to a dump written by :func:`write_dump`: a series with a
    specials season 0 and episodes without a season number, as TMDB and IMDb have them."""
    basics = [_title(LOOSE_ENDS, "tvSeries", "Loose Ends", 2019)]
    episodes, crew = [], []
    for i in range(1, 7):
        s1, s0, unnumbered = f"tt01041{i:02d}", f"tt01040{i:02d}", f"tt01049{i:02d}"
        basics += [_title(s1, "tvEpisode", f"Chapter {i}", 2019),
                   _title(s0, "tvEpisode", f"Behind the Scenes {i}", 2019),
                   _title(unnumbered, "tvEpisode", f"Loose End {i}", 2018 + (i + 1) // 2)]
        episodes += [[s1, LOOSE_ENDS, "1", str(i)], [s0, LOOSE_ENDS, "0", str(i)], [unnumbered, LOOSE_ENDS, N, N]]
        crew += [[s1, "nm0000001" if i <= 3 else "nm0000002", N], [s0, "nm0000001", N], [unnumbered, "nm0000001", N]]
    for name, rows in (("title.basics", basics), ("title.episode", episodes), ("title.crew", crew)):
        with (dump / f"{name}.tsv").open("a", encoding="utf-8") as f:
            f.writelines("\t".join(r) + "\n" for r in rows)
    return dump


def build_loose_ends_store(tmp: Path) -> Path:
    """The metrics store (:func:`build_store`) with "Loose Ends" added (:func:`add_loose_ends`)."""
    from crewparity import api

    db = tmp / "loose_ends.duckdb"
    api.ingest_imdb(add_loose_ends(write_dump(tmp / "dump")), db)
    return db
