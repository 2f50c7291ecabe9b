"""Roles, study role sets, aliases and the pilot and specials rules, read from ``crewparity/data/roles.toml``.

They live in a data file, not in code, so that a reader can see (and a user can change) exactly which roles
a figure counts and which episodes are treated as pilots or specials. This module only parses and validates arguments
against that file; every error names the allowed values.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from crewparity.errors import ArgumentError
from crewparity.schema import ROLES

#: Roles a share can be asked for: every crew role of the schema (cast is evidence, not crew).
CREW_ROLES: tuple[str, ...] = tuple(r for r in ROLES if r != "actor")


def rules_path() -> Path:
    """Where the rules file sits inside the installed package."""
    return Path(str(resources.files("crewparity") / "data" / "roles.toml"))


@cache
def rules() -> dict[str, Any]:
    """The parsed rules file (read once per process)."""
    with open(rules_path(), "rb") as fh:
        return tomllib.load(fh)


def key_roles() -> tuple[str, ...]:
    return tuple(rules()["key_roles"])


def small_group_threshold() -> int:
    return int(rules().get("thresholds", {}).get("small_group", 30))


def dga_best_share() -> float:
    """The rules file's ``dga.best_share``: the share of a season's episodes (every unknown counted as a man)
    that puts it on the best list."""
    share = float(rules().get("dga", {}).get("best_share", 0.40))
    if not 0 < share <= 1:
        raise ArgumentError(f"dga.best_share in {rules_path()} must be above 0 and at most 1, got {share}")
    return share


def dga_min_episodes() -> int:
    """The rules file's ``dga.min_episodes``: the one default for the season lists' ``--min-episodes`` (CLI, Python
    API, /api/series, /rankings and the report)."""
    value = rules().get("dga", {}).get("min_episodes", 6)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ArgumentError(f"dga.min_episodes in {rules_path()} must be a whole number of at least 1, got {value!r}")
    return value


def pilot_patterns() -> list[str]:
    return list(rules().get("pilots", {}).get("title_patterns", []))


def pilot_sql(name_column: str) -> str:
    """A SQL boolean that is true when ``name_column`` (an episode title) is a pilot by the rules file."""
    patterns = pilot_patterns()
    if not patterns:
        return "false"
    parts = [f"regexp_matches(coalesce({name_column}, ''), '{p.replace(chr(39), chr(39) * 2)}', 'i')"
             for p in patterns]
    return "(" + " OR ".join(parts) + ")"


def special_seasons() -> tuple[int, ...]:
    """The rules file's ``specials.seasons``: the season numbers whose episodes are specials (TMDB's season 0),
    left out wherever pilots are and kept by ``--include-pilots``."""
    value = rules().get("specials", {}).get("seasons", [0])
    if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
        raise ArgumentError(f"specials.seasons in {rules_path()} must be a list of whole numbers, got {value!r}")
    return tuple(value)


def special_sql(season_column: str) -> str:
    """A SQL boolean that is true when ``season_column`` (an episode's season number) is a specials season by the
    rules file; false for an episode without a season number."""
    seasons = special_seasons()
    if not seasons:
        return "false"
    return f"coalesce({season_column} IN ({', '.join(str(s) for s in seasons)}), false)"


def canonical_role(word: str) -> str:
    """One role name as the user typed it -> the schema's role, or an error naming the allowed values."""
    w = " ".join(word.strip().lower().split())
    if w in CREW_ROLES:
        return w
    aliases: dict[str, str] = rules().get("aliases", {})
    if w in aliases:
        return aliases[w]
    if w.replace(" ", "_").replace("-", "_") in CREW_ROLES:
        return w.replace(" ", "_").replace("-", "_")
    raise ArgumentError(f"unknown role {word.strip()!r}; allowed: {', '.join(CREW_ROLES)} (aliases in {rules_path()})")


def list_items(value: object, option: str, allowed: str) -> list[str]:
    """The items of a list option given as comma-separated text (``"director,writer"``) or as a list (tuple, ...)
    of text, stripped, the empty ones left out: a trailing comma is no surprise. ``option``: the CLI's name for it
    (``--roles``; the Python API's errors say ``roles``); ``allowed``: its values, as the errors list them.

    Why: an empty list (``--kind ''``, ``','``, ``' , '``, ``kinds=[""]``) was read as the default, every kind
    or no grouping, so a script whose variable was unset got other figures than it asked for, with nothing said;
    it is refused here, naming the allowed values. And a value of another type (``roles=5``) raised a bare
    TypeError from deep inside; it is refused naming the argument."""
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, Iterable) and not isinstance(value, bytes | bytearray | Mapping):
        items = list(value)   # a list, a tuple, or a notebook's NumPy array or pandas column of names
        for item in items:
            if not isinstance(item, str):
                raise ArgumentError(f"{option} holds {item!r}, which is not text; give a list of str or "
                                    f"comma-separated text; allowed: {allowed}")
    else:
        raise ArgumentError(f"{option}={value!r} is not a list; give comma-separated text or a list of text; "
                            f"allowed: {allowed}")
    out = [" ".join(item.split()) for item in items if item.strip()]
    if not out:
        raise ArgumentError(f"{option} is empty; give one or more, comma-separated; allowed: {allowed}")
    return out


