"""The exit procedures of a poor village (贫困村退出) and of a county (贫困县摘帽).

A household's procedure is a `StatusEvent` with its `ProcedureStep`s (the registry's models). A village or a county
is not a household, so its procedure has models of its own, shaped the same way: one row per procedure, one row
per stage (who, when, passed, note), objections to its public notice. Stage orders and sources are in
`area_procedure.py` and docs/decisions/0502.

These models began in the registry and moved here without touching the database (decision 1360): their tables
keep the registry's names, and their audit events the registry's entity names, so that a record's history reads
as one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import AreaKind, AreaStage


CLOSED_AREA_STAGES = (AreaStage.ANNOUNCED, AreaStage.REFUSED)


class AreaExit(models.Model):  # 贫困村退出 / 贫困县摘帽 procedure
    audit_entity = "registry.areaexit"
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="exit_procedures")
    kind = models.CharField(max_length=10, choices=AreaKind.choices)
    year = models.PositiveSmallIntegerField(help_text="the data year the exit is assessed on")
    stage = models.CharField(max_length=24, choices=AreaStage.choices, default=AreaStage.APPLIED)
    # The announcement date (公告): the date the village or county counts as out of poverty.
    effective_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True, help_text="why the procedure was refused")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        db_table = "registry_areaexit"
        ordering = ["region__code", "year", "id"]
        constraints = [
            # One live (open or announced) procedure per region and year; refused ones stay as history.
            models.UniqueConstraint(fields=["region", "year"], condition=~Q(stage="refused"),
                                    name="area_exit_one_live_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.region_id} {self.year} ({self.stage})"


class AreaExitStep(models.Model):  # one stage of a village/county procedure: who, when, outcome
    audit_entity = "registry.areaexitstep"
    procedure = models.ForeignKey(AreaExit, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=24, choices=AreaStage.choices)
    on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="end of the public notice")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    by_name = models.CharField(max_length=64, blank=True)
    passed = models.BooleanField(default=True)
    note = models.TextField(blank=True)
    # The county's province verification rests on a third-party evaluation round (第三方评估).
    evaluation_round = models.ForeignKey("evaluation.EvaluationRound", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "registry_areaexitstep"
        ordering = ["procedure", "on", "id"]


class AreaNoticeObjection(models.Model):  # 公示异议 to a village's or county's notice
    audit_entity = "registry.areanoticeobjection"
    step = models.ForeignKey(AreaExitStep, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField()
    content = models.TextField()
    resolution = models.TextField(blank=True)
    resolved_on = models.DateField(null=True, blank=True)

    class Meta:
        db_table = "registry_areanoticeobjection"
