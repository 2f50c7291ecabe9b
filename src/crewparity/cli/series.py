"""`crewparity series`: episodes directed by women, per series and season (and the DGA's best/worst lists)."""

from __future__ import annotations

from typing import Annotated

import typer

from crewparity.cli.app import DbOption, OutputOption, TableFormatOption, app, emit, note, output_format, store_file
from crewparity.errors import ArgumentError
from crewparity.metrics.roles import dga_best_share, dga_min_episodes
from crewparity.output import command_line

_BEST = f"{dga_best_share():.0%}"
_MIN_EPISODES = dga_min_episodes()


@app.command("series")
def series(
    query: Annotated[str | None, typer.Argument(
        help="A series title (case-insensitive, part of it is enough) or its id as series_id shows it "
        "(tt2357547, tmdb:tv:60573).",
        show_default=False)] = None,
    season: Annotated[int | None, typer.Option("--season", help="Only this season.", show_default=False)] = None,
    codirected: Annotated[str, typer.Option(
        "--codirected", help="any: an episode with a woman among its directors counts as women (DGA); "
        "fractional: each of k directors counts 1/k.")] = "any",
    episodes: Annotated[bool, typer.Option(
        "--episodes", help="List every episode with its directors, their gender, p_woman and its source.")] = False,
    rank: Annotated[str | None, typer.Option(
        "--rank", help=f"best: seasons with at least {_BEST} of episodes directed by women even if every director "
        "of unknown gender were a man; worst: seasons with none, no director of unknown gender and no episode "
        "without a director credit (the DGA's "
        "lists, over the scripted series, as compare dga counts them; no QUERY). Seasons left out only for "
        "unknowns are counted on stderr; --undecided lists them; --all-series keeps unscripted and adult series. "
        "Column inferred: the season's episodes with a director whose gender is a first-name-model call.",
        show_default=False)] = None,
    undecided: Annotated[bool, typer.Option(
        "--undecided", help="With --rank: list instead the seasons left out of that list only because of directors "
        "of unknown gender or episodes without a director credit, with could_be_women: the episodes that would "
        "count as directed by women if those directors were women.")] = False,
    year_from: Annotated[int | None, typer.Option("--from", help="With --rank: first year.", show_default=False)] = None,
    year_to: Annotated[int | None, typer.Option("--to", help="With --rank: last year.", show_default=False)] = None,
    min_episodes: Annotated[int | None, typer.Option(
        "--min-episodes", help=f"With --rank: leave out seasons of fewer episodes (default {_MIN_EPISODES}, "
        "dga.min_episodes in data/roles.toml: below it one episode is 20 points or more of a season's share, so "
        "one hire would put a short season on a list; 1 lists every season).",
        show_default=False)] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="With --rank: at most this many rows (1 or more).",
                                              show_default=False)] = None,
    all_series: Annotated[bool, typer.Option(
        "--all-series", help="With --rank: keep the unscripted and adult series that the lists, as compare dga, "
        "leave out by default (the DGA counts scripted series only; the rule is the dga_episodic study's "
        "exclude_genres and exclude_adult in data/roles.toml).")] = False,
    include_pilots: Annotated[bool, typer.Option(
        "--include-pilots", help="Keep pilots and specials (season 0): the episodes the pilot rule and the "
        "specials rule recognise (see data/roles.toml).")] = False,
    fmt: TableFormatOption = None,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """Episodes directed by women / men / nonbinary / unknown, per series and season.

    \b
    Examples:
      crewparity series "Jessica Jones" --db demo.duckdb
      crewparity series tt2357547 --season 2 --episodes --db demo.duckdb
      crewparity series --rank best --db demo.duckdb
    """
    from crewparity import open as open_client

    if rank is None and query is None:
        raise ArgumentError("give a series QUERY (title or IMDb id), or --rank best|worst")
    if rank is not None and query is not None:
        raise ArgumentError("--rank lists every series; leave out the QUERY (or drop --rank)")
    if rank is None:
        # options only a ranking reads: given without one they were silently ignored (and echoed in the caption)
        only_rank = [flag for flag, value in (("--from", year_from), ("--to", year_to),
                                              ("--min-episodes", min_episodes), ("--limit", limit),
                                              ("--undecided", undecided or None),
                                              ("--all-series", all_series or None))
                     if value is not None]
        if only_rank:
            raise ArgumentError(f"{' and '.join(only_rank)} need{'s' if len(only_rank) == 1 else ''} "
                                "--rank best|worst")
    if episodes and rank is not None:
        raise ArgumentError("--episodes lists one series' episodes; it does not go with --rank")
    if season is not None and rank is not None:
        raise ArgumentError("--season picks a season of one series; it does not go with --rank")
    if episodes and codirected != "any":
        raise ArgumentError("--codirected counts the seasons; --episodes lists each episode's directors instead")
    fmt = output_format(fmt, output)
    client = open_client(str(db) if db is not None else None)
    try:
        if rank is not None:
            table = client.series_rank(rank, year_from=year_from, year_to=year_to, min_episodes=min_episodes,
                                       codirected=codirected, include_pilots=include_pilots, limit=limit,
                                       undecided=undecided, all_series=all_series)
            shortest = _MIN_EPISODES if min_episodes is None else min_episodes
            of_length = (f"seasons of at least {shortest} episode{'s' if shortest != 1 else ''} of "
                         + ("every series, unscripted and adult too" if all_series else "scripted series"))
            if undecided:
                title = (f"Series-seasons left out of the {rank} list (DGA) only because of directors of unknown "
                         "gender or episodes without a director credit; could_be_women: episodes that would count as "
                         "directed by women if their directors of unknown gender were women; no_director: episodes "
                         f"without a director credit, which a woman could have directed; {of_length}")
            else:
                title = (f"Series-seasons, {rank} (DGA list), episodes directed by women; {of_length}; inferred: "
                         "episodes with a director whose gender is a first-name-model call")
        elif episodes:
            table = client.series_episodes(query or "", season=season, include_pilots=include_pilots)
            title = "Episodes and their directors (evidence: recorded, or inferred from the first name)"
        else:
            table = client.series(query or "", season=season, codirected=codirected, include_pilots=include_pilots)
            title = ("Episodes by director gender, per season; no_director: episodes without a director credit, in "
                     "no share; inferred: episodes with a director whose gender is a first-name-model call")
    finally:
        client.close()
    caption = command_line(
        "series", query, ("--season", season), ("--codirected", codirected if codirected != "any" else None),
        ("--episodes", episodes), ("--rank", rank), ("--from", year_from), ("--to", year_to),
        ("--min-episodes", min_episodes), ("--limit", limit), ("--undecided", undecided),
        ("--all-series", all_series), ("--include-pilots", include_pilots), ("--db", db),
    )
    if rank is not None:
        from crewparity.metrics.empty import no_ranked_seasons

        empty = no_ranked_seasons(rank, undecided)
    else:
        from crewparity.metrics.empty import no_episodes

        empty = no_episodes(query or "", season, include_pilots)
    said: list[str] = []
    if rank is not None:
        said = [words for words in (
            None if undecided else _left_out_words(table, rank),  # (with --undecided the table is those seasons)
            _cut_words(table, rank, undecided, limit), _unnumbered_words(table, rank),
            _excluded_words(table, rank, undecided)) if words]
        if said and output is not None:   # a file passed on has no stderr: what the list leaves out goes in it
            caption += "".join(f"\n{words[:1].upper()}{words[1:]}." for words in said)
    emit(table, fmt, title=title, caption=caption, output=output, empty=empty, store=store_file(db))
    for words in said:
        note(words)


