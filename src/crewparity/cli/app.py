"""The Typer application and what every command shares: the store option, formats, error handling.

Commands live in sibling modules, one per group, each a thin skin over the Python API.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from crewparity.errors import CrewparityError

stdout = Console(soft_wrap=True)
stderr = Console(stderr=True, soft_wrap=True)


def plain_text(renderable: Any) -> str:
    """A rich renderable as the text rich prints to a file: at its own width (nothing cut to fit 80 columns),
    no colours."""
    import io

    from rich.measure import Measurement

    sink = Console(file=io.StringIO(), width=100_000, color_system=None, soft_wrap=True)
    natural = Measurement.get(sink, sink.options, renderable).maximum
    sink.width = max(natural, 1)
    sink.print(renderable)
    return sink.file.getvalue()  # type: ignore[attr-defined, no-any-return]


def print_table(table: Any, narrow: Callable[[int], Any] | None = None) -> None:
    """Print a rich table on stdout with every cell whole.

    Why: rich fits a table to the console and cuts what does not fit ("62.5%-62.…"); when stdout is a file or
    a pipe its width is 80 columns, so ``crewparity share > table.txt`` saved cut numbers. Off a terminal the
    table is printed at its own width (:func:`plain_text`). On a terminal too narrow for it, ``narrow(width)``
    (when given) makes the table to print instead: :func:`crewparity.output.render_table` with ``fit`` wraps
    headers at their underscores and folds the table into parts rather than cutting a cell or splitting a figure.
    """
    if not stdout.is_terminal:
        sys.stdout.write(plain_text(table))
        return
    from rich.measure import Measurement

    wide = stdout.options.update(width=100_000, max_width=100_000)
    natural = Measurement.get(stdout, wide, table).maximum
    stdout.print(narrow(stdout.width) if narrow is not None and natural > stdout.width else table)


def usage_message(exc: Any, ctx: Any = None) -> str:
    """A click usage error (an unknown option or command, a bad value, a missing argument) as one line naming the
    command and where its options are listed: ``share: no such option: --bogus; crewparity share --help lists the
    options``. ``ctx``: the top group's context, for an error click raised without its own (an option given no
    value), whose command is then the one the group was invoking."""
    if getattr(exc, "ctx", None) is not None:
        words = exc.ctx.command_path.split()[1:]
    elif ctx is not None and getattr(ctx, "invoked_subcommand", None):
        words = ctx.command_path.split()[1:] + [ctx.invoked_subcommand]
    else:
        words = []
    while words and words[0] in ("-m", "crewparity", "__main__.py"):   # (run as `python -m crewparity`)
        words = words[1:]
    message = " ".join(exc.format_message().split()).rstrip(".")
    message = message[:1].lower() + message[1:]
    listed = "commands" if "no such command" in message else "options"
    return (f"{' '.join(words) + ': ' if words else ''}{message}; "
            f"{' '.join(['crewparity', *words])} --help lists the {listed}")


class CrewparityGroup(TyperGroup):
    """Turns a :class:`CrewparityError` into one line on stderr and exit code 1, no traceback."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except CrewparityError as exc:
            # (the Python API's errors name its arguments; the CLI's original text names the options)
            typer.echo(f"crewparity: error: {getattr(exc, 'cli_message', None) or exc}", err=True)
            raise typer.Exit(1) from None
        except Exception as exc:
            # Why: click printed three lines (usage, "Try ... --help", "Error: ...") for a wrong flag or value,
            # where every other bad input is one `crewparity: error:` line a script or a log can match. Usage
            # errors keep click's exit code, 2.
            if not _is_usage_error(exc):
                raise   # (a group given no command prints its help, as it should)
            typer.echo(f"crewparity: error: {usage_message(exc, ctx)}", err=True)
            raise typer.Exit(getattr(exc, "exit_code", 2)) from None
        except KeyboardInterrupt:
            typer.echo("crewparity: interrupted; the store is unchanged", err=True)
            raise typer.Exit(130) from None

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        """The group's own options (``crewparity --bogus``, ``crewparity gender --bogus``) are parsed here, before
        any command runs: their usage errors get the same one line."""
        try:
            return super().parse_args(ctx, args)
        except Exception as exc:
            if not _is_usage_error(exc):
                raise
            typer.echo(f"crewparity: error: {usage_message(exc, ctx)}", err=True)
            raise typer.Exit(getattr(exc, "exit_code", 2)) from None


