"""Signals that figures may be gamed (数字脱贫), as found by the signal rules and kept for their verification
(decision 1590): one row per finding, found again by its key on every run."""

from django.db import models


class Finding(models.Model):  # 疑点: a question for the township to verify, never a finding of fault
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=40, help_text="standards/data/signals.toml's kind")
    # "<year>|<kind>|<the rule's finding>": a second run finds the same row again (decision 1592).
    key = models.CharField(max_length=120, unique=True)
    township = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                help_text="empty when the finding is the township's as a whole")
    households = models.JSONField(default=list, help_text="ids of the households behind it")
    cadres = models.JSONField(default=list, help_text="ids of the cadres behind it")
    figures = models.JSONField(default=dict, help_text="observed, expected, n, score, day, extra")
    explanation = models.TextField()
    task = models.ForeignKey("assistance.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    found_on = models.DateField()
    seen_on = models.DateField(help_text="the last run that found it")
    current = models.BooleanField(default=True, help_text="found by the latest run of its year and scope")

    class Meta:
        ordering = ["year", "kind", "key"]
        indexes = [models.Index(fields=["year", "kind"], name="integrity_year_kind")]
