"""The registry's field rules (registry/validation.py): bounds, patterns, the formula guard, ID numbers, and the
reasons in Chinese by default and in English on request."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tuopin.apps.registry import validation as V
from tuopin.apps.registry.models import MONEY_FIELDS
from tuopin.common import idnumber


def refused(rule, value) -> str:
    with pytest.raises(V.Refused) as exc:
        rule(value)
    return str(exc.value)


def test_every_income_line_and_cost_has_a_bound_and_none_may_be_negative():
    for field in [f for f, _ in MONEY_FIELDS] + ["production_cost_fen", "renovation_cost_fen"]:
        rule = V.HOUSEHOLD_YEAR[field]
        limit = V.MONEY_MAX_YUAN[field] * 100
        assert rule(0) == 0 and rule(limit) == limit
        assert refused(rule, -1) == "不能为负数"
        assert refused(rule, limit + 1) == f"不能超过 {V.MONEY_MAX_YUAN[field]:,} 元"


def test_the_findings_of_the_review_are_refused_by_the_rules():
    assert refused(V.HOUSEHOLD_YEAR["production_cost_fen"], -500_000 * 100) == "不能为负数"
    assert refused(V.HOUSEHOLD_YEAR["wage_income_fen"], 10 ** 15) == "不能超过 10,000,000 元"
    assert refused(V.HOUSEHOLD_YEAR["members"], 100_000) == "必须在 1 到 30 之间"
    assert refused(V.HOUSEHOLD_YEAR["renovation_year"], 1) == f"必须在 1949 到 {dt.date.today().year} 之间"
    assert refused(V.phone, "=1+2") == "不能以 =、+、-、@ 开头（电子表格会把它当作公式执行）"


def test_reasons_follow_the_active_language():
    rule = V.HOUSEHOLD_YEAR["members"]
    with pytest.raises(V.Refused) as exc:
        rule(0)
    assert str(exc.value) == "必须在 1 到 30 之间"
    with translation.override("en"):
        assert str(exc.value) == "must be between 1 and 30"  # the same refusal, shown later in English


@pytest.mark.parametrize("value", ["13812345678", "138 1234 5678", "138-1234-5678", "0436-6234567", "043662345678",
                                   "(0436)6234567", "(010) 62345678", "010-62345678-123", "6234567", ""])
def test_phone_numbers_that_pass(value):
    assert V.phone(value) == value


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "138123456789", "+8613812345678", "0436-1234567",
                                   "abc", "138１２３４５６７８", "13812345678\n", "1" * 21, "*", "138****5678"])
def test_phone_numbers_that_fail(value):
    assert refused(V.phone, value) in (str(V.PHONE), str(V.FORMULA))


@pytest.mark.parametrize("value", ["=1+2", "+1", "-2+3", "@SUM(1)", " =1", "\t=1", "'=1+2", "' +1"])
def test_formula_like_text_is_refused_as_name_address_reason_and_phone(value):
    for rule in (V.PERSON["name"], V.HOUSEHOLD["address"], V.PERSON["left_reason"], V.phone):
        assert refused(rule, value) == str(V.FORMULA)


@pytest.mark.parametrize("value", ["张\u200b三", "张\n三", "张\x00三", "\u202e三张", "张\u2028三"])
def test_names_refuse_control_and_invisible_characters(value):
    assert refused(V.PERSON["name"], value) == str(V.CONTROL)


def test_names_keep_what_real_names_hold():
    for name in ("张三", "阿卜杜拉·买买提", "O'Brien", "''=", "\ue000家"):  # 生僻字 may sit in the private use area
        assert V.PERSON["name"](name) == name
    assert refused(V.PERSON["name"], " ") == "不能为空"
    assert refused(V.PERSON["name"], "张" * 33) == "超过 32 个字"


def test_identification_and_exit_years_lie_within_the_standards_years():
    import datetime as dt

    first, last = V.data_years()
    assert (first, last) == (2011, dt.date.today().year)  # lines carried on to this year (decision 1250)
    assert V.HOUSEHOLD["identified_year"](2014) == 2014 and V.HOUSEHOLD["exit_year"](None) is None
    assert V.HOUSEHOLD["exit_year"](2022) == 2022  # a household that returned to poverty exits again
    assert refused(V.HOUSEHOLD["exit_year"], last + 1) == f"必须在 2011 到 {last} 之间"
    assert refused(V.HOUSEHOLD["exit_year"], 2010) == f"必须在 2011 到 {last} 之间"


def test_areas_and_water():
    assert V.HOUSEHOLD["cultivated_land_mu"]("12.5") == Decimal("12.50")
    assert refused(V.HOUSEHOLD["cultivated_land_mu"], "-1") == "必须在 0 到 100,000 之间"
    assert refused(V.HOUSEHOLD["housing_area_m2"], "1.234") == "小数超过两位"
    assert refused(V.HOUSEHOLD_YEAR["water_litres_per_day"], 20_000) == "必须在 0 到 1000 之间"
    assert refused(V.HOUSEHOLD_YEAR["housing_grade"], "E") == "不是允许的住房安全等级"


def test_yuan_are_converted_without_rounding_and_beyond_every_bound_without_writing_out_digits():
    assert V.yuan(Decimal("12345.67")) == 1234567
    assert refused(V.yuan, Decimal("0.001")) == "小数超过两位"
    assert V.yuan(Decimal("1E+999999")) > V.MONEY_MAX_YUAN["unitemised_income_fen"] * 100
    assert refused(V.HOUSEHOLD_YEAR["wage_income_fen"], V.yuan(Decimal("-1E+999999"))) == "不能为负数"


def test_id_numbers_are_refused_with_translated_reasons():
    assert refused(V.id_number, "360426199101010072") == "校验码是 2，应为 1，请重新核对号码"
    assert refused(V.id_number, "360426910101007") == "是15位旧身份证号码，请填写18位号码"
    assert refused(V.id_number, 3.60426199101010e17) == "被 Excel 存成了数字，末尾几位已丢失；请把该列设为文本格式"
    assert V.id_number(" 360426199101010071 ") == "360426199101010071"


def test_full_width_digits_never_make_a_second_id_number_for_the_same_person():
    first17 = "11010519491001004"
    assert idnumber.check_char(first17) == "X"
    full_width = "".join(chr(ord(d) + 0xFEE0) for d in first17) + "X"
    assert refused(V.id_number, full_width) == "应为17位数字加1位数字或X"


def test_person_agreement_checks_sex_birth_date_and_disability_grade():
    pid = "360426199101010071"  # a man born 1 January 1991
    errors = V.person_agreement({"id_number": pid, "sex": "F", "birth_date": dt.date(1991, 1, 2),
                                 "disabled": False, "disability_grade": 2})
    assert {k: str(v) for k, v in errors.items()} == {
        "sex": "与身份证号码不符（身份证号码显示为男）",
        "birth_date": "与身份证号码不符（身份证号码显示为 1991-01-01）",
        "disability_grade": "只有健康状况含“残疾”的人才能填写残疾等级",
    }


def test_clean_collects_every_refusal_by_field():
    with pytest.raises(ValidationError) as exc:
        V.clean(V.HOUSEHOLD_YEAR, {"members": 0, "wage_income_fen": -5, "water_quality_ok": True})
    assert set(exc.value.message_dict) == {"members", "wage_income_fen"}
    assert V.clean(V.HOUSEHOLD, {"other_causes": "8,5,5", "address": "西岗村"}) == {"other_causes": "5,8",
                                                                                  "address": "西岗村"}
