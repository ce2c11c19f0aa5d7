"""ID numbers as rosters bring them: normalised before they are compared, checked before they are trusted.

The rules of a valid number are tuopin.common.idnumber's (GB 11643-1999); here only what a department's file adds:
full-width digits and a lower-case x typed by an input method, and the same rules as DuckDB SQL so that a
100-million-row roster is checked without a Python loop."""

from __future__ import annotations

from tuopin.common import idnumber

FULL_WIDTH = "０１２３４５６７８９ｘＸ　"
HALF_WIDTH = "0123456789xX "
_TO_HALF = str.maketrans(FULL_WIDTH, HALF_WIDTH)


def normalise(raw: object) -> str:
    """Half-width, trimmed, upper-case X; '' for nothing. No validation."""
    if raw is None:
        return ""
    return idnumber.normalise(str(raw).translate(_TO_HALF))


def valid(raw: object) -> str | None:
    """The normalised number if it is a valid resident ID number (check digit included), else None."""
    try:
        return idnumber.parse(normalise(raw)).value
    except idnumber.IDNumberError:
        return None


def sql_normalise(column: str) -> str:
    """The SQL of `normalise` over a VARCHAR column."""
    return f"upper(trim(translate({column}, '{FULL_WIDTH}', '{HALF_WIDTH}')))"


def sql_valid(expr: str) -> str:
    """SQL true when a normalised number has the shape and the check character of a valid one (the birth date's
    existence is left to the likeness pass's comparison: a number of the right check digit but an impossible date
    is vanishingly rare in a roster, and the join would find no one under it). DuckDB's SQL that sqlglot turns
    into Spark's as it is (the Spark match runs it too)."""
    # A digit's value by its place in '0123456789' rather than a cast or a character code: SQL does not promise
    # to skip the arithmetic of a row whose shape failed, and a digit's place is never an error.
    terms = " + ".join(f"{w} * (instr('0123456789', substr({expr}, {k + 1}, 1)) - 1)"
                       for k, w in enumerate(idnumber.WEIGHTS))
    return (f"(CASE WHEN regexp_matches({expr}, '^[0-9]{{17}}[0-9X]$') "
            f"THEN substr('{idnumber.CHECK_CHARS}', (({terms}) % 11) + 1, 1) = substr({expr}, 18, 1) "
            "ELSE FALSE END)")
