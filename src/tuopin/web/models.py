"""The one table of the delivery layer: which document is being made for which data version (decision 1130)."""

from django.db import models


class DocumentJob(models.Model):
    """A document asked for at a data version (the latest write in the audit trail), and the background task
    making it. One row per (kind, object, year, account, language, version): the unique constraint is what makes
    concurrent requests for the same document share one task. `account_id` is 0 for a document that is the same
    for every account allowed to open it (the area reports), else the account it was made for."""

    kind = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    year = models.IntegerField(default=0)
    account_id = models.BigIntegerField(default=0)
    language = models.CharField(max_length=16)
    version = models.BigIntegerField()
    task_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "year", "account_id", "language",
                                                       "version"], name="web_document_job_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.year} account {self.account_id} {self.language} v{self.version}"
