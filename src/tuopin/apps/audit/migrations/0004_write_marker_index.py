"""A partial index of the events that may record a write, for the figures cache's write marker (audit.marker,
decision 1152). An index changes no row: the append-only triggers are not involved."""

from django.db import migrations


def create(apps, schema_editor):
    from tuopin.apps.audit.marker import CREATE

    schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    from tuopin.apps.audit.marker import DROP

    schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_auditevent_ip_address")]
    operations = [migrations.RunPython(create, drop)]
