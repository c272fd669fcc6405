"""Background work of federation: deliveries in batches (one row for a retry), inbound
activities stored by the inbox, and the sweeps."""

from django_tasks import task

from connective.federation.services import deliver as delivery
from connective.federation.services import inbox


@task()
def deliver(delivery_id: int) -> str:
    """Attempt one Delivery row (safe to run twice: the row is claimed first)."""
    return delivery.attempt(delivery_id)


@task()
def deliver_batch(delivery_ids: list[int]) -> int:
    """Attempt a batch of Delivery rows (each claimed first); how many were attempted."""
    return len(delivery.attempt_many(delivery_ids))


@task()
def sweep_deliveries() -> int:
    """Schedule the deliveries whose next attempt is due."""
    return delivery.sweep()


@task()
def process_inbox(activity_pk: int) -> str:
    """Process one stored inbound activity (once: the row is claimed first)."""
    return inbox.process_stored(activity_pk)


@task()
def drain_inbox() -> int:
    """Process the stored inbound activities still waiting (a batch; the next one follows)."""
    return inbox.drain()
