"""Wikidata SPARQL results (JSON or CSV export) of P345 (IMDb id) and P21 (gender) -> gender evidence.

The query selects a person's IMDb id in a variable ``imdb`` (or ``imdb_id``) and the P21 value in
``gender`` (an entity URI); an optional ``person`` variable holds the person's entity URI and goes into
``detail``. Only P21 values with a clear gender are mapped (:data:`GENDER_QIDS`); anything else (unknown
values, intersex, male/female organism, a Q-id not in the table) is skipped and counted, never guessed.
A gender written as a label instead of an entity ("female": a query selecting ``?genderLabel`` as ``gender``, or
a hand-made file) is an error naming what it found: the column must hold the entity, whose Q-id is the fact.
Re-ingesting replaces every earlier Wikidata row.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa

from crewparity.errors import InputError, not_utf8
from crewparity.gender.spelling import GENDER_SPELLINGS
from crewparity.sources.overrides import (
    EVIDENCE_SCHEMA,
    EvidenceSummary,
    insert_arrow,
    read_csv_rows,
    replacement_warnings,
    table_counts,
)
from crewparity.store import Store, delete_source, record_source

SOURCE = "wikidata"
CONFIDENCE = 0.99
ENTITY_PREFIX = "http://www.wikidata.org/entity/"

#: P21 values -> canonical gender, with the English label (for detail and docs).
GENDER_QIDS: dict[str, tuple[str, str]] = {
    "Q6581072": ("woman", "female"),
    "Q6581097": ("man", "male"),
    "Q1052281": ("woman", "trans woman"),
    "Q2449503": ("man", "trans man"),
    "Q48270": ("nonbinary", "non-binary"),
    "Q18116794": ("nonbinary", "genderfluid"),
    "Q505371": ("nonbinary", "agender"),
    "Q12964198": ("nonbinary", "genderqueer"),
    "Q859614": ("nonbinary", "bigender"),
    "Q1289754": ("nonbinary", "neutrois"),
    "Q93954933": ("nonbinary", "demiboy"),
    "Q93955709": ("nonbinary", "demigirl"),
}

#: written labels that a gender column may hold by mistake (lower case): the P21 labels and the spellings of a
#: gender a user writes (female, woman, f, ...); a CSV export's other non-entity values are blank nodes
LABELS = frozenset({label for _, label in GENDER_QIDS.values()} | set(GENDER_SPELLINGS)
                   | {"intersex", "male organism", "female organism"})

IMDB_VARS = ("imdb", "imdb_id")
_QID = re.compile(r"^(?:https?://www\.wikidata\.org/entity/|wd:)?(Q\d+)$")
_PERSON = re.compile(r"^nm\d+$")


class Parsed:
    """Evidence rows found in a result plus the counts of what was skipped and why."""

    def __init__(self) -> None:
        self.rows: set[tuple[str, str, str]] = set()
        self.read = 0
        self.skipped: Counter[str] = Counter()

    def add(self, imdb: str, gender_value: str, person: str) -> None:
        self.read += 1
        imdb = imdb.strip()
        if not _PERSON.match(imdb):
            self.skipped["not a person IMDb id (nm...)"] += 1
            return
        m = _QID.match(gender_value.strip())
        if m is None:
            self.skipped["gender not an entity (unknown value or blank)"] += 1
            return
        qid = m.group(1)
        if qid not in GENDER_QIDS:
            self.skipped[f"unmapped {qid}"] += 1
            return
        gender, label = GENDER_QIDS[qid]
        detail = f"P21 {qid} ({label})"
        person = person.strip()
        if person:
            detail += f"; {person}"
        key = (imdb, gender, detail)
        if key in self.rows:  # SPARQL returns a row per matching statement: the same fact twice is one fact
            self.skipped["duplicate of an earlier row"] += 1
            return
        self.rows.add(key)

    def table(self) -> pa.Table:
        rows = sorted(self.rows)
        return pa.table(
            {"person_id": [r[0] for r in rows], "gender": [r[1] for r in rows], "source": [SOURCE] * len(rows),
             "confidence": [CONFIDENCE] * len(rows), "detail": [r[2] for r in rows]},
            schema=EVIDENCE_SCHEMA,
        )


def parse_json_doc(doc: Any, where: str, parsed: Parsed | None = None) -> Parsed:
    """Read one ``application/sparql-results+json`` document; ``where`` names it in errors."""
    out = parsed or Parsed()
    if not isinstance(doc, dict) or not isinstance(doc.get("head"), dict) or not isinstance(doc.get("results"), dict):
        raise InputError("$: not a SPARQL JSON result; expected an object with head.vars and results.bindings",
                         path=where)
    head_vars = doc["head"].get("vars")
    bindings = doc["results"].get("bindings")
    if not isinstance(head_vars, list) or not isinstance(bindings, list):
        raise InputError("$.head.vars / $.results.bindings: expected two lists", path=where)
    imdb_var = _imdb_var([str(v) for v in head_vars], where, "$.head.vars")
    for i, b in enumerate(bindings):
        at = f"$.results.bindings[{i}]"
        if not isinstance(b, dict):
            raise InputError(f"{at}: expected an object of variable bindings", path=where)
        if imdb_var not in b or "gender" not in b:
            # SPARQL leaves out unbound variables (OPTIONAL): nothing to record for this row.
            out.read += 1
            out.skipped["no IMDb id or no gender bound"] += 1
            continue
        values = []
        for var in (imdb_var, "gender", "person"):
            cell = b.get(var)
            if cell is None:
                values.append("")
                continue
            if not isinstance(cell, dict) or not isinstance(cell.get("value"), str):
                raise InputError(f"{at}.{var}: expected {{\"type\": ..., \"value\": \"...\"}}", path=where)
            if var == "gender" and cell.get("type") == "literal" and not _QID.match(cell["value"].strip()):
                raise InputError(f"{at}.{label_message(cell['value'])}", path=where)
            values.append(cell["value"] if cell.get("type") != "bnode" else "")
        out.add(*values)
    return out


def label_message(value: str, column: str = "gender") -> str:
    """The error for a gender given as a label ("female") where the entity is expected."""
    return (f"{column} holds {value.strip()[:40]!r}, a label, not a Wikidata entity; expected the P21 value's entity "
            f"(e.g. {ENTITY_PREFIX}Q6581072 for female): select ?gender, not ?genderLabel")


def _imdb_var(names: list[str], where: str, at: str, line: int | None = None) -> str:
    lowered = [n.lower() for n in names]
    imdb = next((v for v in IMDB_VARS if v in lowered), None)
    missing = [] if imdb else ["imdb (or imdb_id)"]
    if "gender" not in lowered:
        missing.append("gender")
    if missing:
        raise InputError(f"{at}: missing variable {' and '.join(missing)}; expected a query selecting "
                         "?imdb (P345) and ?gender (P21)", path=where, line=line)
    assert imdb is not None
    return imdb


def read(path: str | os.PathLike[str]) -> Parsed:
    """Parse a Wikidata SPARQL result file: JSON (``.json`` or content starting with ``{``) or CSV export."""
    p = Path(path)
    if not p.is_file():
        raise InputError("no such file" if not p.exists() else "not a file", path=p)
    try:
        with open(p, "rb") as fh:
            start = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path=p) from None
    if start.startswith((b"{", b"[")):
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the file ({exc.strerror})", path=p) from None
        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise not_utf8(p, "expected SPARQL JSON results saved as UTF-8", data) from None
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg}); expected SPARQL JSON results", path=p,
                             line=exc.lineno) from None
        return parse_json_doc(doc, str(p))
    return _read_csv(p)


def _read_csv(p: Path) -> Parsed:
    """The endpoint's CSV export: a header of variable names, then plain values (URIs in full)."""
    out = Parsed()
    try:
        with open(p, encoding="utf-8-sig", newline="") as fh:
            header = fh.readline().strip().lower().split(",")
    except UnicodeDecodeError:
        raise not_utf8(p, "expected SPARQL JSON results or their CSV export, saved as UTF-8") from None
    imdb_var = _imdb_var([h.strip() for h in header], str(p), "header", line=1)
    optional = ("person",) if "person" in header else ()
    for line, row in read_csv_rows(p, (imdb_var, "gender"), optional):
        if not row[imdb_var].strip() or not row["gender"].strip():
            out.read += 1
            out.skipped["no IMDb id or no gender bound"] += 1
            continue
        if row["gender"].strip().lower() in LABELS:
            raise InputError(f"column {label_message(row['gender'])}", path=p, line=line)
        out.add(row[imdb_var], row["gender"], row.get("person", ""))
    return out


def store_parsed(store: Store, parsed: Parsed, location: str) -> EvidenceSummary:
    """Replace the Wikidata evidence in a store opened with ``writing()``."""
    data = parsed.table()
    warnings = replacement_warnings(store, SOURCE, "Wikidata", data)
    delete_source(store, SOURCE)
    n = insert_arrow(store, "gender_evidence", data)
    skipped = dict(parsed.skipped)
    detail = f"gender_evidence={n}; bindings={parsed.read}; skipped={sum(skipped.values())}"
    record_source(store, SOURCE, location, parsed.read, detail=detail)
    return EvidenceSummary(SOURCE, location, rows_read=parsed.read, rows={"gender_evidence": n}, skipped=skipped,
                           warnings=warnings, read={"gender_evidence": data.num_rows},
                           in_store=table_counts(store, ["gender_evidence"]), read_unit="answers")


def ingest(store: Store, path: str | os.PathLike[str]) -> EvidenceSummary:
    """Parse a result file and store its evidence (the caller resolves afterwards)."""
    return store_parsed(store, read(path), str(Path(path).resolve()))


def merge(docs: Iterable[Any], where: str) -> Parsed:
    """Parse several JSON result pages (from :mod:`crewparity.sources.http`) into one result."""
    parsed = Parsed()
    for i, doc in enumerate(docs):
        parse_json_doc(doc, f"{where} page {i + 1}", parsed)
    return parsed
