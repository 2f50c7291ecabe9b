"""The local dashboard: FastAPI, Jinja2 pages with server-rendered SVG charts, and a JSON API under /api.

Why it looks like this:

* Read-only by construction: the store is opened read-only (:class:`StoreHolder`), there is no write
  endpoint, parameters are only ever passed to the metrics layer's validated arguments (never SQL), and the
  ``list:FILE`` sample is refused because it would read a file on the server.
* Nothing leaves the machine: charts are SVG rendered by vl-convert on the server, the stylesheet is served
  from the package, FastAPI's Swagger/ReDoc pages (which load from a CDN) are off; ``/openapi.json`` stays.
* A bad parameter is the user's mistake: validation errors and :class:`CrewparityError` answer 400 with the
  message, never 500.
* The API returns exactly the CLI's ``--format json`` (or ``csv``) bytes, through :mod:`crewparity.output`,
  so a downloaded table, a CLI export and the API agree (and CSV cells that look like formulas are
  neutralised there).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, quote_plus, unquote, unquote_plus, urlencode

import pyarrow as pa
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from crewparity import __version__
from crewparity.errors import ArgumentError, CrewparityError, StoreError
from crewparity.metrics.compare import command as compare_command
from crewparity.metrics.credits import empty_words
from crewparity.metrics.distribution import check_part
from crewparity.metrics.empty import uncredited_roles
from crewparity.metrics.episodes import (
    excluded_series_words,
    left_out_excluded,
    left_out_for_unknowns,
    left_out_unnumbered,
    listed_before_limit,
)
from crewparity.metrics.roles import dga_best_share, dga_min_episodes, small_group_threshold
from crewparity.metrics.samples import SAMPLE_FORMS
from crewparity.output import format_cell, to_csv, to_json, to_json_tables
from crewparity.report import charts
from crewparity.report.overview import sentence
from crewparity.report.seasons_svg import seasons_svg
from crewparity.web.cache import Memo
from crewparity.web.holder import StoreHolder

HERE = Path(__file__).resolve().parent
API_FORMATS = ("json", "csv")
#: the overview's kind for "every kind" (what --kind all means: parse_kinds)
EVERY_KIND = ("all", "any")
#: the season lists' default --min-episodes, one value for the CLI, the API, the dashboard and the report
MIN_EPISODES = dga_min_episodes()
#: Only this server may be contacted, and no script runs at all (the pages have none).
CSP = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")

# Query parameters shared by the endpoints (module level: FastAPI resolves these annotations by name).
Fmt = Annotated[str, Query(description="json (the CLI's --format json) or csv.", pattern="^(json|csv)$")]
From = Annotated[int | None, Query(alias="from", description="First year (--from).", ge=1870, le=2100)]
To = Annotated[int | None, Query(alias="to", description="Last year (--to).", ge=1870, le=2100)]
SeasonYear = Annotated[str, Query(description="start or end (--season-year): the calendar year a TV season such as "
                                  "2016-17 is compared with (2016 or 2017); plain-year studies are unaffected.")]


#: the samples the dashboard takes, in the words of the CLI's SAMPLE_FORMS (list:FILE would read a file on the server)
WEB_SAMPLE_FORMS = "all or top:N (N titles per year by votes); list:FILE (a file of title ids) is the CLI's"


# ----------------------------------------------------------------------------------------- helpers
#: the installed package's folder, as it is written in messages that name a bundled file (data/roles.toml)
_PACKAGE_DIRS = tuple(dict.fromkeys(str(d) + os.sep for d in (HERE.parent, Path(__file__).parent.parent)))


def public_message(exc: CrewparityError) -> str:
    """An error's message for a page or the JSON API: the CLI's line, with a bundled data file named from the
    package ("crewparity/data/roles.toml") rather than by the folder it is installed in on this machine.

    Why: an unknown role's message ends "(aliases in /home/.../site-packages/crewparity/data/roles.toml)"; the
    CLI keeps that (a user can open the file), but on a web page a server path is noise."""
    text = getattr(exc, "cli_message", None) or str(exc)  # the CLI's wording, not the Python API's names
    for folder in _PACKAGE_DIRS:
        text = text.replace(folder, "crewparity" + os.sep)
    # the dashboard refuses list:FILE (_check_sample): a bad sample's "allowed" offers what it takes
    return text.replace(SAMPLE_FORMS, WEB_SAMPLE_FORMS)


def _check_sample(sample: str | None) -> str | None:
    """The web never reads files on the server: ``list:FILE`` is a CLI/API-only sample."""
    if sample is not None and sample.strip().lower().startswith("list"):
        raise ArgumentError("sample list:FILE reads a file and is not available in the dashboard; "
                            "use all or top:N (or the CLI for your own list)")
    if sample is not None and not sample.strip():
        return None
    return sample


#: the response header that carries, one each, the notes the CLI prints on stderr and writes into a file's
#: description (a short top:N sample, a role without credited titles): the body is what the CLI prints, rows only
NOTE_HEADER = "Crewparity-Note"


def with_notes(response: Response, notes: list[str | None]) -> Response:
    """``response`` with a :data:`NOTE_HEADER` for each of ``notes`` (None: nothing to say). Why: a download of a
    figure passed on without what the CLI says beside it (a blank share_no_woman with no word of why, "top 250"
    over 40 titles) reads as a missing figure or the study's sample. A header value is Latin-1: any other
    character is escaped (the notes are ASCII; a role or year never is otherwise)."""
    for note in notes:
        if note:
            one_line = " ".join(note.split())  # a header value cannot hold a line break
            response.headers.append(NOTE_HEADER, one_line.encode("latin-1", "backslashreplace").decode("latin-1"))
    return response


def _table_response(table: pa.Table, fmt: str, filename: str, notes: list[str | None] | None = None) -> Response:
    if fmt not in API_FORMATS:
        raise ArgumentError(f"unknown format {fmt!r}; allowed: {', '.join(API_FORMATS)}")
    if fmt == "csv":
        return with_notes(Response(to_csv(table), media_type="text/csv; charset=utf-8",
                                   headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'}),
                          notes or [])
    return with_notes(Response(to_json(table), media_type="application/json"), notes or [])


def download_name(*parts: Any) -> str:
    """A CSV download's file name from what its table holds ("share", "by", "year,role" -> "share-by-year-role"):
    lower case letters, digits and _ only, joined by "-". Why: a page's two tables both saved as share.csv."""
    words = [re.sub(r"[^a-z0-9_]+", "-", str(p).lower()).strip("-") for p in parts if p not in (None, "", False)]
    return "-".join(w for w in words if w)[:120] or "table"


def _urlencode_params(params: dict[str, Any], **extra: Any) -> str:
    merged = {k: v for k, v in {**params, **extra}.items() if v is not None and v is not False and v != ""}
    return urlencode({k: ("true" if v is True else v) for k, v in merged.items()})


def _rows(table: pa.Table | None) -> list[dict[str, Any]]:
    return table.to_pylist() if table is not None else []


def drop_blank_params(query_string: bytes) -> bytes:
    """A query string without its empty parameters (``from=&to=&unit=titles`` -> ``unit=titles``): an empty value
    means "not set", the parameter's default, as if it had not been sent.

    Why: the pages have no JavaScript, so a form sends every field, a blank one included; without this, any
    form left with a field blank answered 400 ("from: Input should be a valid integer", "--roles is empty").
    The raw bytes of every other parameter are kept as they came, so a non-empty bad value still gets its 400."""
    if not query_string:
        return query_string
    kept = [pair for pair in query_string.split(b"&")
            if pair and unquote_plus(pair.partition(b"=")[2].decode("latin-1")).strip()]
    return b"&".join(kept)


