"""The first-name model: probabilities, calls with an abstain band, decades, store adaptation, base rate."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from crewparity.errors import ArgumentError
from crewparity.gender import names

#: The 13 directors of Jessica Jones season 2 (the demo's facts), by name alone.
JJ_S2 = ["Anna Foerster", "Minkie Spiro", "Mairzee Almas", "Deborah Chow", "Millicent Shelton", "Jet Wilkinson",
         "Jennifer Getzinger", "Zetna Fuentes", "Rosemary Rodriguez", "Neasa Hardiman", "Jennifer Lynch",
         "Liz Friedlander", "Uta Briesewitz"]


def test_columns_order_and_sources() -> None:
    names_in = ["Deborah Chow", "S. J. Clarkson", "John Smith", "Zetna Fuentes", "Deborah Chow"]
    t = names.guess_names(names_in)
    assert t.column_names == ["name", "gender", "p_woman", "n", "source"]
    rows = t.to_pylist()
    assert [r["name"] for r in rows] == names_in
    assert [r["gender"] for r in rows] == ["woman", "unknown", "man", "unknown", "woman"]
    assert [r["source"] for r in rows] == ["name_model", "none", "name_model", "none", "name_model"]
    assert rows[1]["p_woman"] is None and rows[1]["n"] == 0  # initials: never guessed
    assert rows[3]["p_woman"] is None  # unseen: not guessed
    assert rows[0]["p_woman"] > 0.95 and rows[0]["n"] > 100_000
    assert rows[2]["p_woman"] < 0.05


def test_empty_input() -> None:
    t = names.guess_names([])
    assert t.num_rows == 0 and t.column_names == ["name", "gender", "p_woman", "n", "source"]


def test_jessica_jones_season_2_directors_no_one_called_a_man() -> None:
    rows = names.guess_names(JJ_S2).to_pylist()
    assert not [r["name"] for r in rows if r["gender"] == "man"]
    women = {r["name"] for r in rows if r["gender"] == "woman"}
    # common women's names are called; the rare or ambiguous ones abstain (see docs/gender.md)
    assert {"Deborah Chow", "Jennifer Getzinger", "Millicent Shelton", "Neasa Hardiman", "Liz Friedlander",
            "Anna Foerster", "Rosemary Rodriguez", "Uta Briesewitz", "Jennifer Lynch"} <= women


def test_a_korean_film_crew_by_name_alone(shared_data: Path) -> None:
    """Parasite's cast and crew as TMDB lists them (65 of the 71 with a gender are written family name first,
    "Park So-dam"): read by their given names, 24 are called at the default band (0.1, 0.9) and none wrongly.
    Read by the family name, as before, all but a handful abstained ("Kim", "Lee", "Park" are inside the band)."""
    credits = json.loads((shared_data / "tmdb_api" / "movieCredits.json").read_text(encoding="utf-8"))
    truth = {p["name"]: "woman" if p["gender"] == 1 else "man"
             for p in credits["cast"] + credits["crew"] if p.get("gender") in (1, 2)}
    rows = names.guess_names(list(truth)).to_pylist()
    called = {r["name"]: r["gender"] for r in rows if r["gender"] != "unknown"}
    assert {n: g for n, g in called.items() if g != truth[n]} == {}
    assert len(called) >= 24
    assert called["Bong Joon-ho"] == "man" and called["Jang Hye-jin"] == "woman"


def test_rare_names_abstain_rather_than_guess() -> None:
    rows = {r["name"]: r for r in names.guess_names(["Minkie Spiro", "Mairzee Almas"]).to_pylist()}
    # one source without counts / two observations: smoothed towards 0.5, inside the band
    assert rows["Minkie Spiro"]["gender"] == "unknown" and rows["Minkie Spiro"]["p_woman"] == pytest.approx(0.75)
    assert rows["Mairzee Almas"]["gender"] == "unknown" and rows["Mairzee Almas"]["n"] == 2


def test_abstain_band_is_applied() -> None:
    lo, hi = names.ABSTAIN_BAND
    assert 0 < lo < 0.5 < hi < 1
    p = names.guess_names(["Andrea Arnold"]).column("p_woman")[0].as_py()
    assert lo < p < hi  # Andrea: Italian men and English-speaking women
    assert names.guess_names(["Andrea Arnold"]).column("gender")[0].as_py() == "unknown"
    assert names.guess_names(["Andrea Arnold"], band=(0.5, 0.5)).column("gender")[0].as_py() == "woman"
    with pytest.raises(ArgumentError):
        names.guess_names(["Andrea Arnold"], band=(0.6, 0.9))


def test_birth_decade_moves_the_probability() -> None:
    old = names.guess_names(["Leslie Nielsen"], birth_year=1926).to_pylist()[0]
    young = names.guess_names(["Leslie Mann"], birth_year=1985).to_pylist()[0]
    plain = names.guess_names(["Leslie Mann"]).to_pylist()[0]
    assert old["p_woman"] < plain["p_woman"] < young["p_woman"]
    assert old["gender"] == "man"


def test_hyphenated_name_falls_back_to_its_first_part() -> None:
    rows = names.guess_names(["Jean-Pierre Jeunet", "Marie-Zzyzx Foo"]).to_pylist()
    assert rows[0]["gender"] == "man"  # the whole hyphenated name is known
    marie = names.guess_names(["Marie Foo"]).to_pylist()[0]
    assert rows[1]["p_woman"] == pytest.approx(marie["p_woman"])


def test_store_counts_adapt_the_prior() -> None:
    con = duckdb.connect()
    con.register("counts", pa.table({"key": ["jet", "zetna"], "women": [4000, 30], "men": [10, 0]}))
    table = names.build_name_table(con, "counts")
    rows = {r["name"]: r for r in names.guess_names(["Jet Wilkinson", "Zetna Fuentes"], table=table).to_pylist()}
    assert rows["Jet Wilkinson"]["gender"] == "woman"  # 4000 recorded women named Jet outweigh the capped prior
    assert rows["Jet Wilkinson"]["n"] == 3013 + 4010
    assert rows["Zetna Fuentes"]["source"] == "name_model" and rows["Zetna Fuentes"]["gender"] == "woman"
    prior_only = names.guess_names(["Jet Wilkinson"]).to_pylist()[0]
    assert prior_only["gender"] == "unknown"


def test_base_rate_is_the_share_of_women_in_the_training_counts() -> None:
    assert 0.4 < names.base_rate() < 0.6
    assert names.BASE_RATE == names.base_rate()


def test_describe_names_the_band() -> None:
    lo, hi = names.ABSTAIN_BAND
    assert f"({lo:.2f}, {hi:.2f})" in names.describe()


def test_n_is_the_evidence_behind_every_probability() -> None:
    """n counts what p_woman rests on: a name its source lists without counts carries one pseudo-observation and
    shows n 1 (it showed 0.75 with n 0, as if nothing stood behind it); no p_woman, n 0."""
    rows = {r["name"]: r for r in names.guess_names(["Minkie Spiro", "S. J. Clarkson"]).to_pylist()}
    assert rows["Minkie Spiro"]["p_woman"] == pytest.approx(0.75) and rows["Minkie Spiro"]["n"] == 1
    assert rows["S. J. Clarkson"]["p_woman"] is None and rows["S. J. Clarkson"]["n"] == 0
    con = duckdb.connect()
    con.register("counts", pa.table({"key": ["minkie"], "women": [1], "men": [0]}))
    adapted = names.guess_names(["Minkie Spiro"], table=names.build_name_table(con, "counts")).to_pylist()[0]
    assert adapted["p_woman"] == pytest.approx(2.5 / 3) and adapted["n"] == 2  # the pseudo-observation + 1 person
    table = names.build_name_table()
    assert pc.min(table.filter(pc.is_valid(table["p_woman"]))["n"]).as_py() >= 1
