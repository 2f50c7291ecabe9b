"""Crew-list lines for seasons of series whose episodes have a recorded woman or man director, or none: the
stores of the tests on what the DGA lists (``series --rank``) do with episodes without a director credit."""

from __future__ import annotations

HEADER = "series,season,episode,year,name,role,gender\n"


def season(series: str, directors: list[str | None]) -> str:
    """A 2017 season of ``series``: one line per episode, a director ("w"/"m": a recorded woman / man) or None
    (the episode has a writer only, so it is in the store without a director credit)."""
    lines = []
    for n, who in enumerate(directors, start=1):
        if who is None:
            lines.append(f"{series},1,{n},2017,Wren Writer,writer,woman")
        else:
            name = {"w": "Ana Lima", "m": "Bo Chen"}[who]
            lines.append(f"{series},1,{n},2017,{name},director,{'woman' if who == 'w' else 'man'}")
    return "".join(f"{x}\n" for x in lines)
