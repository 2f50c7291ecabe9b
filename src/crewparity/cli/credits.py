"""`crewparity credits TITLE`: a title's crew, person by person, with each gender and how it is known."""

from __future__ import annotations

from typing import Annotated

import typer

from crewparity.cli.app import DbOption, OutputOption, TableFormatOption, app, emit, output_format, store_file
from crewparity.output import command_line


@app.command("credits")
def credits(
    query: Annotated[str, typer.Argument(
        metavar="TITLE",
        help="A title id (tt0133093, tmdb:movie:603, crew:title:...) or a title's name (case-insensitive: the "
        "title of that name, else the one whose name contains it; several: an error listing them with year, kind "
        "and id). An episode: its id.",
        show_default=False)],
    season: Annotated[int | None, typer.Option(
        "--season", help="A series: only this season's episodes (the series' own credits, which belong to no "
        "season, are left out).", show_default=False)] = None,
    roles: Annotated[str | None, typer.Option(
        "--roles", help="Comma-separated roles (default the six key roles: director, writer, producer, "
        "executive_producer, editor, cinematographer; aliases in data/roles.toml), or all (every crew role).",
        show_default=False)] = None,
    fmt: TableFormatOption = None,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """A title's credits, one row per person and role, with each person's gender and how it is known.

    A series lists its episodes' credits rolled up with its own (episodes count for their series), with the
    number of episodes and the years of each person's credits; --season narrows it to one season. Columns:
    role, person_id, name, gender (woman, man, nonbinary, unknown), how (recorded; inferred: the first-name
    model, a statistical estimate about a name, not a statement about a person; unknown), source (overrides,
    crewlist, wikidata, tmdb, imdb, name_model; none), p_woman (the name model's probability), and for a
    series episodes, first_year, last_year. Under the table: per role, the women, men, nonbinary and unknown
    people, the counts share --unit people --by title gives for the title.

    \b
    Examples:
      crewparity credits "Jessica Jones" --season 2 --db demo.duckdb
      crewparity credits tt0133093 --roles director,writer --db demo.duckdb
      crewparity credits "Lady Bird" --roles all -o lady_bird.csv --db demo.duckdb
    """
    from crewparity import open as open_client
    from crewparity.metrics.credits import credit_roles, empty_words, summary_words, title_of

    credit_roles(roles)  # a typo is named before the store is opened
    fmt = output_format(fmt, output)
    client = open_client(str(db) if db is not None else None)
    try:
        table = client.credits(query, season=season, roles=roles)
    finally:
        client.close()
    title = title_of(table)
    label = title.label() if title is not None else query
    heading = (f"Credits of {label}{f', season {season}' if season is not None else ''}: one row per person and "
               "role; how: recorded, or inferred from the first name (p_woman), or unknown")
    caption = command_line("credits", query, ("--season", season), ("--roles", roles), ("--db", db))
    said = summary_words(table)
    if said:
        caption = f"{said}\n{caption}"
    empty = empty_words(label, season, roles)
    emit(table, fmt, title=heading, caption=caption, output=output, empty=empty, store=store_file(db))
