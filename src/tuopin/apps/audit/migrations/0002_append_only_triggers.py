"""Database triggers that refuse UPDATE and DELETE on the audit trail (decision 0905)."""

from django.db import migrations


def create(apps, schema_editor):
    from tuopin.apps.audit.immutability import create_triggers

    create_triggers(schema_editor.connection)


def drop(apps, schema_editor):
    from tuopin.apps.audit.immutability import drop_triggers

    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
