"""Allowed values of the national layout: the national system's labels (choices.py) plus common variants.

Every value a file may hold is listed here, and `docs/data-formats.md` lists the same. Matching ignores
spaces and treats full-width parentheses （） as half-width ones; anything else is an error naming the
allowed labels.
"""

from __future__ import annotations

import re

from .. import choices as c

_SPACES = re.compile(r"\s+")


def norm(text: str) -> str:
    """The comparison form of a label: no spaces (incl. U+3000), half-width parentheses."""
    return _SPACES.sub("", text.replace("（", "(").replace("）", ")"))


def vocabulary(choices, aliases: dict[str, str] | None = None, *, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """{normalised label or alias: code} for one TextChoices enumeration."""
    out = {norm(label): code for code, label in choices.choices if code not in skip}
    for alias, code in (aliases or {}).items():
        out[norm(alias)] = code
    return out


def labels(choices) -> dict[str, str]:
    """{code: label} for writing exports."""
    return {code: str(label) for code, label in choices.choices}


RELATION = vocabulary(c.Relation, {
    "本人": "01", "户主本人": "01", "妻": "02", "夫": "02", "妻子": "02", "丈夫": "02", "子": "03", "儿子": "03",
    "女": "04", "女儿": "04", "女婿": "05", "儿媳": "06", "孙子": "07", "孙女": "07", "孙子女": "07",
    "之孙子": "07", "之孙女": "07", "曾孙子女": "08", "父亲": "09", "母亲": "09", "之父": "09", "之母": "09",
    "父母": "09", "祖父母": "10", "外祖父母": "10", "兄弟姐妹": "11", "之兄弟": "11", "之姐妹": "11",
})
ETHNICITY = vocabulary(c.Ethnicity, {"汉": "01", "蒙古": "02", "蒙": "02", "回": "03", "满": "11", "朝鲜": "10"})
# Any other "…族" is accepted as 其他 (97): the model keeps the ethnicities met in Jilin only.
ETHNICITY_OTHER = c.Ethnicity.OTHER.value
EDUCATION = vocabulary(c.Education, {
    "文盲": "1", "半文盲": "1", "文盲半文盲": "1", "大学本科": "6", "本科": "6", "研究生": "6", "研究生及以上": "6",
    "专科": "5", "中专": "4", "中职": "4", "学龄前": "0",
})
SCHOOL_STATUS = vocabulary(c.SchoolStatus, {
    "无": "", "否": "", "学前": "10", "幼儿园": "10", "初中": "30", "七至九年级": "30", "中专": "41",
    "高职高专": "50", "大专": "50", "本科及以上": "50", "本科": "50", "因病休学": "81",
})
LABOUR = vocabulary(c.LabourAbility, {"弱劳动力": "3", "半劳动力": "3", "普通劳动": "1", "技能劳动": "2"})
WORK = vocabulary(c.WorkStatus, {
    "未务工": "", "否": "", "乡(镇)内务工": "1", "乡(镇)外县内务工": "1", "县内": "1", "县外省内务工": "2",
    "省内县外": "2", "省外": "3", "公益岗位": "4", "公益岗": "4",
})
STATUS = vocabulary(c.PovertyStatus, {
    "已脱贫(享受政策)": "1", "脱贫": "1", "脱贫户": "1", "未脱贫户": "0", "贫困户": "0", "返贫户": "3",
    "已脱贫(不享受政策)": "4", "监测户": "5", "非建档立卡户": "",
})
ATTRIBUTE = vocabulary(c.HouseholdAttribute, {
    "一般农户": "00", "非建档户": "00", "低保户": "04", "特困供养户": "06", "五保户": "06",
    "五保贫困户": "06", "特困户": "06",
})
CAUSE = vocabulary(c.Cause, {"病": "1", "残": "2", "学": "3", "灾": "4", "交通落后": "10", "缺乏发展动力": "11"})
HOUSING = vocabulary(c.HousingGrade, {"A": "A", "B": "B", "C": "C", "D": "D", "C级": "C", "D级": "D",
                                      "局部危房": "C", "整幢危房": "D"})
RENOVATION = vocabulary(c.Renovation, {"无": "", "否": "", "维修": "repair", "加固": "reinforce",
                                       "重建": "rebuild", "搬迁": "relocate"})
SEX = {"男": "M", "女": "F", "M": "M", "F": "F"}

YES = {"是", "1", "Y", "YES", "√", "有", "TRUE"}
NO = {"否", "0", "N", "NO", "×", "无", "FALSE"}

# 健康状况: 健康 alone, or any combination of the three conditions.
HEALTH_PARTS = {"长期慢性病": 0, "慢性病": 0, "患有大病": 1, "大病": 1, "残疾": 2}
HEALTH_LABELS = ("长期慢性病", "患有大病", "残疾")
HEALTH_SEPARATORS = re.compile(r"[、,，;；/\s]+")

RELATION_LABEL = labels(c.Relation)
ETHNICITY_LABEL = labels(c.Ethnicity)
EDUCATION_LABEL = labels(c.Education)
SCHOOL_LABEL = labels(c.SchoolStatus)
LABOUR_LABEL = labels(c.LabourAbility)
WORK_LABEL = labels(c.WorkStatus)
STATUS_LABEL = labels(c.PovertyStatus)
ATTRIBUTE_LABEL = labels(c.HouseholdAttribute)
CAUSE_LABEL = labels(c.Cause)
HOUSING_LABEL = labels(c.HousingGrade)
RENOVATION_LABEL = labels(c.Renovation)
SEX_LABEL = {"M": "男", "F": "女"}
