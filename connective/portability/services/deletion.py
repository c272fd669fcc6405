"""Delete an account: what is the person's goes; what others need stays, without them in it.

Deleted: posts (each becomes a tombstone with no text, no file, no topics), connections both
ways, useful marks, notifications, memberships, enrolments and evidence, statements, feed
subscriptions, map snapshots (their public addresses stop working), jobs and their files, the
profile (name, bio, avatar, links, topics). Other people's public map snapshots stop showing
the name by themselves: they are drawn when served, with no names of suspended people.
Kept, anonymised: the Person row with its handle (reserved, so nobody can take over the
address) and its keys (to sign the Delete the fediverse is sent), and the User row, disabled
with no email and no password. docs/portability.md keeps this list for users.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from connective.accounts.models import Person
from connective.content.models import Post, Useful
from connective.content.services.posts import uncount_replies
from connective.core import events
from connective.courses.models import Enrolment
from connective.credentials.models import Statement
from connective.discovery.models import MapSnapshot
from connective.feeds.models import Subscription
from connective.network.models import Block, Connection, Mute
from connective.notifications.models import Notification
from connective.portability.models import ExportJob, ImportJob, UnresolvedContact
from connective.spaces.models import Membership


@transaction.atomic
def delete_account(person: Person) -> None:
    """Delete `person`'s account as documented above; the fediverse is told (Delete)."""
    now = timezone.now()
    # First, while the network is still there to address it: the fediverse is told.
    person.deleted_at = now
    events.announce(events.PERSON_DELETED, person=person)
    _delete_posts(person, now)
    _delete_marks(person)
    Connection.objects.filter(Q(owner=person) | Q(target=person)).delete()
    Block.objects.filter(owner=person).delete()
    Mute.objects.filter(Q(owner=person) | Q(target=person)).delete()
    Notification.objects.filter(Q(recipient=person) | Q(actor=person)).delete()
    Membership.objects.filter(person=person).delete()
    Enrolment.objects.filter(learner=person).delete()
    Statement.objects.filter(recipient=person).delete()
    Subscription.objects.filter(person=person).delete()
    UnresolvedContact.objects.filter(owner=person).delete()
    MapSnapshot.objects.filter(owner=person).delete()
    _delete_jobs(person)
    _anonymise(person, now)


def _delete_posts(person: Person, now) -> None:
    """Every post becomes a tombstone; replies elsewhere leave their threads' counts right."""
    posts = Post.objects.filter(author=person, deleted_at__isnull=True)
    uncount_replies(posts)
    for post in posts.exclude(file=""):
        post.file.delete(save=False)
    Post.topics.through.objects.filter(post__author=person).delete()
    Post.mentions.through.objects.filter(post__author=person).delete()
    posts.update(
        deleted_at=now, title="", body="", body_html="", link_url="", file="", file_name=""
    )


def _delete_marks(person: Person) -> None:
    marks = Useful.objects.filter(person=person)
    for post_id in list(marks.values_list("post_id", flat=True)):
        Post.objects.filter(pk=post_id, useful_count__gt=0).update(
            useful_count=F("useful_count") - 1
        )
    marks.delete()


def _delete_jobs(person: Person) -> None:
    for job in ExportJob.objects.filter(person=person):
        if job.archive:
            job.archive.delete(save=False)
    ExportJob.objects.filter(person=person).delete()
    for imported in ImportJob.objects.filter(person=person):
        if imported.upload:
            imported.upload.delete(save=False)
    ImportJob.objects.filter(person=person).delete()


def _anonymise(person: Person, now) -> None:
    if person.avatar:
        person.avatar.delete(save=False)
    person.links.all().delete()
    person.interests.clear()
    person.expertise.clear()
    person.followed_topics.clear()
    person.display_name = person.bio = person.bio_html = ""
    person.avatar = None  # type: ignore[assignment]
    person.discoverable = False
    person.also_known_as = []
    person.suspended_at = person.deleted_at = now
    person.save()
    user = person.user
    if user is not None:
        user.is_active = False
        user.email = ""
        user.first_name = user.last_name = ""
        user.set_unusable_password()
        user.save()  # a new password hash ends every session of the account
        EmailAddress.objects.filter(user=user).delete()
