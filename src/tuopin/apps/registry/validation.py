"""The field rules of registry records: one place, one reason, whichever door a value comes through.

Doors: the API (`tuopin.api.edits`), the edit pages (`tuopin.web.forms`) and the import
(`exchange/layout.py`, `parse.py`, `plan.py`). The write services (`services.py`) call `clean` on every value
they are given before they save, so no door can go around the rules; the doors call the same rules early,
only to put a refusal next to its field or cell. A door parses its own representation first (a JSON
integer, a form's yuan, a spreadsheet cell, an enumeration's code or national label); every range, pattern
and guard after that lives here. Decision 1120.

A rule takes a value of the registry's type (integer fen for money, int for years, str for text) and returns
it normalised, or raises `Refused`, a ValueError whose text is the reason in the active language (Chinese
by default, through the project's catalogue) — so the import report, the API's 400 and the form say the
same words. `clean(rules, values)` runs a table of rules and raises one Django ValidationError
{field: [reasons]}.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from tuopin.common import idnumber
from tuopin.common.money import yuan_to_fen
from tuopin.common.spreadsheet import FORMULA_START, formula_like
from tuopin.standards.loader import load as load_standards

from . import choices as c
from .models import MONEY_FIELDS

Rule = Callable[[Any], Any]


class Refused(ValueError):
    """A value a rule refuses; `str()` gives the reason in the active language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def _format(message, params: dict) -> str:
    return str(message) % params


# A reason with its values, translated when it is shown (a request's language, or the command line's).
say = lazy(_format, str)


# ---- bounds ---------------------------------------------------------------------------------------------
# Upper bounds no rural household reaches; they stop typing slips and forged values (10^15 fen of wages,
# a cost of −500,000 yuan) from reaching the assessment. In yuan a year, for the whole household.

MARKET_INCOME_MAX_YUAN = 10_000_000
# 工资性 / 生产经营性 / 财产性收入 and 生产经营性支出: thirty members earning a city professional's salary stay far below.
TRANSFER_MAX_YUAN = 1_000_000
# Transfers are set by policy: the highest rural 低保 standard of 2020 was about 15,000 yuan a person a year,
# 特困供养 about 1.3 times that, the rural basic pension a few thousand, 计划生育奖扶 about 1,000, dividends of
# 资产收益扶贫 a few thousand a household. A million for thirty members is out of reach on every transfer line.
PER_CAPITA_MAX_YUAN = 1_000_000  # 人均纯收入 of a national file: 250 times the 2020 poverty line
MEMBERS_MIN, MEMBERS_MAX = 1, 30  # 人数: rural households of more than 15 are rare; 30 leaves room
UNITEMISED_MAX_YUAN = PER_CAPITA_MAX_YUAN * MEMBERS_MAX  # a national file's 人均纯收入 × 人数 lands here (0201)
RENOVATION_COST_MAX_YUAN = 1_000_000  # reference costs 5,000–25,000 (standards); relocation about 60,000 a person
SHOCK_MAX_YUAN = 10_000_000  # 自付医疗费用, 教育支出, 灾害损失: a transplant or a house and herd lost stay below

MONEY_MAX_YUAN = {
    "wage_income_fen": MARKET_INCOME_MAX_YUAN,
    "business_income_fen": MARKET_INCOME_MAX_YUAN,
    "property_income_fen": MARKET_INCOME_MAX_YUAN,
    "dividend_income_fen": TRANSFER_MAX_YUAN,
    "dibao_fen": TRANSFER_MAX_YUAN,
    "tekun_fen": TRANSFER_MAX_YUAN,
    "pension_fen": TRANSFER_MAX_YUAN,
    "family_planning_fen": TRANSFER_MAX_YUAN,
    "eco_compensation_fen": TRANSFER_MAX_YUAN,
    "other_transfer_fen": TRANSFER_MAX_YUAN,
    "unitemised_income_fen": UNITEMISED_MAX_YUAN,
    "production_cost_fen": MARKET_INCOME_MAX_YUAN,  # a cost, never negative: a refund is not a cost
    "renovation_cost_fen": RENOVATION_COST_MAX_YUAN,
    "medical_expense_fen": SHOCK_MAX_YUAN,
    "education_expense_fen": SHOCK_MAX_YUAN,
    "disaster_loss_fen": SHOCK_MAX_YUAN,
}
assert set(MONEY_MAX_YUAN) >= {f for f, _ in MONEY_FIELDS}  # every income line has its bound

