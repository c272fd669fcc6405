"""federation.Boost moved to content.Boost (its rows were copied by content 0006)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("federation", "0001_inbox_delivery_moderation"),
        ("content", "0006_boosts_from_federation"),
    ]

    operations = [migrations.DeleteModel(name="Boost")]
