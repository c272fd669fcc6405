"""Create the demo people: logins with verified email, profiles, links, topics they follow."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models.functions import Lower

from connective.accounts.models import Person, User
from connective.accounts.services.links import add_link
from connective.accounts.services.people import create_local_person
from connective.accounts.services.profile import ProfileChange, update_privacy, update_profile
from connective.accounts.services.topics import follow_topic
from connective.demo.services.catalog import LEARNER, PersonSpec
from connective.demo.services.state import Demo
from connective.topics.services.resolve import get_or_create_topics

DEMO_EMAIL_DOMAIN = "demo.example"
LINK_LABELS = {"blog": "Blog", "website": "Website", "feed": "Blog feed"}


def taken_handles(handles: list[str]) -> list[str]:
    """The demo handles already used here, by a person or by a login."""
    wanted = [h.lower() for h in handles]
    people = Person.objects.local().annotate(key=Lower("handle")).filter(key__in=wanted)
    users = User.objects.annotate(key=Lower("username")).filter(key__in=wanted)
    taken = set(people.values_list("key", flat=True)) | set(users.values_list("key", flat=True))
    return [h for h in handles if h.lower() in taken]


def load_topics(demo: Demo) -> None:
    """Every catalogue topic as a Topic row, first written the way the catalogue spells it."""
    labels = list(demo.cat.topics)
    demo.topics = dict(zip(labels, get_or_create_topics(labels), strict=True))


def load_existing(demo: Demo, handles: list[str]) -> None:
    """Pick up demo people created by an earlier run, so new ties can reach them."""
    for handle in handles:
        person = Person.objects.local().filter(handle__iexact=handle).first()
        if person is not None:
            demo.people[handle] = person


def create_people(demo: Demo, handles: list[str], password_hash: str) -> None:
    """Create the listed demo people, in catalogue order, all with the same password hash."""
    for spec in demo.cat.people:
        if spec.handle in handles:
            demo.people[spec.handle] = _create(demo, spec, password_hash)


def _create(demo: Demo, spec: PersonSpec, password_hash: str) -> Person:
    user = User.objects.create(
        username=spec.handle,
        email=f"{spec.handle}@{DEMO_EMAIL_DOMAIN}",
        password=password_hash,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    person = create_local_person(user, display_name=spec.name)
    change = ProfileChange(spec.name, spec.bio, list(spec.interests), list(spec.expertise))
    update_profile(person, change)
    update_privacy(person, requires_approval=spec.requires_approval, discoverable=True)
    for label in _follows(demo, spec):
        follow_topic(person, demo.topics[label])
    for kind, url in spec.links:
        add_link(person, kind, url, _label(kind, url))
    joined = demo.days_ago(130 if spec.handle == LEARNER else demo.rng.uniform(540, 600))
    demo.joined[spec.handle] = joined
    demo.dates.people[person.pk] = joined
    return person


def _follows(demo: Demo, spec: PersonSpec) -> list[str]:
    """The topics a person follows: as listed, or a few of their interests and one expertise."""
    if spec.follows:
        return list(spec.follows)
    chosen = demo.rng.sample(list(spec.interests), k=demo.rng.choice([1, 2, 2, 3]))
    if demo.rng.random() < 0.4:
        chosen.append(demo.rng.choice(list(spec.expertise)))
    return chosen


def _label(kind: str, url: str) -> str:
    if kind == "fediverse":
        host, _, user = url.removeprefix("https://").partition("/")
        return f"{user}@{host}"
    return LINK_LABELS.get(kind, "")