def _stripped_pair(pair: bytes) -> bytes:
    """One ``name=value`` pair with the whitespace around its value taken off (``unit=+titles+`` -> ``unit=titles``);
    a pair without any is kept byte for byte."""
    name, eq, raw = pair.partition(b"=")
    value = unquote_plus(raw.decode("latin-1"), encoding="utf-8", errors="surrogateescape")
    if value == value.strip():
        return pair
    return name + eq + quote_plus(value.strip(), encoding="utf-8", errors="surrogateescape").encode("ascii")


def tidy_params(query_string: bytes) -> bytes:
    """The query string every route reads: blank parameters dropped (:func:`drop_blank_params`) and the whitespace
    around every other value taken off, so " titles " is titles for every parameter of every route.

    Why: a value pasted with a space around it was taken by some parameters (``kind``, ``study``, whose metrics
    strip it) and refused by others (``unit``, ``codirected``, ``format``: "format: json or csv, not ' csv '"); done
    here, before FastAPI reads any parameter, it is one rule for all of them, those to come included."""
    kept = drop_blank_params(query_string)
    return b"&".join(_stripped_pair(pair) for pair in kept.split(b"&")) if kept else kept


def tidy_path(scope: Any) -> Any:
    """``scope`` with the whitespace around each segment of its path taken off (``/series/%20tt0300001%20`` is
    ``/series/tt0300001``): a path parameter (a series' id) is a parameter too, and it was echoed with its spaces
    into the page's form, links and CLI line. ``scope`` itself when there is nothing to take off."""
    path = scope.get("path", "")
    segments = path.split("/")
    if all(seg == seg.strip() for seg in segments):
        return scope
    raw = scope.get("raw_path") or path.encode("utf-8")
    raw_segments = [seg if unquote(seg.decode("latin-1")) == unquote(seg.decode("latin-1")).strip()
                    else quote(unquote(seg.decode("latin-1")).strip()).encode("ascii") for seg in raw.split(b"/")]
    return {**scope, "path": "/".join(seg.strip() for seg in segments), "raw_path": b"/".join(raw_segments)}


class BlankParamsMiddleware:
    """Applies :func:`tidy_params` and :func:`tidy_path` to every request, pages and API alike, before FastAPI reads
    a parameter: one rule for every parameter of every route."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") == "http":
            scope = tidy_path(scope)
            if scope.get("query_string"):
                scope = {**scope, "query_string": tidy_params(scope["query_string"])}
        await self.app(scope, receive, send)


class HeadMiddleware:
    """Answers HEAD on every GET route as GET would, headers (Content-Length included) without the body.

    Why: FastAPI's routes take only the methods they are declared with, so ``curl -I``, a link checker or a proxy
    asking HEAD got 405 from every page and API route (the static files and /openapi.json, plain Starlette routes,
    answered it). One place for every route, those to come included, rather than ``methods=["GET", "HEAD"]`` on
    each (which would also list a HEAD operation per endpoint in /openapi.json)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Any) -> None:
            if message.get("type") == "http.response.body":
                if message.get("more_body", False):
                    return  # the body's parts are not sent; the last (empty) one ends the response
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


def series_of_episode(message: str) -> dict[str, str] | None:
    """The series an "is an episode of ..., not a series" message names (find_series), as {"id", "name"}, for a link
    to its page; None for any other message. Why: the page said "give the series: crewparity series tt0300001", a
    command for a terminal, to a reader who had pasted an episode's id into the search."""
    found = re.search(r"give the series: crewparity series (\S+)$", message)
    if found is None:
        return None
    sid = found.group(1)
    named = re.search(r" of (.+) \(" + re.escape(sid) + r"\), not a series;", message)
    return {"id": sid, "name": f"{named.group(1)} ({sid})" if named else sid}


def _blank(value: int | None) -> int | str:
    """A form field's value: the number, or an empty field for "not set" (0 would be a value)."""
    return "" if value is None else value


def _split(text: str | None) -> list[str] | None:
    if text is None:
        return None
    items = [t.strip() for t in text.split(",") if t.strip()]
    return items or None


#: the overview's units (its Unit select)
UNITS = ("people", "credits", "titles")
#: what FastAPI reads as true in a bool query parameter (the rankings' all_series)
_TRUE = {"true", "1", "yes", "on", "t", "y"}


def form_context(path: str, query: Any) -> dict[str, Any]:
    """The filter form of the page ``path``, filled with the values the request sent (``query``: its query
    parameters, blank ones already dropped), for the page's 400: the reader corrects the one bad field instead
    of typing every other again. {} for a path without a form (the API, the method page).

    Why: a 400 page showed the message and a link to the overview; the roles, years and sample just entered
    were gone."""
    def sent(name: str, default: Any = "") -> Any:
        return query.get(name, default)

    if path == "/":
        kind = str(sent("kind", "movie"))
        return {"form_template": "_form_overview.html", "page": "overview", "kinds": _kind_choices(), "units": UNITS,
                "form": {"roles": sent("roles"), "kind": "all" if kind.strip().lower() in EVERY_KIND else kind,
                         "from": sent("from"), "to": sent("to"), "sample": sent("sample"), "unit": sent("unit", "people")}}
    if path == "/compare":
        from crewparity.metrics.roles import studies
        from crewparity.metrics.roles import study as find_study

        study = str(sent("study")) or _first_study()
        try:
            study = find_study(study).key  # an alias selects its study, as on the page
        except CrewparityError:
            pass  # an unknown study: the form shows it as sent (the message lists those there are)
        return {"form_template": "_form_compare.html", "page": "compare", "studies": studies(), "study": study,
                "form": {"from": sent("from"), "to": sent("to")}, "season_year": sent("season_year", "start")}
    if path == "/rankings":
        return {"form_template": "_form_rankings.html", "page": "rankings",
                "form": {"from": sent("from"), "to": sent("to"), "min_episodes": sent("min_episodes", MIN_EPISODES),
                         "limit": sent("limit", 50), "all_series": str(sent("all_series")).lower() in _TRUE}}
    if path.startswith("/credits/"):
        return {"form_template": "_form_credits.html", "page": "",
                "title_id": unquote(path[len("/credits/"):]),
                "form": {"season": sent("season"), "roles": sent("roles")}}
    if path == "/series" or path.startswith("/series/"):
        return {"form_template": "_form_series_search.html", "page": "series",
                "query": sent("query") if path == "/series" else unquote(path[len("/series/"):])}
    return {}


