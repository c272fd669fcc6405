"""Flag: a report from another server, kept for our admins."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from connective.accounts.models import Person
from connective.content.models import Post
from connective.federation.handlers.base import Ignored
from connective.federation.models import Report
from connective.federation.wire import Activity, _refs


def handle_flag(activity: Activity, actor: Person) -> None:
    """Store a report about people or posts here (the reporter is usually the instance actor)."""
    refs = list(_refs(activity.object))[:50]
    people = list(Person.objects.local().filter(uri__in=refs))
    posts = list(Post.objects.filter(uri__in=refs, author__domain=""))
    if not people and not posts:
        raise Ignored("the report concerns nobody here")
    try:
        with transaction.atomic():
            report = Report.objects.create(
                activity_id=activity.id,
                reporter=actor,
                target=people[0] if people else posts[0].author,
                content=activity.content,
            )
    except IntegrityError as exc:
        raise Ignored("report already stored") from exc
    report.posts.set(posts)
