"""ActivityPub: WebFinger, NodeInfo, actors, signatures, inbox, outbox and delivery."""

from collections.abc import Callable

from django.apps import AppConfig


class FederationConfig(AppConfig):
    """The federation app."""

    name = "connective.federation"
    label = "federation"
    verbose_name = "Federation"

    def ready(self) -> None:
        """Send what local people do to the servers that follow them (core.events)."""
        from connective.core import events
        from connective.federation.services import deliver, outgoing

        subscribers: list[tuple[str, Callable[..., None]]] = [
            (events.POST_PUBLISHED, outgoing.on_post_published),
            (events.POST_EDITED, outgoing.on_post_edited),
            (events.POST_DELETED, outgoing.on_post_deleted),
            (events.USEFUL_ADDED, outgoing.on_useful_added),
            (events.USEFUL_REMOVED, outgoing.on_useful_removed),
            (events.CONNECTION_MADE, outgoing.on_connection_made),
            (events.CONNECTION_ACCEPTED, outgoing.on_connection_accepted),
            (events.CONNECTION_DECLINED, outgoing.on_connection_declined),
            (events.CONNECTION_REMOVED, outgoing.on_connection_removed),
            (events.BLOCK_MADE, outgoing.on_block_made),
            (events.PERSON_UPDATED, outgoing.on_person_updated),
            (events.PERSON_DELETED, outgoing.on_person_deleted),
            (events.PERSON_MOVED, outgoing.on_person_moved),
            (events.POST_BOOSTED, outgoing.on_post_boosted),
            (events.POST_UNBOOSTED, outgoing.on_post_unboosted),
        ]
        for event, subscriber in subscribers:
            events.subscribe(event, subscriber)
        from connective.federation.services import group_delivery as groups  # spaces, courses

        events.subscribe(events.POST_PUBLISHED, groups.on_post_published)
        events.subscribe(events.POST_EDITED, groups.on_post_edited)
        events.subscribe(events.POST_DELETED, groups.on_post_deleted)
        events.subscribe(events.SPACE_CHANGED, groups.on_space_changed)
        events.subscribe(events.COURSE_CHANGED, groups.on_course_changed)
        events.subscribe(events.SPACE_DELETED, groups.on_space_deleted)
        events.subscribe(events.COURSE_DELETED, groups.on_course_deleted)
        from connective.accounts.validators import register_name_check
        from connective.federation.services.groups import name_holder

        register_name_check(name_holder)  # a handle is never a space's or course's name
        try:
            from connective.core import periodic
        except ImportError:  # pragma: no cover - the worker's clock is not installed yet
            return
        from connective.federation.services import inbox, refresh

        periodic.register("federation.deliveries", deliver.sweep, every=30)
        periodic.register("federation.inbox", inbox.sweep, every=60)
        periodic.register("federation.refresh_people", refresh.sweep, every=3600)
