"""`connective worker`: the background worker for whichever queue is configured."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from connective.core import periodic


class Command(BaseCommand):
    """Run the periodic sweeps, and the database queue worker (or RQ when Redis is configured)."""

    help = "Run the background worker (database queue, or RQ when CONNECTIVE_REDIS_URL is set)."

    def handle(self, *args: object, **options: object) -> None:
        # The clock finds due rows (scheduled posts, feed polls, deliveries) and enqueues them.
        periodic.start_clock()
        if getattr(settings, "REDIS_URL", ""):
            call_command(
                "rqworker", "default", job_class="django_tasks_rq.Job", with_scheduler=True
            )
        else:
            call_command("db_worker", verbosity=1)
