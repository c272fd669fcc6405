"""Background work of federation: one task per delivery, and the sweep for due retries."""

from django_tasks import task

from connective.federation.services import deliver as delivery


@task()
def deliver(delivery_id: int) -> str:
    """Attempt one Delivery row (safe to run twice: the row is claimed first)."""
    return delivery.attempt(delivery_id)


@task()
def sweep_deliveries() -> int:
    """Schedule the deliveries whose next attempt is due."""
    return delivery.sweep()