def role_choices() -> str:
    """The values ``--roles`` takes, as its errors list them."""
    return f"{', '.join(CREW_ROLES)}, or key (the key roles)"


def parse_roles(roles: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """``"director,writer"`` or a list -> canonical roles, de-duplicated, in the order given; None: the key roles.
    An empty list or a value of another type is an error naming the allowed roles (:func:`list_items`)."""
    if roles is None:
        return list(key_roles())
    out: list[str] = []
    for item in list_items(roles, "--roles", role_choices()):
        if item.lower() in {"key", "key_roles", "key6"}:
            candidates = list(key_roles())
        else:
            candidates = [canonical_role(item)]
        for role in candidates:
            if role not in out:
                out.append(role)
    return out


@dataclass(frozen=True)
class Study:
    """A published study's role set and crewparity's closest sample for it."""

    key: str
    name: str
    roles: tuple[str, ...]
    kinds: tuple[str, ...]
    sample: str
    unit: str
    their_sample: str
    #: series (with their episodes) left out of crewparity's sample: those tagged with one of these IMDb genres
    exclude_genres: tuple[str, ...] = ()
    #: and those IMDb marks as adult (``titles.is_adult``)
    exclude_adult: bool = False

    @property
    def excludes(self) -> bool:
        return bool(self.exclude_genres) or self.exclude_adult


#: the kinds a study's exclusion rule works on: series, whose episodes go with them
EXCLUDE_KINDS: tuple[str, ...] = ("tv_series", "tv_mini_series")


def _exclusion(key: str, s: dict[str, Any]) -> tuple[tuple[str, ...], bool]:
    """A study's ``exclude_genres`` / ``exclude_adult``, checked: a bad value is one line naming the file and key."""
    where = f"studies.{key}"
    genres = s.get("exclude_genres", [])
    if not isinstance(genres, list) or any(not isinstance(g, str) or not g.strip() for g in genres):
        raise ArgumentError(f"{where}.exclude_genres in {rules_path()} must be a list of IMDb genre names, "
                            f"got {genres!r}")
    adult = s.get("exclude_adult", False)
    if not isinstance(adult, bool):
        raise ArgumentError(f"{where}.exclude_adult in {rules_path()} must be true or false, got {adult!r}")
    if (genres or adult) and (s.get("sample") != "all" or not set(s.get("kinds", [])) <= set(EXCLUDE_KINDS)):
        raise ArgumentError(f"{where}.exclude_genres / exclude_adult in {rules_path()} leave out series: they go "
                            f"with sample = \"all\" and kinds among {', '.join(EXCLUDE_KINDS)}")
    return tuple(g.strip() for g in genres), adult


def studies() -> dict[str, Study]:
    out: dict[str, Study] = {}
    for key, s in rules().get("studies", {}).items():
        genres, adult = _exclusion(key, s)
        out[key] = Study(key=key, name=s["name"], roles=tuple(s["roles"]), kinds=tuple(s["kinds"]),
                         sample=s["sample"], unit=s["unit"], their_sample=s.get("their_sample", ""),
                         exclude_genres=genres, exclude_adult=adult)
    return out


def study(name: str) -> Study:
    """A study by its key or an alias (``dga`` -> ``dga_episodic``)."""
    w = name.strip().lower().replace("-", "_").replace(" ", "_")
    table = rules().get("studies", {})
    for key, s in table.items():
        if w == key or w in s.get("aliases", []):
            return studies()[key]
    raise ArgumentError(f"unknown study {name!r}; allowed: {study_choices()}")


def study_choices() -> str:
    """The studies with their aliases, as the help and the errors list them (from data/roles.toml)."""
    return ", ".join(_with_aliases(k, s) for k, s in rules().get("studies", {}).items())


def _with_aliases(key: str, s: dict[str, Any]) -> str:
    """A study's key with the aliases :func:`study` takes for it: ``dga_episodic (alias dga)``."""
    aliases = list(s.get("aliases", []))
    if not aliases:
        return key
    return f"{key} ({'alias' if len(aliases) == 1 else 'aliases'} {', '.join(aliases)})"
