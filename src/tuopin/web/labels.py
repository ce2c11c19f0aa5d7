"""Translatable labels for the national registry's enumerations.

`registry/choices.py` keeps the national system's Chinese words (imports and exports need exactly
those). Pages need them in the reader's language, so each value gets an English msgid here, with the
enumeration's name as message context; the zh_Hans catalogue translates it back to the national word
(a test checks that it does, value by value).
"""

from __future__ import annotations

from django.utils.translation import pgettext_lazy as p

from tuopin.apps.registry import choices as c

LABELS = {
    "HouseholdAttribute": {
        c.HouseholdAttribute.GENERAL: p("HouseholdAttribute", "general poor household"),
        c.HouseholdAttribute.DIBAO: p("HouseholdAttribute", "poor household on minimum living allowance"),
        c.HouseholdAttribute.TEKUN: p("HouseholdAttribute", "poor household in extreme-poverty support"),
        c.HouseholdAttribute.NON_POOR: p("HouseholdAttribute", "non-poor household"),
    },
    "PovertyStatus": {
        c.PovertyStatus.NOT_REGISTERED: p("PovertyStatus", "not registered"),
        c.PovertyStatus.POOR: p("PovertyStatus", "not yet out of poverty"),
        c.PovertyStatus.EXITED: p("PovertyStatus", "out of poverty"),
        c.PovertyStatus.RETURNED: p("PovertyStatus", "returned to poverty"),
        c.PovertyStatus.EXITED_NO_POLICY: p("PovertyStatus", "out of poverty (policies ended)"),
        c.PovertyStatus.MONITORED: p("PovertyStatus", "under monitoring"),
        c.PovertyStatus.CLOSED: p("PovertyStatus", "closed"),
    },
    "Cause": {
        c.Cause.ILLNESS: p("Cause", "illness"),
        c.Cause.DISABILITY: p("Cause", "disability"),
        c.Cause.SCHOOLING: p("Cause", "schooling costs"),
        c.Cause.DISASTER: p("Cause", "disaster"),
        c.Cause.LAND: p("Cause", "lack of land"),
        c.Cause.WATER: p("Cause", "lack of water"),
        c.Cause.SKILLS: p("Cause", "lack of skills"),
        c.Cause.LABOUR: p("Cause", "lack of labour"),
        c.Cause.CAPITAL: p("Cause", "lack of capital"),
        c.Cause.TRANSPORT: p("Cause", "poor transport"),
        c.Cause.MOTIVATION: p("Cause", "lack of drive to develop"),
    },
    "Relation": {
        c.Relation.HEAD: p("Relation", "head of household"),
        c.Relation.SPOUSE: p("Relation", "spouse"),
        c.Relation.SON: p("Relation", "son"),
        c.Relation.DAUGHTER: p("Relation", "daughter"),
        c.Relation.SON_IN_LAW: p("Relation", "son-in-law"),
        c.Relation.DAUGHTER_IN_LAW: p("Relation", "daughter-in-law"),
        c.Relation.GRANDCHILD: p("Relation", "grandchild"),
        c.Relation.GREAT_GRANDCHILD: p("Relation", "great-grandchild"),
        c.Relation.PARENT: p("Relation", "parent"),
        c.Relation.GRANDPARENT: p("Relation", "grandparent"),
        c.Relation.SIBLING: p("Relation", "sibling"),
        c.Relation.OTHER: p("Relation", "other"),
    },
    "Sex": {
        c.Sex.MALE: p("Sex", "male"),
        c.Sex.FEMALE: p("Sex", "female"),
    },
    "Education": {
        c.Education.ILLITERATE: p("Education", "illiterate or semi-literate"),
        c.Education.PRIMARY: p("Education", "primary school"),
        c.Education.JUNIOR: p("Education", "junior secondary school"),
        c.Education.SENIOR: p("Education", "senior secondary school"),
        c.Education.COLLEGE: p("Education", "junior college"),
        c.Education.BACHELOR: p("Education", "bachelor's degree or above"),
        c.Education.PRESCHOOL: p("Education", "pre-school child"),
    },
    "SchoolStatus": {
        c.SchoolStatus.NONE: p("SchoolStatus", "not in school"),
        c.SchoolStatus.PRESCHOOL: p("SchoolStatus", "pre-school education"),
        c.SchoolStatus.PRIMARY: p("SchoolStatus", "primary school"),
        c.SchoolStatus.JUNIOR: p("SchoolStatus", "grades 7 to 9"),
        c.SchoolStatus.SENIOR: p("SchoolStatus", "senior secondary school"),
        c.SchoolStatus.VOCATIONAL: p("SchoolStatus", "secondary vocational school"),
        c.SchoolStatus.HIGHER: p("SchoolStatus", "junior college or above"),
        c.SchoolStatus.SENT_HOME: p("SchoolStatus", "taught at home"),
        c.SchoolStatus.EXEMPT: p("SchoolStatus", "exempt for illness"),
        c.SchoolStatus.DROPPED_OUT: p("SchoolStatus", "dropped out"),
    },
    "LabourAbility": {
        c.LabourAbility.ORDINARY: p("LabourAbility", "ordinary labour"),
        c.LabourAbility.SKILLED: p("LabourAbility", "skilled labour"),
        c.LabourAbility.WEAK: p("LabourAbility", "weak or partial labour"),
        c.LabourAbility.LOST: p("LabourAbility", "lost ability to work"),
        c.LabourAbility.NONE: p("LabourAbility", "no labour"),
    },
    "WorkStatus": {
        c.WorkStatus.NONE: p("WorkStatus", "none"),
        c.WorkStatus.IN_COUNTY: p("WorkStatus", "work within the county"),
        c.WorkStatus.IN_PROVINCE: p("WorkStatus", "work in the province, outside the county"),
        c.WorkStatus.OUT_PROVINCE: p("WorkStatus", "work outside the province"),
        c.WorkStatus.PUBLIC_JOB: p("WorkStatus", "public-welfare job"),
    },
    "HousingGrade": {
        c.HousingGrade.A: p("HousingGrade", "grade A"),
        c.HousingGrade.B: p("HousingGrade", "grade B"),
        c.HousingGrade.C: p("HousingGrade", "grade C (partly unsafe)"),
        c.HousingGrade.D: p("HousingGrade", "grade D (wholly unsafe)"),
    },
    "Renovation": {
        c.Renovation.NONE: p("Renovation", "not renovated"),
        c.Renovation.REPAIR: p("Renovation", "repair and reinforce"),
        c.Renovation.REINFORCE: p("Renovation", "D-grade reinforcement"),
        c.Renovation.REBUILD: p("Renovation", "demolish and rebuild"),
        c.Renovation.RELOCATE: p("Renovation", "relocation"),
    },
    "Ethnicity": {
        c.Ethnicity.HAN: p("Ethnicity", "Han"),
        c.Ethnicity.MONGOL: p("Ethnicity", "Mongol"),
        c.Ethnicity.HUI: p("Ethnicity", "Hui"),
        c.Ethnicity.MANCHU: p("Ethnicity", "Manchu"),
        c.Ethnicity.KOREAN: p("Ethnicity", "Korean"),
        c.Ethnicity.OTHER: p("Ethnicity", "other"),
    },
    "EventKind": {
        c.EventKind.IDENTIFIED: p("EventKind", "identified as poor"),
        c.EventKind.EXITED: p("EventKind", "out of poverty"),
        c.EventKind.RETURNED: p("EventKind", "returned to poverty"),
        c.EventKind.NATURAL_DECREASE: p("EventKind", "natural decrease"),
        c.EventKind.MISIDENTIFIED: p("EventKind", "removed as wrongly identified"),
        c.EventKind.MONITORING_IN: p("EventKind", "taken under monitoring"),
        c.EventKind.RISK_REMOVED: p("EventKind", "risk removed"),
        c.EventKind.SPLIT: p("EventKind", "household split"),
        c.EventKind.MERGED: p("EventKind", "households merged"),
    },
    "Stage": {
        c.Stage.APPLIED: p("Stage", "household's application"),
        c.Stage.PROPOSED: p("Stage", "proposed"),
        c.Stage.DEMOCRATIC_REVIEW: p("Stage", "democratic review"),
        c.Stage.PUBLIC_NOTICE: p("Stage", "public notice in the village"),
        c.Stage.TOWNSHIP_REVIEW: p("Stage", "township review"),
        c.Stage.SECOND_NOTICE: p("Stage", "second public notice"),
        c.Stage.COUNTY_APPROVAL: p("Stage", "county approval"),
        c.Stage.ANNOUNCED: p("Stage", "announced"),
        c.Stage.REFUSED: p("Stage", "sent back"),
    },
    # A village's or a county's exit (procedures.choices.AreaStage).
    "AreaStage": {
        "applied": p("AreaStage", "application"),
        "township_review": p("AreaStage", "township review"),
        "city_review": p("AreaStage", "city review"),
        "province_verification": p("AreaStage", "province verification"),
        "public_notice": p("AreaStage", "public notice"),
        "county_approval": p("AreaStage", "county approval"),
        "announced": p("AreaStage", "announced"),
        "refused": p("AreaStage", "sent back"),
    },
}