def year_grid(rows: list[dict[str, Any]], role_order: Iterable[str], unit: str,
              small_n: int) -> tuple[list[str], list[dict[str, Any]]]:
    """The overview's year-by-year table as a journalist reads it: one row per year, the latest first, and one column
    per role (``role_order`` first, as the headline has them) holding the estimate (share_expected), a cell's counts,
    95% interval and small flag in its ``title`` (the full table of counts stays below it, and in the downloads).

    Why: the CLI's shape, one row per year and role with fifteen columns, was ~820 rows on a synthetic store (every
    year x six roles), too long to find a year's figures in or to compare roles; the CSV keeps that shape.
    Returns the roles (the columns) and per year {"year": its label, "cells": [{"text", "title", "small"}]}."""
    from crewparity.report.overview import counts_text

    seen = list(dict.fromkeys(r.get("role") for r in rows))
    roles = [r for r in dict.fromkeys([*role_order, *seen]) if r in seen]
    index = {(r.get("year"), r.get("role")): r for r in rows}
    years = list(dict.fromkeys(r.get("year") for r in rows))
    years = sorted((y for y in years if y is not None), reverse=True) + [y for y in years if y is None]
    grid = []
    for year in years:
        label = format_cell(year, "year")
        cells = []
        for role in roles:
            row = index.get((year, role))
            if row is None:
                cells.append({"text": "", "title": f"{label}, {role}: nothing counted", "small": False})
                continue
            title = f"{label}, {counts_text(row, unit)}"
            low, high = format_cell(row.get("ci_low"), "ci_low"), format_cell(row.get("ci_high"), "ci_high")
            if low and high:
                title += f"; 95% interval {low}–{high}"
            if row.get("small"):
                title += f"; small: fewer than {small_n} counted, read with care"
            cells.append({"text": format_cell(row.get("share_expected"), "share_expected") or "—", "title": title,
                          "small": bool(row.get("small"))})
        grid.append({"year": label, "cells": cells})
    return [str(r) for r in roles], grid


#: how many years the overview's year-by-year grid shows before "Earlier years" (the rest, folded)
RECENT_YEARS = 20


def split_years(years: list[dict[str, Any]], recent: int = RECENT_YEARS) -> dict[str, Any]:
    """:func:`year_grid`'s rows as the page shows them: the ``recent`` latest years, and the earlier ones (folded
    under "Earlier years: 1874–2003, 117 years"). Why: a synthetic store's 137 years were still 137 rows to scroll
    past for the figures a reader looks up most, the latest; the chart above shows the whole span at a glance."""
    shown, rest = years[:recent], years[recent:]
    dated = [y["year"] for y in rest if y["year"] != format_cell(None, "year")]
    span = f"{dated[-1]}–{dated[0]}" if len(dated) > 1 else (dated[0] if dated else format_cell(None, "year"))
    return {"recent": shown, "earlier": rest,
            "earlier_words": f"{span}, {len(rest)} {'row' if len(rest) == 1 else 'rows'}" if rest else ""}


#: the comparison's columns of long text per row (a role set, a caveat, a sample's words): a cell longer than :data:`FOLD_AT`
#: characters shows its first words and opens to the whole text (a <details>, no JavaScript)
FOLDED_COLUMNS = ("role", "caveat", "published_sample", "crewparity_sample")
FOLD_AT = 40


def fold(text: Any, at: int = FOLD_AT, *, items: bool = False) -> dict[str, str] | None:
    """A long cell as {"preview": its first words and "…", "text": all of it}; None for a cell short enough to show
    whole. Why: the comparison's caveats ("this year the store has only 4 movie titles with IMDb votes, fewer than
    their 250") and samples wrapped to four or five lines in their columns, so every row was 80-120 px tall and the
    table could not be scanned down its figures, on a laptop or at 390 px; folded, a row is one line."""
    if not isinstance(text, str) or len(text) <= at:
        return None
    words, preview = text.split(), ""
    for word in words:
        if preview and len(preview) + 1 + len(word) > at - 12:
            break
        preview = f"{preview} {word}" if preview else word
    preview = preview.rstrip(",;:") + "…"
    if items:  # a role set: how many, so two sets that start alike are told apart ("6 roles: director, writer…")
        preview = f"{len(text.split(','))} roles: {preview}"
    return {"preview": preview, "text": text}


# ---------------------------------------------------------------------------------------- the app
def _overview_commands(db: str | os.PathLike[str], roles: str | None, kind: str | None, year_from: int | None,
                       year_to: int | None, sample: str | None, unit: str | None) -> dict[str, str]:
    """The CLI lines that print the overview's two tables (the headline by role, the years by year and role), as
    the CLI prints one under each table: a figure seen on the page can be reproduced and cited."""
    from crewparity.output import command_line

    common = (("--roles", roles), ("--kind", kind), ("--from", year_from), ("--to", year_to),
              ("--sample", sample if sample not in (None, "all") else None),
              ("--unit", unit if unit not in (None, "people") else None), ("--db", os.fspath(db)))
    return {"headline": command_line("share", ("--by", "role"), *common),
            "trend": command_line("share", ("--by", "year,role"), *common)}


def _series_commands(db: str | os.PathLike[str], series_id: str, codirected: str,
                     include_pilots: bool) -> dict[str, str]:
    """The CLI lines behind the series page's two tables: the seasons and the episodes with their directors."""
    from crewparity.output import command_line

    tail = (("--include-pilots", include_pilots), ("--db", os.fspath(db)))
    return {"seasons": command_line("series", series_id,
                                    ("--codirected", codirected if codirected != "any" else None), *tail),
            "episodes": command_line("series", series_id, ("--episodes", True), *tail)}


def _rankings_commands(db: str | os.PathLike[str], year_from: int | None, year_to: int | None, min_episodes: int,
                       limit: int, all_series: bool = False) -> dict[str, str]:
    """The CLI lines behind the rankings page: each list, and the seasons left out of it for unknowns."""
    from crewparity.output import command_line

    def line(rank: str, undecided: bool) -> str:
        return command_line("series", ("--rank", rank), ("--from", year_from), ("--to", year_to),
                            ("--min-episodes", min_episodes if min_episodes != MIN_EPISODES else None),
                            ("--limit", None if undecided else limit), ("--undecided", undecided),
                            ("--all-series", all_series), ("--db", os.fspath(db)))

    return {f"{rank}{'_undecided' if undecided else ''}": line(rank, undecided)
            for rank in ("best", "worst") for undecided in (False, True)}


def _credits_command(db: str | os.PathLike[str], title_id: str, season: int | None, roles: str | None) -> str:
    """The CLI line that prints the credits page's table (``crewparity credits``)."""
    from crewparity.output import command_line

    return command_line("credits", title_id, ("--season", season), ("--roles", roles), ("--db", os.fspath(db)))


class TitleNotFound(ArgumentError):
    """No title with the id (or name) a credits address names: the page's and the API's 404."""


def _find_title(cp: Any, title_id: str) -> Any:
    """The title ``title_id`` names (:func:`crewparity.metrics.credits.find_title`); none: :class:`TitleNotFound`
    with the CLI's message (a name that matches several titles stays the 400 that lists them)."""
    from crewparity.metrics.credits import find_title

    try:
        return find_title(cp.store, title_id)
    except ArgumentError as err:
        if str(err).startswith("no title"):
            raise TitleNotFound(str(err)) from None
        raise


def _method_command(db: str | os.PathLike[str]) -> str:
    """The method page's tables have no command of their own: the report's Method section is this page."""
    from crewparity.output import command_line

    return command_line("report", ("-o", "report.html"), ("--db", os.fspath(db)))


