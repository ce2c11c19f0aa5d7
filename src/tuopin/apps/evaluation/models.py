"""Evaluation rounds (第三方评估): sampling, findings, 三率一度."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from tuopin.common.versioning import Versioned


class EvaluationRound(Versioned):  # the survey is edited: optimistic locking
    name = models.CharField(max_length=80)
    held_in = models.PositiveSmallIntegerField(help_text="year the round is held (Y+1)")
    data_year = models.PositiveSmallIntegerField(help_text="year of the data evaluated (Y)")
    county = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    seed = models.PositiveIntegerField(default=0, help_text="the draw of the sample, so it can be repeated")
    surveyed_households = models.PositiveIntegerField(default=0)  # 群众认可度 survey
    approving_households = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return self.name


class SampledVillage(models.Model):
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="villages")
    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    # the denominator of 漏评率: every rural person of the village not on the registry
    non_registered_persons = models.PositiveIntegerField(default=0)


class SampleKind(models.TextChoices):
    EXITED = "exited", "已脱贫户"
    POOR = "poor", "未脱贫户"
    NON_REGISTERED = "non_registered", "非建档立卡户"


class Finding(models.TextChoices):
    PENDING = "", "待核查"
    OK = "ok", "无问题"
    WRONGLY_EXITED = "wrongly_exited", "错退"
    OMITTED = "omitted", "漏评"


class SampledHousehold(Versioned):  # the finding is edited: optimistic locking
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="households")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=SampleKind.choices)
    persons = models.PositiveSmallIntegerField(default=0, help_text="members in the data year")
    suggested = models.CharField(max_length=16, choices=Finding.choices, blank=True,
                                 help_text="what the engine found in the data year, before the visit")
    finding = models.CharField(max_length=16, choices=Finding.choices, blank=True)
    note = models.TextField(blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    checked_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "household"], name="sample_once_per_round")]