# The income lines of the household form (registry.models.MONEY_FIELDS), in the page's language.
MONEY_LABELS = {
    "wage_income_fen": p("money", "wage income"),
    "business_income_fen": p("money", "household business income"),
    "property_income_fen": p("money", "other property income"),
    "dividend_income_fen": p("money", "asset-income dividends"),
    "dibao_fen": p("money", "minimum living allowance"),
    "tekun_fen": p("money", "extreme-poverty support"),
    "pension_fen": p("money", "pension"),
    "family_planning_fen": p("money", "family-planning allowance"),
    "eco_compensation_fen": p("money", "ecological compensation"),
    "other_transfer_fen": p("money", "other transfer income"),
    "unitemised_income_fen": p("money", "net income not itemised"),
    "production_cost_fen": p("money", "production costs"),
    "net_income_fen": p("money", "net income"),
    "per_capita_net_income_fen": p("money", "net income per person"),
    "renovation_cost_fen": p("money", "renovation cost"),
    "medical_expense_fen": p("money", "out-of-pocket medical costs"),
    "education_expense_fen": p("money", "education costs"),
    "disaster_loss_fen": p("money", "losses to disasters"),
}


def label(enum: str, value) -> str:
    """The label of a registry code in the active language; the national word if the code is unknown."""
    labels = LABELS[enum]
    if value in labels:
        return str(labels[value])
    choices_class = getattr(c, enum, None)
    if choices_class is None:
        return str(value)
    return dict(choices_class.choices).get(value, str(value))


