"""`crewparity credits TITLE`: a title's crew person by person, with each gender and how it is known, adding up to
``share --unit people --by title`` for that title (on the demo store and on a synthetic IMDb-scale sample)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import crewparity
from crewparity.client import AbsentRoleWarning
from crewparity.errors import ArgumentError
from crewparity.metrics.credits import credits, summary
from crewparity.metrics.roles import CREW_ROLES, key_roles
from crewparity.output import to_records
from crewparity.store import open_store
from tests._reliability import assert_one_line_error
from tests.conftest import run_cli, synth_store

JESSICA_JONES = "tt2357547"
MATRIX = "tt0133093"
COUNTS = ("women", "men", "nonbinary", "unknown")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from crewparity.demo import build_demo

    db = tmp_path_factory.mktemp("credits") / "demo.duckdb"
    build_demo(db, report=None)
    return db


def _json(db: Path, *args: str) -> list[dict[str, object]]:
    res = run_cli("credits", *args, "--format", "json", "--db", str(db))
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)  # type: ignore[no-any-return]


def _share_counts(db: Path, roles: list[str]) -> dict[str, dict[str, tuple[int, ...]]]:
    """``share --unit people --by title,role`` as {title_id: {role: (women, men, nonbinary, unknown)}}."""
    with crewparity.open(db) as cp, warnings.catch_warnings():
        warnings.simplefilter("ignore", AbsentRoleWarning)  # (the demo credits no one in some crew roles)
        rows = cp.share(by="title,role", roles=roles, unit="people").to_pylist()
    out: dict[str, dict[str, tuple[int, ...]]] = {}
    for r in rows:
        out.setdefault(r["title_id"], {})[r["role"]] = tuple(r[c] for c in COUNTS)
    return out


def _credit_counts(table: pa.Table) -> dict[str, tuple[int, ...]]:
    return {r["role"]: tuple(r[c] for c in COUNTS) for r in summary(table).to_pylist()}


def test_jessica_jones_season_2_lists_its_13_episodes_directors_all_women(demo: Path) -> None:
    rows = _json(demo, "Jessica Jones", "--season", "2", "--roles", "director")
    assert len(rows) == 13
    assert sum(int(r["episodes"]) for r in rows) == 13  # type: ignore[call-overload]
    assert {r["gender"] for r in rows} == {"woman"}
    assert {r["how"] for r in rows} == {"recorded"}
    assert {r["source"] for r in rows} <= {"overrides", "wikidata"}
    assert {(r["first_year"], r["last_year"]) for r in rows} == {(2018, 2018)}
    assert "Uta Briesewitz" in {r["name"] for r in rows}


def test_the_table_says_per_role_counts_and_the_command_under_it(demo: Path) -> None:
    res = run_cli("credits", "Jessica Jones", "--season", "2", "--roles", "director", "--db", str(demo))
    assert res.returncode == 0, res.stderr
    assert "Marvel's Jessica Jones (2015, tv_series, tt2357547), season 2" in res.stdout
    assert "director: women 13, men 0, nonbinary 0, unknown 0" in res.stdout
    assert f"crewparity credits 'Jessica Jones' --season 2 --roles director --db {demo}" in res.stdout


def test_a_series_rolls_up_its_episodes_and_adds_up_to_share_by_title(demo: Path) -> None:
    rows = _json(demo, JESSICA_JONES, "--roles", "director")
    assert sum(int(r["episodes"]) for r in rows) == 26  # type: ignore[call-overload]  # (no episode co-directed)
    # season 1: women directed 4 of 13 (DESIGN.md); Rosemary Rodriguez and Uta Briesewitz directed in both seasons
    both = {r["name"]: (r["episodes"], r["first_year"], r["last_year"]) for r in rows}
    assert both["Uta Briesewitz"] == (2, 2015, 2018)
    share = _share_counts(demo, ["director"])[JESSICA_JONES]["director"]
    assert share == tuple(sum(r["gender"] == g for r in rows) for g in ("woman", "man", "nonbinary", "unknown"))


def test_every_title_of_the_demo_adds_up_to_share_by_title(demo: Path) -> None:
    expected = _share_counts(demo, list(CREW_ROLES))
    assert JESSICA_JONES in expected and MATRIX in expected
    with open_store(demo, read_only=True) as store:
        for title_id, counts in expected.items():
            assert _credit_counts(credits(store, title_id, roles="all")) == counts, title_id


def test_a_synthetic_sample_adds_up_to_share_by_title(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Series (episodes without a season, co-directed, the name model abstaining) and films alike."""
    db = synth_store(tmp_path_factory, "credits_synth", seed=7)
    expected = _share_counts(db, list(key_roles()))
    with open_store(db, read_only=True) as store:
        series = {r[0] for r in store.rows("SELECT DISTINCT series_id FROM titles WHERE series_id IS NOT NULL")}
        picked = [t for t in expected if t in series][:60] + [t for t in expected if t not in series][:60]
        assert len(picked) > 60
        for title_id in picked:
            table = credits(store, title_id)
            assert ("episodes" in table.column_names) == (title_id in series)
            assert _credit_counts(table) == expected[title_id], title_id


