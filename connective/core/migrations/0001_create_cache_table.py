"""Create the database cache table, so that `migrate` alone prepares embedded mode."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    """The table of settings.CACHES when it uses the database backend (a no-op otherwise)."""
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
