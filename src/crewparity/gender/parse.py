"""First-name extraction, written once as DuckDB SQL (:func:`keys_sql`) so the store (15M people) and
`gender guess` use exactly the same rules, set-based, with no Python call per name.

Rules (why each exists):

* lower case, accents folded (``strip_accents`` plus the letters it leaves alone: ø, ł, đ, ß, æ, œ, ı), so
  "Zoë", "ZOE" and "Zoe" meet the same key; the prior's keys are folded the same way;
* nicknames in quotes and anything in brackets are dropped (``Robert "Bob" Smith``, ``Anna (II) Berg``);
  characters other than letters, digits and ``. , ' -`` separate tokens (a script the prior does not cover,
  e.g. Cyrillic or Han, leaves no key: unknown);
* titles (Mr, Mrs, Ms, Dr, Prof, Sir, Dame, ...) and suffixes (Jr., Sr., II, III, PhD, ...) are dropped;
* "Last, First" (a comma left after the suffixes are gone) takes the given names after the comma;
* otherwise the given names are every token but the last (the surname); a single token is a mononym;
* a particle (de, von, da, le, ...) leading the given names is dropped ("von Trier" has no first name);
* initials are never guessed: a lone letter, dotted letters ("S.", "J.R.") or a two-to-three letter token
  without a vowel ("SJ", "TJ") is an initial; the first given name that is not an initial is used
  ("J. Michael Straczynski" -> michael) and a name whose given names are all initials ("S. J. Clarkson")
  has no first name (NULL -> unknown);
* hyphenated first names are kept whole ("jean-pierre"); the model falls back to the first part when the
  whole is unknown;
* a Korean or Chinese name written family name first, as film credits (IMDb, TMDB) write them: a common family
  name and then one romanized given name whose syllables are joined by a hyphen with the second in lower case
  ("Park So-dam", "Bong Joon-ho", "Wong Kar-wai"), or written as two words that are both Korean given-name
  syllables ("Bong Joon Ho", "Lee Min Ho", as IMDb writes some), reads the given name, its syllables joined by a
  hyphen ("so-dam", "joon-ho"). Why: read the usual way, given name first, the first token is the family name,
  which the prior knows as a given name elsewhere ("Kim", "Lee", "Park": p 0.18-0.66, so the model abstained on
  every such name). The conditions together keep "Kim Basinger", "Lee Daniels", "Lee Ann Womack" and
  "Jean-Pierre Jeunet" as they were: a Western double-barrelled name writes the second part with a capital
  ("Smith-Jones"), and a Western middle name is not a Korean syllable.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

TITLES: tuple[str, ...] = ("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lady", "lord",
                           "rev", "reverend", "hon", "capt", "col", "gen", "lt", "sgt", "herr", "frau", "mme", "mlle")
SUFFIXES: tuple[str, ...] = ("jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "dds", "obe", "mbe", "cbe", "asc",
                             "bsc", "ace", "csc")
PARTICLES: tuple[str, ...] = ("de", "da", "di", "du", "des", "la", "le", "von", "der", "den", "ter", "ten", "zu", "dos",
                              "das", "do", "della", "af", "av")

#: Letters ``strip_accents`` leaves unchanged, and what they fold to (as unidecode, which built the prior).
_FOLD: tuple[tuple[str, str], ...] = (("ø", "o"), ("ł", "l"), ("đ", "d"), ("ß", "ss"), ("æ", "ae"), ("œ", "oe"),
                                      ("ı", "i"), ("’", "'"), ("‘", "'"), ("`", "'"), ("þ", "th"), ("ð", "d"))

#: Common Korean and Chinese family names in their usual romanizations (Revised, McCune-Reischauer, pinyin,
#: Wade-Giles, Cantonese), for names written family name first (see the module's rules).
FAMILY_FIRST_SURNAMES: tuple[str, ...] = (
    # Korean
    "Kim", "Gim", "Lee", "Yi", "Rhee", "Park", "Pak", "Bak", "Choi", "Choe", "Jung", "Jeong", "Chung", "Kang",
    "Gang", "Cho", "Jo", "Yoon", "Yun", "Jang", "Chang", "Lim", "Im", "Rim", "Han", "Oh", "Seo", "Suh", "Shin",
    "Sin", "Kwon", "Gwon", "Hwang", "Ahn", "An", "Song", "Jeon", "Jun", "Chun", "Hong", "Yoo", "Yu", "Ryu",
    "Ryoo", "Ko", "Go", "Moon", "Mun", "Yang", "Son", "Sohn", "Bae", "Baek", "Paik", "Heo", "Huh", "Nam", "Noh",
    "Roh", "Ha", "Kwak", "Sung", "Seong", "Cha", "Joo", "Ju", "Woo", "Min", "Na", "Jin", "Ji", "Um", "Eom",
    "Byun", "Byeon", "Chae", "Won", "Bang", "Pyo", "Yeon", "Mo", "Gil", "Ma", "Do", "Seok", "Yeo", "Shim",
    "Sim", "Hyun", "Hyeon", "Myung", "Gong", "Kong", "Tak", "Koo", "Ku", "Bong", "Wi", "Pyeon", "Ok", "Uhm",
    # Chinese
    "Wong", "Wang", "Chan", "Chen", "Cheung", "Zhang", "Leung", "Liang", "Lau", "Liu", "Lam", "Lin", "Ho", "He",
    "Ng", "Wu", "Tse", "Xie", "Li", "Chow", "Zhou", "Tsui", "Xu", "Hsu", "Hui", "Yip", "Ye", "Tang", "Deng",
    "Kwan", "Guan", "Fung", "Feng", "Lo", "Luo", "Law", "Yeung", "Hou", "Tsai", "Cai", "Huang", "Kwok", "Guo",
    "Mak", "Tam", "Tan", "Tong", "Sun", "Hu", "Zhu", "Gao", "Cheng", "Jiang", "Shen", "Pan", "Du", "Fan", "Lu",
    "Ding", "Wei", "Su", "Jia", "Zheng", "Xiao", "Yuan", "Peng", "Qiu", "Hsiao", "Tsao", "Cao", "Yen", "Yan",
)

#: Syllables of Korean given names in their usual romanizations (Revised, McCune-Reischauer and the common
#: spellings), for a given name written as two separate words after the family name ("Bong Joon Ho", as IMDb
#: writes him). Family names that are never a given-name syllable (Kim, Lee, Park, Choi) are left out, so
#: "Jin Young Kim", written given name first, keeps its usual reading.
KOREAN_GIVEN_SYLLABLES: tuple[str, ...] = (
    "A", "Ae", "Ah", "An", "Bae", "Beom", "Bin", "Bo", "Bok", "Bong", "Byung", "Byeong", "Chae", "Chan", "Chang",
    "Cheol", "Chul", "Cheon", "Chi", "Choon", "Chun", "Dae", "Deok", "Duk", "Do", "Dong", "Doo", "Eun", "Gi", "Ki",
    "Gil", "Gu", "Goo", "Guk", "Gyu", "Kyu", "Gyeong", "Kyung", "Kyeong", "Ha", "Hae", "Hak", "Han", "Hee", "Heon",
    "Hoon", "Hun", "Ho", "Hong", "Hwa", "Hwan", "Hyang", "Hye", "Hyo", "Hyuk", "Hyeok", "Hyun", "Hyeon", "Hyung",
    "Hyeong", "Il", "In", "Ja", "Jae", "Jang", "Je", "Jeong", "Jung", "Ji", "Jin", "Jo", "Joo", "Ju", "Jun", "Joon",
    "Kang", "Gang", "Kwang", "Gwang", "Geon", "Gun", "Kun", "Kyo", "Man", "Mi", "Min", "Mo", "Mok", "Moon", "Mun",
    "Myung", "Myeong", "Na", "Nam", "Ok", "Pil", "Rae", "Ran", "Ri", "Rim", "Rin", "Ryung", "Ryeong", "Sam", "Sang",
    "Se", "Seo", "Seok", "Suk", "Seon", "Sun", "Seong", "Sung", "Shik", "Sik", "Shin", "Sin", "So", "Sol", "Soo",
    "Su", "Sook", "Soon", "Tae", "Taek", "Un", "Won", "Wan", "Woo", "Wook", "Uk", "Ye", "Yeon", "Yeong", "Young",
    "Yong", "Yoo", "Yu", "Yoon", "Yun", "Yeol", "Yul",
)

_INITIAL_RE = r"^(([a-z]\.)+[a-z]?|[a-z]|[b-df-hj-np-tv-xz]{2,3})$"
_NAME_RE = r"^[a-z][a-z''-]*[a-z]$"  # '' : a quote inside the SQL literal


def _lit(values: Sequence[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def fold_sql(expr: str) -> str:
    """SQL: lower case and accents folded, as the keys of the name table (ASCII names skip the folding)."""
    out = f"strip_accents(lower({expr}))"
    for a, b in _FOLD:
        b_sql = b.replace("'", "''")
        out = f"replace({out}, '{a}', '{b_sql}')"
    return f"CASE WHEN strlen({expr}) = length({expr}) THEN lower({expr}) ELSE lower({out}) END"


_FIRSTS = "|".join((*TITLES, *SUFFIXES, *PARTICLES))
_LASTS = "|".join((*TITLES, *SUFFIXES))


def shortcut_key_sql(name_col: str = "name", *, shortcuts: bool = True) -> str:
    """SQL: the key of a name that needs no token lists, else NULL -- the first step of :func:`keys_sql`.

    Two cases: a Korean or Chinese name written family name first (a rule of its own, kept with
    ``shortcuts=False``), and a plain ASCII name. Where this gives NULL, :func:`keys_sql` goes on with the
    general rules.
    """
    # a Korean or Chinese name written family name first: the given name, with its syllables joined by a hyphen
    # ("Park So-dam" -> so-dam, "Bong Joon Ho" -> joon-ho). One anchored, case-sensitive regexp without a capture
    # decides (the hyphenated given name's second syllable in lower case; or two Korean given-name syllables);
    # the given name is everything after the first space.
    syllables = "|".join(KOREAN_GIVEN_SYLLABLES)
    family_first = (f"CASE WHEN regexp_matches({name_col}, '^(?:{'|'.join(FAMILY_FIRST_SURNAMES)}) "
                    f"(?:[A-Z][a-z]+-[a-z]+|(?:{syllables}) (?:{syllables}))$') "
                    f"THEN lower(replace(substr({name_col}, instr({name_col}, ' ') + 1), ' ', '-')) END")
    if not shortcuts:
        return family_first
    # the common case ("Jennifer Getzinger", "Mary Ann Smith"): plain tokens, the first neither a title nor a
    # particle nor vowel-less, the last no suffix -> the first token. Two anchored regexps decide (a capturing
    # regexp costs several times more): one that the name is plain, one that it starts or ends with a word to
    # drop (the first token is everything up to the first space, the last everything after the last one, since
    # a plain name has single spaces); a string function cuts. On the name as given: a plain name is ASCII, so
    # its folded form is lower() and only the key is lowered (the case-blind second regexp sees ASCII only).
    tok = "[A-Za-z][A-Za-z''-]*[A-Za-z]"
    plain = f"""CASE WHEN regexp_matches({name_col}, '^{tok}(?: {tok})+$')
                     AND NOT regexp_matches({name_col}, '(?i)^(?:{_FIRSTS}|[b-df-hj-np-tv-xz]{{2,3}}) | (?:{_LASTS})$')
                THEN lower(left({name_col}, instr({name_col}, ' ') - 1)) END"""
    return f"coalesce({family_first}, {plain})"


def keys_sql(relation: str, name_col: str = "name", key_col: str = "key", *, shortcuts: bool = True) -> str:
    """SQL: every column of ``relation`` plus ``key_col``, the first-name key of ``name_col`` (NULL: none).

    Built as chained sub-selects so that each step is computed once per row (a macro would be expanded, and
    recomputed, at every use of its argument). Row order is not kept: join back on an id.

    ``shortcuts=False`` sends every name through the token lists (the general rules), which the shortcuts for
    plain names must agree with; the tests compare both on the benchmark names.
    """
    drop_words = _lit([*TITLES, *SUFFIXES])
    particles = _lit(PARTICLES)
    # 1. folded, quoted nicknames and brackets removed, everything but letters, digits and . , ' - to a space
    #    (a script the prior does not use cannot match a key anyway), commas as their own token.
    clean = ("regexp_replace(regexp_replace(regexp_replace(cp_f, "
             "'\"[^\"]*\"|“[^”]*”|\\([^)]*\\)|\\[[^\\]]*\\]', ' ', 'g'), "
             "'[^a-z0-9.,''-]+', ' ', 'g'), ',', ' , ', 'g')")
    toks = f"list_filter(string_split(trim({clean}), ' '), lambda t: t <> '')"
    fast = shortcut_key_sql(name_col, shortcuts=shortcuts)
    # 0b. the shortcut's test on the folded name, for the plain names with accents ("Hélène Dupont", "José
    #     García"): most of the rest, and the token lists cost about ten times more per name (cp_f is NULL for
    #     the names the shortcut took)
    ltok = "[a-z][a-z''-]*[a-z]"
    fast_folded = f"""CASE WHEN regexp_matches(cp_f, '^{ltok}(?: {ltok})+$')
                     AND NOT regexp_matches(cp_f, '^(?:{_FIRSTS}|[b-df-hj-np-tv-xz]{{2,3}}) | (?:{_LASTS})$')
                THEN left(cp_f, instr(cp_f, ' ') - 1) END""" if shortcuts else "NULL::VARCHAR"
    kept = f"list_filter(cp_raw, lambda t: NOT list_contains({drop_words}, replace(t, '.', '')))"
    # 2. the given names: after a comma if one is left ("Clarkson, S. J."), else all but the surname; a single
    #    token is a mononym only if it was the whole name ("Dr. Smith" has no first name).
    given = """CASE
        WHEN list_position(cp_kept, ',') IS NOT NULL AND list_position(cp_kept, ',') < len(cp_kept)
            THEN list_filter(cp_kept[list_position(cp_kept, ',') + 1:], lambda t: t <> ',')
        WHEN len(list_filter(cp_kept, lambda t: t <> ',')) > 1 THEN list_filter(cp_kept, lambda t: t <> ',')[1:-2]
        WHEN len(list_filter(cp_raw, lambda t: t <> ',')) = 1 THEN list_filter(cp_kept, lambda t: t <> ',')
        ELSE [] END"""
    # 3. a leading particle dropped; the first given name that is not an initial and looks like a name.
    first = f"""nullif(replace(coalesce(list_filter(
                CASE WHEN len(cp_given) >= 1 AND list_contains({particles}, cp_given[1]) THEN cp_given[2:]
                     ELSE cp_given END,
                lambda t: NOT regexp_matches(t, '{_INITIAL_RE}') AND regexp_matches(replace(t, '.', ''), '{_NAME_RE}')
            )[1], ''), '.', ''), '')"""
    # the plain rows take the fast key; only the others go through the token lists (each step a CASE on the
    # fast key, which DuckDB evaluates for the rows without one only): one streaming pass, nothing materialised
    return f"""
        SELECT * EXCLUDE (cp_f, cp_fast, cp_raw, cp_kept, cp_given),
               CASE WHEN cp_fast IS NOT NULL THEN cp_fast ELSE {first} END AS {key_col} FROM (
            SELECT *, CASE WHEN cp_fast IS NULL THEN {given} END AS cp_given FROM (
                SELECT *, CASE WHEN cp_fast IS NULL THEN {kept} END AS cp_kept FROM (
                    SELECT *, CASE WHEN cp_fast IS NULL THEN {toks} END AS cp_raw FROM (
                      SELECT * REPLACE (coalesce(cp_fast, {fast_folded}) AS cp_fast) FROM (
                        SELECT *, CASE WHEN cp_fast IS NULL THEN {fold_sql(name_col)} END AS cp_f FROM (
                            SELECT *, {fast} AS cp_fast FROM ({relation})))))))"""


def first_names(names: Sequence[str | None]) -> list[str | None]:
    """The first-name key of each name (None: initials only, no usable token), by the same SQL as the store."""
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        tbl = pa.table({"i": pa.array(range(len(names)), pa.int64()), "name": pa.array(list(names), pa.string())})
        con.register("input_names", tbl)
        rows = con.execute(f"SELECT key FROM ({keys_sql('SELECT * FROM input_names')}) ORDER BY i").fetchall()
        return [r[0] for r in rows]
    finally:
        con.close()


def first_name(name: str | None) -> str | None:
    """The first-name key of one name (see :func:`first_names`)."""
    return first_names([name])[0]
