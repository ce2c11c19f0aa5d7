"""The client's address on each audit event (decision 1151).

A nullable column with no default: SQLite adds it with ALTER TABLE ADD COLUMN and PostgreSQL without rewriting
the table, so the append-only triggers (0002) stay as they are — and are created again after it anyway
(idempotent on both engines), so that no way of applying this migration leaves the table unprotected."""

from django.db import migrations, models


def triggers(apps, schema_editor):
    from tuopin.apps.audit.immutability import create_triggers

    create_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]
    operations = [
        migrations.AddField(model_name="auditevent", name="ip_address",
                            field=models.GenericIPAddressField(blank=True, null=True)),
        migrations.RunPython(triggers, migrations.RunPython.noop),
    ]
