"""`crewparity demo`: the command `make demo` runs, end to end, offline, in a temporary folder.

The Jessica Jones figures are facts (../shared/data/facts/jessica_jones_s1_s2_directors.csv): women
directed 4 of 13 episodes in season 1 and all 13 in season 2. The demo must show them.
"""

from __future__ import annotations

import csv
import json
import shlex
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA, run_cli


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    work = tmp_path_factory.mktemp("demo")
    proc = run_cli("demo", cwd=work, env={"COLUMNS": "80"})  # an 80-column terminal, whatever the session's
    assert proc.returncode == 0, proc.stderr
    return work, proc.stdout


def test_demo_writes_store_and_report_in_the_working_folder(demo_run: tuple[Path, str]) -> None:
    work, out = demo_run
    assert (work / "demo.duckdb").is_file()
    report = work / "demo-report.html"
    assert report.is_file() and report.stat().st_size > 10_000
    assert f"report: {report.resolve()}" in out
    assert "small illustrative sample" in " ".join(out.split())


def _table_rows(out: str, after: str, before: str, width: int, number_at: int) -> dict[str, list[str]]:
    """The body rows of the box table printed between ``after`` and ``before``: first cell -> the others (a row
    has ``width`` cells and a number in cell ``number_at``, which the header and rules do not)."""
    rows: dict[str, list[str]] = {}
    table = out.split(after, 1)[1].split(before, 1)[0]
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        if len(cells) == width and cells[number_at].isdigit():
            rows[cells[0]] = cells[1:]
    return rows


def _season_rows(out: str) -> dict[int, list[str]]:
    rows = _table_rows(out, "episodes by director gender", "crewparity series", 7, 0)
    return {int(season): cells for season, cells in rows.items()}


def test_demo_prints_jessica_jones_seasons(demo_run: tuple[Path, str]) -> None:
    _, out = demo_run
    rows = _season_rows(out)
    # episodes, women, men, nonbinary, unknown, share
    assert rows[1] == ["13", "4", "9", "0", "0", "31%"]
    assert rows[2] == ["13", "13", "0", "0", "0", "100%"]


def test_demo_prints_share_by_role(demo_run: tuple[Path, str]) -> None:
    _, out = demo_run
    section = out.split("Women's share by role", 1)[1]
    for role in ("director", "writer", "producer", "editor"):
        assert role in section
    assert "crewparity share --by role --unit people" in section


def _role_rows(out: str) -> dict[str, list[str]]:
    return _table_rows(out, "Women's share by role", "the full table:", len(_role_header(out)), 1)


def _role_header(out: str) -> list[str]:
    """The role table's column names, each joined from the header's lines (a share header takes two)."""
    section = out.split("Women's share by role", 1)[1].split("the full table:", 1)[0]
    lines = [[c.strip() for c in line.split("┃")[1:-1]] for line in section.splitlines() if line.startswith("┃")]
    return ["".join(parts) for parts in zip(*lines, strict=True)]


