"""The national person-level layout (全国扶贫开发信息系统 人员信息导出) and tuopin's extension columns.

One row per person; household columns repeat on every member row. `NATIONAL` is the national
system's own column list in its order; `EXTENSION` carries what the national layout cannot (income
lines, housing grade, water detail, insurance…), written after it by the export and optional on
import. Each column knows how to read a cell (`parse`, which raises ValueError with a reason a clerk
understands) and how to write a registry value (`fmt`). A column that fills a registry field reads the cell
(a number, yuan, a label) and hands the value to that field's rule in `registry.validation`, the one the
API, the edit pages and the services use (decision 1120). docs/data-formats.md documents the same list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as N_

from tuopin.common.money import fen_to_yuan
from tuopin.common.spreadsheet import FORMULA_START, safe_cell

from .. import validation as V
from . import vocab as v

# Where a column's value lives.
GEO, HOUSEHOLD, HOUSEHOLD_YEAR, PERSON, PERSON_YEAR = "geo", "household", "household_year", "person", "person_year"
_EXCEL_EXACT = 2 ** 53


def cell_text(raw: Any) -> str:
    """A cell as trimmed text: Excel's whole-number floats lose their ".0"; blanks become ""."""
    if type(raw) is str:
        return raw.strip()
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() and abs(raw) < _EXCEL_EXACT else repr(raw)
    if isinstance(raw, (dt.datetime, dt.date)):
        return raw.isoformat()[:10]
    return str(raw).strip()


def unescape(text: str) -> str:
    """Undo the export's formula guard: a leading apostrophe before = + - @ (OWASP CSV injection)."""
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START else text


# The one formula guard of every spreadsheet tuopin writes (tuopin.common.spreadsheet).
escape = safe_cell


# ---- readers of one non-blank cell -------------------------------------------------------------------

def p_text(limit: int) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        text = unescape(cell_text(raw))
        if len(text) > limit:
            raise ValueError(_("longer than %(limit)s characters") % {"limit": limit})
        return text
    return parse


def p_rule(rule: V.Rule) -> Callable[[Any], Any]:
    """Text for a registry field: the cell's text, the export's guard undone, then the field's rule."""
    return lambda raw: rule(unescape(cell_text(raw)))


def p_key(rule: V.Rule) -> Callable[[Any], str]:
    """户编号 / 人编号: text; an Excel number of more than 15 digits has lost its last digits."""
    def parse(raw: Any) -> str:
        if isinstance(raw, float) and abs(raw) >= _EXCEL_EXACT:
            raise V.Refused(V.EXCEL_NUMBER)
        return rule(cell_text(raw))
    return parse


def p_choice(vocabulary: dict[str, str], what: str, other: str | None = None) -> Callable[[Any], str]:
    allowed = "、".join(sorted({k for k in vocabulary if k}, key=len)[:14])

    def parse(raw: Any) -> str:
        key = v.norm(cell_text(raw))
        if key in vocabulary:
            return vocabulary[key]
        if other is not None and key.endswith("族") and len(key) > 1:
            return other
        raise ValueError(_("not an allowed %(what)s (allowed: %(allowed)s…; see docs/data-formats.md)")
                         % {"what": what, "allowed": allowed})
    return parse


def p_bool(raw: Any) -> bool:
    key = v.norm(cell_text(raw)).upper()
    if key in v.YES:
        return True
    if key in v.NO:
        return False
    raise ValueError(_("must be 是 or 否"))


def _decimal(raw: Any) -> Decimal:
    text = cell_text(raw).replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise V.Refused(V.NOT_A_NUMBER) from None
    if not number.is_finite():
        raise V.Refused(V.NOT_A_NUMBER)
    return number


def p_int(rule: V.Rule) -> Callable[[Any], int]:
    """A whole number in the cell (text or number), then the field's rule (its range)."""
    def parse(raw: Any) -> int:
        number = _decimal(raw)
        if number != number.to_integral_value():
            raise V.Refused(V.NOT_WHOLE)
        return rule(int(number))
    return parse


def p_money(rule: V.Rule) -> Callable[[Any], int]:
    """Yuan (元) in the file, integer fen (分) in the registry, then the line's rule (its bounds)."""
    return lambda raw: rule(V.yuan(_decimal(raw)))


def p_area(rule: V.Rule) -> Callable[[Any], Decimal]:
    return lambda raw: rule(_decimal(raw))


