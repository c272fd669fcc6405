"""Point Django at the benchmark database (never the development one) and migrate it."""

import os
from pathlib import Path

from bench.scale import Scale

ROOT = Path(__file__).resolve().parent.parent


def setup_django(scale: Scale) -> None:
    """Configure the environment for `scale`, set Django up, migrate quietly, and settle as a
    web process does before its first request.

    SQLite lives in var/bench/<scale>/ so the full and the small database can both be kept;
    CONNECTIVE_DATABASE_URL (e.g. PostgreSQL) wins when it is set.
    """
    if not os.environ.get("CONNECTIVE_DATABASE_URL"):
        os.environ["CONNECTIVE_VAR_DIR"] = str(ROOT / "var" / "bench" / scale.name)
    else:
        os.environ.setdefault("CONNECTIVE_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "connective.settings")
    os.environ.setdefault("CONNECTIVE_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    migrate()
    from connective.core.runtime import settle

    settle()  # as a web process does once the app is loaded (connective/wsgi.py)


def migrate() -> None:
    """Bring the benchmark database up to the current migrations, then refresh its statistics.

    A migration that alters a column makes SQLite copy the table, which drops the table's
    planner statistics (sqlite_stat1): without them SQLite chose a join order for the rendered
    baseline that scanned every person (140 ms instead of 1). So after any migration the
    benchmark database is analysed again, as the generator does after writing it.
    """
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    before = recorder.applied_migrations() if recorder.has_table() else {}
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    if before and set(recorder.applied_migrations()) != set(before):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
