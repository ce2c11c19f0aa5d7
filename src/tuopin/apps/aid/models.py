"""Education and medical aid paid to a person in a year (教育资助, 医疗救助 and insurance reimbursements): one row a
payment, by the department that paid it, with its reference (凭证号). The later policy-coverage check (倒查正推)
reads these rows beside the registry's flags. Decision 1530."""

from django.conf import settings
from django.db import models

from tuopin.common.versioning import Versioned

from .choices import AidKind


class AidPayment(Versioned):
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="aid_payments")
    # The person's household and village when paid: a member who moves later keeps the payment where it was made,
    # and the county's totals by township read the village without a join through the person.
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="aid_payments")
    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=32, choices=AidKind.choices)
    amount_fen = models.BigIntegerField()
    paid_on = models.DateField()
    department = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField("凭证号", max_length=64)
    note = models.CharField(max_length=200, blank=True, db_default="")
    created_at = models.DateTimeField(auto_now_add=True, null=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", db_index=False)

    class Meta:
        ordering = ["year", "paid_on", "id"]
        indexes = [models.Index(fields=["year", "kind"]), models.Index(fields=["village", "year"])]
        constraints = [
            # One reference once per department: an import run twice is refused, not counted twice.
            models.UniqueConstraint(fields=["department", "reference"], name="aid_reference_once_per_department"),
            models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="aid_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"aid payment {self.pk}"
