"""OPML import limits (T-17) and export."""

import pytest

from connective.feeds.models import OpmlImport, Subscription
from connective.feeds.services.opml import (
    MAX_OUTLINES,
    OpmlError,
    resume_imports,
    run_import,
    start_import,
)
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def _opml(outlines: str) -> bytes:
    return f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'.encode()


def test_t17_includes_are_not_followed(bare_trap):
    ana = make_person("ana")
    data = _opml(
        f'<outline type="include" text="A" url="{bare_trap.url("/a.opml")}"/>'
        f'<outline type="include" text="B" url="{bare_trap.url("/b.opml")}"/>'
    )
    job = start_import(ana, data)
    job.refresh_from_db()
    assert job.count("rejected") == 2
    assert {r["reason"] for r in job.results} == {"includes are not followed"}
    assert bare_trap.hits == []


def test_t17_ten_thousand_outlines_are_capped_and_reported():
    ana = make_person("ana")
    data = _opml(
        "".join(
            f'<outline type="rss" xmlUrl="https://f{n}.example.org/feed"/>' for n in range(10_000)
        )
    )
    job = start_import(ana, data)
    job.refresh_from_db()
    assert job.status == OpmlImport.Status.DONE
    assert job.count("added") == MAX_OUTLINES
    assert job.count("rejected") == 10_000 - MAX_OUTLINES
    assert Subscription.objects.filter(person=ana).count() == MAX_OUTLINES


def test_t16_an_opml_with_entities_is_refused():
    data = (
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<opml><body><outline xmlUrl="&x;"/></body></opml>'
    )
    with pytest.raises(OpmlError, match="entities"):
        start_import(make_person("ana"), data)


@pytest.mark.parametrize("data", [b"", b"\xff\xfe\x00garbage", b"<html><body>no</body></html>"])
def test_files_that_are_not_opml_are_refused_with_a_reason(data):
    with pytest.raises(OpmlError):
        start_import(make_person("ana"), data)
    assert not OpmlImport.objects.exists()


def test_an_interrupted_import_goes_on_where_it_stopped():
    ana = make_person("ana")
    job = OpmlImport.objects.create(
        person=ana,
        outlines=[{"url": "https://b.example.org/feed", "title": "B"}],
        results=[
            {"url": "https://a.example.org/feed", "title": "A", "outcome": "added", "reason": ""}
        ],
        total=2,
        status=OpmlImport.Status.RUNNING,
    )
    OpmlImport.objects.filter(pk=job.pk).update(created_at=job.created_at.replace(year=2020))
    assert resume_imports() == [], "started long ago, but saved progress just now: running"
    OpmlImport.objects.filter(pk=job.pk).update(touched_at=job.touched_at.replace(year=2020))
    assert resume_imports() == [job.pk]
    job.refresh_from_db()
    assert job.status == OpmlImport.Status.DONE and job.done == 2
    assert run_import(job.pk).done == 2