def test_the_command_under_the_role_table_gives_its_figures_unrounded(demo_run: tuple[Path, str]) -> None:
    """The demo's role table is narrowed and rounded; the command printed under it gives the same figures."""
    work, out = demo_run
    shown = _role_rows(out)
    assert {"director", "writer", "editor"} <= set(shown)
    command = " ".join(out.split("Women's share by role", 1)[1].split("the full table:", 1)[1].split()[:8])
    assert command.startswith("crewparity share --by role --unit people --db "), command
    proc = run_cli(*command.split()[1:-2], "--db", str(work / "demo.duckdb"), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    full = {r["role"]: r for r in csv.DictReader(proc.stdout.splitlines())}
    assert set(full) == set(shown)
    header = _role_header(out)[1:]
    # the nonbinary count is shown unless it is 0 in every role (the demo sample's case), and the caption says so
    assert ("nonbinary" in header) == any(r["nonbinary"] != "0" for r in full.values())
    if "nonbinary" not in header:
        assert "nonbinary = 0 in every role (column left out)" in " ".join(out.split())
    for role, cells in shown.items():
        r = full[role]
        got = dict(zip(header, cells, strict=True))
        assert all(got[c] == r[c] for c in ("women", "men", "nonbinary", "unknown") if c in header), role
        assert got["share_known"] == f"{float(r['share_known']):.0%}", role
        assert got["share_expected"] == f"{float(r['share_expected']):.0%}", role
        assert got["ci_95"] == f"{float(r['ci_low']):.0%}-{float(r['ci_high']):.0%}", role


def test_the_role_table_names_its_shares_as_the_full_table_does(demo_run: tuple[Path, str]) -> None:
    """Its share columns carry the names of `crewparity share`'s (a bare "known" over "18%" read as the share of
    people whose gender is known), and the caption says what share_known is."""
    _, out = demo_run
    section = out.split("Women's share by role", 1)[1].split("the full table:", 1)[0]
    # (the share headers take two lines, broken after the underscore, so that the table fits 80 columns; the demo
    # sample has no nonbinary person in these roles, whose count column is then left out)
    assert _role_header(out) == ["role", "women", "men", "unknown", "share_known", "share_expected", "ci_95"]
    caption = " ".join(section.split("└", 1)[1].split())
    assert "share_known = women of those whose gender is known" in caption
    assert "share_expected and ci_95 (its 95% interval)" in caption


def test_series_json_on_demo_store_matches_the_facts(demo_run: tuple[Path, str]) -> None:
    work, _ = demo_run
    proc = run_cli("series", "Jessica Jones", "--db", str(work / "demo.duckdb"), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert [(r["series_id"], r["season"], r["total"], r["women"], r["men"], r["unknown"]) for r in rows] == [
        ("tt2357547", 1, 13, 4, 9, 0),
        ("tt2357547", 2, 13, 13, 0, 0),
    ]


def test_demo_episode_directors_agree_with_the_fact_file(demo_run: tuple[Path, str]) -> None:
    facts = SHARED_DATA / "facts" / "jessica_jones_s1_s2_directors.csv"
    if not facts.is_file():
        pytest.skip(f"fact file not found at {facts}")
    with facts.open(newline="", encoding="utf-8") as fh:
        fact_rows = list(csv.DictReader(fh))
    work, _ = demo_run
    proc = run_cli("series", "tt2357547", "--episodes", "--db", str(work / "demo.duckdb"), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    episodes = json.loads(proc.stdout)
    assert len({(e["season"], e["episode"]) for e in episodes}) == len(fact_rows) == 26
    got = {(int(e["season"]), int(e["episode"])): e for e in episodes}
    for f in fact_rows:
        episode = got[(int(f["season"]), int(f["episode"]))]
        if f["director"]:  # one S1 episode has no confirmed name in the facts (only its director's gender)
            assert episode["director"] == f["director"]
        assert episode["gender"] == {"F": "woman", "M": "man"}[f["director_gender"]], f


def test_progress_lines_are_whole_off_a_terminal(tmp_path: Path) -> None:
    """Off a terminal rich assumes 80 columns; the progress there is plain lines, each step whole on one line
    (the long one, the files read alongside the others, neither cut with an ellipsis nor wrapped)."""
    proc = run_cli("demo", "--db", str(tmp_path / "d.duckdb"), "-o", str(tmp_path / "d.html"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "…" not in proc.stderr
    assert any(line.startswith("demo: finishing what ran alongside the steps above: other key roles and cast "
                               "(title.principals), then gender evidence (actress/actor labels): done in ")
               for line in proc.stderr.splitlines()), proc.stderr


def test_a_command_without_db_after_the_demo_points_at_the_demo_store(demo_run: tuple[Path, str]) -> None:
    """After `crewparity demo` the next command a newcomer types has no --db: the default ./crewparity.duckdb is
    missing, and the message says how to read the demo.duckdb beside it instead of "build one"."""
    work, _ = demo_run
    proc = run_cli("series", "Jessica Jones", cwd=work)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "crewparity: error: crewparity.duckdb: no store here, but the demo's store demo.duckdb is: "
        "add `--db demo.duckdb` (or set $CREWPARITY_DB=demo.duckdb)"]
    proc = run_cli("series", "Jessica Jones", cwd=work, env={"CREWPARITY_DB": "demo.duckdb"})
    assert proc.returncode == 0 and "Marvel's Jessica Jones" in proc.stdout, proc.stderr


def test_without_a_demo_store_the_message_says_how_to_build_one(tmp_path: Path) -> None:
    proc = run_cli("series", "Jessica Jones", cwd=tmp_path)
    assert proc.returncode == 1 and "no store here; build one with `crewparity ingest imdb DIR`" in proc.stderr
    assert "--db demo.duckdb" not in proc.stderr


README = Path(__file__).resolve().parents[1] / "README.md"


def _readme_demo_commands() -> list[str]:
    """The lines of the README's first usage block (the one on the bundled sample)."""
    text = README.read_text(encoding="utf-8")
    block = text.split("On the bundled sample", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_the_readmes_console_example_prints_what_it_shows(demo_run: tuple[Path, str]) -> None:
    work, _ = demo_run
    console = README.read_text(encoding="utf-8").split("```console\n", 1)[1].split("```", 1)[0]
    _, shown = console.split('$ crewparity series "Jessica Jones" --db demo.duckdb\n', 1)
    proc = run_cli("series", "Jessica Jones", "--db", "demo.duckdb", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == shown


def test_the_readmes_demo_commands_work_on_the_demo_store(demo_run: tuple[Path, str]) -> None:
    """Every command of the README's usage block on the bundled sample, as typed there, in the folder where
    `crewparity demo` ran: it succeeds and prints figures (a table with rows) or writes its file. (`serve` runs
    until stopped; tests/test_web_commands.py covers it.)"""
    work, _ = demo_run
    lines = _readme_demo_commands()
    assert lines[0].split("#")[0].split() == ["crewparity", "demo"]
    env: dict[str, str] = {}
    ran = []
    for line in lines[1:]:
        words = shlex.split(line, comments=True)
        if words[0] == "export":
            name, value = words[1].split("=", 1)
            env[name] = value
            continue
        assert words[0] == "crewparity", line
        if words[1] == "serve":
            continue
        proc = run_cli(*words[1:], cwd=work, env=env)
        assert proc.returncode == 0, f"{line}: {proc.stderr}"
        if "-o" in words:
            written = work / words[words.index("-o") + 1]
            assert written.is_file() and written.stat().st_size > 1000, line
        else:
            assert any(row.startswith("│") for row in proc.stdout.splitlines()), f"{line} printed no rows"
        ran.append(words[1])
    assert env == {"CREWPARITY_DB": "demo.duckdb"}
    assert {"series", "share", "gender", "chart", "report"} <= set(ran)


def test_every_demo_table_fits_80_columns(demo_run: tuple[Path, str]) -> None:
    """Printed whole (to a pipe: each table at its own width), every table of the demo is at most 80 columns, so
    an 80-column terminal shows each as it is: the role table was 96 wide and came folded into two parts."""
    from rich.cells import cell_len

    _, out = demo_run
    box = [line for line in out.splitlines() if line[:1] in "┏┃┡│└"]
    assert len(box) > 20
    assert max(cell_len(line) for line in box) <= 80, max(box, key=cell_len)
    notice = [line for line in out.splitlines() if "small illustrative sample" in line or "industry" in line]
    assert notice and all(cell_len(line) <= 80 for line in notice)


def test_the_role_table_in_an_80_column_terminal(demo_run: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """In a terminal of 80 columns the role table is one table (not folded into parts), every line within 80."""
    import importlib
    import io

    from rich.console import Console

    import crewparity
    from crewparity.cli import demo as cli_demo

    cli_app = importlib.import_module("crewparity.cli.app")
    work, _ = demo_run
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, force_terminal=True, color_system=None, soft_wrap=True)
    monkeypatch.setattr(cli_app, "stdout", console)
    with crewparity.open(work / "demo.duckdb") as cp:
        table = cli_demo.role_share_display(cp.share(by="role", unit="people"))
    cli_app.emit(table, "table", title="Women's share by role", caption=cli_demo.ROLE_SHARE_CAPTION + "x")
    text = buffer.getvalue()
    # (the caption is prose, which the terminal wraps; the table's lines must fit)
    assert all(len(line) <= 80 for line in text.splitlines() if line[:1] in "┏┃┡│└"), text
    assert "continued" not in text and text.count("┏") == 1
    assert len(_table_rows(text, "Women's share by role", "share_known =", len(table.column_names), 1)) == 5
    assert _role_header(text.replace("share_known =", "the full table:")) == [
        "role", "women", "men", "unknown", "share_known", "share_expected", "ci_95"]