def _is_usage_error(exc: BaseException) -> bool:
    """A click usage error other than "no command given" (which prints the group's help, as it should). Typer
    ships its own click, whose classes are not the `click` package's: told apart by name."""
    kinds = {k.__name__ for k in type(exc).__mro__}
    return "UsageError" in kinds and "NoArgsIsHelpError" not in kinds


app = typer.Typer(
    cls=CrewparityGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Who works behind the camera: gender-parity figures for film and TV crews from public credits data.\n\n"
    "\b\nExamples:\n"
    "  crewparity demo                    # writes demo.duckdb and demo-report.html here (no network)\n"
    "  crewparity series \"Jessica Jones\" --db demo.duckdb\n"
    "  crewparity share --by role --db demo.duckdb\n\n"
    "Every command's --help ends with examples; most run as written once `crewparity demo` has made demo.duckdb.",
)
ingest_app = typer.Typer(cls=CrewparityGroup, no_args_is_help=True, help=(
    "Load a data source into the store (atomic: all or nothing).\n\n"
    "\b\nExamples:\n"
    "  crewparity ingest imdb imdb-dumps/\n"
    "  crewparity ingest overrides corrections.csv --db demo.duckdb"))
gender_app = typer.Typer(cls=CrewparityGroup, no_args_is_help=True, help=(
    "Gender evidence and the first-name model.\n\n"
    "\b\nExamples:\n"
    "  crewparity gender guess \"Deborah Chow\" \"S. J. Clarkson\"\n"
    "  crewparity gender explain \"Deborah Chow\" --db demo.duckdb"))
fetch_app = typer.Typer(cls=CrewparityGroup, no_args_is_help=True, help=(
    "Download data (the only commands that use the network).\n\n"
    "\b\nExamples:\n"
    "  crewparity fetch imdb imdb-dumps/\n"
    "  crewparity fetch wikidata-genders --save wikidata.json --db demo.duckdb\n"
    "  crewparity fetch tmdb tv:60573 --save tmdb-api --db demo.duckdb"))


def _print_version(value: bool) -> None:
    """``--version``: the version every export cites (``crewparity.version``), printed before any command runs and
    so before any store is opened."""
    if value:
        from crewparity import __version__

        typer.echo(f"crewparity {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option(
        "--version", "-V", callback=_print_version, is_eager=True,
        help="Print crewparity's version (the one exported files cite) and exit.")] = False,
) -> None:
    """(the root group's own options; its help is the Typer's)"""


app.add_typer(ingest_app, name="ingest")
app.add_typer(gender_app, name="gender")
app.add_typer(fetch_app, name="fetch")

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar="CREWPARITY_DB",
        help="Store file (default ./crewparity.duckdb, or $CREWPARITY_DB).",
        show_default=False,
    ),
]
#: ``--format`` of the commands that write a table (share, distribution, compare, series, credits): one help text
TableFormatOption = Annotated[str | None, typer.Option(
    "--format", "-f", help="table (for people), csv, json or parquet. Default: the --output file's suffix "
    "(.csv, .json, .parquet; any other: table), else table.", show_default=False)]
#: ``--output`` of the same commands
OutputOption = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write to this file instead of the terminal (needed for parquet); its suffix chooses "
    "the format when --format is not given. A csv or json file gets its source and method in FILE-metadata.json "
    "beside it (CSVW); a parquet file carries them inside.", show_default=False)]
FormatOption = Annotated[
    str, typer.Option("--format", "-f", help="Output format: table (for people), csv or json (for programs).")
]


def store_file(db: Path | None) -> Path:
    """The store file a ``--db`` value names (the option, else $CREWPARITY_DB, else ./crewparity.duckdb)."""
    from crewparity.store import default_path

    return default_path(db)


#: from this many rows on, a table that fits the terminal is printed as plain text (no bold header): rich lays
#: out about a thousand rows a second
PLAIN_TERMINAL_ROWS = 500