FIRST_RENOVATION_YEAR = 1949  # 危房改造年度: no house counts as renovated before the People's Republic
WORK_MONTHS = (0, 12)
DISABILITY_GRADES = (1, 4)  # 残疾等级 一级 … 四级
WATER_LITRES_MAX = 1_000  # 人均日供水: the standard asks for 35 (20 in water-short areas); cities use about 200
WATER_MINUTES_MAX = 24 * 60  # a round trip to fetch water within a day
WATER_CUT_DAYS_MAX = 366
LAND_MU_MAX = Decimal(100_000)  # 耕地面积: the largest family farms of the north-east hold some thousands of mu
HOUSING_AREA_M2_MAX = Decimal(10_000)  # 住房面积
NAME_MAX, ADDRESS_MAX, REASON_MAX, PHONE_MAX = 32, 128, 32, 20  # the model's columns


def data_years() -> tuple[int, int]:
    """The first and last year the standards give a poverty line for (2011 to this year, the lines carried on
    after the transition period: decision 1250): 识别, 脱贫 and a return's new exit happen there."""
    years = load_standards().years()
    return years[0], years[-1]


# ---- reasons --------------------------------------------------------------------------------------------

NOT_A_NUMBER = _("is not a number")
NOT_WHOLE = _("must be a whole number")
NOT_A_DATE = _("is not a date (YYYY-MM-DD)")
NEGATIVE = _("cannot be negative")
TOO_MUCH_MONEY = _("must be at most %(limit)s yuan")
DECIMALS = _("has more than two decimal places")
BETWEEN = _("must be between %(low)s and %(high)s")
EMPTY = _("must not be empty")
TOO_LONG = _("is longer than %(limit)s characters")
CONTROL = _("must not contain line breaks, tabs or invisible control characters")
FORMULA = _("must not start with =, +, - or @ (a spreadsheet would run it as a formula)")
PHONE = _("is not a phone number: give an 11-digit mobile number, or a landline number with its area code")
CHOICE = _("is not an allowed value of %(what)s")
CAUSE = _("%(code)s is not a cause of poverty")
FUTURE = _("is in the future")
SEX_MISMATCH = _("does not match the ID number, which gives %(sex)s")
BIRTH_MISMATCH = _("does not match the ID number, which gives %(date)s")
BIRTH_MISMATCH_UNQUOTED = _("does not match the ID number")
GRADE_WITHOUT_DISABILITY = _("a disability grade is only for a person whose health includes 残疾 (disability)")
ID_TAKEN = _("this ID number is already used by %(name)s in household %(household)s")
# The same words from every door, naming nobody, for a holder outside the area or an account that may not see
# ID numbers (decision 1103).
ID_TAKEN_ELSEWHERE = _("this ID number cannot be recorded here: it is already registered; ask the county "
                       "poverty alleviation office (扶贫办) to resolve it")
ID_INVALID = _("is not a valid resident ID number")
EXCEL_NUMBER = _("was stored as a number by Excel and its last digits are lost; format the column as text")
ID_REASONS = {  # tuopin.common.idnumber's refusals by code
    "excel": EXCEL_NUMBER,
    "empty": EMPTY,
    "legacy": _("is an old 15-digit number; give the 18-digit ID number"),
    "length": _("must have 18 characters, not %(length)s"),
    "shape": _("must be 17 digits followed by a digit or X"),
    "no_such_date": _("contains a birth date that does not exist: %(digits)s"),
    "future": _("contains a birth date in the future: %(date)s"),
    "too_old": _("contains an implausible birth year: %(year)s"),
    "check_digit": _("has the check character %(given)s where %(expected)s is expected: read the number again"),
}
SEX_WORDS = dict(c.Sex.choices)  # the national words 男 / 女, as the import and the pages write them

