"""The monitoring procedure's words (防止返贫动态监测和帮扶机制): kinds of household, risks, channels, stages, measures."""

from django.db import models
from django.utils.translation import pgettext_lazy


class CaseKind(models.TextChoices):  # 监测对象类别
    UNSTABLE = "unstable", pgettext_lazy("CaseKind", "unstable exited household")
    MARGINAL = "marginal", pgettext_lazy("CaseKind", "marginal household at risk")
    SUDDEN = "sudden", pgettext_lazy("CaseKind", "household in sudden severe difficulty")


class Risk(models.TextChoices):  # 风险类型
    ILLNESS = "illness", pgettext_lazy("Risk", "illness")
    SCHOOLING = "schooling", pgettext_lazy("Risk", "schooling costs")
    DISABILITY = "disability", pgettext_lazy("Risk", "disability")
    DISASTER = "disaster", pgettext_lazy("Risk", "disaster")
    ACCIDENT = "accident", pgettext_lazy("Risk", "accident")
    INDUSTRY = "industry_failure", pgettext_lazy("Risk", "failed farming or business")
    WORK = "unstable_work", pgettext_lazy("Risk", "unstable work")
    LABOUR = "labour_shortage", pgettext_lazy("Risk", "lack of labour")
    OTHER = "other", pgettext_lazy("Risk", "other")


# The risks a village notice may not name: health and disability are health data (decision 1403).
HEALTH_RISKS = frozenset({Risk.ILLNESS, Risk.DISABILITY})
# The generator's and the old records' words for the risks.
RISK_WORDS = {"因病": Risk.ILLNESS, "因学": Risk.SCHOOLING, "因残": Risk.DISABILITY, "因灾": Risk.DISASTER,
              "因意外": Risk.ACCIDENT, "因产业失败": Risk.INDUSTRY, "因务工不稳": Risk.WORK, "缺劳动力": Risk.LABOUR,
              "其他": Risk.OTHER}


class Channel(models.TextChoices):  # 发现渠道
    SELF_APPLICATION = "self_application", pgettext_lazy("Channel", "the household's own application")
    CADRE_VISIT = "cadre_visit", pgettext_lazy("Channel", "a cadre's visit")
    DEPARTMENT_ALERT = "department_alert", pgettext_lazy("Channel", "a department's alert")
    ENGINE_CANDIDATE = "engine_candidate", pgettext_lazy("Channel", "the assessment's candidates")


class Stage(models.TextChoices):  # 环节
    CLUE = "clue", pgettext_lazy("MonitoringStage", "clue recorded")
    VILLAGE_REVIEW = "village_review", pgettext_lazy("MonitoringStage", "village review")
    VILLAGE_NOTICE = "village_notice", pgettext_lazy("MonitoringStage", "village notice")
    TOWNSHIP_APPROVAL = "township_approval", pgettext_lazy("MonitoringStage", "township approval")
    ASSISTANCE = "assistance", pgettext_lazy("MonitoringStage", "under assistance")
    RISK_REMOVED = "risk_removed", pgettext_lazy("MonitoringStage", "risk removed")
    NOT_INCLUDED = "not_included", pgettext_lazy("MonitoringStage", "not included")
    RETURNED = "returned", pgettext_lazy("MonitoringStage", "returned to poverty")


# The stages before the township's decision, in order; each names the stage recorded next.
NEXT_STAGE = {Stage.CLUE: Stage.VILLAGE_REVIEW, Stage.VILLAGE_REVIEW: Stage.VILLAGE_NOTICE,
              Stage.VILLAGE_NOTICE: Stage.TOWNSHIP_APPROVAL}
UNDECIDED = (Stage.CLUE, Stage.VILLAGE_REVIEW, Stage.VILLAGE_NOTICE)
CLOSED = (Stage.RISK_REMOVED, Stage.NOT_INCLUDED, Stage.RETURNED)


class MeasureKind(models.TextChoices):  # 帮扶措施
    INDUSTRY = "industry", pgettext_lazy("MeasureKind", "farming and business")
    EMPLOYMENT = "employment", pgettext_lazy("MeasureKind", "employment")
    HEALTH = "health", pgettext_lazy("MeasureKind", "health")
    EDUCATION = "education", pgettext_lazy("MeasureKind", "education")
    HOUSING = "housing", pgettext_lazy("MeasureKind", "housing")
    WATER = "water", pgettext_lazy("MeasureKind", "drinking water")
    SOCIAL = "social_security", pgettext_lazy("MeasureKind", "social assistance")
    OTHER = "other", pgettext_lazy("MeasureKind", "other")