def output_format(fmt: str | None, output: Path | None) -> str:
    """The format a tabular command writes, checked before any work: ``--format`` when given, else the one the
    ``--output`` suffix names (.csv, .json, .parquet; anything else: table); parquet needs ``--output``; an
    ``--output`` that is a folder or sits in a missing folder is refused with one line naming it."""
    from crewparity import output as out

    chosen = out.format_for(fmt, output)
    if output is not None:
        out.check_output(output)
        if chosen in METADATA_FORMATS:
            out.check_sidecar(out.metadata_path(output))
    elif chosen == "parquet":
        raise CrewparityError("--format parquet needs --output FILE")
    return chosen


def render(table: Any, fmt: str, *, title: str | None = None, caption: str | None = None) -> str:
    """A pyarrow table as the text ``fmt`` (table, csv or json) gives for a file or a pipe."""
    from crewparity import output as out

    if fmt == "table":
        # the same text rich would print there, made directly (rich takes about 1 ms a row)
        return out.table_text(table, title=title, caption=caption) or plain_text(
            out.render_table(table, title=title, caption=caption))
    if fmt == "csv":
        return out.to_csv(table)
    return out.to_json(table) + "\n"


def note(message: str) -> None:
    """One line for the user on stderr (never on stdout, which csv/json keep for programs)."""
    typer.echo(f"crewparity: note: {message}", err=True)


def emit(table: Any, fmt: str | None, *, title: str | None = None, caption: str | None = None,
         output: Path | None = None, empty: str | None = None, store: Path | None = None) -> None:
    """Print a pyarrow table in the chosen format, or write it to ``output`` (parquet needs one).

    ``fmt`` None: the format follows ``output``'s suffix (:func:`output_format`). ``empty``: why a table with no
    rows has none, said on stderr as one note (the table itself is still printed or written). ``store``: the
    store file the table was read from (``store_file(db)``), whose sources a Parquet file cites.
    """
    fmt = output_format(fmt, output)
    _write(table, fmt, title=title, caption=caption, output=output, store=store)
    if table.num_rows == 0 and empty:
        note(empty)


def output_text(output: Path, data: Any, rows: int, sidecar: str | None = None) -> None:
    """Write ``data`` (text, or a pyarrow table as Parquet) to ``output`` atomically and say so on stderr;
    ``sidecar``: its CSVW description (:func:`describe`), written with it as ``<output>-metadata.json``."""
    from crewparity import output as out

    out.write_file(output, data, None if sidecar is None else (out.metadata_path(output), sidecar))
    also = f" (described in {out.metadata_path(output).name})" if sidecar is not None else ""
    stderr.print(f"wrote {rows} rows to {output}{also}", markup=False, highlight=False)


#: the Parquet key-value metadata crewparity writes: what the file counts, what data it came from and how to
#: make it again
PROVENANCE_KEYS = ("crewparity.command", "crewparity.version", "crewparity.title", "crewparity.notes",
                   "crewparity.sources")
#: the formats whose file gets a CSVW description beside it, ``<file>-metadata.json`` (:func:`describe`); a
#: Parquet file carries its provenance inside (:func:`with_provenance`), a text table its title and caption
METADATA_FORMATS = ("csv", "json")


def run_command() -> str:
    """The command as it was run, which makes the same file again: what a Parquet file's ``crewparity.command``
    and a CSVW description's ``prov:wasGeneratedBy`` say."""
    import shlex

    return shlex.join(["crewparity", *sys.argv[1:]])


def _store_facts(store: Path) -> tuple[list[dict[str, str]], str | None]:
    """The ``store`` file's sources (:func:`crewparity.store.loaded_sources`) and schema version."""
    from crewparity.store import loaded_sources, open_store

    with open_store(store) as opened:  # (the command has just read it)
        rows = opened.rows("SELECT value FROM meta WHERE key = 'schema_version'")
        return loaded_sources(opened), (str(rows[0][0]) if rows else None)


