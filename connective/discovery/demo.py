"""Demo data for discovery: one saved map snapshot for the demo login `learner`.

`load_demo(people)` is idempotent: if `learner` already has a snapshot, nothing changes. The
map is drawn from the demo network as it stands when the demo loads (run it after the other
apps' demo loaders, so their connections and posts are in it).
"""

from connective.accounts.models import Person
from connective.discovery.models import MapSnapshot
from connective.discovery.services.snapshots import save_snapshot


def load_demo(people: dict[str, Person]) -> None:
    """Save one snapshot of `learner`'s map, unless there is one already."""
    learner = people.get("learner")
    if learner is None or MapSnapshot.objects.filter(owner_id=learner.pk).exists():
        return
    save_snapshot(learner)
