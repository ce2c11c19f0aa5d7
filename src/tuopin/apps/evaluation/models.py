"""Evaluation rounds: sampling, findings, 三率一度 (S22)."""

from django.db import models


class EvaluationRound(models.Model):
    name = models.CharField(max_length=80)
    held_in = models.PositiveSmallIntegerField(help_text="year the round is held (Y+1)")
    data_year = models.PositiveSmallIntegerField(help_text="year of the data evaluated (Y)")
    county = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    surveyed_households = models.PositiveIntegerField(default=0)
    approving_households = models.PositiveIntegerField(default=0)  # 群众认可度


class SampledVillage(models.Model):
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="villages")
    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    non_registered_persons = models.PositiveIntegerField(default=0)


class SampledHousehold(models.Model):
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="households")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    finding = models.CharField(max_length=20, blank=True, help_text="ok / wrongly_exited / omitted / …")
    persons = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(blank=True)