def p_health(raw: Any) -> tuple[bool, bool, bool]:
    """(长期慢性病, 患有大病, 残疾) from "健康" or a combination such as "长期慢性病、残疾"."""
    parts = [p for p in v.HEALTH_SEPARATORS.split(cell_text(raw)) if p]
    flags = [False, False, False]
    for part in parts:
        key = v.norm(part)
        if key == "健康":
            if len(parts) > 1:
                raise ValueError(_("健康 cannot be combined with an illness or disability"))
            continue
        if key not in v.HEALTH_PARTS:
            raise ValueError(_("must be 健康 or a combination of 长期慢性病、患有大病、残疾"))
        flags[v.HEALTH_PARTS[key]] = True
    return tuple(flags)


def p_causes(raw: Any) -> str:
    codes = []
    for part in v.HEALTH_SEPARATORS.split(cell_text(raw)):
        if part:
            key = v.norm(part)
            if key not in v.CAUSE:
                raise ValueError(_("%(cause)s is not a cause of poverty (因病 因残 因学 因灾 缺土地 …)") % {"cause": part})
            codes.append(v.CAUSE[key])
    return ",".join(sorted(set(codes), key=int))


def p_date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = cell_text(raw).replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise V.Refused(V.NOT_A_DATE)


# ---- writers of one registry value -------------------------------------------------------------------

def f_label(mapping: dict[str, str]) -> Callable[[Any], Any]:
    return lambda code: mapping.get(code, code) if code is not None else None


def f_bool(value: Any) -> Any:
    return None if value is None else ("是" if value else "否")


def f_money(fen: Any) -> Any:
    return fen_to_yuan(fen)


def f_plain(value: Any) -> Any:
    return value


def f_area(value: Any) -> Any:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def f_health(flags: Any) -> Any:
    return "、".join(label for flag, label in zip(flags, v.HEALTH_LABELS) if flag) or "健康"


def f_causes(codes: str) -> str:
    return "、".join(v.CAUSE_LABEL.get(code, code) for code in codes.split(",") if code)


@dataclass(frozen=True)
class Column:
    header: str
    level: str
    parse: Callable[[Any], Any]
    fmt: Callable[[Any], Any] = f_plain
    required: bool = False  # the cell must not be blank
    text: bool = False  # free text: guarded against formula injection on export
    numeric: bool = False  # written as a number in xlsx


def col(header, level, parse, fmt=f_plain, **kw) -> Column:
    return Column(header, level, parse, fmt, **kw)


NATIONAL: tuple[Column, ...] = (
    col("县", GEO, p_text(64), required=True, text=True),
    col("乡", GEO, p_text(64), required=True, text=True),
    col("行政村", GEO, p_text(64), required=True, text=True),
    col("自然村", GEO, p_text(64), text=True),
    col("户编号", HOUSEHOLD, p_key(V.HOUSEHOLD_NUMBER), required=True, text=True),
    col("人编号", PERSON, p_key(V.PERSON_NUMBER), required=True, text=True),
    col("姓名", PERSON, p_rule(V.PERSON["name"]), required=True, text=True),
    col("证件号码", PERSON, None, required=True, text=True),  # parsed by tuopin.common.idnumber
    col("人数", HOUSEHOLD, p_int(V.HOUSEHOLD_YEAR["members"]), required=True, numeric=True),
    col("与户主关系", PERSON, p_choice(v.RELATION, N_("relation to the head")), f_label(v.RELATION_LABEL), required=True),
    col("民族", PERSON, p_choice(v.ETHNICITY, N_("ethnicity"), v.ETHNICITY_OTHER), f_label(v.ETHNICITY_LABEL),
        required=True),
    col("文化程度", PERSON, p_choice(v.EDUCATION, N_("education level")), f_label(v.EDUCATION_LABEL)),
    col("在校生状况", PERSON, p_choice(v.SCHOOL_STATUS, N_("school status")), f_label(v.SCHOOL_LABEL)),
    col("健康状况", PERSON, p_health, f_health, required=True),
    col("劳动技能", PERSON, p_choice(v.LABOUR, N_("labour ability")), f_label(v.LABOUR_LABEL), required=True),
    col("务工状况", PERSON, p_choice(v.WORK, N_("work status")), f_label(v.WORK_LABEL)),
    col("务工时间(月)", PERSON, p_int(V.PERSON["work_months"]), numeric=True),
    col("参加大病医疗", PERSON_YEAR, p_bool, f_bool),
    col("脱贫属性", HOUSEHOLD, p_choice(v.STATUS, N_("poverty status")), f_label(v.STATUS_LABEL), required=True),
    col("贫困户属性", HOUSEHOLD, p_choice(v.ATTRIBUTE, N_("household attribute")), f_label(v.ATTRIBUTE_LABEL),
        required=True),
    col("主要致贫原因", HOUSEHOLD, p_choice(v.CAUSE, N_("cause of poverty")), f_label(v.CAUSE_LABEL)),
    col("危房户", HOUSEHOLD_YEAR, p_bool, f_bool),
    col("饮水安全", HOUSEHOLD_YEAR, p_bool, f_bool),
    col("饮水困难", HOUSEHOLD_YEAR, p_bool, f_bool),
    col("人均纯收入", HOUSEHOLD_YEAR, p_money(V.per_capita_income), f_money, numeric=True),
    col("联系电话", PERSON, p_rule(V.phone), text=True),
)

