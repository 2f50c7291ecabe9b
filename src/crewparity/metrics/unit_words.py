"""What a share's counts count, per unit, in one set of words for every face (the CLI's note under ``share``, the
report's and the dashboard's overview).

Why: "women 2, men 1" reads as people; with titles or credits as the unit it is not, and a reader who meets the
table in the terminal and the same figures in the report must be told the same thing. Two copies of these words
had already drifted apart (the CLI said "men only", the report "the others, men only")."""

from __future__ import annotations

#: the ``share`` table's title when the unit is not people ("Women's share" over titles would misread)
SHARE_TITLES = {"titles": "Share of titles with at least one woman in the roles",
                "credits": "Women's share of the credits"}

#: what women / men / nonbinary / unknown count, when the unit is not people
COUNTS = {
    "titles": "women, men, nonbinary, unknown count titles, not people: women = with a woman in the roles, "
              "nonbinary = with a nonbinary person and no woman, unknown = with someone of unknown gender and no "
              "woman known, men = men only",
    "credits": "women, men, nonbinary, unknown count credits by their holder's gender (a person credited on ten "
               "titles counts ten times), not people",
}


def share_title(unit: str) -> str:
    """The ``share`` table's title for ``unit`` ("Women's share" for people)."""
    return SHARE_TITLES.get(unit, "Women's share")


def counts_sentence(unit: str) -> str:
    """What the counts count, as a sentence headed by the unit (the report's and the overview's note), or ""."""
    words = COUNTS.get(unit)
    return f"Unit {unit}: {words[:1].upper()}{words[1:]}." if words else ""
