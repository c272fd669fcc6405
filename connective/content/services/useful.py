"""Mark a post useful, or take the mark back."""

from django.db import IntegrityError, transaction
from django.db.models import F

from connective.accounts.models import Person
from connective.content.models import Post, Useful
from connective.core import events
from connective.network.services.connections import record_interaction
from connective.network.services.relations import wants_to_hear_from
from connective.notifications.models import Notification
from connective.notifications.services.notify import notify


class UsefulError(Exception):
    """The mark cannot be made (the post is hidden, or it is your own)."""


def mark_useful(person: Person, post: Post) -> bool:
    """Record that `person` found `post` useful; False if they already had."""
    if not Post.objects.visible_to(person).filter(pk=post.pk).exists():
        raise UsefulError("That post does not exist or you cannot see it.")
    if post.author_id == person.pk:
        raise UsefulError("You cannot mark your own post useful.")
    try:
        with transaction.atomic():
            useful = Useful.objects.create(person=person, post=post)
            Post.objects.filter(pk=post.pk).update(useful_count=F("useful_count") + 1)
            events.announce(events.USEFUL_ADDED, useful=useful)
    except IntegrityError:
        return False
    record_interaction(person, post.author)
    if wants_to_hear_from(post.author, person):
        notify(
            post.author,
            person,
            Notification.Kind.USEFUL,
            url=post.get_absolute_url(),
            data={"title": post.title or post.excerpt(80)},
            object_key=f"useful:{post.pk}",
        )
    return True


def unmark_useful(person: Person, post: Post) -> bool:
    """Take back a useful mark; False if there was none."""
    with transaction.atomic():
        deleted, _ = Useful.objects.filter(person=person, post=post).delete()
        if deleted:
            Post.objects.filter(pk=post.pk, useful_count__gt=0).update(
                useful_count=F("useful_count") - 1
            )
            events.announce(events.USEFUL_REMOVED, person=person, post=post)
    return bool(deleted)
