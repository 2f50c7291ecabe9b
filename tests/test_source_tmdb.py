"""`crewparity ingest tmdb` on the real TMDB API v3 responses in shared/data/tmdb_api."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crewparity.cli import app
from tests._reliability import q
from tests.test_source_wikidata import snapshot

runner = CliRunner()
SERIES = "tmdb:tv:60573"  # Silicon Valley


@pytest.fixture()
def tmdb_dir(shared_data: Path) -> Path:
    return shared_data / "tmdb_api"


def ingest(db: Path, *files: Path) -> str:
    r = runner.invoke(app, ["ingest", "tmdb", *map(str, files), "--db", str(db)])
    assert r.exit_code == 0, r.output
    return r.output


def test_all_real_files(store: Path, tmdb_dir: Path) -> None:
    out = ingest(store, *sorted(tmdb_dir.glob("*.json")))
    assert "gender 0 (not set)" in out
    # 58 episodes over seasons 0-6 (5+8+10+10+10+8+7), each under the series with season and number.
    eps = q(store, "SELECT season, count(*) FROM titles WHERE series_id = ? AND kind = 'tv_episode' "
                   "GROUP BY season ORDER BY season", [SERIES])
    assert eps == [(0, 5), (1, 8), (2, 10), (3, 10), (4, 10), (5, 8), (6, 7)]
    assert q(store, "SELECT name, year, season, episode FROM titles WHERE title_id = ?", [f"{SERIES}:s1e1"]) == [
        ("Minimum Viable Product", 2014, 1, 1)]
    assert q(store, "SELECT kind, name, year, end_year FROM titles WHERE title_id = ?", [SERIES]) == [
        ("tv_series", "Silicon Valley", 2014, 2019)]
    # Per-episode directing credits: 32 on the seasons' episodes; Mike Judge directed the pilot.
    assert q(store, "SELECT count(*) FROM credits c JOIN titles t USING (title_id) "
                    "WHERE t.series_id = ? AND c.role = 'director'", [SERIES]) == [(32,)]
    assert q(store, "SELECT p.name FROM credits c JOIN people p USING (person_id) "
                    "WHERE c.title_id = ? AND c.role = 'director'", [f"{SERIES}:s1e1"]) == [("Mike Judge",)]
    # Creators from /tv/{id} created_by; executive producers from aggregate credits.
    assert sorted(r[0] for r in q(store, "SELECT p.name FROM credits c JOIN people p USING (person_id) "
                                         "WHERE c.title_id = ? AND c.role = 'creator'", [SERIES])) == [
        "Dave Krinsky", "John Altschuler", "Mike Judge"]
    assert q(store, "SELECT count(*) FROM credits WHERE title_id = ? AND role = 'executive_producer'",
             [SERIES])[0][0] >= 3


def test_gender_zero_is_not_evidence(store: Path, tmdb_dir: Path) -> None:
    ingest(store, *sorted(tmdb_dir.glob("showSeason*.json")))
    # Episode directors with TMDB gender 0 (not set) and with 1 (woman).
    for unset in (1319311, 1141378):
        pid = f"tmdb:person:{unset}"
        assert q(store, "SELECT count(*) FROM credits WHERE person_id = ? AND role = 'director'", [pid])[0][0] >= 1
        assert q(store, "SELECT count(*) FROM gender_evidence WHERE person_id = ?", [pid]) == [(0,)]
        # no recorded gender: what they get is the first-name model's (or nothing), never a TMDB fact
        (source,) = q(store, "SELECT source FROM resolved_gender WHERE person_id = ?", [pid])[0]
        assert source in ("name_model", "none")
    for woman in (59466, 1284099, 916958):
        pid = f"tmdb:person:{woman}"
        assert q(store, "SELECT gender, source, confidence FROM gender_evidence WHERE person_id = ?", [pid]) == [
            ("woman", "tmdb", 0.95)]
        assert q(store, "SELECT gender, source FROM resolved_gender WHERE person_id = ?", [pid]) == [("woman", "tmdb")]
    # No files for the series itself: a stub series title keeps the episodes attached.
    assert q(store, "SELECT kind FROM titles WHERE title_id = ?", [SERIES]) == [("tv_series",)]


def test_imdb_ids_are_used_where_known(store: Path, tmdb_dir: Path) -> None:
    ingest(store, tmdb_dir / "person.json", tmdb_dir / "personCredits.json", tmdb_dir / "movie.json",
           tmdb_dir / "movieCredits.json")
    # person.json carries imdb_id nm0000233: credits and evidence go to that id, never a tmdb: id.
    assert q(store, "SELECT count(*) FROM credits WHERE person_id = 'tmdb:person:138'") == [(0,)]
    assert q(store, "SELECT count(*) FROM credits WHERE person_id = 'nm0000233' AND source = 'tmdb'")[0][0] > 50
    assert q(store, "SELECT count(*) FROM people WHERE person_id = 'nm0000233'") == [(1,)]
    assert q(store, "SELECT gender FROM gender_evidence WHERE person_id = 'nm0000233' AND source = 'tmdb'") == [("man",)]
    # movie.json carries imdb_id tt6751668 (Parasite).
    assert q(store, "SELECT kind, name, year FROM titles WHERE title_id = 'tt6751668'") == [("movie", "Parasite", 2019)]
    assert q(store, "SELECT p.name FROM credits c JOIN people p USING (person_id) "
                    "WHERE c.title_id = 'tt6751668' AND c.role = 'director'") == [("Bong Joon-ho",)]
    assert q(store, "SELECT count(*) FROM titles WHERE title_id = 'tmdb:movie:496243'") == [(0,)]


def test_reingest_replaces_and_does_not_duplicate(store: Path, tmdb_dir: Path) -> None:
    files = sorted(tmdb_dir.glob("*.json"))
    ingest(store, *files)
    first = {k: v for k, v in snapshot(store).items() if k != "sources"}
    ingest(store, *files)
    assert {k: v for k, v in snapshot(store).items() if k != "sources"} == first
    ingest(store, tmdb_dir / "movie.json")
    assert q(store, "SELECT count(*) FROM credits WHERE source = 'tmdb'") == [(0,)]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"foo": 1, "bar": 2}', "bad.json: $: expected a TMDB API v3 response of /movie/{id}"),
        ('{"id": 5, "cast": [], "crew": [{"id": 1, "name": "A", "gender": 7, "job": "Director"}]}',
         "bad.json: $.crew[0].gender: expected 0 (not set), 1 (woman), 2 (man) or 3 (nonbinary)"),
        ('{"id": 5, "cast": [{"name": "A", "gender": 1}], "crew": []}',
         "bad.json: $.cast[0].id: expected an integer, found no value (the key is missing)"),
        # the type was said by its Python name: "expected a int value", "a str value", "a int or float value"
        ('{"id": 5, "cast": [], "crew": [{"id": 1, "name": "A", "gender": "2", "job": "Director"}]}',
         'bad.json: $.crew[0].gender: expected 0 (not set), 1 (woman), 2 (man) or 3 (nonbinary), found a string ("2")'),
        ('{"_id": "x", "season_number": 1, "episodes": [{"show_id": 9, "season_number": 1, "episode_number": "3"}]}',
         'bad.json: $.episodes[0].episode_number: expected an integer, found a string ("3")'),
        ('{"id": 5, "cast": [{"id": null, "name": "A"}], "crew": []}',
         "bad.json: $.cast[0].id: expected an integer, found null"),
        ('{"id": 5, "cast": [{"id": 1, "name": 7}], "crew": []}',
         "bad.json: $.cast[0].name: expected a string, found an integer (7)"),
        ('{"id": 5, "title": "T", "release_date": "2001-01-01", "vote_average": "7.5"}',
         'bad.json: $.vote_average: expected a number, found a string ("7.5")'),
        ('{"id": 5, "cast": [], "crew": [{"id": 1, "name": "A"}]}',
         "bad.json: $.crew[0].job: expected a string, found no value (the key is missing)"),
        ('{"id": 5, "cast": [], "crew": "none"}', 'bad.json: $.crew: expected a list, found a string ("none")'),
        ('{"_id": "x", "season_number": 1, "episodes": [{"episode_number": 1, "season_number": 1}]}',
         "bad.json: $.episodes[0].show_id"),
        ('[1, 2]', "bad.json: $: expected a JSON object"),
        ('{"id": 5,\n"cast": [', "bad.json:2: not valid JSON"),
    ],
)
def test_bad_file_among_good_ones_leaves_the_store(store: Path, tmdb_dir: Path, tmp_path: Path, content: str,
                                                   expected: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    before = snapshot(store)
    r = runner.invoke(app, ["ingest", "tmdb", str(tmdb_dir / "showSeason1.json"), str(bad), "--db", str(store)])
    assert r.exit_code == 1
    assert expected in r.output, r.output
    assert len(r.output.strip().splitlines()) == 1
    assert snapshot(store) == before


def test_a_credits_file_with_its_own_details(store: Path, tmp_path: Path) -> None:
    """append_to_response=credits: a movie with its credits inside; jobs outside the key roles are skipped."""
    doc = {"id": 1, "title": "T", "original_title": "T", "release_date": "2001-02-03", "imdb_id": None,
           "credits": {"id": 1, "cast": [{"id": 10, "name": "C", "gender": 3, "character": "x"}],
                       "crew": [{"id": 11, "name": "D", "gender": 1, "job": "Director of Photography"},
                                {"id": 12, "name": "E", "gender": 2, "job": "Grip"}]}}
    f = tmp_path / "m.json"
    f.write_text(json.dumps(doc))
    out = ingest(store, f)
    assert "crew credits in other jobs: 1" in out
    assert q(store, "SELECT person_id, role FROM credits WHERE title_id = 'tmdb:movie:1' ORDER BY ALL") == [
        ("tmdb:person:10", "actor"), ("tmdb:person:11", "cinematographer")]
    assert q(store, "SELECT person_id, gender FROM gender_evidence WHERE source = 'tmdb' ORDER BY ALL") == [
        ("tmdb:person:10", "nonbinary"), ("tmdb:person:11", "woman")]
    # Crew outside the key roles is not stored at all (neither the person nor their gender).
    assert q(store, "SELECT count(*) FROM people WHERE person_id = 'tmdb:person:12'") == [(0,)]


def test_a_persons_tv_directing_is_not_dated_to_the_series_first_year(store: Path, tmdb_dir: Path) -> None:
    """personCredits.json (Quentin Tarantino) lists ER (Director, 1 episode) and CSI (Director and Story, 2
    episodes) with the series' first air dates only. Stored on the series, he would direct ER in 1994; those
    lines are skipped and counted, his film credits stay."""
    doc = json.loads((tmdb_dir / "personCredits.json").read_text(encoding="utf-8"))
    tv_lines = [c for c in doc["crew"] if c["media_type"] == "tv" and c["job"] in ("Director", "Story")]
    assert len(tv_lines) == 3
    out = ingest(store, tmdb_dir / "person.json", tmdb_dir / "personCredits.json")
    assert "TV directing and writing credits of a person's combined_credits" in " ".join(out.split())
    person = q(store, "SELECT person_id FROM people WHERE name = 'Quentin Tarantino'")[0][0]
    assert q(store, "SELECT count(*) FROM credits c JOIN titles t USING (title_id) WHERE c.person_id = ? "
                    "AND t.kind = 'tv_series' AND c.role IN ('director', 'writer')", [person]) == [(0,)]
    assert q(store, "SELECT count(*) FROM credits c JOIN titles t USING (title_id) WHERE c.person_id = ? "
                    "AND t.kind = 'movie' AND c.role = 'director'", [person])[0][0] >= 5
