"""The stream's first query walks the (created_at, id) index and stops early (by the plan).

Not a timing test: it reads the plan. If a change to the predicate made SQLite fetch every
candidate and sort them (as it did when `in_reply_to IS NULL` led it to that column's index),
page 50 would cost a table scan again; this catches it.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from connective.stream.services.home import home_page
from tests.stream.conftest import connect, follow, make_post, mute

pytestmark = pytest.mark.django_db


def _plan(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return [row[-1] for row in cursor.fetchall()]


def _pg_plan(sql: str) -> str:
    with connection.cursor() as cursor:
        # Make sequential scans and sorts look ruinous, so the plan shows whether an index path
        # in time order exists for this query at all (on test-sized tables PostgreSQL would
        # otherwise rightly prefer a scan).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def _assert_sqlite_walks_the_time_index(sql: str) -> None:
    plan = _plan(sql)
    driving = plan[0]
    assert "content_post" in driving and "in_reply_to" not in driving, plan
    assert "created" in driving, plan  # an index ordered by time (with the kind, if filtered)
    # Sorting ties on the id within one timestamp is fine; sorting the whole set is not.
    assert not any(line == "USE TEMP B-TREE FOR ORDER BY" for line in plan), plan


def _assert_postgresql_has_a_time_ordered_path(sql: str) -> None:
    plan = _pg_plan(sql)
    assert "Index Scan" in plan and "created" in plan, plan
    assert "\n  ->  Sort" not in plan and not plan.startswith("Sort"), plan


@pytest.mark.parametrize("kind", ["", "note"])
def test_walk_uses_the_time_index_without_sorting(ana, ben, chloe, kind):
    connect(ana, ben)
    follow(ana, "oer")
    mute(ana, chloe)
    root = make_post(ben, "root", topics=["oer"])
    make_post(ben, "reply", in_reply_to=root, thread_root=root)
    with CaptureQueriesContext(connection) as queries:
        home_page(ana, None, kind)
    walk = next(q["sql"] for q in queries.captured_queries if "content_post_topics" in q["sql"])
    if connection.vendor == "postgresql":
        _assert_postgresql_has_a_time_ordered_path(walk)
    else:
        _assert_sqlite_walks_the_time_index(walk)