def _parameter_problem(err: Any) -> str:
    """One validation error in the words of the form a user filled in ("from: a whole number, not 'abc'"), not
    pydantic's ("Input should be a valid integer, unable to parse string as an integer")."""
    loc = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path"))
    kind, ctx, given = err.get("type", ""), err.get("ctx") or {}, err.get("input")
    if kind == "int_parsing":
        said = f"a whole number, not {given!r}"
    elif kind == "bool_parsing":
        said = f"true or false, not {given!r}"
    elif kind == "string_pattern_mismatch" and (one_of := re.fullmatch(r"\^\(([\w|]+)\)\$", str(ctx.get("pattern")))):
        choices = one_of.group(1).split("|")  # a pattern "^(json|csv)$" is a choice: "json or csv"
        said = f"{', '.join(choices[:-1])} or {choices[-1]}, not {given!r}"
    elif kind == "missing":
        said = "missing (give one)"
    elif kind == "greater_than_equal":
        said = f"at least {ctx.get('ge')}, not {given}"
    elif kind == "less_than_equal":
        said = f"at most {ctx.get('le')}, not {given}"
    else:
        said = str(err.get("msg", "invalid"))
    return f"{loc}: {said}" if loc else said


def create_app(db_path: str | os.PathLike[str], *, warm: bool = False) -> FastAPI:
    """The dashboard for one store file (opened read-only, reopened when an ingest replaces it).

    ``warm=True`` computes the default pages in a background thread at start-up and after every store swap,
    so the first visitor does not wait for full-scale queries (``crewparity serve`` turns it on).
    """
    holder = StoreHolder(db_path)
    memo: Memo[Any] = Memo()
    app = FastAPI(
        title="crewparity",
        version=__version__,
        description="Gender-parity figures for film and TV crews, read-only. Every endpoint takes the CLI's options "
        "as query parameters and returns the CLI's JSON (format=json) or CSV (format=csv).",
        docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None,
    )
    app.state.holder = holder
    app.add_middleware(BlankParamsMiddleware)
    app.add_middleware(HeadMiddleware)  # outermost: every route and middleware under it sees a GET

    @app.middleware("http")
    async def _headers(request: Request, call_next: Callable[[Request], Any]) -> Response:
        """A second line behind "we link to nothing": the browser itself refuses any other origin."""
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if response.headers.get("content-type", "").startswith("text/html"):
            # Back and Forward load a page afresh: kept whole in a browser's back/forward cache, a page comes back
            # with what was typed into its form before leaving, above figures of another selection (no-store has long
            # kept a page out of it; Chromium 150 may keep one after a form was sent from it: no fix without JavaScript)
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(["html", "xml"], default=True))
    env.filters["cell"] = lambda v, c="": format_cell(v, c)
    env.filters["urlencode_params"] = _urlencode_params
    env.filters["sentence"] = sentence

    def page(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        ctx.setdefault("error", None)
        html = env.get_template(template).render(
            root="", static_prefix="", version=__version__, store_name=holder.path.name, request=request, **ctx)
        return HTMLResponse(html, status_code=status)

    def cached(name: str, key: tuple[Any, ...], compute: Callable[[Any], Any]) -> Any:
        """``compute(client)`` once per store generation and key; later requests get the remembered result."""
        generation = holder.current()

        def make() -> Any:
            with holder.client() as cp:
                return compute(cp)

        return memo.get((generation, name, *key), make)

    def svg(key: tuple[Any, ...], make_chart: Callable[[], Any]) -> str:
        return str(memo.get((holder.generation, "svg", *key), lambda: charts.inline_svg(make_chart())))

    def warm_defaults(generation: int) -> None:
        """The pages a visitor opens first, computed ahead (errors are the visitor's to see, not the log's)."""
        memo.drop_older(generation)
        jobs: list[Callable[[], Any]] = [
            lambda: overview_cached(None, "movie", None, None, None, "people"),
            lambda: rankings_cached(None, None, MIN_EPISODES, 50, False),
            lambda: cached("method", (), _method),
            lambda: compare_cached(_first_study()),
        ]
        for job in jobs:
            if holder.closing or holder.generation != generation:
                return  # shutting down, or a newer store is being warmed by its own thread
            try:
                job()
            except Exception:  # noqa: BLE001 - a warm-up failure must not stop the server
                logging.getLogger("crewparity.web").debug("warm-up step failed", exc_info=True)

    def start_warming(generation: int) -> None:
        threading.Thread(target=warm_defaults, args=(generation,), name="crewparity-warm", daemon=True).start()

    def overview_cached(roles: str | None, kind: str | None, year_from: int | None, year_to: int | None,
                        sample: str | None, unit: str | None) -> Any:
        from crewparity.report.overview import overview_data

        data = cached("overview", (roles, kind, year_from, year_to, sample, unit),
                      lambda cp: overview_data(cp, roles=roles, kind=kind, year_from=year_from, year_to=year_to,
                                               sample=sample, unit=unit))
        if not data.empty:
            # "the 250 titles of each year with the most IMDb votes" over a year of 16 says so, as the CLI's note,
            # the report and the charts do (short_top_words); an empty selection says why it is empty instead
            short = cached("short-top", (kind, year_from, year_to, sample), lambda cp: _short_top(
                cp, sample=sample, kind=kind, year_from=year_from, year_to=year_to))
            if short:
                data = replace(data, short_top=sentence(short))
        if not data.draws_trend:
            return data, None  # the page shows no chart (it says why): rendering one would cost ~0.1 s for nothing
        chart = svg(("trend", roles, kind, year_from, year_to, sample, unit),
                    lambda: charts.trend_chart(data.trend, title=data.title, unit=data.unit))
        return data, chart

    def compare_cached(key: str, year_from: int | None = None, year_to: int | None = None,
                       season_year: str = "start") -> Any:
        table = cached("compare", (key, year_from, year_to, season_year),
                       lambda cp: _compare(cp, key, year_from, year_to, season_year))
        return table, svg(("compare", key, year_from, year_to, season_year), lambda: charts.compare_chart(table))

    def rankings_cached(year_from: int | None, year_to: int | None, min_episodes: int, limit: int,
                        all_series: bool) -> Any:
        return cached("rankings", (year_from, year_to, min_episodes, limit, all_series), lambda cp: tuple(
            cp.series_rank(rank, year_from=year_from, year_to=year_to, min_episodes=min_episodes, limit=limit,
                           all_series=all_series) for rank in ("best", "worst")))

    if warm:
        # Import and start the chart engine here, on the main thread: two threads importing altair (and
        # pandas under it) at once can see a half-initialised module.
        import crewparity.report.method  # noqa: F401
        import crewparity.report.overview  # noqa: F401

        charts.warm_up()
        holder.on_reopen = start_warming
        start_warming(holder.generation)

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/api"

    # -- errors: the user's mistakes are 400 with a message, never 500 --------------------------------
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        message = "bad parameter: " + "; ".join(_parameter_problem(err) for err in exc.errors())
        if is_api(request):
            return JSONResponse({"error": message}, status_code=400)
        return page(request, "error.html", status=400, error=message,
                    **{"page": "", **form_context(request.url.path, request.query_params)})

    @app.exception_handler(CrewparityError)
    async def _crewparity(request: Request, exc: CrewparityError) -> Response:
        status = 503 if isinstance(exc, StoreError) else 404 if isinstance(exc, TitleNotFound) else 400
        message = public_message(exc)
        if is_api(request):
            return JSONResponse({"error": message}, status_code=status)
        if status == 404:  # an unknown title: no parameter to change, the pages there are
            return page(request, "error.html", status=404, page="", not_found=True, error=message)
        form = form_context(request.url.path, request.query_params) if status == 400 else {}
        return page(request, "error.html", status=status, error=message, series_of_episode=series_of_episode(message),
                    unavailable=status == 503, **{"page": "", **form})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if is_api(request) or exc.status_code == 405:
            return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code)
        if exc.status_code == 404:  # an address with no page: no parameter to change, the pages there are
            return page(request, "error.html", status=404, page="", not_found=True,
                        error=f"There is no page at {request.url.path}.")
        return page(request, "error.html", status=exc.status_code, page="", error=str(exc.detail))

    # -- the API --------------------------------------------------------------------------------------

    @app.get("/api/share", tags=["metrics"], summary="Women's share by group (crewparity share)")
    def api_share(
        roles: Annotated[str | None, Query(description="Comma-separated roles (--roles); default the key roles.")] = None,
        by: Annotated[str | None, Query(description="Comma-separated grouping (--by): year, decade, genre, kind, "
                                        "title, role.")] = None,
        kind: Annotated[str | None, Query(description="Comma-separated title kinds (--kind).")] = None,
        year_from: From = None,
        year_to: To = None,
        sample: Annotated[str | None, Query(description="all or top:N (--sample).")] = None,
        unit: Annotated[str | None, Query(description="credits, people, titles (--unit).")] = None,
        format: Fmt = "json",  # noqa: A002 - the CLI's option name
    ) -> Response:
        sample = _check_sample(sample)
        table = cached("share", (roles, by, kind, year_from, year_to, sample, unit), lambda cp: _share(
            cp, roles=roles, by=by, kind=kind, year_from=year_from, year_to=year_to, sample=sample, unit=unit))
        # a top:N sample short of N in some years: said as share -o FILE says it in the file
        short = cached("short-top", (kind, year_from, year_to, sample), lambda cp: _short_top(
            cp, sample=sample, kind=kind, year_from=year_from, year_to=year_to)) if table.num_rows else None
        return _table_response(table, format, download_name("share", "by" if by else None, by), [short])

    @app.get("/api/series", tags=["metrics"], summary="Episodes by director gender per season (crewparity series)")
    def api_series(
        query: Annotated[str | None, Query(description="Series title (part of it) or IMDb id (QUERY).")] = None,
        season: Annotated[int | None, Query(description="Only this season (--season).", ge=0, le=10000)] = None,
        codirected: Annotated[str, Query(description="any or fractional (--codirected).")] = "any",
        episodes: Annotated[bool, Query(description="Every episode with its directors (--episodes).")] = False,
        rank: Annotated[str | None, Query(description="best or worst (--rank), without query.")] = None,
        year_from: From = None,
        year_to: To = None,
        min_episodes: Annotated[int | None, Query(description="With rank: leave out shorter seasons "
                                                  f"(--min-episodes; default {MIN_EPISODES}, dga.min_episodes in "
                                                  "the rules file).", ge=1)] = None,
        limit: Annotated[int | None, Query(description="With rank: at most this many rows.", ge=1, le=100000)] = None,
        undecided: Annotated[bool, Query(description="With rank: instead of the list, the seasons left out of it "
                                         "only because of unknowns (directors of unknown gender, episodes "
                                         "without a director credit), with could_be_women "
                                         "(--undecided).")] = False,
        all_series: Annotated[bool, Query(description="With rank: keep the unscripted and adult series that "
                                          "compare dga, and so the lists, leave out (--all-series).")] = False,
        include_pilots: Annotated[bool, Query(
            description="Keep pilots and specials (season 0) (--include-pilots).")] = False,
        format: Fmt = "json",  # noqa: A002
    ) -> Response:
        if rank is None and not query:
            raise ArgumentError("give query (a series title or IMDb id), or rank=best|worst")
        if undecided and rank is None:
            raise ArgumentError("undecided needs rank=best|worst")
        if rank is not None and query:
            raise ArgumentError("rank lists every series; leave out query (or drop rank)")
        if episodes and rank is not None:
            raise ArgumentError("episodes lists one series' episodes; it does not go with rank")
        # As the CLI refuses them: options a ranking alone reads, sent with a query, were silently ignored, so
        # query=X&from=2020 answered every season of X as if it were 2020's.
        if rank is None:
            only_rank = [name for name, value in (("from", year_from), ("to", year_to),
                                                  ("min_episodes", min_episodes), ("limit", limit),
                                                  ("all_series", all_series or None)) if value is not None]
            if only_rank:
                raise ArgumentError(f"{' and '.join(only_rank)} need{'s' if len(only_rank) == 1 else ''} "
                                    "rank=best|worst")
        if season is not None and rank is not None:
            raise ArgumentError("season picks a season of one series; it does not go with rank")
        if episodes and codirected != "any":
            raise ArgumentError("codirected counts the seasons; episodes lists each episode's directors instead")
        if rank is not None:
            table = cached("rank", (rank, year_from, year_to, min_episodes, codirected, include_pilots, limit,
                                    undecided, all_series),
                           lambda cp: cp.series_rank(rank, year_from=year_from, year_to=year_to,
                                                     min_episodes=min_episodes, codirected=codirected,
                                                     include_pilots=include_pilots, limit=limit,
                                                     undecided=undecided, all_series=all_series))
        elif episodes:
            table = cached("episodes", (query, season, include_pilots), lambda cp: cp.series_episodes(
                query or "", season=season, include_pilots=include_pilots))
        else:
            table = cached("series", (query, season, codirected, include_pilots), lambda cp: cp.series(
                query or "", season=season, codirected=codirected, include_pilots=include_pilots))
        name = (download_name("series", "rank", rank, "undecided" if undecided else None) if rank is not None else
                download_name("series", query, f"season-{season}" if season is not None else None,
                              "episodes" if episodes else None))
        return _table_response(table, format, name)

    @app.get("/api/distribution", tags=["metrics"], summary="Titles by number of women (crewparity distribution)")
    def api_distribution(
        roles: Annotated[str | None, Query(description="Comma-separated roles (--roles).")] = None,
        kind: Annotated[str | None, Query(description="Comma-separated title kinds (--kind).")] = None,
        year_from: From = None,
        year_to: To = None,
        sample: Annotated[str | None, Query(description="all or top:N (--sample).")] = None,
        by: Annotated[str | None, Query(description="none or year (--by).")] = None,
        part: Annotated[str, Query(description="buckets (titles by number of women), roles (titles with no woman "
                                   "per role) or both (--part; json only: one object, {\"buckets\": [...], "
                                   "\"roles\": [...]}).")] = "buckets",
        format: Fmt = "json",  # noqa: A002
    ) -> Response:
        sample = _check_sample(sample)
        check_part(part, format)  # the CLI's check and message, before any work

        def one(name: str) -> pa.Table:
            return cached(f"distribution-{name}", (roles, kind, year_from, year_to, sample, by), lambda cp: _distribution(
                cp, name, roles=roles, kind=kind, year_from=year_from, year_to=year_to, sample=sample, by=by))

        # what the CLI says on stderr and writes into a file's description: the years a top:N sample holds fewer
        # than N titles, and the roles (or, by year, the years) with no credited title, whose share is blank
        tables = {name: one(name) for name in (("buckets", "roles") if part == "both" else (part,))}
        empty = all(t.num_rows == 0 for t in tables.values())
        short = None if empty else cached("short-top", (kind, year_from, year_to, sample), lambda cp: _short_top(
            cp, sample=sample, kind=kind, year_from=year_from, year_to=year_to))
        notes = [short, uncredited_roles(tables.get("roles"))]
        if part == "both":
            return with_notes(Response(to_json_tables(tables), media_type="application/json"), notes)
        return _table_response(tables[part], format, "distribution" if part == "buckets" else "distribution-roles",
                               notes)

    @app.get("/api/compare", tags=["metrics"], summary="Our estimate beside a study's published figures")
    def api_compare(
        study: Annotated[str, Query(description="Study key (celluloid_ceiling, boxed_in, dga, usc_annenberg).")],
        year_from: From = None,
        year_to: To = None,
        season_year: SeasonYear = "start",
        format: Fmt = "json",  # noqa: A002
    ) -> Response:
        table = cached("compare", (study, year_from, year_to, season_year),
                       lambda cp: _compare(cp, study, year_from, year_to, season_year))
        return _table_response(table, format, download_name("compare", study))

    @app.get("/api/sources", tags=["method"], summary="Sources loaded into the store and when")
    def api_sources(format: Fmt = "json") -> Response:  # noqa: A002
        from crewparity.report.method import sources_table

        table = cached("sources", (), lambda cp: sources_table(cp.store))
        return _table_response(table, format, "sources")

    @app.get("/api/evidence", tags=["method"], summary="People per gender source: recorded, inferred, unknown")
    def api_evidence(format: Fmt = "json") -> Response:  # noqa: A002
        table = cached("evidence", (), lambda cp: cp.evidence_summary())
        return _table_response(table, format, "evidence")

    def credits_cached(title_id: str, season: int | None, roles: str | None) -> tuple[Any, pa.Table]:
        """The title ``title_id`` names and its credits table (``crewparity credits``); roles checked first, as the
        CLI names a typo before it opens the store."""
        from crewparity.metrics.credits import credit_roles

        credit_roles(roles)
        title = cached("credits-title", (title_id,), lambda cp: _find_title(cp, title_id))
        table = cached("credits", (title.title_id, season, roles),
                       lambda cp: cp.credits(title.title_id, season=season, roles=roles))
        return title, table

    @app.get("/api/credits/{title_id}", tags=["metrics"],
             summary="A title's credits, person by person, with each gender and how it is known (crewparity credits)")
    def api_credits(
        title_id: str,
        season: Annotated[int | None, Query(description="A series: only this season's episodes (--season).", ge=0,
                                            le=10000)] = None,
        roles: Annotated[str | None, Query(description="Comma-separated roles (--roles); default the key roles, "
                                           "all: every crew role.")] = None,
        format: Fmt = "json",  # noqa: A002
    ) -> Response:
        title, table = credits_cached(title_id, season, roles)
        # an empty table: why, as the CLI says it on stderr
        note = empty_words(title.label(), season, roles) if table.num_rows == 0 else None
        name = download_name("credits", title.title_id, f"season-{season}" if season is not None else None)
        return _table_response(table, format, name, [note])

    # -- pages ----------------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(
        request: Request,
        roles: str | None = None,
        kind: str | None = "movie",
        year_from: From = None,
        year_to: To = None,
        sample: str | None = None,
        unit: str | None = "people",
    ) -> HTMLResponse:
        sample = _check_sample(sample)
        # "every kind" is kind=all (an empty kind, like every empty field, is the default: movie)
        every_kind = kind is not None and kind.strip().lower() in EVERY_KIND
        kind = None if every_kind else kind
        params = {"roles": roles, "by": "year,role", "kind": kind, "from": year_from, "to": year_to,
                  "sample": sample, "unit": unit}
        data, chart = overview_cached(roles, kind, year_from, year_to, sample, unit)
        # what "(small group)" and the table's small mean, as the CLI says under its table: only when one is shown
        small_rows = "small" in data.trend.column_names and any(data.trend.column("small").to_pylist())
        trend_rows = data.trend.to_pylist()
        grid_roles, years = year_grid(trend_rows, [f.role for f in data.figures], data.unit, small_group_threshold())
        grid = split_years(years) if years else None
        return page(request, "overview.html", page="overview", data=data, chart=chart, params=params,
                    small_n=small_group_threshold(), small_figures=any(f.small for f in data.figures),
                    small_rows=small_rows, trend_rows=trend_rows, grid_roles=grid_roles, grid=grid,
                    commands=_overview_commands(db_path, roles, kind, year_from, year_to, sample, unit),
                    form={"roles": roles or "", "kind": "all" if every_kind else kind or "",
                          "from": _blank(year_from), "to": _blank(year_to), "sample": sample or "",
                          "unit": unit or ""},
                    kinds=_kind_choices(), units=UNITS)

    @app.get("/series", response_class=HTMLResponse, include_in_schema=False)
    def series_search(request: Request, query: str | None = None) -> HTMLResponse:
        from crewparity.metrics.episodes import find_series

        results: list[tuple[str, str | None]] = []
        facts: dict[str, str] = {}
        error = None
        if query is not None and query.strip():
            try:
                results = cached("find", (query,), lambda cp: find_series(cp.store, query)[:200])
            except ArgumentError as exc:
                error = str(exc)
            else:  # shows of one name told apart (remakes, national versions): kind, years, episodes
                facts = cached("find-facts", (query,), lambda cp: _series_facts(cp, [sid for sid, _ in results]))
        return page(request, "series_search.html", page="series", query=query or "", results=results, facts=facts,
                    error=error,
                    series_of_episode=series_of_episode(error) if error else None)

    @app.get("/series/{series_id}", response_class=HTMLResponse, include_in_schema=False)
    def series_page(
        request: Request,
        series_id: str,
        codirected: str = "any",
        include_pilots: bool = False,
    ) -> HTMLResponse:
        seasons = cached("series", (series_id, None, codirected, include_pilots), lambda cp: cp.series(
            series_id, codirected=codirected, include_pilots=include_pilots))
        episodes = cached("episodes", (series_id, None, include_pilots), lambda cp: cp.series_episodes(
            series_id, include_pilots=include_pilots))
        name = next((r["series"] for r in seasons.to_pylist() if r.get("series")), None)
        empty = None
        if seasons.num_rows == 0:
            from crewparity.metrics.empty import no_episodes
            from crewparity.metrics.episodes import find_series

            empty = no_episodes(series_id, include_pilots=include_pilots,
                                keep='the field "Pilots and specials" keeps them')
            name = name or next((n for _, n in cached("find", (series_id,), lambda cp: find_series(
                cp.store, series_id)[:200])), None)
        name = name or series_id
        # drawn directly: a vl-convert render alone would take most of 100 ms. With 1/k each the bars are shares of
        # episodes, as the table's headers say: the chart, which may be saved alone, says so in its title
        chart = seasons_svg(seasons, title=None if codirected == "any" else
                            f"{name}: episodes by director gender, co-directed split 1/k each")
        params = {"query": series_id, "codirected": codirected if codirected != "any" else None,
                  "include_pilots": include_pilots}
        return page(request, "series.html", page="series", name=name, series_id=series_id,
                    seasons=_rows(seasons), season_columns=seasons.column_names,
                    episodes=_group_episodes(_rows(episodes)), chart=chart, params=params,
                    episode_params={**params, "episodes": True, "codirected": None},
                    codirected=codirected, include_pilots=include_pilots, empty=empty,
                    commands=_series_commands(db_path, series_id, codirected, include_pilots))

    @app.get("/rankings", response_class=HTMLResponse, include_in_schema=False)
    def rankings(
        request: Request,
        year_from: From = None,
        year_to: To = None,
        min_episodes: Annotated[int, Query(ge=1)] = MIN_EPISODES,
        limit: Annotated[int, Query(ge=1, le=1000)] = 50,
        all_series: bool = False,
    ) -> HTMLResponse:
        best, worst = rankings_cached(year_from, year_to, min_episodes, limit, all_series)
        params = {"from": year_from, "to": year_to, "min_episodes": min_episodes, "limit": limit,
                  "all_series": all_series}
        from crewparity.metrics.empty import no_ranked_seasons

        return page(request, "rankings.html", page="rankings", best=_rows(best), worst=_rows(worst),
                    empty={rank: no_ranked_seasons(rank) for rank in ("best", "worst")},
                    columns=_rank_columns(best.column_names), params=params, best_share=f"{dga_best_share():.0%}",
                    left_out={"best": left_out_for_unknowns(best), "worst": left_out_for_unknowns(worst)},
                    listed={"best": listed_before_limit(best) or 0, "worst": listed_before_limit(worst) or 0},
                    unnumbered=left_out_unnumbered(best) or 0,
                    excluded={"best": left_out_excluded(best) or 0, "worst": left_out_excluded(worst) or 0},
                    excluded_words=excluded_series_words(),
                    commands=_rankings_commands(db_path, year_from, year_to, min_episodes, limit, all_series),
                    form={"from": _blank(year_from), "to": _blank(year_to), "min_episodes": min_episodes,
                          "limit": limit, "all_series": all_series})

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_page(request: Request, study: str | None = None, year_from: From = None, year_to: To = None,
                     season_year: SeasonYear = "start") -> HTMLResponse:
        from crewparity.metrics.roles import studies
        from crewparity.metrics.roles import study as find_study

        known = studies()
        # an alias (?study=usc) names the study by its key, so the page shows its notes and selects it
        key = find_study(study).key if study else next(iter(known), None)
        table = None
        chart = ""
        if key is not None:
            table, chart = compare_cached(key, year_from, year_to, season_year)
        from crewparity.metrics.compare import (
            compare_reading,
            exclusion_words,
            marked_difference,
            no_figures,
            small_note,
        )

        rows = _rows(table)
        columns = table.column_names if table is not None else []
        every_row, columns = _same_on_every_row(rows, columns, COMPARE_SHARED_COLUMNS)
        every_row, columns = _same_per_metric(rows, columns, COMPARE_SHARED_COLUMNS, every_row)
        if "crewparity_sample" in columns:  # it names each row's roles: the rest of it is said once per metric
            per_metric, rows = _clauses_per_metric(rows, "crewparity_sample")
            every_row.update(per_metric)
        common_caveat, rows = _common_caveat(rows)
        per_metric, rows = _caveat_per_metric(rows)
        every_row.update(per_metric)
        if "crewparity_sample" in columns:  # a row's caveat does not say again what its sample column beside it says
            rows = [_without_clauses_of(r, "caveat", "crewparity_sample") for r in rows]
        if rows and not any(r.get("caveat") for r in rows):  # every clause said above: no empty column
            columns = [c for c in columns if c != "caveat"]
        # the figures first, as the CLI's table shows them; a role set reads (and wraps) as a list
        columns = [c for c in COMPARE_FIRST if c in columns] + [c for c in columns if c not in COMPARE_FIRST]
        rows = [{**r, "role": r["role"].replace(",", ", ")} if isinstance(r.get("role"), str) else r for r in rows]
        # a small row's difference is marked, as the CLI's table marks it, and the note under the table says why
        marked = any(r.get("small") and r.get("difference") is not None for r in rows)
        rows = [{**r, "difference": marked_difference(r.get("difference"), r.get("small"))} for r in rows]
        return page(request, "compare.html", page="compare", studies=known, study=key, rows=rows,
                    columns=columns, folded={c: [fold(r.get(c), items=c == "role") for r in rows] for c in FOLDED_COLUMNS
                                      if c in columns}, chart=chart, every_row=every_row, common_caveat=common_caveat,
                    params={"study": key, "from": year_from, "to": year_to,
                            "season_year": season_year if season_year != "start" else None},
                    season_year=season_year,
                    reading=compare_reading(known[key]) if key and known.get(key) is not None else "",
                    form={"from": _blank(year_from), "to": _blank(year_to)},
                    command=compare_command(key, year_from, year_to, season_year, os.fspath(db_path)) if key else None,
                    left_out=exclusion_words(known[key]) if key and known.get(key) is not None else "",
                    small_note=small_note() if marked else None,
                    empty=no_figures(key, season_year) if key and table is not None and table.num_rows == 0
                    else None)

    @app.get("/credits/{title_id}", response_class=HTMLResponse, include_in_schema=False)
    def credits_page(
        request: Request,
        title_id: str,
        season: Annotated[int | None, Query(ge=0, le=10000)] = None,
        roles: str | None = None,
    ) -> HTMLResponse:
        from crewparity.metrics.credits import seasons as title_seasons
        from crewparity.metrics.credits import summary_words

        title, table = credits_cached(title_id, season, roles)
        seasons: list[int] = []
        if title.series:
            seasons = cached("credits-seasons", (title.title_id,), lambda cp: title_seasons(cp.store, title.title_id))
        params = {"season": season, "roles": roles}
        return page(request, "credits.html", page="series" if title.series else "", title=title,
                    title_id=title.title_id, series=title.series, label=title.label(), rows=_rows(table),
                    columns=table.column_names, season=season,
                    seasons=seasons, roles=roles, params=params, summary=summary_words(table),
                    api_path=f"/api/credits/{quote(title.title_id, safe='')}",
                    empty=empty_words(title.label(), season, roles) if table.num_rows == 0 else None,
                    command_line=_credits_command(db_path, title.title_id, season, roles),
                    form={"season": _blank(season), "roles": roles or ""})

    @app.get("/method", response_class=HTMLResponse, include_in_schema=False)
    def method_page(request: Request) -> HTMLResponse:
        data = cached("method", (), _method)
        return page(request, "method.html", page="method", method=data, command=_method_command(db_path))

    return app