def with_provenance(table: Any, title: str | None, caption: str | None, store: Path | None = None) -> Any:
    """``table`` with its provenance in the Parquet schema metadata: the command as it was run, crewparity's
    version, the table's title and notes (unit, estimator, caveats) as the terminal table shows them, and, given
    the ``store`` file the table was read from, that store's sources (``crewparity.sources``: a JSON list of
    ``{"source", "location", "loaded_at"}``, oldest load first: what every chart's source line cites).

    Why: a file passed on without the terminal's caption could not say whether it counts people or credits,
    nor how to reproduce it (a review found two such files indistinguishable), nor, without the store, which
    data it came from. csv and json files have no place for it inside: they get the same facts beside them
    (:func:`describe`)."""
    import json

    from crewparity import __version__

    meta = {"crewparity.command": run_command(), "crewparity.version": __version__}
    if title:
        meta["crewparity.title"] = title
    if caption:
        meta["crewparity.notes"] = caption
    if store is not None:
        meta["crewparity.sources"] = json.dumps(_store_facts(store)[0], ensure_ascii=False)
    return table.replace_schema_metadata({**(table.schema.metadata or {}), **meta})


#: what a CSVW description of a csv file adds to its notes: the cells :func:`crewparity.output.neutralise_cell`
#: changed
FORMULA_NOTE = ("Text cells that a spreadsheet would run as a formula (starting with =, +, -, @) begin with an "
                "added apostrophe (').")


def description(title: str | None, caption: str | None, fmt: str) -> str:
    """A table's ``dc:description``: what it is (its title, and the command line that prints it, the caption's
    first line) and the notes under it (the method: estimator, interval, caveats) as one paragraph."""
    lines = [line.strip() for line in (caption or "").splitlines() if line.strip()]
    command = lines.pop(0) if lines and lines[0].startswith("crewparity ") else None
    words = [title.rstrip(".") if title else "A crewparity table"]
    if command:
        words[0] += f": the table `{command}` prints."
    else:
        words[0] += "."
    words += [line if line.endswith((".", ":", ";", ")")) else line + "." for line in lines]
    if fmt == "csv":
        words.append(FORMULA_NOTE)
    return " ".join(words)


def describe(output: Path, tables: Any, fmt: str, *, title: str | None, caption: str | None,
             store: Path | None, part_titles: dict[str, str] | None = None) -> str:
    """The CSVW description (:func:`crewparity.output.csvw_metadata`) of ``tables`` written to ``output`` as
    ``fmt``, as JSON text: the title and notes a Parquet file carries, the store's sources and schema version,
    the command as it was run, crewparity's version and the columns.

    Why: ``-o out.csv`` carried nothing, so a CSV passed on alone could be neither cited nor made again."""
    import json

    from crewparity import __version__
    from crewparity import output as out

    sources, schema = _store_facts(store) if store is not None else (None, None)
    used = None if store is None else {"dc:identifier": str(store), **({"schema:version": schema} if schema else {})}
    doc = out.csvw_metadata(output, tables, fmt, command=run_command(), version=__version__, title=title,
                            description=description(title, caption, fmt), sources=sources, store=used,
                            part_titles=part_titles)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _write(table: Any, fmt: str, *, title: str | None, caption: str | None, output: Path | None,
           store: Path | None = None) -> None:
    from crewparity import output as out

    if fmt == "parquet":
        assert output is not None  # output_format refuses parquet without it
        output_text(output, with_provenance(table, title, caption, store), table.num_rows)
        return
    if fmt == "table" and output is None and stdout.is_terminal:
        if table.num_rows >= PLAIN_TERMINAL_ROWS:  # a long table that fits: plain text, not rich's ~1 ms a row
            text = out.table_text(table, title=title, caption=caption)
            top = text.find("┏") if text is not None else -1  # the top rule: box characters are one column each
            if text is not None and text.index("\n", top) - top <= stdout.width:
                sys.stdout.write(text)
                return
        print_table(out.render_table(table, title=title, caption=caption),
                    narrow=lambda width: out.render_table(table, title=title, caption=caption, fit=width))
        return
    text = render(table, fmt, title=title, caption=caption)
    if output is not None:
        sidecar = (describe(output, table, fmt, title=title, caption=caption, store=store)
                   if fmt in METADATA_FORMATS else None)
        output_text(output, text, table.num_rows, sidecar)
    else:
        sys.stdout.write(text)
