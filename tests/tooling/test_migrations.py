"""Every model change comes with its migration: a model edited without one fails here, not on a county's server."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # --check exits 1 when a migration is missing
        pytest.fail(f"models changed without a migration (exit {exc.code}):\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()


OLD = [("registry", "0003_identification_and_return_stages"), ("procedures", None)]


def _migrate(targets):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    # The state the database is left at: the registry's migration (with what it depends on) when going back.
    return executor.loader.project_state(targets[:1]).apps if targets else None


@pytest.mark.django_db(transaction=True)
def test_area_exits_move_from_the_registry_to_procedures_keeping_their_rows():
    """A database whose area exits the registry held, migrated: the same rows, read through the procedures app;
    their content types follow; and back again (decision 1360)."""
    from django.contrib.contenttypes.models import ContentType

    from tuopin.apps.procedures.models import AreaExit, AreaExitStep, AreaNoticeObjection

    old = _migrate(OLD)
    assert "areaexit" in old.all_models["registry"] and not old.all_models["procedures"]
    Region = old.get_model("geo", "Region")
    village = Region.objects.create(code="520000000001", name="老村", level="village", is_poor_village=True)
    exit_ = old.get_model("registry", "AreaExit").objects.create(region_id=village.pk, kind="village", year=2018,
                                                                   stage="public_notice")
    step = old.get_model("registry", "AreaExitStep").objects.create(procedure_id=exit_.pk, stage="public_notice",
                                                                     on="2018-11-20", ends_on="2018-11-26")
    old.get_model("registry", "AreaNoticeObjection").objects.create(step_id=step.pk, received_on="2018-11-21",
                                                                    content="村路尚未硬化")
    ContentType.objects.filter(model="areaexit").delete()  # as a database made before the move holds it
    old_type = ContentType.objects.create(app_label="registry", model="areaexit")

    _migrate(None)
    moved = AreaExit.objects.get(pk=exit_.pk)
    assert (moved.region_id, moved.stage, AreaExit._meta.db_table) == (village.pk, "public_notice", "registry_areaexit")
    assert AreaExitStep.objects.get(procedure=moved).ends_on.isoformat() == "2018-11-26"
    assert AreaNoticeObjection.objects.get(step__procedure=moved).content == "村路尚未硬化"
    assert ContentType.objects.get(pk=old_type.pk).app_label == "procedures"

    back = _migrate(OLD)
    assert back.get_model("registry", "AreaExit").objects.get(pk=exit_.pk).stage == "public_notice"
    assert ContentType.objects.get(pk=old_type.pk).app_label == "registry"
    _migrate(None)
    assert AreaExit.objects.filter(pk=exit_.pk).exists()


def test_the_squashed_migrations_build_the_models_the_originals_build():
    """A new database is built by the squashed migrations (decision 1631); a database migrated before them keeps
    the original chain. Both must end in the same models: each field, option and constraint."""
    from django.db.migrations.loader import MigrationLoader

    squashed = MigrationLoader(None, ignore_no_migrations=True)
    original = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=False)
    used = {key for key in squashed.graph.nodes if squashed.disk_migrations[key].replaces}
    assert len(used) >= 10, used  # the squashes are in use on a new database, not just on disk
    # Unreplaced, the squashes stay in the graph as leaves of their own: the original chain ends at the others.
    ends = [key for key in original.graph.leaf_nodes() if not original.disk_migrations[key].replaces]
    assert not used & {node for end in ends for node in original.graph.forwards_plan(end)}
    new, old = squashed.project_state().models, original.project_state(ends).models
    assert new.keys() == old.keys()
    differing = [key for key in new if new[key] != old[key]]
    assert not differing, differing