# --------------------------------------------------------------------- metrics calls (one place)
def _share(cp: Any, *, roles: str | None, by: str | None, kind: str | None, year_from: int | None,
           year_to: int | None, sample: str | None, unit: str | None) -> pa.Table:
    from crewparity.report.overview import call_share

    return call_share(cp, roles=roles, by=by, kind=kind, year_from=year_from, year_to=year_to, sample=sample,
                      unit=unit)


def _short_top(cp: Any, *, sample: str | None, kind: str | None, year_from: int | None,
               year_to: int | None) -> str | None:
    """The years in which a ``top:N`` sample holds fewer than N titles, in the words of the CLI's note."""
    from crewparity.metrics.samples import parse_kinds, short_top_words

    return short_top_words(cp.store, sample, parse_kinds(kind), year_from, year_to)


#: a series' kind as the search results say it
SERIES_KIND_WORDS = {"tv_series": "TV series", "tv_mini_series": "mini-series"}


def _series_facts(cp: Any, ids: list[str]) -> dict[str, str]:
    """Per series id, what tells it apart from a show of the same name: "TV series, 2019–2020, 7 episodes"."""
    from crewparity.metrics.episodes import series_facts

    out = {}
    for sid, (kind, first, last, episodes) in series_facts(cp.store, ids).items():
        years = "" if first is None else str(first) if last in (None, first) else f"{first}–{last}"
        parts = [SERIES_KIND_WORDS.get(kind or "", kind or ""), years, f"{episodes:,} episode{'s' if episodes != 1 else ''}"]
        out[sid] = ", ".join(p for p in parts if p)
    return out


