"""Queries prepared once per shape give what the ORM gives, and refuse what they cannot keep."""

from datetime import timedelta

import pytest
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from connective.content.models import Post
from connective.core import prepared
from connective.stream.services import cards, home
from connective.stream.services.cards import learning_goals
from connective.stream.services.home import home_page
from tests.stream.conftest import connect, follow, make_post, topic

pytestmark = pytest.mark.django_db


def _posts_before(marks):
    return Post.objects.filter(author_id=marks["who"], created_at__lt=marks["when"]).order_by("id")


def test_prepared_query_fills_in_each_requests_values(ana, ben):
    now = timezone.now()
    old = [make_post(ana, f"ana {n}", at=now - timedelta(hours=n + 1)) for n in range(3)]
    make_post(ben, "ben", at=now - timedelta(hours=5))
    kinds = {"who": int, "when": type(now)}
    statement = prepared.prepare(_posts_before, kinds, "default")
    assert statement is not None
    for who, when in ((ana.pk, now), (ana.pk, now - timedelta(minutes=90)), (ben.pk, now)):
        values = {"who": who, "when": when}
        expected = list(_posts_before(values))
        assert statement.run(Post, values, "default") == expected
        assert [row[0] for row in statement.fetch(values, "default")] == [p.pk for p in expected]
    assert {p.pk for p in old[1:]} == {
        p.pk for p in statement.run(Post, {"who": ana.pk, "when": old[0].created_at}, "default")
    }


def test_a_value_written_into_the_sql_is_not_kept(db):
    def inlined(marks):  # the value ends up in the SQL text, not in the parameters
        return Post.objects.filter(pk__gt=RawSQL(str(marks["who"]), []))

    def unused(marks):  # the value does not reach the query at all
        return Post.objects.filter(Q(pk__gt=0))

    assert prepared.prepare(inlined, {"who": int}, "default") is None
    assert prepared.prepare(unused, {"who": int}, "default") is None


def test_statements_fall_back_to_the_orm_when_a_shape_cannot_be_kept(ana, ben, monkeypatch):
    connect(ana, ben)
    follow(ana, "oer")
    now = timezone.now()
    for n in range(30):
        make_post(ben, f"post {n}", topics=["oer"], at=now - timedelta(minutes=n))
    kept = home_page(ana, None)
    second = home_page(ana, kept.next_cursor)
    monkeypatch.setattr(prepared, "prepare", lambda *args, **kwargs: None)
    home.STATEMENTS.clear()
    cards.STATEMENTS.clear()
    built = home_page(ana, None)
    assert [p.pk for p in built.items] == [p.pk for p in kept.items]
    assert built.next_cursor == kept.next_cursor
    assert [p.pk for p in home_page(ana, built.next_cursor).items] == [p.pk for p in second.items]
    assert [t.key for t in built.items[0].topic_list] == ["oer"]
    assert built.items[0].author.name == "Ben Okafor"


def test_learning_goals_lists_both_kinds_of_topic_by_key(ana):
    ana.interests.add(topic("stats"), topic("art"))
    follow(ana, "oer", "algebra")
    learning, following = learning_goals(ana)
    assert [t.key for t in learning] == ["art", "stats"]
    assert [t.key for t in following] == ["algebra", "oer"]
    assert following[0].name == "Algebra" and following[0].pk == topic("algebra").pk


def test_the_visibility_rule_needs_only_the_viewers_id(ana):
    """The walk is prepared with a stand-in viewer that has nothing but an id (home._stream_query).

    If `visible_to` ever reads more of the viewer (a role, a setting), this fails: the walk must
    then pass that value as a parameter too, or it would be compiled for the stand-in.
    """
    from connective.accounts.models import Person

    ana.requires_approval = True
    ana.discoverable = False
    real = Post.objects.visible_to(ana).query.sql_with_params()
    stand_in = Post.objects.visible_to(Person(pk=ana.pk)).query.sql_with_params()
    assert real == stand_in