def test_a_film_lists_its_credits_without_episode_columns(demo: Path) -> None:
    rows = _json(demo, MATRIX, "--roles", "director,writer")
    assert [(r["role"], r["name"]) for r in rows] == [
        ("director", "Lana Wachowski"), ("director", "Lilly Wachowski"),
        ("writer", "Lana Wachowski"), ("writer", "Lilly Wachowski")]
    assert set(rows[0]) == {"role", "person_id", "name", "gender", "how", "source", "p_woman"}
    assert {r["how"] for r in rows} == {"inferred"} and {r["source"] for r in rows} == {"name_model"}


def test_a_film_by_its_name_and_the_default_roles(demo: Path) -> None:
    rows = _json(demo, "lady bird")
    assert [r["role"] for r in rows] == ["director", "writer", "editor", "cinematographer"]
    assert rows[0]["name"] == "Greta Gerwig" and rows[0]["gender"] == "woman"


def test_roles_filter_and_all(demo: Path) -> None:
    key = _json(demo, JESSICA_JONES)
    assert {r["role"] for r in key} <= set(key_roles())
    every = _json(demo, JESSICA_JONES, "--roles", "all")
    assert "creator" in {r["role"] for r in every}  # a crew role outside the key six
    assert [r for r in every if r["role"] in key_roles()] == key
    only = _json(demo, JESSICA_JONES, "--roles", "writer")
    assert only and {r["role"] for r in only} == {"writer"}


@pytest.mark.parametrize("args,needles", [
    (["Lady"], ("matches 2 titles", "Lady Bird (2017, movie, tt4925292)", "tt8613070", "give the id")),
    (["No Such Film"], ("no title is named or contains 'No Such Film'",)),
    (["tt0000001"], ("no title with id 'tt0000001'",)),
    ([MATRIX, "--season", "1"], ("--season picks a season of a series", "The Matrix")),
    ([JESSICA_JONES, "--season", "7"], ("has no season 7", "seasons: 1, 2")),
    ([MATRIX, "--roles", "gaffer"], ("unknown role 'gaffer'", "allowed: director", "or all")),
])
def test_bad_title_season_or_role_is_a_one_line_error(demo: Path, args: list[str], needles: tuple[str, ...]) -> None:
    assert_one_line_error(run_cli("credits", *args, "--db", str(demo)), *needles)


def test_exports_carry_the_rows_the_counts_and_the_command(demo: Path, tmp_path: Path) -> None:
    rows = _json(demo, JESSICA_JONES)
    for fmt in ("csv", "json", "parquet"):
        out = tmp_path / f"jj.{fmt}"
        res = run_cli("credits", JESSICA_JONES, "-o", str(out), "--db", str(demo))
        assert res.returncode == 0, res.stderr
        if fmt == "parquet":
            table = pq.read_table(out)
            assert to_records(table) == rows
            notes = table.schema.metadata[b"crewparity.notes"].decode()
        else:
            meta = json.loads((tmp_path / f"jj.{fmt}-metadata.json").read_text(encoding="utf-8"))
            notes = meta["dc:description"]
            if fmt == "json":
                assert json.loads(out.read_text(encoding="utf-8")) == rows
            else:
                lines = out.read_text(encoding="utf-8").splitlines()
                assert lines[0] == ",".join(rows[0]) and len(lines) == len(rows) + 1
        assert "director: women 14, men 6, nonbinary 0, unknown 0" in notes, fmt
        assert f"crewparity credits {JESSICA_JONES} --db" in notes, fmt


def test_the_api_returns_the_rows_of_the_clis_json(demo: Path) -> None:
    for args, kwargs in (([JESSICA_JONES, "--season", "2"], {"title": JESSICA_JONES, "season": 2}),
                         ([MATRIX, "--roles", "all"], {"title": MATRIX, "roles": "all"})):
        with crewparity.open(demo) as cp:
            table = cp.credits(**kwargs)  # type: ignore[arg-type]
        assert isinstance(table, pa.Table) and table.num_rows > 0
        assert json.loads(json.dumps(to_records(table), default=str)) == _json(demo, *args)


def test_a_title_without_credits_in_the_roles_is_an_empty_table_with_a_note(demo: Path) -> None:
    res = run_cli("credits", "Lady Bird", "--roles", "composer", "--format", "csv", "--db", str(demo))
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == ["role,person_id,name,gender,how,source,p_woman"]
    assert res.stderr.strip() == ("crewparity: note: Lady Bird (2017, movie, tt4925292) has no credit in the store "
                                  "in the roles composer")


def test_the_api_raises_for_an_ambiguous_name(demo: Path) -> None:
    with crewparity.open(demo) as cp, pytest.raises(ArgumentError, match="matches 2 titles"):
        cp.credits("Lady")
