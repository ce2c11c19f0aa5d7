"""Saved assessments: what the data said on the day of a decision, kept unchanged."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class AssessmentRun(models.Model):  # 评估快照
    year = models.PositiveSmallIntegerField()
    scope_code = models.CharField(max_length=12)
    scope_name = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    engine = models.CharField(max_length=12, default="duckdb")
    summary = models.JSONField(help_text="the `tuopin assess --json` object")
    folder = models.CharField(max_length=300, help_text="snapshot folder: inputs and results as Parquet")
    sha256 = models.CharField(max_length=64, help_text="digest of every file in the folder")

    class Meta:
        ordering = ["-created_at"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("a saved assessment cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("a saved assessment cannot be deleted")


class WhatIfRun(models.Model):  # 标准调整测算: a what-if kept by name to compare later (decision 1581)
    name = models.CharField(max_length=80)
    year = models.PositiveSmallIntegerField()
    scope_code = models.CharField(max_length=12)
    scope_name = models.CharField(max_length=64)
    what_if = models.TextField(help_text="the what-if file's TOML, as run")
    summary = models.JSONField(help_text="the `tuopin assess --what-if --json` object: today's, what_if, delta")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("a saved what-if cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("a saved what-if cannot be deleted")
