import datetime as dt

import pytest

from tuopin.common import idnumber
from tuopin.common.masking import mask_id, mask_phone, mask_text


@pytest.mark.parametrize("value,sex,birth", [
    ("360426199101010071", "M", dt.date(1991, 1, 1)),
    ("120103198806018241", "F", dt.date(1988, 6, 1)),
])
def test_valid_numbers_decode(value, sex, birth):
    parsed = idnumber.parse(value)
    assert (parsed.value, parsed.sex, parsed.birth_date) == (value, sex, birth)


def test_bad_check_digit_names_the_expected_one():
    with pytest.raises(idnumber.IDNumberError, match="check digit is 2, expected 1"):
        idnumber.parse("360426199101010072")


def test_date_that_does_not_exist():
    first17 = "36042619910230007"  # 30 February
    with pytest.raises(idnumber.IDNumberError, match="does not exist"):
        idnumber.parse(first17 + idnumber.check_char(first17))


def test_future_birth_date_refused():
    first17 = "36042620990101007"
    with pytest.raises(idnumber.IDNumberError, match="future"):
        idnumber.parse(first17 + idnumber.check_char(first17), today=dt.date(2026, 1, 1))


def test_lower_case_x_and_spaces_are_normalised():
    first17 = "11010519491001004"
    assert idnumber.check_char(first17) == "X"
    assert idnumber.parse(f"  {first17}x \t").value == first17 + "X"


def test_fifteen_digit_legacy_number_refused_with_its_own_message():
    with pytest.raises(idnumber.IDNumberError, match="15-digit legacy"):
        idnumber.parse("360426910101007")


@pytest.mark.parametrize("excel_value", [3.60426199101010e17, "3.60426E+17"])
def test_number_stored_by_excel_is_refused(excel_value):
    with pytest.raises(idnumber.IDNumberError, match="stored as a number by Excel"):
        idnumber.parse(excel_value)


def test_make_composes_valid_numbers_with_the_right_sex():
    for n, sex in ((1, "M"), (2, "F"), (357, "M"), (998, "F")):
        parsed = idnumber.parse(idnumber.make("220821", dt.date(1980, 2, 29), n, sex))
        assert parsed.sex == sex and parsed.birth_date == dt.date(1980, 2, 29)


def test_masking():
    assert mask_id("360426199101010071") == "360426********0071"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_text("证件 360426199101010071 电话13812345678") == "证件 360426********0071 电话138****5678"
