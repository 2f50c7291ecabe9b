"""``crewparity chart`` has its API: ``crewparity.api.chart(kind, target, output, db, ...)`` writes the file the
command writes (byte for byte) and ``Crewparity.chart(kind, target, ...)`` gives its Vega-Lite specification. Why:
every command has a function named after it (docs/api.md), but the chart's logic lived in the CLI module, so a
notebook could draw a chart only by rebuilding it from ``charts.trend_chart`` and friends, without the subtitle,
the source line and the checks the command makes. Both faces take the command's options and refuse the same bad
ones in the same words (the API's argument names, the CLI's words in ``cli_message``)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
import vl_convert as vlc

import crewparity
from crewparity import api
from tests._dashboard_store import SERIES_ID, SERIES_NAME, build_store
from tests.conftest import run_cli

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

#: (CLI arguments, the same chart's API arguments)
CHARTS = [
    (["trend", "--kind", "movie", "--roles", "director,writer", "--unit", "titles"],
     {"kind": "trend", "kinds": "movie", "roles": ["director", "writer"], "unit": "titles"}),
    (["distribution", "--roles", "director", "--from", "2018", "--to", "2020"],
     {"kind": "distribution", "roles": "director", "year_from": 2018, "year_to": 2020}),
    (["compare", "dga", "--metric", "episodes"], {"kind": "compare", "target": "dga", "metric": "episodes"}),
    (["seasons", SERIES_ID, "--codirected", "fractional", "--include-pilots"],
     {"kind": "seasons", "target": SERIES_ID, "codirected": "fractional", "include_pilots": True}),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("api_chart"))


@pytest.mark.parametrize(("cli", "options"), CHARTS, ids=[c[0][0] for c in CHARTS])
def test_the_api_writes_the_file_the_cli_writes(store: Path, tmp_path: Path, cli: list[str],
                                                options: dict[str, object]) -> None:
    ours, theirs = tmp_path / "api.svg", tmp_path / "cli.svg"
    r = run_cli("chart", *cli, "-o", str(theirs), "--db", str(store))
    assert r.returncode == 0, r.stderr
    options = dict(options)
    kind = str(options.pop("kind"))
    target = options.pop("target", None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = api.chart(kind, target, ours, store, **options)  # type: ignore[arg-type]
    assert path == ours
    assert ours.read_bytes() == theirs.read_bytes()
    # the method's Vega-Lite spec is that chart: rendered offline it is the very same SVG
    with crewparity.open(store) as cp:
        spec = cp.chart(kind, target, **options)  # type: ignore[arg-type]
    json.dumps(spec)  # plain JSON, data inlined
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert vlc.vegalite_to_svg(spec).encode("utf-8") == theirs.read_bytes()


def test_png_by_the_suffix_and_the_defaults(store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    png = api.chart("seasons", SERIES_NAME, tmp_path / "s.png", store)
    assert png.read_bytes().startswith(PNG_MAGIC)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CREWPARITY_DB", str(store))
    assert api.chart("trend") == Path("chart.svg") and (tmp_path / "chart.svg").read_text().startswith("<svg")


@pytest.mark.parametrize(("cli", "call", "python"), [
    (["pie"], {"kind": "pie"}, "unknown chart 'pie'; allowed: trend, compare, seasons, distribution"),
    (["trend", "-o", "x.gif"], {"kind": "trend", "output": "x.gif"},
     "chart output must end in .svg or .png, got 'x.gif'"),
    (["seasons"], {"kind": "seasons"}, "chart seasons needs a series: a title (or part of one) or an IMDb id"),
    (["trend", "Harbour"], {"kind": "trend", "target": "Harbour"},
     "chart trend takes no series or study; use roles, kinds, year_from, year_to, sample"),
    (["trend", "--roles", "grip"], {"kind": "trend", "roles": "grip"}, "unknown role 'grip'"),
    (["compare", "dga", "--sample", "top:10", "--kind", "movie", "--unit", "people"],
     {"kind": "compare", "target": "dga", "sample": "top:10", "kinds": "movie", "unit": "people"},
     "chart compare does not use kinds, sample, unit (kinds and sample are for chart trend, distribution; unit is "
     "for chart trend); chart compare takes roles, year_from/year_to, metric"),
    (["seasons", "Harbour", "--from", "2010", "--roles", "director"],
     {"kind": "seasons", "target": "Harbour", "year_from": 2010, "roles": "director"},
     "chart seasons does not use roles, year_from (roles and year_from are for chart trend, compare, distribution)"),
    (["trend", "--include-pilots"], {"kind": "trend", "include_pilots": False},
     "chart trend does not use include_pilots (include_pilots is for chart seasons)"),
    (["distribution", "--from", "2020", "--to", "2010"], {"kind": "distribution", "year_from": 2020, "year_to": 2010},
     "year_from=2020 is after year_to=2010"),
    (["compare", "dga", "--metric", "no-such"], {"kind": "compare", "target": "dga", "metric": "no-such"},
     "metric"),
])
def test_bad_arguments_are_the_cli_errors(store: Path, tmp_path: Path, cli: list[str], call: dict[str, object],
                                          python: str) -> None:
    output = str(call.pop("output", "x.svg"))
    r = run_cli("chart", *cli, *([] if "-o" in cli else ["-o", "x.svg"]), "--db", str(store), cwd=tmp_path)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    cli_message = r.stderr.removeprefix("crewparity: error: ").rstrip("\n")
    kind = str(call.pop("kind"))
    target = call.pop("target", None)
    with pytest.raises(crewparity.ArgumentError) as caught:
        api.chart(kind, target, tmp_path / output, store, **call)  # type: ignore[arg-type]
    assert python in str(caught.value) and "--" not in str(caught.value)
    assert caught.value.cli_message == cli_message
    assert not list(tmp_path.glob("x.*"))
    if output.endswith(".svg"):  # (the method writes no file)
        with crewparity.open(store) as cp, pytest.raises(crewparity.ArgumentError) as caught:
            cp.chart(kind, target, **call)  # type: ignore[arg-type]
        assert python in str(caught.value) and caught.value.cli_message == cli_message


def test_several_matching_series_warn_which_is_charted(store: Path, tmp_path: Path) -> None:
    r = run_cli("chart", "seasons", "o", "-o", str(tmp_path / "cli.svg"), "--db", str(store))
    assert r.returncode == 0, r.stderr
    said = r.stderr.strip()
    assert said.startswith("2 series match 'o'; charting the most voted")
    with pytest.warns(UserWarning) as caught:
        api.chart("seasons", "o", tmp_path / "api.svg", store)
    assert [str(w.message) for w in caught] == [said] and caught[0].filename == __file__
    assert (tmp_path / "api.svg").read_bytes() == (tmp_path / "cli.svg").read_bytes()
    with crewparity.open(store) as cp, pytest.warns(UserWarning) as caught:
        cp.chart("seasons", "o")
    assert [str(w.message) for w in caught] == [said] and caught[0].filename == __file__


def test_a_list_sample_with_unknown_ids_warns(store: Path, tmp_path: Path) -> None:
    listed = tmp_path / "mine.txt"
    listed.write_text(f"{SERIES_ID}\ntt9999999\n", encoding="utf-8")
    r = run_cli("chart", "distribution", "--sample", f"list:{listed}", "-o", str(tmp_path / "cli.svg"),
                "--db", str(store))
    assert r.returncode == 0, r.stderr
    warned = [line.removeprefix("crewparity: warning: ") for line in r.stderr.splitlines()]
    assert len(warned) == 1 and "tt9999999" in warned[0]
    with pytest.warns(crewparity.UnlistedTitlesWarning) as caught:
        api.chart("distribution", output=tmp_path / "api.svg", db=store, sample=f"list:{listed}")
    assert [str(w.message) for w in caught] == warned and caught[0].filename == __file__
    with crewparity.open(store) as cp, pytest.warns(crewparity.UnlistedTitlesWarning) as caught:
        cp.chart("trend", sample=f"list:{listed}")
    assert [str(w.message) for w in caught] == warned and caught[0].filename == __file__
