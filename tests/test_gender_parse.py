"""First-name extraction (the SQL that resolve and `gender guess` share): what counts as a first name."""

from __future__ import annotations

import pytest

from crewparity.gender.parse import first_name, first_names


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Jennifer Getzinger", "jennifer"),
        ("Mary Ann Smith", "mary"),
        ("AARON MATHIEU", "aaron"),
        ("Zoë Kravitz", "zoe"),
        ("Bjørn Borg", "bjorn"),
        ("Łukasz Żal", "lukasz"),
        ("Chloé Zhao", "chloe"),
        ("Jean-Pierre Jeunet", "jean-pierre"),
        ("Mary-Kate Olsen", "mary-kate"),
        ("Sammy Davis Jr.", "sammy"),
        ("John Smith III", "john"),
        ("Dr. Carl Sagan", "carl"),
        ("Dame Judi Dench", "judi"),
        ('Robert "Bob" Smith', "robert"),
        ("Anna (II) Berg", "anna"),
        ("Lynch, Jennifer", "jennifer"),
        ("de la Iglesia, Álex", "alex"),
        ("Smith, John, Jr.", "john"),
        ("J. Michael Straczynski", "michael"),
        ("M. Night Shyamalan", "night"),
        ("Le Anne Schreiber", "anne"),
        ("Lars von Trier", "lars"),
        ("Madonna", "madonna"),
        ("D'Angelo Smith", "d'angelo"),
        ("Al Pacino", "al"),
        ("Anna\tBerg", "anna"),
        # Korean and Chinese names written family name first, as film credits write them: the given name
        ("Park So-dam", "so-dam"),
        ("Bong Joon-ho", "joon-ho"),
        ("Wong Kar-wai", "kar-wai"),
        ("Hou Hsiao-hsien", "hsiao-hsien"),
        # ... and only in that form: a Western name starting with a family name of the list stays as it was
        ("Kim Basinger", "kim"),
        ("Lee Daniels", "lee"),
        ("Kim Smith-Jones", "kim"),  # a double-barrelled surname has its capital
        ("Bong Joon Ho", "joon-ho"),  # the given name as two words, as IMDb writes him
        ("Lee Min Ho", "min-ho"),
        ("Ha Jung Woo", "jung-woo"),
        ("Lee Ann Womack", "lee"),  # a Western middle name is no Korean syllable
        ("Jin Young Kim", "jin"),  # written given name first: Kim is no given-name syllable
        ("Kim Min Ho Smith", "kim"),  # four words: not this form
        ("Song Kang-Ho", "song"),  # a capital after the hyphen: read as a Western double-barrelled name
        ("Kim Ki-Duk", "kim"),
        ("Jean-Pierre Jeunet", "jean-pierre"),
    ],
)
def test_first_given_name(name: str, key: str) -> None:
    assert first_name(name) == key


@pytest.mark.parametrize(
    "name",
    [
        "S. J. Clarkson",  # initials only: never guessed
        "Clarkson, S. J.",
        "SJ Clarkson",  # vowel-less two letters are initials too
        "T.J. Miller",
        "J.R.R. Tolkien",
        "A. Nehad",
        "Dr. Smith",  # a title and a surname: no first name
        "Mrs. Doubtfire",
        "von Trier",  # a particle and a surname
        "123 Test",
        "Владимир Путин",  # a script the prior does not cover
        "",
        "   ",
        None,
    ],
)
def test_no_first_name(name: str | None) -> None:
    assert first_name(name) is None


def test_order_and_length_are_kept() -> None:
    names = ["S. J. Clarkson", "Deborah Chow", None, "Jet Wilkinson", "Deborah Chow"]
    assert first_names(names) == [None, "deborah", None, "jet", "deborah"]
    assert first_names([]) == []


def test_shortcuts_agree_with_the_general_rules(shared_data) -> None:  # type: ignore[no-untyped-def]
    """The shortcuts for plain names (ASCII as given, and accented once folded) must give exactly the key the
    token lists give: compared on every name of both benchmarks and on odd forms."""
    import csv

    import duckdb
    import pyarrow as pa

    from crewparity.gender.parse import keys_sql

    names: list[str] = []
    for file, col in (("santamaria_mihaljevic_2018.csv", "full_name"), ("sebo_2021_swiss_physicians.csv", "fname")):
        with (shared_data / "benchmarks" / file).open(encoding="utf-8") as fh:
            names += [row[col] for row in csv.DictReader(fh)]
    names += ["Hélène Dupont", "José de la Cruz", "Ana Sr", "Çağla Şahin", "Søren Kierkegaard", "Ng Smith", "Mr Bean",
              "María  José", "Zoë O'Neil", "Renée-Lise Jr", "Élodie", "Dr. Zoë Ball", "Łukasz Żal", "Jürgen Prochnow"]
    con = duckdb.connect()
    con.register("t", pa.table({"i": pa.array(range(len(names))), "name": pa.array(names)}))
    fast = dict(con.sql(f"SELECT i, key FROM ({keys_sql('SELECT * FROM t')})").fetchall())
    general = dict(con.sql(f"SELECT i, key FROM ({keys_sql('SELECT * FROM t', shortcuts=False)})").fetchall())
    assert len(fast) == len(names) > 13_000
    assert [(names[i], fast[i], general[i]) for i in fast if fast[i] != general[i]] == []
    # the names hold many of both kinds the shortcuts are for (plain ASCII, plain once folded)
    assert sum(1 for i in fast if fast[i] is not None and names[i].isascii()) > 5_000
    assert sum(1 for i in fast if fast[i] is not None and not names[i].isascii()) > 100
