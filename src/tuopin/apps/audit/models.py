"""The audit trail: every write, as who / when / from where / what / old and new values; reads of personal
data as one event per request (decision 1152)."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=150, blank=True, db_index=True)
    action = models.CharField(max_length=40, db_index=True, help_text="create / update / delete / import / …")
    entity = models.CharField(max_length=60, blank=True, help_text="app_label.model")
    entity_id = models.CharField(max_length=40, blank=True)
    # {"field": [old, new], …} for a single change.
    changes = models.JSONField(default=dict, blank=True)
    # A bulk load is one event: its summary and the keys of the rows it wrote.
    batch = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=16, default="web", help_text="web / api / cli / import / demo")
    # The client's address when the event was written while serving a request (decision 1151); as axes sees
    # it (REMOTE_ADDR unless axes is told about a proxy). None for commands and older events.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    summary = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["entity", "entity_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.entity}#{self.entity_id}"
