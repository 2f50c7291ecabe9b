"""``gender eval --db STORE`` scores the first-name model adapted with the store's recorded genders, as
``gender guess --db STORE`` calls each name; without ``--db`` it scores the prior alone, as before.

Why: ``guess --db`` (and ``resolve``) adapt the model with the people whose gender a store records, the design's
main lever for real crews, but ``eval`` could only measure the prior: nobody could measure the adapted model on a
labelled set. The store here is a crew list whose recorded genders move two names: five women named Zorvanna (a
name the prior has never seen: unknown -> woman) and five men named Kelsey (a woman's name in the prior, just
outside the abstain band: woman -> unknown).
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

import crewparity
from crewparity import api
from tests.conftest import crewlist_store, run_cli

RECORDED = "".join(f"Film Z,2020,Zorvanna {s},writer,woman\n" for s in ("Abe", "Bly", "Cox", "Dunn", "Eyre")) + \
    "".join(f"Film K,2021,Kelsey {s},editor,man\n" for s in ("Fenn", "Gray", "Hale", "Ives", "Juno"))
LABELLED = ("full,g\nZorvanna Pell,f\nKelsey Orr,m\nJennifer Lynch,f\nBob Gale,m\nS. J. Clarkson,f\n"
            "Andrea Arnold,female\nNo Label,\n")
CONFUSION = ("ff", "fm", "mf", "mm", "fu", "mu")


@pytest.fixture(scope="module")
def recorded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of ten people whose genders are recorded (a crew list's gender column), nothing else."""
    return crewlist_store(tmp_path_factory.mktemp("recorded"), "title,year,name,role,gender\n" + RECORDED)


@pytest.fixture()
def labelled(tmp_path: Path) -> Path:
    path = tmp_path / "labelled.csv"
    path.write_text(LABELLED, encoding="utf-8")
    return path


def _eval(labelled: Path, *args: str) -> dict[str, Any]:
    r = run_cli("gender", "eval", str(labelled), "--name-col", "full", "--gender-col", "g", "--format", "json",
                "--no-curve", *args)
    assert r.returncode == 0, r.stderr
    out: dict[str, Any] = json.loads(r.stdout)
    return out


def _confusion_from_guess(*args: str) -> dict[str, int]:
    """The confusion counts ``gender guess`` (with the same options) gives for the labelled names."""
    rows = list(csv.DictReader(io.StringIO(LABELLED)))
    r = run_cli("gender", "guess", *[row["full"] for row in rows], "--format", "json", *args)
    assert r.returncode == 0, r.stderr
    calls = [g["gender"] for g in json.loads(r.stdout)]
    counts = dict.fromkeys(CONFUSION, 0)
    for row, call in zip(rows, calls, strict=True):
        truth = {"f": "f", "female": "f", "m": "m"}.get(row["g"])
        if truth is not None:
            counts[truth + {"woman": "f", "man": "m"}.get(call, "u")] += 1
    return counts


@pytest.mark.parametrize("extra", [(), ("--birth-year", "1980")])
def test_eval_with_a_store_scores_the_calls_guess_makes_with_it(recorded_store: Path, labelled: Path,
                                                                  extra: tuple[str, ...]) -> None:
    prior = _eval(labelled, *extra)["metrics"]
    adapted = _eval(labelled, "--db", str(recorded_store), *extra)["metrics"]
    assert {k: adapted[k] for k in CONFUSION} == _confusion_from_guess("--db", str(recorded_store), *extra)
    assert {k: prior[k] for k in CONFUSION} == _confusion_from_guess(*extra)
    assert {k: adapted[k] for k in CONFUSION} != {k: prior[k] for k in CONFUSION}
    if not extra:  # the store moves Zorvanna (f) from unknown to woman and Kelsey (m) from woman to unknown
        assert (prior["ff"], prior["fu"], prior["mf"], prior["mu"]) == (1, 3, 1, 0)
        assert (adapted["ff"], adapted["fu"], adapted["mf"], adapted["mu"]) == (2, 2, 0, 1)


def test_the_output_says_which_model_was_scored(recorded_store: Path, labelled: Path) -> None:
    label = f"adapted with {recorded_store}: 10 recorded people"
    js = _eval(labelled, "--db", str(recorded_store))
    assert js["metrics"]["model"] == label
    assert js["model_store"] == str(recorded_store) and js["recorded_people"] == 10
    plain = _eval(labelled)
    assert plain["metrics"]["model"] == "prior alone" and plain["model_store"] is None
    assert plain["recorded_people"] is None
    base = ("gender", "eval", str(labelled), "--name-col", "full", "--gender-col", "g")
    r = run_cli(*base, "--db", str(recorded_store), "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and all(row["model"] == label for row in rows)
    r = run_cli(*base, "--format", "csv", "--no-curve")
    assert [row["model"] for row in csv.DictReader(io.StringIO(r.stdout))] == ["prior alone"]
    r = run_cli(*base, "--db", str(recorded_store), "--no-curve", env={"COLUMNS": "400"})
    assert r.returncode == 0, r.stderr
    assert f"First-name model ({label}) on labelled.csv" in r.stdout
    r = run_cli(*base, "--no-curve", env={"COLUMNS": "400"})
    assert "First-name model (prior alone) on labelled.csv" in r.stdout


def test_the_api_takes_db_as_the_cli_does(recorded_store: Path, labelled: Path) -> None:
    ev = api.gender_eval(labelled, "full", "g", db=recorded_store)
    assert ev.model == f"adapted with {recorded_store}: 10 recorded people" and ev.recorded_people == 10
    cli = _eval(labelled, "--db", str(recorded_store))["metrics"]
    assert json.loads(json.dumps(ev.metrics_table().to_pylist()[0], default=str)) == cli
    assert api.gender_eval(labelled, "full", "g").model == "prior alone"
    assert ev.metrics["ff"] != api.gender_eval(labelled, "full", "g").metrics["ff"]


def test_a_missing_store_is_one_line(labelled: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.duckdb"
    r = run_cli("gender", "eval", str(labelled), "--name-col", "full", "--gender-col", "g", "--db", str(missing))
    assert r.returncode != 0 and r.stdout == ""
    assert r.stderr.startswith(f"crewparity: error: {missing}") and len(r.stderr.strip().splitlines()) == 1
    with pytest.raises(crewparity.StoreError, match="no store here"):
        api.gender_eval(labelled, "full", "g", db=missing)
    assert not missing.exists()


def test_the_store_is_left_as_it_was(recorded_store: Path, labelled: Path) -> None:
    before = (recorded_store.read_bytes(), os.stat(recorded_store).st_mtime_ns,
              sorted(p.name for p in recorded_store.parent.iterdir()))
    _eval(labelled, "--db", str(recorded_store))
    api.gender_eval(labelled, "full", "g", db=recorded_store)
    after = (recorded_store.read_bytes(), os.stat(recorded_store).st_mtime_ns,
             sorted(p.name for p in recorded_store.parent.iterdir()))
    assert after == before
