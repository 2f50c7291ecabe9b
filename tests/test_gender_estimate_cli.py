"""`crewparity gender estimate --input FILE`: run as a user runs it (a real process), on real-format files."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA, run_cli

FIELDS = ("n", "women", "men", "unknown", "share_known", "share_expected", "ci_low", "ci_high")


def _json(path: Path, *extra: str) -> dict[str, object]:
    res = run_cli("gender", "estimate", "--input", str(path), "--format", "json", *extra)
    assert res.returncode == 0, res.stderr
    (row,) = json.loads(res.stdout)
    return row


def test_plain_list_json_fields(tmp_path: Path) -> None:
    f = tmp_path / "directors.txt"
    # Jessica Jones season 2's directors are all women; S. J. Clarkson (initials) has no usable first name;
    # "Nan" is a first name, not a missing value.
    f.write_text("Anna Foerster\nMairzee Almas\nMinkie Spiro\nDeborah Chow\nJennifer Getzinger\n"
                 "S. J. Clarkson\nNan Goldin\n\n", encoding="utf-8")
    row = _json(f)
    assert set(FIELDS) <= set(row)
    assert row["n"] == 7 and isinstance(row["n"], int)
    assert row["women"] + row["men"] + row["nonbinary"] + row["unknown"] == 7
    assert row["no_info"] == 1 and row["inferred"] == 6
    assert row["men"] == 0
    assert 0 <= row["ci_low"] <= row["share_expected"] <= row["ci_high"] <= 1
    assert row["share_expected"] > 0.8


def test_csv_with_recorded_genders_counts_them_as_facts(tmp_path: Path) -> None:
    f = tmp_path / "crew.csv"
    rows = [("Alex Kim", "woman"), ("Sam Lee", "man"), ("Jordan Poe", "m"), ("Robin Day", "female"),
            ("Null Person", "man"), ("Chris Vale", "nonbinary"), ("Casey Rowe", "man"), ("Drew Hall", "man")]
    with f.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "role", "gender"])
        w.writerows((n, "director", g) for n, g in rows)
    row = _json(f)
    assert (row["n"], row["women"], row["men"], row["nonbinary"], row["unknown"]) == (8, 2, 5, 1, 0)
    assert row["inferred"] == 0
    assert row["share_known"] == pytest.approx(2 / 8)
    assert row["share_expected"] == pytest.approx(2 / 8)
    assert row["ci_low"] < 2 / 8 < row["ci_high"]  # the rate behind 8 people is uncertain
    own = _json(f, "--target", "list")
    assert own["ci_low"] == pytest.approx(2 / 8) and own["ci_high"] == pytest.approx(2 / 8)  # the list's own share


def test_table_and_csv_formats(tmp_path: Path) -> None:
    f = tmp_path / "names.txt"
    f.write_text("Krysten Ritter\nDavid Tennant\nRachael Taylor\n", encoding="utf-8")
    table = run_cli("gender", "estimate", "--input", str(f))
    assert table.returncode == 0, table.stderr
    assert "share_expected" in table.stdout and "95% interval" in table.stdout
    out = run_cli("gender", "estimate", "--input", str(f), "--format", "csv", "--no-info", "bounds")
    assert out.returncode == 0, out.stderr
    header, values = out.stdout.strip().splitlines()
    assert header.split(",")[:9] == ["n", "women", "men", "nonbinary", "unknown", "share_known", "share_expected",
                                    "ci_low", "ci_high"]
    assert values.split(",")[0] == "3"


@pytest.mark.parametrize(("content", "args", "message"), [
    ("name,gender\nAlex Kim,femme\n", (), ":2: column gender: 'femme' is not an allowed gender; expected woman"),
    ("name,gender\nAlex Kim\n", (), ":2: too few fields: 1 where the header has 2"),
    ("first,last\nAlex,Kim\n", (), ":1: a CSV needs a 'name' column"),
    ("", (), "no names in the file"),
    ("Alex Kim\n", ("--format", "xml"), "unknown --format 'xml'"),
    ("Alex Kim\n", ("--no-info", "guess"), "unknown --no-info 'guess'"),
    ("Alex Kim\n", ("--target", "world"), "unknown --target 'world'"),
    ("Alex Kim\n", ("--birth-year", "20"), "--birth-year 20"),
])
def test_bad_input_is_one_line(tmp_path: Path, content: str, args: tuple[str, ...], message: str) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(content, encoding="utf-8")
    res = run_cli("gender", "estimate", "--input", str(f), *args)
    assert res.returncode == 1
    assert message in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert "Traceback" not in res.stderr


def test_missing_file(tmp_path: Path) -> None:
    res = run_cli("gender", "estimate", "--input", str(tmp_path / "nope.txt"))
    assert res.returncode == 1 and "no such file" in res.stderr


def test_real_names_with_a_known_share(tmp_path: Path) -> None:
    """Real names (Sebo 2021's Swiss physicians; evaluation only, nothing is fitted to them), subsampled to 20%
    women: the prior-shift estimate is closer to the truth than the plain mean of the probabilities."""
    src = SHARED_DATA / "benchmarks" / "sebo_2021_swiss_physicians.csv"
    if not src.exists():
        pytest.skip("Sebo benchmark not available")
    with src.open(encoding="utf-8", newline="") as fh:
        people = [(r["fname"], r["real_gender"]) for r in csv.DictReader(fh)]
    women = [n for n, g in people if g == "female"]
    men = [n for n, g in people if g == "male"]
    rng = random.Random(20)
    chosen = rng.sample(women, len(men) // 4) + men  # 20% women
    rng.shuffle(chosen)
    f = tmp_path / "physicians.txt"
    f.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    row = _json(f)
    truth = (len(men) // 4) / len(chosen)
    assert row["n"] == len(chosen)
    assert abs(row["share_expected"] - truth) < 0.015
    assert abs(row["share_expected"] - truth) < abs(row["share_naive"] - truth)


def test_db_adapts_and_recalibrates_the_model(tmp_path: Path, sample_store: Path) -> None:
    """--db: the model adapted with the store's recorded genders (real IMDb lines) and recalibrated on them."""
    f = tmp_path / "names.txt"
    f.write_text("Fred Astaire\nLauren Bacall\nBrigitte Bardot\nJohn Belushi\nS. Clarkson\n", encoding="utf-8")
    row = _json(f, "--db", str(sample_store))
    assert row["n"] == 5 and row["no_info"] == 1
    assert 0 <= row["ci_low"] <= row["share_expected"] <= row["ci_high"] <= 1
    res = run_cli("gender", "estimate", "--input", str(f), "--db", str(tmp_path / "missing.duckdb"))
    assert res.returncode == 1 and "no store here" in res.stderr


def _table_rows(text: str) -> dict[str, str]:
    """The estimate table's rows as {label: value} (the table printed to a pipe: whole, at its own width)."""
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) == 4 and cells[1]:
            rows[cells[1]] = cells[2]
    return rows


