"""Campaigns (攻坚行动, e.g. the 653 hundred-day campaign of 2018): a period, targets per village, the units and
cadres taking part, and the villages' daily progress logs, which a board sets against the targets. Decision 1535."""

from django.conf import settings
from django.db import models

from tuopin.common.versioning import Versioned

from .choices import TargetKind


class Campaign(Versioned):
    name = models.CharField(max_length=80, unique=True)
    start = models.DateField()
    end = models.DateField()
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, null=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", db_index=False)

    class Meta:
        ordering = ["-start", "name"]
        constraints = [models.CheckConstraint(condition=models.Q(end__gte=models.F("start")),
                                              name="campaign_ends_after_start")]

    def __str__(self) -> str:
        return self.name

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class Target(Versioned):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=TargetKind.choices)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["village__code", "kind"]
        constraints = [models.UniqueConstraint(fields=["campaign", "village", "kind"], name="one_target_a_kind")]


class Participant(models.Model):
    """A unit or a cadre taking part (参战单位, 参战干部), with the part it plays."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey("organisation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cadre = models.ForeignKey("organisation.Cadre", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    role = models.CharField(max_length=60, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(unit__isnull=False) | models.Q(cadre__isnull=False),
                                   name="participant_is_unit_or_cadre"),
            models.UniqueConstraint(fields=["campaign", "unit", "cadre"], name="participant_once"),
        ]


class ProgressLog(models.Model):
    """A village's progress on one day: how many of a target kind it finished, who reported it.

    A log is never edited nor deleted: a mistaken one is corrected by a new log that names it (`corrects`), and
    the board counts only the logs no later log corrects (decision 1610). A correction may count 0: the day's
    log was wrong altogether."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="logs")
    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=24, choices=TargetKind.choices)
    count = models.PositiveIntegerField()
    note = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", db_index=False)
    by_name = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, null=True)
    corrects = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="correction", help_text="the log this one corrects (decision 1610)")

    class Meta:
        ordering = ["day", "id"]
        indexes = [models.Index(fields=["campaign", "village", "kind"])]
