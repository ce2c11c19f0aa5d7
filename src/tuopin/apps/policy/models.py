"""Department rosters (部门数据, 倒查正推): a department's list of one kind for one year, uploaded once and kept,
matched to the registry by ID number (decision 1540). The kinds and their columns are data
(tuopin/standards/data/rosters.toml); the policy catalogue is not kept here."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

HOW = (("id", _("by ID number")), ("likeness", _("by likeness")), ("review", _("for review")),
       ("none", _("unmatched")))
REVIEW = (("confirmed", _("confirmed")), ("rejected", _("rejected")))


# A row that proves its person is the one on the roster (decision 1543): matched by ID number or by likeness and not
# rejected by a reviewer, or queued for review and confirmed. Coverage, signals and the counts all read this.
MATCHED = (Q(how__in=("id", "likeness")) & ~Q(review="rejected")) | Q(how="review", review="confirmed")


class Roster(models.Model):
    """One upload. Rosters of one (kind, year, department) are versions: the newest is `current`, the earlier stay
    stored for the record (decision 1540)."""

    kind = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    # The uploading department's unit; None for the county office's own upload of a department's paper list.
    department = models.ForeignKey("organisation.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    matched_by_id = models.PositiveIntegerField(default=0)
    matched_by_likeness = models.PositiveIntegerField(default=0)
    queued_for_review = models.PositiveIntegerField(default=0)
    unmatched = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    current = models.BooleanField(default=True)

    class Meta:
        ordering = ["-year", "kind", "-uploaded_at", "-id"]
        indexes = [models.Index(fields=["kind", "year"])]
        constraints = [
            # One current version of a triple; the county office's own uploads (no unit) count as one department.
            models.UniqueConstraint(F("kind"), F("year"), Coalesce("department", 0), condition=models.Q(current=True),
                                    name="roster_one_current_version"),
        ]

    def __str__(self) -> str:
        return f"roster {self.pk} ({self.kind} {self.year})"


class RosterEntry(models.Model):
    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="entries")
    row = models.PositiveIntegerField(help_text="the row number in the file, as the spreadsheet shows it")
    id_number = models.CharField(max_length=18, blank=True, db_index=True,
                                 help_text="18 characters, upper-case X; '' when missing or invalid")
    id_valid = models.BooleanField(default=False)
    # What the file held where the number is not a valid one (a typo the linker or a reviewer reads), else ''.
    id_given = models.CharField(max_length=32, blank=True)
    name = models.CharField(max_length=64)
    sex = models.CharField(max_length=1, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    county = models.CharField(max_length=64, blank=True)
    township = models.CharField(max_length=64, blank=True)
    village = models.CharField(max_length=64, blank=True)
    extra = models.JSONField(default=dict, blank=True, help_text="the kind's own columns, typed (dates ISO, money in fen)")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="roster_entries")
    how = models.CharField(max_length=8, choices=HOW, default="none")
    weight = models.FloatField(null=True, blank=True)
    agreement = models.JSONField(default=dict, blank=True, help_text="{field: true/false}: which fields agreed")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review = models.CharField(max_length=10, choices=REVIEW, blank=True)

    class Meta:
        ordering = ["roster", "row"]
        constraints = [models.UniqueConstraint(fields=["roster", "row"], name="roster_entry_row_once")]

    def __str__(self) -> str:
        return f"roster entry {self.pk}"
