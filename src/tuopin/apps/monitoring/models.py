"""Monitoring after exit (防返贫)."""

from django.db import models


class CaseType(models.TextChoices):
    UNSTABLE = "unstable", "脱贫不稳定户"
    MARGINAL = "marginal", "边缘易致贫户"
    SUDDEN = "sudden", "突发严重困难户"


class MonitoringCase(models.Model):
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="monitoring_cases")
    case_type = models.CharField(max_length=10, choices=CaseType.choices)
    risk = models.CharField(max_length=20, help_text="因病 因学 因残 因灾 因意外 因产业失败 因务工不稳 缺劳动力 其他")
    channel = models.CharField(max_length=12, help_text="self_report / cadre_visit / department_alert")
    identified_on = models.DateField()
    removed_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
