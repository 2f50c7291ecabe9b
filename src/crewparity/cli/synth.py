"""`crewparity synth OUTDIR --scale S [--seed N]`: IMDb-format synthetic dumps for benchmarks and tests."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from crewparity.cli.app import app, print_table, stdout
from crewparity.cli.progress import steps


@app.command("synth")
def synth(
    outdir: Annotated[Path, typer.Argument(help="Folder to write the .tsv.gz files into (created if missing).")],
    scale: Annotated[float, typer.Option("--scale", help="1.0 = full IMDb size (~12M titles, 15M people, "
                                         "98M principals rows); 0.01 takes seconds.")] = 0.01,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same bytes.")] = 0,
) -> None:
    """Write synthetic IMDb dumps (the seven files, real columns and pitfalls) plus truth.people.tsv.gz.

    \b
    Examples:
      crewparity synth dumps --scale 0.001
    """
    from crewparity import synth as synth_mod

    with steps(f"synth scale {scale}") as step:
        summary = synth_mod.generate(outdir, scale, seed, progress=step)
    table = Table(title=f"Wrote {summary.outdir} (scale {scale}, seed {seed}) in {summary.seconds:.1f} s")
    table.add_column("file")
    table.add_column("bytes", justify="right")
    for name in [*synth_mod.FILE_NAMES, "truth.people"]:
        path = Path(outdir) / f"{name}.tsv.gz"
        table.add_row(path.name, f"{path.stat().st_size:,}")
    print_table(table)
    stdout.print("truth.people.tsv.gz (nconst, gender, first_name) is for evaluation only; it is not an IMDb file.")
