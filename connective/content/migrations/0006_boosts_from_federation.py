"""Copy the boosts federation recorded (federation.Boost) into content.Boost.

Boosts became a content-level concept (docs/architecture.md, "Boosts"); federation's table is
dropped by federation 0002 after this copy. Reversible: the rows go back the same way.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    """Each federation boost becomes a content boost with the same person, post, id and time."""
    old = apps.get_model("federation", "Boost")
    new = apps.get_model("content", "Boost")
    rows = [
        new(person_id=b.person_id, post_id=b.post_id, uri=b.uri, created_at=b.created_at)
        for b in old.objects.all().iterator()
    ]
    new.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def backwards(apps, schema_editor):
    """The content boosts back into federation's table (before it is the only one again)."""
    old = apps.get_model("federation", "Boost")
    new = apps.get_model("content", "Boost")
    rows = [
        old(person_id=b.person_id, post_id=b.post_id, uri=b.uri)
        for b in new.objects.all().iterator()
    ]
    old.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0005_boost"),
        ("federation", "0001_inbox_delivery_moderation"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
