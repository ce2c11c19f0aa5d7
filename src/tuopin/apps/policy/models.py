"""Policies and department rosters (倒查正推)."""

from django.conf import settings
from django.db import models


class Policy(models.Model):  # 政策清单
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=80)
    domain = models.CharField(max_length=32, help_text="education / health / civil_affairs / housing / hr / …")
    department = models.ForeignKey("organisation.Unit", null=True, on_delete=models.PROTECT, related_name="+")
    eligibility = models.TextField(help_text="who qualifies, in words; the rule itself is SQL in tuopin.rules")


class Roster(models.Model):  # a department's upload, matched on ID number
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="rosters")
    year = models.PositiveSmallIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(max_length=200)
    rows = models.PositiveIntegerField(default=0)


class RosterEntry(models.Model):
    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="entries")
    id_number = models.CharField(max_length=18, db_index=True)
    name = models.CharField(max_length=32, blank=True)
    amount_fen = models.BigIntegerField(default=0)