def test_the_table_names_its_figures_as_csv_and_json_do(tmp_path: Path) -> None:
    """Every csv/json field is named in the table, with the same figure: the table said "people" for the count
    csv and json call ``n`` (the issue's spec), so a reader could not tell which column a figure was."""
    f = tmp_path / "names.txt"
    f.write_text("Krysten Ritter\nDavid Tennant\nRachael Taylor\nS. J. Clarkson\n", encoding="utf-8")
    table = run_cli("gender", "estimate", "--input", str(f))
    assert table.returncode == 0, table.stderr
    rows = _table_rows(table.stdout)
    out = run_cli("gender", "estimate", "--input", str(f), "--format", "csv")
    assert out.returncode == 0, out.stderr
    (record,) = csv.DictReader(out.stdout.splitlines())
    labelled: dict[str, str] = {}
    for label, value in rows.items():
        names = label.split(" (")[0].split(" / ") if " / " in label.split(" (")[0] else [label.split(" (")[0]]
        names = [w for n in names for w in n.split(" - ")]
        values = value.split(" / ") if len(names) > 1 and " / " in value else value.split(" - ")
        assert len(names) == len(values), (label, value)
        labelled.update(zip(names, values, strict=True))
    assert set(record) <= set(labelled), f"not named in the table: {set(record) - set(labelled)}"
    assert "people" not in labelled
    for field, text in record.items():
        shown = labelled[field]
        if shown.endswith("%"):
            assert float(shown.rstrip("%")) == pytest.approx(100 * float(text), abs=0.051), field
        else:
            assert int(shown.replace(",", "")) == int(text), field
    assert rows["n (people)"] == record["n"] == "4"