# Enumerations, named as the reason names them.
WHAT = {
    "attribute": _("household attribute"), "primary_cause": _("cause of poverty"), "sex": _("sex"),
    "relation": _("relation to the head"), "ethnicity": _("ethnicity"), "education": _("education"),
    "school_status": _("school status"), "labour_ability": _("labour ability"), "work_status": _("work status"),
    "housing_grade": _("housing safety grade"), "renovation": _("renovation"),
}


# ---- rules ----------------------------------------------------------------------------------------------

def _integer(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, (float, Decimal)):
        if not (value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)):
            raise Refused(NOT_A_NUMBER)
        if value != int(value):
            raise Refused(NOT_WHOLE)
        return int(value)
    raise Refused(NOT_A_NUMBER)


def between(low: int | Callable[[], int], high: int | Callable[[], int], *, blank: bool = False) -> Rule:
    """A whole number from `low` to `high` (either may be a function, for bounds that move with the date)."""
    def rule(value):
        if value is None and blank:
            return None
        number = _integer(value)
        lo, hi = (b() if callable(b) else b for b in (low, high))
        if not lo <= number <= hi:
            raise Refused(say(BETWEEN, {"low": lo, "high": hi}))
        return number
    return rule


def money(limit_yuan: int) -> Rule:
    """An amount in integer fen: not negative, at most `limit_yuan`."""
    def rule(value):
        fen = _integer(value)
        if fen < 0:
            raise Refused(NEGATIVE)
        if fen > limit_yuan * 100:
            raise Refused(say(TOO_MUCH_MONEY, {"limit": f"{limit_yuan:,}"}))
        return fen
    return rule


# 人均纯收入 of a national file (the import's column; the registry derives its own and never takes one).
per_capita_income = money(PER_CAPITA_MAX_YUAN)


_BEYOND_ANY_BOUND = Decimal(10) ** 15  # yuan; more than every bound above, and exact in fen


def _decimal(value) -> Decimal:
    """A number as typed (a form) or written (a file), with at most two decimals: more are refused, not rounded."""
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value).replace(",", "").strip())
        except InvalidOperation:
            raise Refused(NOT_A_NUMBER) from None
    if not value.is_finite():
        raise Refused(NOT_A_NUMBER)
    if value.as_tuple().exponent < -2:
        raise Refused(DECIMALS)
    return value


def yuan(amount: Decimal) -> int:
    """Yuan as typed (a form) or written (a file) → integer fen."""
    amount = _decimal(amount)
    if abs(amount) >= _BEYOND_ANY_BOUND:  # 1E+999999 is finite too: no need to write out its digits
        return int(_BEYOND_ANY_BOUND * 100) * (-1 if amount < 0 else 1)
    return yuan_to_fen(amount)


def area(limit: Decimal) -> Rule:
    """耕地面积 / 住房面积: not negative, at most `limit`, two decimals."""
    def rule(value):
        number = _decimal(value)
        if not 0 <= number <= limit:
            raise Refused(say(BETWEEN, {"low": 0, "high": f"{limit:,}"}))
        return number.quantize(Decimal("0.01"))
    return rule


_INVISIBLE = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))  # controls, zero-width and direction marks, separators
_SUSPECT_FIRST = frozenset(FORMULA_START) | {"'"}


def formula(value: str) -> bool:
    """Formula-like (tuopin.common.spreadsheet), also behind the apostrophe the export writes before such text:
    the import takes that apostrophe off, so `'=1+2` is refused alike through every door."""
    first = value[:1]
    if not first or (first not in _SUSPECT_FIRST and not first.isspace()):
        return False  # the common case, decided by the first character (an import meets 170,000 names)
    return formula_like(value) or (first == "'" and formula_like(value[1:]))


