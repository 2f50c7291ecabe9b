"""A text input that is not UTF-8 names the line holding the bad byte.

A reviewer's crew list had 61 good rows and a Latin-1 "José" (byte 0xE9) on line 62; `ingest crewlist` said
`FILE:1: is not valid UTF-8 text`: the CSV reader decodes a buffer of 8 KiB ahead of the record it is on, so
its line count was that of the record before the buffer (0 here, so line 1). The overrides file and Wikidata's
CSV export are read by the same code and said the same (a wrong line, 1 or wherever the buffer started); the
Wikidata and TMDB JSON readers and a `--sample list:FILE` named no line at all. Each now names the line of the
bad byte, as `ingest imdb` and `gender guess`/`gender estimate --input` already did.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from crewparity.errors import first_non_utf8, first_non_utf8_in_file
from tests.conftest import run_cli
from tests.test_source_wikidata import snapshot

QID_WOMAN = "http://www.wikidata.org/entity/Q6581072"


def _lines(header: str, good: str, bad: str, n_good: int) -> bytes:
    """A header, ``n_good`` good lines and then one line in Latin-1 (its "é" is the byte 0xE9)."""
    body = [header] + [good.format(i=i) for i in range(1, n_good + 1)]
    return ("\n".join(body) + "\n").encode("utf-8") + bad.encode("latin-1") + b"\n"


def _sparql_json(n: int) -> tuple[bytes, int]:
    """A SPARQL JSON result of ``n`` bindings, indented, whose last IMDb id holds an "é"; and that line."""
    bindings = [{"imdb": {"type": "literal", "value": f"nm{i}"}, "gender": {"type": "uri", "value": QID_WOMAN}}
                for i in range(1, n + 1)]
    bindings[-1]["imdb"]["value"] = "Jos\xe9"
    doc = {"head": {"vars": ["imdb", "gender"]}, "results": {"bindings": bindings}}
    text = json.dumps(doc, indent=1, ensure_ascii=False)
    return text.encode("latin-1"), text[:text.index("Jos\xe9")].count("\n") + 1


def _tmdb_json(n: int) -> tuple[bytes, int]:
    crew = [{"id": i, "name": f"Name {i}", "gender": 1, "job": "Director"} for i in range(1, n + 1)]
    crew[-1]["name"] = "Jos\xe9 P"
    text = json.dumps({"id": 5, "cast": [], "crew": crew}, indent=1, ensure_ascii=False)
    return text.encode("latin-1"), text[:text.index("Jos\xe9")].count("\n") + 1


# (file name, content, bad line, command before the file, command after the file); 61 good rows as in the review,
# and 400 (over 8 KiB: the bad byte is past the reader's first buffer)
CASES = {
    f"{what}-{n}": case
    for n in (61, 400)
    for what, case in {
        "crewlist": ("crew.csv", _lines("title,year,name,role", "F,2024,Name {i},Director", "F,2024,Jos\xe9 P,Director",
                                        n), n + 2, ["ingest", "crewlist"], []),
        "crewlist-crlf": ("crew.csv", _lines("title,year,name,role", "F,2024,Name {i},Director",
                                             "F,2024,Jos\xe9 P,Director", n).replace(b"\n", b"\r\n"), n + 2,
                          ["ingest", "crewlist"], []),
        "overrides": ("o.csv", _lines("person_id,gender,note", "nm{i},woman,ok", "nm99999,man,Jos\xe9", n), n + 2,
                      ["ingest", "overrides"], []),
        "wikidata-csv": ("w.csv", _lines("imdb,gender", "nm{i}," + QID_WOMAN, "nm99999,Jos\xe9", n), n + 2,
                         ["ingest", "wikidata"], []),
        "wikidata-json": ("w.json", *_sparql_json(n), ["ingest", "wikidata"], []),
        "tmdb": ("t.json", *_tmdb_json(n), ["ingest", "tmdb"], []),
        "list-sample": ("list.csv", _lines("tconst", "tt{i:07d}", "Jos\xe9", n), n + 2, ["share", "--sample"], []),
        "gender-guess": ("names.txt", _lines("name", "Name {i}", "Jos\xe9 P", n), n + 2,
                         ["gender", "guess", "--input"], []),
        "gender-estimate": ("names.txt", _lines("name", "Name {i}", "Jos\xe9 P", n), n + 2,
                            ["gender", "estimate", "--input"], []),
    }.items()
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_latin1_byte_is_named_by_its_line(store: Path, tmp_path: Path, case: str) -> None:
    name, content, line, before, after = CASES[case]
    f = tmp_path / name
    f.write_bytes(content)
    arg = f"list:{f}" if before[-1] == "--sample" else str(f)
    held = snapshot(store)
    r = run_cli(*before, arg, *after, "--db", str(store))
    assert r.returncode == 1, r.stdout + r.stderr
    err = r.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"crewparity: error: {f}:{line}: "), err
    assert "UTF-8" in err, err
    assert snapshot(store) == held


@pytest.mark.parametrize("seed", range(40))
def test_the_block_scan_finds_the_byte_a_whole_decode_finds(tmp_path: Path, seed: int) -> None:
    """The file is scanned in blocks: a character or a \\r\\n cut by a block's end must not move the line."""
    rnd = random.Random(seed)
    pieces = ["a", "é", "€", "𝄞", "\n", "\r\n", "\r", ","]
    text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 300)))
    data = text.encode("utf-8")
    if seed % 4:
        at = rnd.randint(0, len(data))
        data = data[:at] + rnd.choice([b"\xe9", b"\xff", b"\xc3", b"\x80", b"\xe2\x82"]) + data[at:]
    f = tmp_path / "x.bin"
    f.write_bytes(data)
    whole = first_non_utf8(data)
    for block in (1, 2, 3, 5, 64):
        assert first_non_utf8_in_file(f, block=block) == whole, (block, data)
