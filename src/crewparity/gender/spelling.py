"""The one list of spellings accepted for a gender a user writes: in an overrides file, a crew list's ``gender``
column, ``gender estimate``'s ``gender`` column and ``gender eval``'s label column.

Why one list: each reader had its own, so ``w`` was a woman in ``gender estimate`` and an error in ``ingest
overrides``, and ``x`` was silently nonbinary in one place only. Matching ignores case and surrounding spaces.
Anything else is an error that names the file, the line and this list (:data:`ACCEPTED_TEXT`).

``x`` is nonbinary, as the X marker on a passport: it was accepted so by ``gender estimate`` before this list,
and is kept (documented) rather than refused. A blank or one of :data:`NOT_RECORDED` says "no recorded gender"
where a reader allows that (a crew list, ``gender estimate``, ``gender eval``'s skipped rows), never in an
overrides file, whose every line states one.
"""

from __future__ import annotations

from pathlib import Path

from crewparity.errors import InputError

WOMAN = ("woman", "female", "f", "w", "women", "girl")
MAN = ("man", "male", "m", "men", "boy")
NONBINARY = ("nonbinary", "non-binary", "nb", "x")

#: accepted spelling (lower case) -> canonical gender
GENDER_SPELLINGS: dict[str, str] = ({s: "woman" for s in WOMAN} | {s: "man" for s in MAN}
                                    | {s: "nonbinary" for s in NONBINARY})
#: the spellings of "no recorded gender", where a reader allows one (lower case; the empty cell too)
NOT_RECORDED = ("", "unknown", "u", "?", "na", "n/a", "none")

ACCEPTED_TEXT = ("woman, man, nonbinary (any case; also " + "/".join(WOMAN[1:]) + ", " + "/".join(MAN[1:]) + ", "
                 + "/".join(NONBINARY[1:]) + ")")
NOT_RECORDED_TEXT = "empty, " + ", ".join(NOT_RECORDED[1:-1]) + " or " + NOT_RECORDED[-1]


def canonical_gender(value: str | None) -> str | None:
    """woman / man / nonbinary for an accepted spelling, else None (a blank, "unknown", or a spelling not
    accepted: :func:`parse_gender` tells those apart)."""
    if value is None:
        return None
    return GENDER_SPELLINGS.get(value.strip().lower())


def is_not_recorded(value: str | None) -> bool:
    """A blank or one of :data:`NOT_RECORDED`."""
    return value is None or value.strip().lower() in NOT_RECORDED


def parse_gender(value: str | None, path: Path, line: int, column: str = "gender") -> str:
    """The canonical gender of a cell that must state one (an overrides line), or a one-line error naming the
    file, the line and the accepted spellings (a blank is an error too)."""
    got = canonical_gender(value)
    if got is None:
        raise _not_allowed(value, path, line, column, ACCEPTED_TEXT)
    return got


def parse_recorded_gender(value: str | None, path: Path, line: int, column: str = "gender") -> str | None:
    """The canonical gender of a cell that may leave it unknown (a crew list, a list of names, a label column):
    None for a blank or one of :data:`NOT_RECORDED`, else as :func:`parse_gender`."""
    got = canonical_gender(value)
    if got is None and not is_not_recorded(value):
        raise _not_allowed(value, path, line, column, f"{ACCEPTED_TEXT}, or {NOT_RECORDED_TEXT} for not recorded")
    return got


def _not_allowed(value: str | None, path: Path, line: int, column: str, allowed: str) -> InputError:
    return InputError(f"column {column}: {(value or '').strip()[:40]!r} is not an allowed gender; expected {allowed}",
                      path=path, line=line)


__all__ = ["ACCEPTED_TEXT", "GENDER_SPELLINGS", "MAN", "NONBINARY", "NOT_RECORDED", "NOT_RECORDED_TEXT", "WOMAN",
           "canonical_gender", "is_not_recorded", "parse_gender",
           "parse_recorded_gender"]