# The registry's money lines, in the order of the 2020 household form (column header → model field).
INCOME_COLUMNS = (
    ("工资性收入(元)", "wage_income_fen"),
    ("生产经营性收入(元)", "business_income_fen"),
    ("其他财产性收入(元)", "property_income_fen"),
    ("资产收益扶贫分红收入(元)", "dividend_income_fen"),
    ("低保金(元)", "dibao_fen"),
    ("特困供养金(元)", "tekun_fen"),
    ("养老保险金(元)", "pension_fen"),
    ("计划生育金(元)", "family_planning_fen"),
    ("生态补偿金(元)", "eco_compensation_fen"),
    ("其他转移性收入(元)", "other_transfer_fen"),
    ("未分项纯收入(元)", "unitemised_income_fen"),
    ("生产经营性支出(元)", "production_cost_fen"),
)
INCOME_HEADERS = tuple(h for h, _ in INCOME_COLUMNS)

# Extension column → model field, by level. Order = export order.
PERSON_EXTENSION = (
    (col("性别", PERSON, p_choice(v.SEX, N_("sex")), f_label(v.SEX_LABEL)), "sex"),
    (col("残疾等级", PERSON, p_int(V.PERSON["disability_grade"]), numeric=True), "disability_grade"),
    (col("基本医疗保险", PERSON_YEAR, p_bool, f_bool), "basic_medical"),
    (col("医疗救助", PERSON_YEAR, p_bool, f_bool), "medical_assistance"),
    (col("家庭医生签约", PERSON_YEAR, p_bool, f_bool), "family_doctor"),
    (col("养老保险", PERSON_YEAR, p_bool, f_bool), "pension_insurance"),
    (col("低保", PERSON_YEAR, p_bool, f_bool), "dibao"),
    (col("特困供养", PERSON_YEAR, p_bool, f_bool), "tekun"),
)
HOUSEHOLD_EXTENSION = (
    (col("户联系电话", HOUSEHOLD, p_rule(V.phone), text=True), "phone"),
    (col("住址", HOUSEHOLD, p_rule(V.HOUSEHOLD["address"]), text=True), "address"),
    (col("识别年度", HOUSEHOLD, p_int(V.HOUSEHOLD["identified_year"]), numeric=True), "identified_year"),
    (col("脱贫年度", HOUSEHOLD, p_int(V.HOUSEHOLD["exit_year"]), numeric=True), "exit_year"),
    (col("其他致贫原因", HOUSEHOLD, p_causes, f_causes), "other_causes"),
    (col("耕地面积(亩)", HOUSEHOLD, p_area(V.HOUSEHOLD["cultivated_land_mu"]), f_area, numeric=True),
     "cultivated_land_mu"),
    (col("住房面积(㎡)", HOUSEHOLD, p_area(V.HOUSEHOLD["housing_area_m2"]), f_area, numeric=True), "housing_area_m2"),
)
HOUSEHOLD_YEAR_EXTENSION = tuple(
    (col(h, HOUSEHOLD_YEAR, p_money(V.HOUSEHOLD_YEAR[f]), f_money, numeric=True), f) for h, f in INCOME_COLUMNS
) + (
    (col("住房安全等级", HOUSEHOLD_YEAR, p_choice(v.HOUSING, N_("housing safety grade")), f_label(v.HOUSING_LABEL)),
     "housing_grade"),
    (col("危房改造方式", HOUSEHOLD_YEAR, p_choice(v.RENOVATION, N_("renovation")), f_label(v.RENOVATION_LABEL)),
     "renovation"),
    (col("危房改造年度", HOUSEHOLD_YEAR, p_int(V.HOUSEHOLD_YEAR["renovation_year"]), numeric=True), "renovation_year"),
    (col("危房改造费用(元)", HOUSEHOLD_YEAR, p_money(V.HOUSEHOLD_YEAR["renovation_cost_fen"]), f_money, numeric=True),
     "renovation_cost_fen"),
    (col("改造后鉴定等级", HOUSEHOLD_YEAR, p_choice(v.HOUSING, N_("housing safety grade")), f_label(v.HOUSING_LABEL)),
     "renovation_grade"),
    (col("人均日供水(升)", HOUSEHOLD_YEAR, p_int(V.HOUSEHOLD_YEAR["water_litres_per_day"]), numeric=True),
     "water_litres_per_day"),
    (col("水质达标", HOUSEHOLD_YEAR, p_bool, f_bool), "water_quality_ok"),
    (col("取水往返(分钟)", HOUSEHOLD_YEAR, p_int(V.HOUSEHOLD_YEAR["water_minutes"]), numeric=True), "water_minutes"),
    (col("年断水天数", HOUSEHOLD_YEAR, p_int(V.HOUSEHOLD_YEAR["water_cut_days"]), numeric=True), "water_cut_days"),
    (col("缺水地区", HOUSEHOLD_YEAR, p_bool, f_bool), "water_short_area"),
    (col("不愁吃不愁穿", HOUSEHOLD_YEAR, p_bool, f_bool), "food_clothing_secure"),
    (col("收入稳定", HOUSEHOLD_YEAR, p_bool, f_bool), "income_expected_stable"),
    # The year's shocks, which monitoring after exit reads.
    (col("自付医疗费用(元)", HOUSEHOLD_YEAR, p_money(V.HOUSEHOLD_YEAR["medical_expense_fen"]), f_money, numeric=True),
     "medical_expense_fen"),
    (col("教育支出(元)", HOUSEHOLD_YEAR, p_money(V.HOUSEHOLD_YEAR["education_expense_fen"]), f_money, numeric=True),
     "education_expense_fen"),
    (col("灾害损失(元)", HOUSEHOLD_YEAR, p_money(V.HOUSEHOLD_YEAR["disaster_loss_fen"]), f_money, numeric=True),
     "disaster_loss_fen"),
    (col("产业经营失败", HOUSEHOLD_YEAR, p_bool, f_bool), "business_failed"),
    (col("主要劳动力死亡或失能", HOUSEHOLD_YEAR, p_bool, f_bool), "labourer_lost"),
)
EXTENSION_FIELDS = PERSON_EXTENSION + HOUSEHOLD_EXTENSION + HOUSEHOLD_YEAR_EXTENSION
EXTENSION: tuple[Column, ...] = tuple(c for c, _ in EXTENSION_FIELDS)
# Accepted on import for a consistency check against the ID number; never exported (with the masked
# ID's first six and last four characters it would give the whole number away).
IMPORT_ONLY: tuple[Column, ...] = (col("出生日期", PERSON, p_date),)

