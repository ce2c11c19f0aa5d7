"""The kinds of education and medical aid paid to a person (教育资助, 医疗保障). Which department pays each is data:
tuopin/standards/data/aid.toml (decision 1530)."""

from django.db import models
from django.utils.translation import pgettext_lazy


class AidArea(models.TextChoices):
    EDUCATION = "education", pgettext_lazy("AidArea", "education")
    MEDICAL = "medical", pgettext_lazy("AidArea", "medical")


class AidKind(models.TextChoices):
    TWO_EXEMPTIONS = "two_exemptions", pgettext_lazy("AidKind", "two exemptions and one subsidy (compulsory school)")
    GRANT_SENIOR = "grant_senior", pgettext_lazy("AidKind", "senior or vocational school grant")
    GRANT_COLLEGE = "grant_college", pgettext_lazy("AidKind", "college grant")
    YULU = "yulu", pgettext_lazy("AidKind", "Rain and Dew vocational training aid")
    MEDICAL_ASSISTANCE = "medical_assistance", pgettext_lazy("AidKind", "medical assistance")
    BASIC_INSURANCE = "basic_insurance", pgettext_lazy("AidKind", "basic medical insurance reimbursement")
    SERIOUS_ILLNESS = "serious_illness_insurance", pgettext_lazy("AidKind", "serious-illness insurance reimbursement")
    PAY_AFTER = "pay_after_treatment", pgettext_lazy("AidKind", "treatment first, payment after (settlement)")


EDUCATION_KINDS = (AidKind.TWO_EXEMPTIONS, AidKind.GRANT_SENIOR, AidKind.GRANT_COLLEGE, AidKind.YULU)
MEDICAL_KINDS = (AidKind.MEDICAL_ASSISTANCE, AidKind.BASIC_INSURANCE, AidKind.SERIOUS_ILLNESS, AidKind.PAY_AFTER)
# The kinds' Chinese names as the import reads them (a file may give the code or the name).
KIND_NAMES = {"两免一补": AidKind.TWO_EXEMPTIONS, "高中、中职国家助学金": AidKind.GRANT_SENIOR,
              "高中助学金": AidKind.GRANT_SENIOR, "中职助学金": AidKind.GRANT_SENIOR, "国家助学金": AidKind.GRANT_SENIOR,
              "大学生资助": AidKind.GRANT_COLLEGE, "新生入学资助": AidKind.GRANT_COLLEGE, "雨露计划": AidKind.YULU,
              "医疗救助": AidKind.MEDICAL_ASSISTANCE, "基本医疗保险报销": AidKind.BASIC_INSURANCE,
              "基本医保报销": AidKind.BASIC_INSURANCE, "大病保险报销": AidKind.SERIOUS_ILLNESS,
              "大病保险": AidKind.SERIOUS_ILLNESS, "先诊疗后付费": AidKind.PAY_AFTER, "一站式结算": AidKind.PAY_AFTER}


def area_of(kind: str) -> str:
    return AidArea.EDUCATION if kind in EDUCATION_KINDS else AidArea.MEDICAL
