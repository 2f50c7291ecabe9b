"""Would a field-aware abstain band beat the symmetric default on a crew-like population?

The question (issue 3): crews are mostly men (published studies: 18-28% women in key roles), and a name model's
probabilities are calibrated on whole populations (base rate 0.49). Bayes then says a call for "woman" needs
stronger evidence in a crew than in the population, and a call for "man" less: apply nomquamgender's own rule
(call when the probability of the other gender is at most 0.10) to the probability *shifted to the field's base
rate* (Saerens et al. 2002), which is an asymmetric band in the model's own probabilities. This script measures
that band beside the default, without choosing anything on the data it measures:

* the band comes from a formula (field base rate 0.23 or 0.25 or 0.30, the rule's 0.10), not from any benchmark;
* each public benchmark is scored as it is and **reweighted to 23% women** (each woman weighs 0.23 / the file's
  share of women, each man 0.77 / the file's share of men): real names, a crew's mix of genders;
* synth truth people (``--synth DIR``, a ``crewparity synth`` folder), crew only (no actor or actress
  profession): 23% women by the generator, but their names come from the prior's own lists (optimistic, and
  calibrated exactly as the Bayes argument assumes, so they flatter the shifted band).

The Santamaria-Mihaljevic set flatters the model (nomquamgender's data contains its names).

Usage::

    python benchmarks/band_shift.py [--synth DIR]
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO.parent / "shared" / "data" / "benchmarks"
SETS = {
    "Sebo 2021": ("sebo_2021_swiss_physicians.csv", "fname", "real_gender"),
    "Santamaria-Mihaljevic 2018 (flatters the model)": ("santamaria_mihaljevic_2018.csv", "full_name", "gender"),
}
RULE = 0.10  # nomquamgender's: call when the other gender's probability is at most this
FIELD_RATES = (0.23, 0.25, 0.30)
CREW_MIX = 0.23


def shifted_band(field_rate: float, base_rate: float, rule: float = RULE) -> tuple[float, float]:
    """The band in the model's probabilities that is (rule, 1 - rule) after shifting to ``field_rate``."""
    ratio = (field_rate / (1 - field_rate)) / (base_rate / (1 - base_rate))
    lo_odds, hi_odds = rule / (1 - rule) / ratio, (1 - rule) / rule / ratio
    return lo_odds / (1 + lo_odds), hi_odds / (1 + hi_odds)


def score(p: np.ndarray, woman: np.ndarray, weights: np.ndarray, band: tuple[float, float]) -> tuple[float, float]:
    """errorCodedWithoutNA and naCoded (Santamaria & Mihaljevic 2018), each row counted with its weight."""
    lo, hi = band
    called_w, called_m = p >= hi, p <= lo  # NaN (no probability) is neither
    wrong = weights[(called_w & ~woman) | (called_m & woman)].sum()
    coded = weights[called_w | called_m].sum()
    return float(wrong / coded), float(1 - coded / weights.sum())


def _labelled(path: Path, name_col: str, gender_col: str) -> tuple[list[str], np.ndarray]:
    names, woman = [], []
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            label = {"f": True, "female": True, "m": False, "male": False}.get(row[gender_col].strip().lower())
            if label is not None:
                names.append(row[name_col])
                woman.append(label)
    return names, np.array(woman, dtype=bool)


def _synth_crew(folder: Path) -> tuple[list[str], list[int | None], np.ndarray]:
    import duckdb

    d = str(folder).replace("'", "''")
    rows = duckdb.connect().execute(f"""
        SELECT n.primaryName, try_cast(n.birthYear AS INTEGER), t.gender = 'woman'
        FROM read_csv('{d}/name.basics.tsv.gz', delim = '\t', quote = '', all_varchar = true, header = true,
                      nullstr = '\\N') n
        JOIN read_csv('{d}/truth.people.tsv.gz', delim = '\t', quote = '', all_varchar = true, header = true) t
        USING (nconst)
        WHERE t.gender IN ('woman', 'man') AND n.primaryProfession IS NOT NULL
          AND NOT regexp_matches(n.primaryProfession, '(^|,)(actor|actress)(,|$)')""").fetchall()
    return [r[0] for r in rows], [r[1] for r in rows], np.array([r[2] for r in rows], dtype=bool)


def _report(label: str, p: np.ndarray, woman: np.ndarray, base_rate: float, reweight: bool) -> None:
    from crewparity.gender import names

    weights = np.ones(len(woman))
    if reweight:
        share = woman.mean()
        weights = np.where(woman, CREW_MIX / share, (1 - CREW_MIX) / (1 - share))
    mix = f"reweighted to {CREW_MIX:.0%} women" if reweight else f"as it is ({woman.mean():.1%} women)"
    print(f"\n{label}, {len(woman):,} labelled names, {mix}")
    bands = [("default (symmetric)", names.ABSTAIN_BAND)]
    bands += [(f"shifted to {r:.0%} women", shifted_band(r, base_rate)) for r in FIELD_RATES]
    for what, band in bands:
        err, na = score(p, woman, weights, band)
        print(f"  {what:<24} band {band[0]:.3f}-{band[1]:.3f}   errorCodedWithoutNA {err:.4f}   naCoded {na:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synth", type=Path, help="a `crewparity synth` folder: its crew truth people too")
    args = parser.parse_args()

    from crewparity import api_gender
    from crewparity.gender import names

    base_rate = names.base_rate()
    print(f"model base rate {base_rate:.3f}; rule {RULE} on the shifted probability")
    for label, (file, name_col, gender_col) in SETS.items():
        given, woman = _labelled(BENCH / file, name_col, gender_col)
        p = np.array([np.nan if v is None else v for v in api_gender.guess(given).column("p_woman").to_pylist()])
        for reweight in (False, True):
            _report(label, p, woman, base_rate, reweight)
    if args.synth:
        given, years, woman = _synth_crew(args.synth)
        import pyarrow as pa

        g = names.guess_arrow(pa.array(given, pa.string()), pa.array(years, pa.int32()))
        p = np.array([np.nan if v is None else v for v in g.column("p_woman").to_pylist()])
        _report(f"synth crew truth people in {args.synth} (optimistic)", p, woman, base_rate, False)


if __name__ == "__main__":
    main()
