"""The boosts federation recorded before boosts moved to content are kept (content 0006)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("content", "0005_boost"), ("federation", "0001_inbox_delivery_moderation")]


@pytest.mark.django_db(transaction=True)
def test_federation_boosts_are_copied_into_content_boosts():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    person_model = old.get_model("accounts", "Person")
    dana = person_model.objects.create(
        handle="dana", domain="remote.example", uri="https://remote.example/users/dana"
    )
    ana = person_model.objects.create(handle="ana", uri="https://local.example/@ana")
    post = old.get_model("content", "Post").objects.create(
        author=ana, body="Boosted", uri="https://local.example/posts/1/", created_at=timezone.now()
    )
    old.get_model("federation", "Boost").objects.create(
        person=dana, post=post, uri="https://remote.example/users/dana/statuses/9/activity"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from connective.content.models import Boost

    boost = Boost.objects.get()
    assert (boost.person_id, boost.post_id) == (dana.pk, post.pk)
    assert boost.uri == "https://remote.example/users/dana/statuses/9/activity"
    assert "federation_boost" not in connection.introspection.table_names()