def _distribution(cp: Any, part: str, *, roles: str | None, kind: str | None, year_from: int | None,
                  year_to: int | None, sample: str | None, by: str | None) -> pa.Table:
    """One part of ``crewparity distribution``: ``buckets`` (cp.distribution) or ``roles`` (cp.no_woman)."""
    kwargs = {"roles": roles, "kinds": kind, "year_from": year_from, "year_to": year_to, "sample": sample, "by": by}
    method = cp.distribution if part == "buckets" else cp.no_woman
    return method(**{k: v for k, v in kwargs.items() if v is not None})


def _compare(cp: Any, study: str, year_from: int | None = None, year_to: int | None = None,
             season_year: str = "start") -> pa.Table:
    return cp.compare(study, year_from=year_from, year_to=year_to, season_year=season_year)


def _method(cp: Any) -> Any:
    from crewparity.report.method import method_data

    return method_data(cp)


def _first_study() -> str:
    from crewparity.metrics.roles import studies

    return next(iter(studies()))


#: the comparison's columns of long text that describe the study or our sample, not the row: when one holds the
#: same text on every row it is said once above the table (the CSV and JSON keep it on every row)
COMPARE_SHARED_COLUMNS = ("study", "published_sample", "published_source", "crewparity_sample")
#: the comparison table's first columns: what is compared and the two figures, as the CLI's table starts
COMPARE_FIRST = ("period", "role", "metric", "published", "crewparity", "difference", "ci_low", "ci_high", "counted",
                 "titles", "small")


