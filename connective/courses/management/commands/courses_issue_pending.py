"""Issue statements for completed enrolments that have none yet (e.g. after a signing error)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from connective.courses.models import Enrolment
from connective.courses.services.completion import issue_for


class Command(BaseCommand):
    """`manage.py courses_issue_pending`: catch up on statements not issued at completion."""

    help = "Issue statements of participation for completed enrolments that have none yet."

    def handle(self, *args: Any, **options: Any) -> None:
        """Issue each pending statement, one transaction each; print how many."""
        pending = Enrolment.objects.filter(
            completed_at__isnull=False, unenrolled_at__isnull=True, statement_issued_at__isnull=True
        ).select_related("course", "learner")
        issued = 0
        for enrolment in pending:
            with transaction.atomic():
                if issue_for(enrolment) is not None:
                    issued += 1
        self.stdout.write(f"{issued} statement{'s' if issued != 1 else ''} issued")
