"""Queries prepared once per shape give what the ORM gives when built each time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from connective.accounts.models import Person
from connective.core.idlist import IdArray
from connective.core.prepared import Statements, prepare, sentinels
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def people(values):
    rows = Person.objects.filter(pk__in_ids=values["ids"], created_at__gte=values["since"])
    return rows.exclude(pk=values["not"]).order_by("pk").values_list("pk", "handle")


def test_an_id_array_an_id_and_a_time_are_filled_in_per_request():
    made = [make_person(f"p{i}") for i in range(5)]
    statements = Statements()
    for chosen in ([0, 1, 2], [3], [1, 4, 2, 0]):
        values = {
            "ids": IdArray(made[i].pk for i in chosen),
            "not": made[1].pk,
            "since": timezone.now() - timedelta(days=1),
        }
        prepared = statements.get(("people",), people, values, "default")
        assert prepared is not None
        assert prepared.fetch(values, "default") == list(people(values))
        assert len(prepared.fetch(values, "default")) == len(set(chosen) - {1})


def test_an_empty_id_array_finds_nothing():
    values = {"ids": IdArray([]), "not": 1, "since": timezone.now() - timedelta(days=1)}
    prepared = Statements().get(("people",), people, values, "default")
    assert prepared is not None and prepared.fetch(values, "default") == []


def test_a_shape_that_writes_a_value_into_its_sql_is_not_kept():
    def written(values):
        return Person.objects.extra(where=[f"id <> {values['n']}"]).values_list("pk")  # noqa: S610

    assert prepare(written, {"n": int}, "default") is None


def test_sentinels_differ_by_name_and_kind():
    marks = sentinels({"a": int, "b": IdArray, "c": int})
    assert marks["a"] != marks["c"] and list(marks["b"]) not in ([marks["a"]], [marks["c"]])