def text(limit: int, *, required: bool = False) -> Rule:
    """One line of free text (a name, an address, a reason): never formula-like, no control characters.

    The formula guard comes before the length: the import's reading of `'=…` is one character shorter."""
    def rule(value):
        value = "" if value is None else str(value)
        if required and not value.strip():
            raise Refused(EMPTY)
        if formula(value):
            raise Refused(FORMULA)
        if not value.isprintable() and any(unicodedata.category(ch) in _INVISIBLE for ch in value):
            raise Refused(CONTROL)  # isprintable() is False for all of them (and for a few harmless ones)
        if len(value) > limit:
            raise Refused(say(TOO_LONG, {"limit": limit}))
        return value
    return rule


_KEY = re.compile(r"[0-9A-Za-z_-]+")
KEY_CHARACTERS = _("may hold only digits, letters, '-' and '_'")


def key(limit: int) -> Rule:
    """户编号 / 人编号: ASCII letters, digits, '-' and '_'."""
    def rule(value):
        value = "" if value is None else str(value)
        if not value:
            raise Refused(EMPTY)
        if formula(value):
            raise Refused(FORMULA)
        if len(value) > limit:
            raise Refused(say(TOO_LONG, {"limit": limit}))
        if not _KEY.fullmatch(value):
            raise Refused(KEY_CHARACTERS)
        return value
    return rule


HOUSEHOLD_NUMBER, PERSON_NUMBER = key(24), key(28)


# Mobile: 1[3-9]x xxxx xxxx, optionally grouped by spaces or hyphens. Landline: a local number of 7 or 8
# digits, after an area code (0 + 2 or 3 digits, optionally in parentheses) and before an extension.
_MOBILE = re.compile(r"1[3-9][0-9](?:[ -]?[0-9]{4}){2}")
_LANDLINE = re.compile(r"(?:0[1-9][0-9]{1,2}[ -]?|\(0[1-9][0-9]{1,2}\) ?)?[2-9][0-9]{6,7}(?:-[0-9]{1,6})?")


def phone(value: Any) -> str:
    """A mobile or landline number, or blank. Never a leading + (formula-like): no +86."""
    value = "" if value is None else str(value)
    if not value:
        return value
    if formula(value):
        raise Refused(FORMULA)
    if len(value) > PHONE_MAX or not (_MOBILE.fullmatch(value) or _LANDLINE.fullmatch(value)):
        raise Refused(PHONE)
    return value


def choice(enumeration, field: str, *, blank: bool = False) -> Rule:
    allowed = frozenset(enumeration.values)

    def rule(value):
        if value is None and blank:
            return ""
        if isinstance(value, str) and (value in allowed or (blank and value == "")):
            return value
        raise Refused(say(CHOICE, {"what": WHAT[field]}))
    return rule


_CAUSES = frozenset(c.Cause.values)


def causes(value: Any) -> str:
    """其他致贫原因: codes, comma-separated; stored sorted, each once."""
    codes = [part.strip() for part in str(value or "").split(",") if part.strip()]
    for code in codes:
        if code not in _CAUSES:
            raise Refused(say(CAUSE, {"code": code[:8]}))
    return ",".join(sorted(set(codes), key=int))


def parse_id_number(raw: Any, *, today: dt.date | None = None) -> idnumber.IDNumber:
    """GB 11643 through tuopin.common.idnumber, with its reason translated."""
    try:
        return idnumber.parse(raw, today=today)
    except idnumber.IDNumberError as exc:
        reason = ID_REASONS.get(exc.code, ID_INVALID)
        raise Refused(say(reason, exc.params) if exc.params else reason) from None


def id_number(value: Any) -> str:
    return parse_id_number(value).value


def birth_date(value: Any) -> dt.date:
    if not isinstance(value, dt.date):
        raise Refused(NOT_A_DATE)
    if value > dt.date.today():
        raise Refused(FUTURE)
    return value


# ---- rules that look at more than one field -------------------------------------------------------------

