# The village and county exit procedures now belong to the procedures app (decision 1360): removed from the
# registry's state only. Their tables stay, under the same names; procedures' 0001 holds them from now on.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0003_identification_and_return_stages'),
        ('procedures', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='AreaNoticeObjection'),
                migrations.DeleteModel(name='AreaExitStep'),
                migrations.DeleteModel(name='AreaExit'),
            ],
        ),
    ]