ALL: tuple[Column, ...] = NATIONAL + EXTENSION
BY_HEADER: dict[str, Column] = {c.header: c for c in ALL + IMPORT_ONLY}
EXPORT_HEADERS: tuple[str, ...] = tuple(c.header for c in ALL)
REQUIRED_HEADERS = tuple(c.header for c in NATIONAL if c.header != "自然村")

# Header variants met in real files → the canonical header.
HEADER_ALIASES = {
    "身份证号": "证件号码", "身份证号码": "证件号码", "证件号": "证件号码", "家庭人口数": "人数", "家庭人数": "人数",
    "人均纯收入(元)": "人均纯收入", "县(市、区)": "县", "乡(镇)": "乡", "村": "行政村", "组": "自然村",
    "是否参加大病医疗": "参加大病医疗", "是否危房户": "危房户", "是否饮水安全": "饮水安全", "是否饮水困难": "饮水困难",
    "务工时间": "务工时间(月)",
}


def canonical_header(raw: Any) -> str:
    text = v.norm(cell_text(raw))
    return HEADER_ALIASES.get(text, text)


# Water: the national flags and the registry's detail. 饮水困难 = any quantity, convenience or
# reliability criterion failed (docs/standards.md); 饮水安全 = water quality (水质达标).
WATER_DEFAULTS = {"water_litres_per_day": 60, "water_minutes": 0, "water_cut_days": 0, "water_short_area": False}
WATER_DIFFICULT_MINUTES = 30  # set when a file says 饮水困难=是 but gives no detail (decision 0203)


def water_difficult(litres: int, minutes: int, cut_days: int, short_area: bool) -> bool:
    return litres < (20 if short_area else 35) or minutes > 20 or cut_days > 36


def dangerous(grade: str) -> bool:
    return grade in ("C", "D")