def id_number_agreement(parsed: idnumber.IDNumber, *, sex: str | None, birth: dt.date | None,
                        quote_date: bool = True) -> dict[str, Any]:
    """{field: reason} where the recorded sex or birth date contradicts the ID number. `quote_date=False` for an
    account that may not see ID numbers: the date is the masked number's hidden middle (decision 1110)."""
    errors = {}
    if sex and parsed.sex != sex:
        errors["sex"] = say(SEX_MISMATCH, {"sex": SEX_WORDS[parsed.sex]})
    if birth and parsed.birth_date != birth:
        errors["birth_date"] = (say(BIRTH_MISMATCH, {"date": parsed.birth_date.isoformat()}) if quote_date
                                else BIRTH_MISMATCH_UNQUOTED)
    return errors


def disability_agreement(*, disabled: bool, grade: int | None) -> dict[str, Any]:
    return {"disability_grade": GRADE_WITHOUT_DISABILITY} if grade and not disabled else {}


def person_agreement(person: Mapping[str, Any]) -> dict[str, Any]:
    """{field: reason} for a whole person record: sex and birth date against a valid ID number, grade and 残疾."""
    errors = disability_agreement(disabled=bool(person.get("disabled")), grade=person.get("disability_grade"))
    try:
        parsed = idnumber.parse(person.get("id_number"))
    except idnumber.IDNumberError:
        return errors  # the ID number's own rule reports it
    return errors | id_number_agreement(parsed, sex=person.get("sex"), birth=person.get("birth_date"))


# ---- the tables the services, the API, the forms and the import share -----------------------------------

HOUSEHOLD: dict[str, Rule] = {
    "attribute": choice(c.HouseholdAttribute, "attribute"),
    "primary_cause": choice(c.Cause, "primary_cause", blank=True),
    "other_causes": causes,
    "phone": phone,
    "address": text(ADDRESS_MAX),
    "cultivated_land_mu": area(LAND_MU_MAX),
    "housing_area_m2": area(HOUSING_AREA_M2_MAX),
    "identified_year": between(lambda: data_years()[0], lambda: data_years()[1], blank=True),
    "exit_year": between(lambda: data_years()[0], lambda: data_years()[1], blank=True),
}

PERSON: dict[str, Rule] = {
    "name": text(NAME_MAX, required=True),
    "id_number": id_number,
    "sex": choice(c.Sex, "sex"),
    "birth_date": birth_date,
    "relation": choice(c.Relation, "relation"),
    "ethnicity": choice(c.Ethnicity, "ethnicity"),
    "education": choice(c.Education, "education", blank=True),
    "school_status": choice(c.SchoolStatus, "school_status", blank=True),
    "disability_grade": between(*DISABILITY_GRADES, blank=True),
    "labour_ability": choice(c.LabourAbility, "labour_ability"),
    "work_status": choice(c.WorkStatus, "work_status", blank=True),
    "work_months": between(*WORK_MONTHS),
    "phone": phone,
    "left_reason": text(REASON_MAX),
}

HOUSEHOLD_YEAR: dict[str, Rule] = {
    **{name: money(limit) for name, limit in MONEY_MAX_YUAN.items()},
    "members": between(MEMBERS_MIN, MEMBERS_MAX),
    "housing_grade": choice(c.HousingGrade, "housing_grade"),
    "renovation": choice(c.Renovation, "renovation", blank=True),
    "renovation_year": between(FIRST_RENOVATION_YEAR, lambda: dt.date.today().year, blank=True),
    "renovation_grade": choice(c.HousingGrade, "housing_grade", blank=True),
    "water_litres_per_day": between(0, WATER_LITRES_MAX),
    "water_minutes": between(0, WATER_MINUTES_MAX),
    "water_cut_days": between(0, WATER_CUT_DAYS_MAX),
}

PERSON_YEAR: dict[str, Rule] = {
    "school_status": choice(c.SchoolStatus, "school_status", blank=True),
    "work_months": between(*WORK_MONTHS),
}


def clean(rules: Mapping[str, Rule], values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` through their rules (a name without a rule passes unchanged); every refusal is collected
    into one ValidationError {field: [reason]}."""
    out, errors = {}, {}
    for name, value in values.items():
        rule = rules.get(name)
        if rule is None:
            out[name] = value
            continue
        try:
            out[name] = rule(value)
        except Refused as exc:
            errors[name] = [exc.message]
    if errors:
        raise ValidationError(errors)
    return out