def _cut_words(table: object, rank: str, undecided: bool, limit: int | None) -> str | None:
    """The note saying that --limit cut the list, and of how many seasons, so that the rows shown are not read as all."""
    from crewparity.metrics.episodes import listed_before_limit

    n = listed_before_limit(table)  # type: ignore[arg-type]
    shown = table.num_rows  # type: ignore[attr-defined]
    if limit is None or n is None or n <= shown:
        return None
    which = f"left out of the {rank} list only for unknowns" if undecided else f"on the {rank} list"
    return f"the first {shown:,} of the {n:,} seasons {which} (--limit {limit}); without --limit all are listed"


def _left_out_words(table: object, rank: str) -> str | None:
    """The note saying how many seasons the list leaves out only because some directors' gender is unknown, so that a list
    is not read as every season that qualifies."""
    from crewparity.metrics.episodes import left_out_for_unknowns

    n = left_out_for_unknowns(table)  # type: ignore[arg-type]
    if not n:
        return None
    seasons = f"{n:,} season{'s' if n != 1 else ''}"
    if rank == "best":
        their = "their" if n != 1 else "its"
        why = (f"{'have' if n != 1 else 'has'} under {_BEST} of episodes known to be directed by women but would "
               f"reach it if {their} directors of unknown gender (or {their} episodes without a director credit) "
               "were women")
    else:
        why = (f"{'have' if n != 1 else 'has'} no episode known to be directed by a woman but some by a director "
               "of unknown gender or without a director credit, who could be one")
    return (f"{seasons} left out of the {rank} list: {'they' if n != 1 else 'it'} {why} "
            f"(--undecided lists {'them' if n != 1 else 'it'}; crewparity series TITLE --episodes shows who)")


def _unnumbered_words(table: object, rank: str) -> str | None:
    """The note saying how many series' episodes without a season number the list leaves out: they are no season (IMDb
    leaves about a fifth of its episodes unnumbered), so a reader does not take the list for every episode."""
    from crewparity.metrics.episodes import left_out_unnumbered

    n = left_out_unnumbered(table)  # type: ignore[arg-type]
    if not n:
        return None
    return (f"{n:,} series' episodes without a season number left out of the {rank} list: they are no season "
            "(crewparity series TITLE shows them as \"(no season)\")")


def _excluded_words(table: object, rank: str, undecided: bool) -> str | None:
    """The note saying how many seasons the list leaves out because their series is unscripted or adult, as compare dga
    leaves it out (the DGA counts scripted series only), and which option keeps them."""
    from crewparity.metrics.episodes import excluded_series_words, left_out_excluded

    n = left_out_excluded(table)  # type: ignore[arg-type]
    if not n:
        return None
    seasons = f"{n:,} season{'s' if n != 1 else ''}"
    where = f"the {rank} list's undecided seasons" if undecided else f"the {rank} list"
    return (f"{seasons} of {excluded_series_words()} left out of {where}, as compare dga leaves them out (the DGA "
            "counts scripted series only; --all-series keeps them)")
