"""A comparison row's caveat does not repeat the row's own sample words, which stand in the column beside it.

What a review found: on /compare (Celluloid Ceiling) every row read "distinct people per year in: director, writer,
producer, executive_producer, editor, cinematographer" in its crewparity_sample column and again at the head of its
caveat ("distinct people per year in: director, ...; this year the store has only 28 movie titles with IMDb votes,
fewer than their 250"): at 1280 px each of the 95 rows of a synthetic store was ~160 px tall, the page 13,000 px.
The CSV and JSON keep every column as the CLI prints it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests._dashboard_store import build_store, dashboard_client

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    db: Path = build_store(tmp_path_factory.mktemp("compare-caveat"))
    yield from dashboard_client(db)


def _rows(page: str) -> list[dict[str, str]]:
    table = page[page.index('<table class="data">'):]
    table = table[:table.index("</table>")]
    heads = [html.unescape(h) for h in re.findall(r'<th scope="col">(.*?)</th>', table)]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]
    return [dict(zip(heads, (html.unescape(re.sub(r"<[^>]+>", "", c)) for c in
                             re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)), strict=True)) for row in rows]


def test_a_row_s_caveat_leaves_out_its_sample_words(client: Any) -> None:
    rows = _rows(client.get("/compare", params={"study": "celluloid_ceiling"}).text)
    with_sample = [r for r in rows if r.get("crewparity_sample")]
    assert with_sample, rows[:2]
    for row in with_sample:
        clauses = row["caveat"].split("; ")
        assert row["crewparity_sample"] not in clauses, row
    assert any("this year the store has no movie title with IMDb votes" in r["caveat"] for r in with_sample)


def test_the_downloads_keep_the_cli_s_caveat(client: Any) -> None:
    rows = client.get("/api/compare", params={"study": "celluloid_ceiling"}).json()
    assert any(r["crewparity_sample"].split("; ")[-1] in str(r["caveat"]).split("; ") for r in rows)