def choices(enum: str, *, blank=None) -> list[tuple[str, object]]:
    """Form choices for an enumeration (lazy labels, rendered in the request's language).

    `blank` adds an empty choice in front, for fields that may stay empty and have no empty code of their own.
    """
    items = list(LABELS[enum].items())
    return [("", blank)] + items if blank is not None else items

# The engine's indicators (rules.INDICATORS): 两不愁三保障 and income, as a household's gap list names them.
INDICATOR_LABELS = {
    "income": p("indicator", "income"),
    "food_clothing": p("indicator", "food and clothing"),
    "education": p("indicator", "compulsory education"),
    "medical": p("indicator", "basic medical care"),
    "housing": p("indicator", "safe housing"),
    "water": p("indicator", "safe drinking water"),
}

# 监测预警: the kinds monitoring_result proposes and the criteria monitoring_candidates names (rules.MONITORING_*).
WATCH_KIND_LABELS = {
    "unstable": p("monitoring kind", "unstable after exit"),
    "marginal": p("monitoring kind", "marginal, liable to fall into poverty"),
    "sudden": p("monitoring kind", "in sudden severe difficulty"),
    "monitored": p("monitoring kind", "monitored already"),
}
CRITERION_LABELS = {
    "income_low": p("monitoring criterion", "income below the monitoring line"),
    "income_fall": p("monitoring criterion", "income fallen sharply"),
    "rigid_spending": p("monitoring criterion", "large rigid spending"),
    "disaster_loss": p("monitoring criterion", "disaster loss"),
    "business_failed": p("monitoring criterion", "business failed"),
    "labourer_lost": p("monitoring criterion", "main labourer lost"),
    **{f"gap_{name}": label for name, label in INDICATOR_LABELS.items() if name != "income"},
}

# The checks of a poor village's exit (贫困村退出), as the engine's village_result names them.
CHECK_LABELS = {
    "incidence_ok": p("village check", "poverty incidence"),
    "clinic_ok": p("village check", "clinic with a qualified doctor"),
    "road_ok": p("village check", "hardened road"),
    "water_ok": p("village check", "safe drinking water"),
    "collective_income_ok": p("village check", "village collective income"),
}

# Task statuses and task history (assistance.models), in the page's language.
TASK_STATUS_LABELS = {
    "open": p("TaskStatus", "open"),
    "done": p("TaskStatus", "done"),
    "resolved": p("TaskStatus", "gap closed"),
    "handed": p("TaskStatus", "handed over"),
}
TASK_EVENT_LABELS = {
    "opened": p("TaskEvent", "opened"),
    "closed": p("TaskEvent", "closed: the gap disappeared"),
    "handed": p("TaskEvent", "handed over"),
    "reopened": p("TaskEvent", "reopened"),
    "completed": p("TaskEvent", "completed"),
}
RESULT_LABELS = {
    "excellent": p("assessment", "excellent"),
    "good": p("assessment", "good"),
    "pass": p("assessment", "pass"),
    "fail": p("assessment", "fail"),
}
