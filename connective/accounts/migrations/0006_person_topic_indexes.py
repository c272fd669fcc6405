"""Who declares a topic, or learns it, from the index alone.

The expert finder reads everyone who says they can help with a topic (7,300 people for a
popular one at benchmark scale) and the topics page counts helpers and learners per topic; the
tables Django made for the two many-to-many fields index the topic alone, so each person's id
was a read of the link's row. (topic, person) holds both.
"""

from django.db import migrations

INDEXES = {
    "person_expertise_topic": "accounts_person_expertise",
    "person_interest_topic": "accounts_person_interests",
}


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_person_discoverable_opt_in")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {name} ON {table} (topic_id, person_id)",
            f"DROP INDEX IF EXISTS {name}",
            elidable=False,
        )
        for name, table in INDEXES.items()
    ]