def _same_on_every_row(rows: list[dict[str, Any]], columns: list[str],
                       candidates: Iterable[str]) -> tuple[dict[str, Any], list[str]]:
    """The ``candidates`` columns whose value is the same on every row (name -> value), and the other columns."""
    same = {c: rows[0][c] for c in candidates
            if rows and c in columns and all(r.get(c) == rows[0][c] for r in rows)}
    return same, [c for c in columns if c not in same]


def _same_per_metric(rows: list[dict[str, Any]], columns: list[str], candidates: Iterable[str],
                     same: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``same`` plus the ``candidates`` columns whose value is one per ``metric`` (our sample reads "distinct
    people" on the people rows and "titles with the credit" on the no-woman rows), said once per metric as
    "column (metric)", and the other columns. Why: such a column repeated its long text on every row again."""
    out = dict(same)
    keep = list(columns)
    for c in candidates:
        if c not in keep or "metric" not in columns:
            continue
        by_metric: dict[Any, Any] = {}
        if all(by_metric.setdefault(r.get("metric"), r.get(c)) == r.get(c) for r in rows):
            out.update({f"{c} ({m})": v for m, v in by_metric.items()})
            keep.remove(c)
    return out, keep


def _common_caveat(rows: list[dict[str, Any]], column: str = "caveat") -> tuple[str | None, list[dict[str, Any]]]:
    """The caveat's clauses ("; "-separated) that every row carries, said once, and each row with only the rest of
    its caveat (its own: a year with fewer titles than the study's N, a metric's reading, the roles it counts).
    ``column``: another column of such clauses (our sample's words).

    Why: the comparison repeated the same few hundred characters of caveat in a narrow cell on every row, which
    made the page ~36,000 px tall; a reader sees the shared caveat once and each row's own beside its figures."""
    from crewparity.metrics.compare import for_years

    caveats = [r.get(column) for r in rows]
    if len(rows) < 2 or not all(isinstance(c, str) and c for c in caveats):
        return None, rows
    clauses = [str(c).split("; ") for c in caveats]
    common = [part for part in clauses[0] if all(part in other for other in clauses[1:])]
    if not common:
        return None, rows
    out = [{**r, column: "; ".join(p for p in parts if p not in common)} for r, parts in zip(rows, clauses,
                                                                                               strict=True)]
    # said once above the rows, a clause of "this year" names the rows' years (for_years)
    years = [r.get("year") for r in rows]
    return "; ".join(for_years(part, years) for part in common), out


def _without_clauses_of(row: dict[str, Any], column: str, other: str) -> dict[str, Any]:
    """``row`` with the "; "-separated clauses of ``column`` that ``other`` (a column shown beside it) holds left out.

    Why: each Celluloid Ceiling row read "distinct people per year in: director, writer, ..." in crewparity_sample and
    again at the head of its caveat, in two narrow cells: 95 rows of ~160 px on a synthetic store."""
    text, said = row.get(column), row.get(other)
    if not isinstance(text, str) or not isinstance(said, str) or not said:
        return row
    known = set(said.split("; "))
    return {**row, column: "; ".join(part for part in text.split("; ") if part not in known)}


def _caveat_per_metric(rows: list[dict[str, Any]]) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """After :func:`_common_caveat`: what :func:`_common_caveat` finds among the rows of each metric (our sample's
    words for people, or for titles with no woman), said once as "caveat (metric)", and each row with only what
    is its own."""
    return _clauses_per_metric(rows, "caveat")


def _clauses_per_metric(rows: list[dict[str, Any]], column: str) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The clauses of ``column`` that the rows of each metric share (:func:`_common_caveat`), said once as
    "column (metric)", and each row with only what is its own (our sample's words: the roles the row counts)."""
    said: dict[str, str] = {}
    if not rows or "metric" not in rows[0]:
        return said, rows
    out = list(rows)
    for metric in dict.fromkeys(r["metric"] for r in rows):
        places = [i for i, r in enumerate(rows) if r["metric"] == metric]
        common, mine = _common_caveat([rows[i] for i in places], column)
        if common:
            said[f"{column} ({metric})"] = common
            for i, row in zip(places, mine, strict=True):
                out[i] = row
    return said, out


#: the season lists' first columns on the page: which season, then the share the best list is sorted by and the share
#: among the known, before the counts (the downloads keep the CLI's order). Why: the sort key came last, out of view
#: in a table wider than the page, and the visible share_known read 83%, 80%, 67%, 100%: a sort that looked broken.
RANK_FIRST = ("series_id", "series", "kind", "season", "year", "share_if_unknown_men", "share_known")


def _rank_columns(columns: Iterable[str]) -> list[str]:
    """The season lists' columns in the page's order (:data:`RANK_FIRST`, then the rest as the CLI has them)."""
    columns = list(columns)
    return [c for c in RANK_FIRST if c in columns] + [c for c in columns if c not in RANK_FIRST]


def _kind_choices() -> Iterable[str]:
    """The kinds the dashboard offers: those ``--kind`` takes (not tv_episode, which counts under its series)."""
    from crewparity.metrics.samples import SCOPE_KINDS

    first = ("movie", "tv_series", "tv_mini_series")
    return (*first, *[k for k in SCOPE_KINDS if k not in first])


def _group_episodes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Episode rows (one per director) -> one entry per episode with its list of directors."""
    out: list[dict[str, Any]] = []
    index: dict[str, dict[str, Any]] = {}
    for r in rows:
        ep = index.get(r["title_id"])
        if ep is None:
            ep = {k: r.get(k) for k in ("series_id", "season", "episode", "title_id", "title", "year", "counts_as",
                                         "pilot", "special")}
            ep["directors"] = []
            index[r["title_id"]] = ep
            out.append(ep)
        if r.get("director_id") is not None:
            ep["directors"].append({k: r.get(k) for k in ("director_id", "director", "gender", "p_woman", "evidence",
                                                          "source")})
    return out
