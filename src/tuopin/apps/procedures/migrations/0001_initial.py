# The village and county exit procedures move here from the registry (decision 1360). Their tables stay where
# they are (db_table keeps the registry's names), so this migration changes Django's state only; the registry's
# 0004 removes them from its state. Content types follow, so that rows naming them keep pointing at them.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ("areaexit", "areaexitstep", "areanoticeobjection")


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    # A content type already made under the new label (a database migrated back and forth) is left as it is.
    taken = ContentType.objects.filter(app_label=new, model__in=MOVED).values_list("model", flat=True)
    ContentType.objects.filter(app_label=old, model__in=MOVED).exclude(model__in=list(taken)).update(app_label=new)


def content_types_forwards(apps, schema_editor):
    _relabel(apps, "registry", "procedures")


def content_types_backwards(apps, schema_editor):
    _relabel(apps, "procedures", "registry")


AREA_STAGES = [('applied', '申请'), ('township_review', '乡镇审核'), ('city_review', '市级初审'),
               ('province_verification', '省级核查'), ('public_notice', '公示'), ('county_approval', '县级审定'),
               ('announced', '公告'), ('refused', '退回')]


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('evaluation', '0001_initial'),
        ('geo', '0001_initial'),
        # The tables as the registry left them.
        ('registry', '0003_identification_and_return_stages'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AreaExit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('village', '贫困村退出'), ('county', '贫困县摘帽')], max_length=10)),
                        ('year', models.PositiveSmallIntegerField(help_text='the data year the exit is assessed on')),
                        ('stage', models.CharField(choices=AREA_STAGES, default='applied', max_length=24)),
                        ('effective_on', models.DateField(blank=True, null=True)),
                        ('reason', models.CharField(blank=True, help_text='why the procedure was refused', max_length=200)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='exit_procedures', to='geo.region')),
                    ],
                    options={
                        'db_table': 'registry_areaexit',
                        'ordering': ['region__code', 'year', 'id'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('stage', 'refused'), _negated=True), fields=('region', 'year'), name='area_exit_one_live_per_year')],
                    },
                ),
                migrations.CreateModel(
                    name='AreaExitStep',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('stage', models.CharField(choices=AREA_STAGES, max_length=24)),
                        ('on', models.DateField()),
                        ('ends_on', models.DateField(blank=True, help_text='end of the public notice', null=True)),
                        ('by_name', models.CharField(blank=True, max_length=64)),
                        ('passed', models.BooleanField(default=True)),
                        ('note', models.TextField(blank=True)),
                        ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('evaluation_round', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='evaluation.evaluationround')),
                        ('procedure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='procedures.areaexit')),
                    ],
                    options={
                        'db_table': 'registry_areaexitstep',
                        'ordering': ['procedure', 'on', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='AreaNoticeObjection',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('received_on', models.DateField()),
                        ('content', models.TextField()),
                        ('resolution', models.TextField(blank=True)),
                        ('resolved_on', models.DateField(blank=True, null=True)),
                        ('step', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='objections', to='procedures.areaexitstep')),
                    ],
                    options={
                        'db_table': 'registry_areanoticeobjection',
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_forwards, content_types_backwards),
    ]
