"""The feeds admin: health and fetch log shown; "refresh now" polls the chosen feeds."""

import pytest

from connective.feeds.models import Feed, FetchLog
from connective.feeds.services.subscribe import subscribe
from tests.conftest import client_for, make_person
from tests.feeds.conftest import RSS, rss

pytestmark = pytest.mark.django_db


def test_admin_shows_health_and_log_and_refreshes(trap):
    admin = make_person("root")
    admin.user.is_staff = admin.user.is_superuser = True
    admin.user.save()
    trap.serve("/f", rss([("a", "A")]), content_type=RSS)
    feed = subscribe(make_person("ana"), trap.url("/f")).feed
    Feed.objects.filter(pk=feed.pk).update(last_error="the server answered 500", status="failing")
    client = client_for(admin)
    for model in ["feed", "subscription", "opmlimport"]:
        assert client.get(f"/admin/feeds/{model}/").status_code == 200
    page = client.get(f"/admin/feeds/feed/{feed.pk}/change/").content.decode()
    assert "the server answered 500" in page and "New or updated items" in page
    trap.serve("/f", rss([("b", "B"), ("a", "A")]), content_type=RSS)
    answer = client.post(
        "/admin/feeds/feed/", {"action": "refresh_now", "_selected_action": [feed.pk]}
    )
    assert answer.status_code == 302
    feed.refresh_from_db()
    assert feed.status == Feed.Status.OK and feed.items.count() == 2
    assert FetchLog.objects.filter(feed=feed).count() == 2
