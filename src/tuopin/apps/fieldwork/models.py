"""Field work: a structured visit's photos and the registry changes its answers propose (decision 1560)."""

from django.conf import settings
from django.db import models

from tuopin.common.versioning import Versioned


class ChangeStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    ACCEPTED = "accepted", "已采纳"
    REJECTED = "rejected", "已驳回"
    # A later proposal for the same field, person and year replaced it before it was reviewed.
    SUPERSEDED = "superseded", "已被替代"


class VisitPhoto(models.Model):  # 走访照片
    visit = models.ForeignKey("assistance.Visit", on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="visits/%Y/")
    sha256 = models.CharField(max_length=64)
    bytes = models.PositiveIntegerField()
    at = models.DateTimeField(auto_now_add=True)


class ProposedChange(Versioned):  # 变更建议: an answer that contradicts the registry, reviewed by the first secretary
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="proposed_changes")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="proposed_changes")
    year = models.PositiveSmallIntegerField()
    field = models.CharField(max_length=60, help_text="e.g. person_year.school_status")
    question = models.CharField(max_length=60, blank=True)
    current = models.JSONField(null=True, blank=True, help_text="the registry's value when proposed")
    proposed = models.JSONField(null=True, blank=True)
    seen = models.JSONField(null=True, blank=True, help_text="what the phone showed; null if unknown")
    visit = models.ForeignKey("assistance.Visit", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="proposed_changes")
    client_id = models.UUIDField(null=True, blank=True, db_index=True, help_text="a survey's idempotency key")
    source = models.CharField(max_length=10, default="field")
    status = models.CharField(max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING,
                              db_index=True)
    conflict = models.BooleanField(default=False, help_text="the registry changed between the phone's view and "
                                                            "the arrival")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
