import datetime as dt

import duckdb
import pytest

from tuopin.common import idnumber
from tuopin.linkage import ids

VALID = idnumber.make("220821", dt.date(1980, 5, 6), 123, "M")
WITH_X = next(n for s in range(500) if (n := idnumber.make("220821", dt.date(1975, 1, 2), s, "F")).endswith("X"))


def test_normalise_takes_full_width_digits_spaces_and_a_lower_case_x():
    full = "".join(chr(ord(c) + 0xFEE0) for c in WITH_X[:17]) + "ｘ"
    assert ids.normalise(f"　{full} ") == WITH_X
    assert ids.normalise(WITH_X.lower()) == WITH_X
    assert ids.normalise(None) == ""


def test_valid_checks_the_check_digit():
    assert ids.valid(VALID) == VALID
    assert ids.valid(WITH_X[:17] + "x") == WITH_X
    transposed = VALID[:8] + VALID[9] + VALID[8] + VALID[10:]
    assert ids.valid(transposed) is None
    assert ids.valid(VALID[:17] + ("0" if VALID[17] != "0" else "1")) is None
    assert ids.valid("") is None


@pytest.mark.parametrize("raw", [VALID, WITH_X, WITH_X.lower(), VALID[:8] + VALID[9] + VALID[8] + VALID[10:],
                                 VALID[:17] + "X" if not VALID.endswith("X") else VALID[:17] + "0",
                                 "１" + VALID[1:], "12345", "", None, VALID + "1", "22082119800506233Y"])
def test_the_sql_check_agrees_with_the_python_one(raw):
    expr = ids.sql_valid(ids.sql_normalise("x"))
    ((sql,),) = duckdb.connect().execute(f"SELECT {expr} FROM (SELECT CAST($1 AS VARCHAR) AS x)", [raw]).fetchall()
    assert sql is (ids.valid(raw) is not None)
