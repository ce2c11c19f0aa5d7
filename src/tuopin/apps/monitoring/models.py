"""Monitoring after exit (防止返贫动态监测): a case per household and clue, its stages and its assistance measures.

A case opens with a clue (线索), is reviewed by the village, posted in the village, and decided by the township:
included (then under assistance, 帮扶, until its risk is removed) or not included, with the reason. The township's
decision and the risk's removal are status events of the registry (`monitoring_in`, `risk_removed`): the case
keeps the procedure, the events stay the truth of the household's status (decision 0005). Decisions 1400–1404.
"""

from django.conf import settings
from django.db import models

from tuopin.common.versioning import Versioned

from .choices import CaseKind, Channel, MeasureKind, Risk, Stage


class MonitoringCase(Versioned):
    # Null for an application or alert whose ID number matched no household: the village looks it up.
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="monitoring_cases")
    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=CaseKind.choices, blank=True, db_default="",
                            help_text="given at the clue or, for an application, by the village's review")
    # Risk codes between commas (",illness,disaster,"): one column a LIKE counts on any database (decision 1400).
    risks = models.CharField(max_length=200, blank=True, default="", db_default="")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    from_public_form = models.BooleanField(default=False, db_default=False, help_text="an application sent on the public form")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.CLUE, db_index=True)
    clue_on = models.DateField(help_text="the first clue: the time limit counts from it")
    decided_on = models.DateField(null=True, blank=True, help_text="the township's decision, or 不纳入")
    included_on = models.DateField(null=True, blank=True)
    removed_on = models.DateField(null=True, blank=True)
    # A monitored household that fell back into poverty (返贫) leaves monitoring for the poor's assistance: the
    # announced return ends the case, which is neither a removed risk nor open any more.
    returned_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, db_default="", help_text="the difficulty, as the clue describes it")
    not_included_reason = models.TextField(blank=True, db_default="")
    # An application or alert that matched no household keeps what it named, for the village to look it up.
    applicant_name = models.CharField(max_length=64, blank=True, db_default="")
    applicant_id_number = models.CharField(max_length=18, blank=True, db_default="")
    applicant_phone = models.CharField(max_length=20, blank=True, db_default="")
    department = models.ForeignKey("organisation.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text="the department whose alert it is")
    # A keyed hash of the public form's client address: the throttle counts it, nobody reads an address from it.
    client_key = models.CharField(max_length=64, blank=True, db_default="", db_index=True)
    monitoring_event = models.ForeignKey("registry.StatusEvent", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    removal_event = models.ForeignKey("registry.StatusEvent", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, null=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", db_index=False)

    class Meta:
        indexes = [models.Index(fields=["village", "stage"]), models.Index(fields=["clue_on"])]

    def risk_codes(self) -> list[str]:
        return [r for r in self.risks.split(",") if r]

    def risk_labels(self) -> list[str]:
        return [str(Risk(r).label) for r in self.risk_codes() if r in Risk.values]

    def __str__(self) -> str:
        return f"monitoring case {self.pk}"


class CaseStep(models.Model):
    """One stage of a case: when, who (the account and its role, or the body named), passed or not, why."""

    case = models.ForeignKey(MonitoringCase, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="a notice's last day")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", db_index=False)
    by_role = models.CharField(max_length=20, blank=True)
    by_name = models.CharField(max_length=64, blank=True)
    passed = models.BooleanField(default=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]

    def role_label(self) -> str:
        from tuopin.apps.accounts.models import Role

        return str(Role(self.by_role).label) if self.by_role in Role.values else ""


class Measure(models.Model):
    """An assistance measure (帮扶措施) on an included case, routed as a task to its owner."""

    case = models.ForeignKey(MonitoringCase, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(max_length=20, choices=MeasureKind.choices)
    description = models.TextField()
    responsible = models.CharField(max_length=64, blank=True, help_text="who carries it out, as the case says")
    on = models.DateField()
    task = models.ForeignKey("assistance.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
