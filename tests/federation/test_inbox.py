"""The inbox through the real test client with signed requests (SECURITY T-01–T-08, T-18)."""

# ruff: noqa: F401, F811  (fixtures imported from tests.federation.peers)

import json
from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone

from connective.content.models import Post
from connective.federation.models import DomainBlock, InboxActivity
from connective.federation.services import known_keys
from connective.federation.signatures import digest_header
from connective.network.models import Connection
from tests.federation.peers import act, create, dana, eve, note, signed_post  # noqa: F401
from tests.federation.signing import sign_rfc9421

SHARED = "/inbox/"


def ana_inbox(ana) -> str:
    return f"/@{ana.handle}/inbox/"


def nothing_stored() -> bool:
    return (
        not InboxActivity.objects.exists()
        and not Post.objects.filter(author__domain__gt="").exists()
    )


def follow(actor, target, n="1") -> dict:
    return act(actor, "Follow", target.uri, n)


def test_signed_follow_is_accepted_and_stored(ana, dana):
    response = signed_post(ana_inbox(ana), follow(dana, ana))
    assert response.status_code == 202
    row = InboxActivity.objects.get()
    assert (row.type, row.actor_uri, row.state) == ("Follow", dana.uri, "processed")
    assert Connection.objects.get(owner=dana, target=ana).is_active


def test_rfc9421_signed_request_is_accepted(ana, dana):
    from django.conf import settings
    from django.test import Client

    body = json.dumps(follow(dana, ana)).encode()
    url = settings.CONNECTIVE_SITE_URL + SHARED
    headers = sign_rfc9421("POST", url, body, f"{dana.uri}#main-key", now=timezone.now())
    response = Client().post(
        SHARED, data=body, content_type="application/activity+json", headers=headers
    )
    assert response.status_code == 202, response.content


def test_inbox_of_unknown_person_is_404(db, dana):
    assert signed_post("/@nobody/inbox/", act(dana, "Like", "x")).status_code == 404


def test_inbox_answers_only_post(ana, client):
    assert client.get(ana_inbox(ana)).status_code == 405


def test_t01_unsigned_post_is_refused(ana, dana, client):
    body = json.dumps(follow(dana, ana))
    response = client.post(ana_inbox(ana), data=body, content_type="application/activity+json")
    assert response.status_code == 401
    assert nothing_stored() and not Connection.objects.exists()


def test_t01_wrong_signature_bytes_are_refused(ana, dana):
    response = signed_post(ana_inbox(ana), follow(dana, ana), key="rsa-b")
    assert response.status_code == 401
    assert nothing_stored() and not Connection.objects.exists()


def test_t01_unparseable_signature_is_400(ana, dana):
    def garble(headers):
        headers["Signature"] = 'keyId="x",signature="%%%"'

    response = signed_post(ana_inbox(ana), follow(dana, ana), tamper=garble)
    assert response.status_code == 400
    assert nothing_stored()


def test_t02_key_of_another_actor_is_refused(ana, dana, eve):
    # eve signs with her own key, but the activity claims dana did it
    response = signed_post(
        ana_inbox(ana), follow(dana, ana), key="rsa-b", key_id=f"{eve.uri}#main-key"
    )
    assert response.status_code == 401
    assert nothing_stored() and not Connection.objects.exists()


def test_t04_object_on_another_host_is_refused(ana, dana, eve):
    obj = note(dana, id="https://other.example/notes/1")
    response = signed_post(SHARED, create(dana, obj))
    assert response.status_code == 403
    assert nothing_stored()


def test_t04_attributed_to_another_host_is_refused(ana, dana, eve):
    obj = note(dana, attributedTo=eve.uri)
    response = signed_post(SHARED, create(dana, obj))
    assert response.status_code == 403
    assert nothing_stored()


def test_t04_activity_id_on_another_host_is_refused(ana, dana):
    doc = follow(dana, ana)
    doc["id"] = "https://other.example/follows/1"
    assert signed_post(ana_inbox(ana), doc).status_code == 403
    assert nothing_stored()


def test_t04_key_on_a_third_host_is_refused(ana, dana, eve):
    obj = note(dana)
    response = signed_post(SHARED, create(dana, obj), key="rsa-b", key_id=f"{eve.uri}#main-key")
    assert response.status_code == 401
    assert nothing_stored()


def test_t04_suspended_domain_is_refused_after_verification(ana, dana):
    DomainBlock.objects.create(domain="remote.example", severity="suspend")
    response = signed_post(ana_inbox(ana), follow(dana, ana))
    assert response.status_code == 403
    assert nothing_stored() and not Connection.objects.exists()


def test_t06_missing_digest_is_refused(ana, dana):
    response = signed_post(ana_inbox(ana), follow(dana, ana), tamper=lambda h: h.pop("Digest"))
    assert response.status_code == 401
    assert nothing_stored()


def test_t06_digest_not_matching_body_is_refused(ana, dana):
    def other_digest(headers):
        headers["Digest"] = digest_header(b"{}")

    response = signed_post(ana_inbox(ana), follow(dana, ana), tamper=other_digest)
    assert response.status_code == 401
    assert nothing_stored()


def test_t06_two_day_old_date_is_refused(ana, dana):
    old = timezone.now() - timedelta(days=2)
    assert signed_post(ana_inbox(ana), follow(dana, ana), now=old).status_code == 401
    assert nothing_stored()


def test_t06_request_target_of_another_path_is_refused(ana, dana):
    from django.conf import settings
    from django.test import Client

    from connective.federation.signatures import sign_request
    from tests.federation.signing import pem

    body = json.dumps(follow(dana, ana)).encode()
    headers = sign_request(
        "POST",
        settings.CONNECTIVE_SITE_URL + SHARED,
        {},
        body,
        f"{dana.uri}#main-key",
        pem("rsa-a"),
    )
    response = Client().post(
        ana_inbox(ana), data=body, content_type="application/activity+json", headers=headers
    )
    assert response.status_code == 401
    assert nothing_stored()


@pytest.mark.parametrize("keyword", ["@graph", "@reverse", "@included"])
def test_t07_json_ld_rewiring_is_refused(ana, dana, keyword):
    doc = create(dana, note(dana))
    doc["object"] = {keyword: note(dana), "id": note(dana)["id"]}
    assert signed_post(SHARED, doc).status_code == 400
    assert nothing_stored()


def test_t07_ld_signature_alone_is_not_enough(ana, dana, client):
    doc = follow(dana, ana)
    doc["signature"] = {"type": "RsaSignature2017", "creator": f"{dana.uri}#main-key"}
    response = client.post(
        ana_inbox(ana), data=json.dumps(doc), content_type="application/activity+json"
    )
    assert response.status_code == 401
    assert nothing_stored()


def test_t08_replayed_follow_takes_effect_once(ana, dana):
    doc = follow(dana, ana)
    statuses = {signed_post(ana_inbox(ana), doc).status_code for _ in range(100)}
    assert statuses == {202}
    assert InboxActivity.objects.count() == 1
    assert Connection.objects.filter(owner=dana, target=ana).count() == 1


def test_t08_replayed_like_counts_once(ana, dana):
    from connective.content.services.posts import PostDraft, create_post

    post = create_post(ana, PostDraft(body="Useful?"))
    doc = act(dana, "Like", post.uri)
    for _ in range(100):
        assert signed_post(SHARED, doc).status_code == 202
    post.refresh_from_db()
    assert post.useful_count == 1


@pytest.mark.django_db(transaction=True)
def test_t08_concurrent_replays_take_effect_once(ana, dana):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database serialises threads by locking tables")

    doc = follow(dana, ana)

    def send(_):
        try:
            return signed_post(ana_inbox(ana), doc).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(send, range(16)))
    assert set(statuses) == {202}
    assert InboxActivity.objects.count() == 1
    assert Connection.objects.filter(owner=dana, target=ana).count() == 1


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 1000 + b"]" * 1000,
        b'{"id": "x", "n": ' + b"9" * 5000 + b"}",
        b'{"id": "a", "id": "b"}',
        b'{"id": "\xff\xfe"}',
        b"not json",
        b'{"type": "Follow"}',
        b"[]",
    ],
)
def test_t18_malformed_bodies_are_400(ana, dana, body):
    response = signed_post(ana_inbox(ana), body)
    assert response.status_code == 400
    assert nothing_stored()


def test_t18_oversized_body_is_413(ana, dana):
    doc = follow(dana, ana)
    doc["padding"] = "x" * (5 * 1024 * 1024)
    assert signed_post(ana_inbox(ana), doc).status_code == 413
    assert nothing_stored()


def test_t18_oversized_declared_length_is_413_before_reading(ana, client):
    response = client.post(
        ana_inbox(ana), data=b"{}", content_type="application/json", CONTENT_LENGTH="5242880"
    )
    assert response.status_code == 413


def test_unknown_activity_type_is_stored_as_ignored(ana, dana):
    assert signed_post(SHARED, act(dana, "Wave", ana.uri)).status_code == 202
    assert InboxActivity.objects.get().state == "ignored"


def test_key_rotation_refetches_the_actor_once(ana, dana, monkeypatch):
    from connective.federation.services import remote_objects
    from tests.federation.signing import pem

    dana.public_key_pem = pem("rsa-b", "public")  # the key we hold is stale
    dana.fetched_at = timezone.now() - timedelta(hours=1)
    dana.save()
    calls = []

    def refetch(uri, *, refresh=False):
        calls.append(uri)
        dana.public_key_pem = pem("rsa-a", "public")
        dana.save()
        return dana

    monkeypatch.setattr(remote_objects, "resolve_actor", refetch)
    assert signed_post(ana_inbox(ana), follow(dana, ana)).status_code == 202
    assert calls == [dana.uri]
    assert known_keys.get(f"{dana.uri}#main-key") is None  # the stale key is not kept


def test_a_bad_signature_from_a_freshly_fetched_actor_costs_no_refetch(ana, dana, monkeypatch):
    from connective.federation.services import remote_objects

    calls = []
    monkeypatch.setattr(
        remote_objects, "resolve_actor", lambda uri, refresh=False: calls.append(uri)
    )
    assert signed_post(ana_inbox(ana), follow(dana, ana), key="rsa-b").status_code == 401
    assert calls == []


@pytest.fixture
def queued(monkeypatch):
    """A real task queue: the request stores, a task processes (its enqueues are recorded)."""
    from connective.federation import tasks
    from connective.federation.services import inbox

    class Queue(list):
        def enqueue(self, pk: int) -> None:
            self.append(pk)

    enqueued = Queue()
    monkeypatch.setattr(inbox, "deferred", lambda: True)
    monkeypatch.setattr(tasks, "process_inbox", enqueued)
    return enqueued


def test_t08_queued_activity_is_stored_then_processed_once(
    ana, dana, queued, django_capture_on_commit_callbacks
):
    from connective.federation.services.inbox import process_stored

    doc = follow(dana, ana)
    with django_capture_on_commit_callbacks(execute=True):
        assert signed_post(ana_inbox(ana), doc).status_code == 202
        assert signed_post(ana_inbox(ana), doc).status_code == 202  # a replay
    row = InboxActivity.objects.get()
    assert queued == [row.pk] and row.state == "received"
    assert not Connection.objects.filter(owner=dana, target=ana).exists()  # not yet
    assert process_stored(row.pk) == "processed"
    assert process_stored(row.pk) == "skipped"  # the task ran twice: takes effect once
    assert Connection.objects.filter(owner=dana, target=ana).count() == 1


def test_t01_queued_inbox_still_refuses_before_storing(ana, dana, queued):
    assert signed_post(ana_inbox(ana), follow(dana, ana), key="rsa-b").status_code == 401
    assert nothing_stored() and queued == []


def test_queued_activity_refused_by_its_handler_is_marked_failed(ana, dana, eve, queued):
    from connective.content.services.posts import PostDraft, create_post
    from connective.federation.services.inbox import process_stored

    post = create_post(ana, PostDraft(body="Mine"))
    doc = act(dana, "Delete", post.uri)  # dana may not delete ana's post
    assert signed_post(SHARED, doc).status_code == 202
    row = InboxActivity.objects.get()
    state = process_stored(row.pk)
    row.refresh_from_db()
    assert state == row.state and row.state in ("failed", "ignored") and row.processed_at
    assert Post.objects.filter(pk=post.pk, deleted_at__isnull=True).exists()


def test_lost_inbox_task_is_found_by_the_sweep(ana, dana, queued):
    from connective.federation.services import inbox

    assert signed_post(ana_inbox(ana), follow(dana, ana)).status_code == 202
    row = InboxActivity.objects.get()
    assert inbox.sweep() == 0  # just arrived: its own task is still on its way
    InboxActivity.objects.filter(pk=row.pk).update(received_at=timezone.now() - timedelta(hours=1))
    assert inbox.sweep() == 1 and queued == [row.pk]
    inbox.process_stored(row.pk)
    assert inbox.sweep() == 0 and Connection.objects.filter(owner=dana, target=ana).exists()


def test_t04_unknown_key_on_a_blocked_domain_is_refused_without_a_fetch(ana, dana, monkeypatch):
    from connective.federation.services import remote_objects

    calls = []
    monkeypatch.setattr(
        remote_objects, "resolve_actor", lambda uri, refresh=False: calls.append(uri)
    )
    DomainBlock.objects.create(domain="blocked.example", severity="suspend")
    doc = dict(follow(dana, ana), actor="https://blocked.example/users/x")
    key_id = "https://blocked.example/users/x#main-key"
    assert signed_post(ana_inbox(ana), doc, key_id=key_id).status_code == 403
    assert calls == [] and nothing_stored()


def test_a_bad_signature_from_a_known_actor_costs_one_query(ana, dana, django_assert_num_queries):
    from django.test import Client

    client = Client()
    with django_assert_num_queries(2):  # the person inbox exists; the key's owner
        response = signed_post(ana_inbox(ana), follow(dana, ana), key="rsa-b", client=client)
    assert response.status_code == 401


def test_bad_signatures_for_an_unanswering_actor_cost_one_refetch(ana, dana, monkeypatch):
    from connective.federation.services import remote_objects

    dana.fetched_at = timezone.now() - timedelta(hours=1)  # stale: a refetch is allowed
    dana.save()
    calls = []
    monkeypatch.setattr(
        remote_objects, "resolve_actor", lambda uri, refresh=False: calls.append(uri)
    )  # its server does not answer
    for n in range(5):
        response = signed_post(ana_inbox(ana), follow(dana, ana, str(n)), key="rsa-b")
        assert response.status_code == 401
    assert calls == [dana.uri]
    assert nothing_stored()


@pytest.fixture
def drains(monkeypatch, queued):
    """A task queue that can defer: stored activities wait for a drain task (recorded here)."""
    from connective.federation import tasks
    from connective.federation.services import inbox

    class Backend:
        supports_defer = True

    class Drain(list):
        def get_backend(self):
            return Backend()

        def using(self, run_after):
            self.append(run_after)
            return self

        def enqueue(self) -> None:
            pass

    drain = Drain()
    monkeypatch.setattr(tasks, "drain_inbox", drain)
    monkeypatch.setattr(inbox, "_drain_due", [0.0])
    return drain


def test_t08_a_burst_of_activities_costs_one_drain_task_and_each_takes_effect_once(
    ana, dana, drains, queued, django_capture_on_commit_callbacks
):
    from connective.federation.services import inbox

    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            assert signed_post(ana_inbox(ana), follow(dana, ana, str(n))).status_code == 202
    assert len(drains) == 1 and queued == []  # one drain, due a moment later; no task per row
    assert drains[0] > timezone.now()
    assert InboxActivity.objects.filter(processed_at__isnull=True).count() == 3
    assert inbox.drain() == 3 and inbox.drain() == 0  # a drain that runs twice does nothing more
    assert set(InboxActivity.objects.values_list("state", flat=True)) == {"processed"}
    assert Connection.objects.filter(owner=dana, target=ana).count() == 1


def test_a_drain_that_has_run_is_followed_by_a_new_one(
    ana, dana, drains, monkeypatch, django_capture_on_commit_callbacks
):
    from connective.federation.services import inbox

    for n in ("1", "2", "3"):
        with django_capture_on_commit_callbacks(execute=True):
            signed_post(ana_inbox(ana), follow(dana, ana, n))
        if n == "2":
            monkeypatch.setattr(inbox, "_drain_due", [0.0])  # the first drain's time has come
    assert len(drains) == 2


def test_an_accepted_activity_reads_its_owner_and_blocks_in_one_query(
    ana, dana, queued, django_assert_num_queries
):
    from django.test import Client

    client = Client()
    # the person inbox exists; the owner with its domain's block; the insert (no savepoint)
    with django_assert_num_queries(3):
        response = signed_post(ana_inbox(ana), follow(dana, ana), client=client)
    assert response.status_code == 202


def test_a_queued_activity_is_stored_as_it_came(ana, dana, queued):
    doc = dict(follow(dana, ana), summary="Olá — 学习 \u2028")
    body = json.dumps(doc, indent=1, ensure_ascii=False).encode()
    assert signed_post(ana_inbox(ana), body).status_code == 202
    row = InboxActivity.objects.get()
    assert (row.activity_id, row.actor_uri, row.type) == (doc["id"], dana.uri, "Follow")
    assert row.raw == doc and row.state == "received" and row.received_at


def test_a_refusal_is_logged_once_with_its_reason(ana, dana, caplog):
    with caplog.at_level("WARNING"):
        signed_post(ana_inbox(ana), follow(dana, ana), key="rsa-b")
    refusals = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(refusals) == 1 and "signature does not verify" in refusals[0].getMessage()


@pytest.fixture
def lean_stack(settings):
    """The middleware stack with LeanEndpointMiddleware after SecurityMiddleware."""
    stack = list(settings.MIDDLEWARE)
    stack.insert(1, "connective.core.middleware.LeanEndpointMiddleware")
    settings.MIDDLEWARE = stack


def test_the_lean_path_accepts_refuses_and_404s_as_the_full_stack_does(
    ana, dana, lean_stack, monkeypatch
):
    from connective.core import middleware

    seen = []
    real = middleware.LeanEndpointMiddleware._call
    monkeypatch.setattr(
        middleware.LeanEndpointMiddleware,
        "_call",
        staticmethod(lambda *args: seen.append(args[1].__name__) or real(*args)),
    )
    accepted = signed_post(ana_inbox(ana), follow(dana, ana))
    refused = signed_post(SHARED, follow(dana, ana, "2"), key="rsa-b")
    unknown = signed_post("/@nobody/inbox/", follow(dana, ana, "3"))
    assert (accepted.status_code, refused.status_code, unknown.status_code) == (202, 401, 404)
    assert refused["X-Content-Type-Options"] == "nosniff"
    assert seen == ["person_inbox", "shared_inbox", "person_inbox"]
    assert Connection.objects.filter(owner=dana, target=ana).count() == 1


def test_the_lean_path_answers_503_when_the_database_is_down(ana, dana, lean_stack, monkeypatch):
    from django.db import OperationalError

    from connective.federation.services import inbox_verify

    def down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(inbox_verify, "_known_owner", down)
    response = signed_post(SHARED, follow(dana, ana))
    assert response.status_code == 503 and response["Retry-After"] == "30"


def test_pages_and_forms_never_take_the_lean_path(ana, client, lean_stack):
    response = client.post("/inbox/", data="a=1", content_type="application/x-www-form-urlencoded")
    assert response.status_code in (400, 401)  # the full stack: the inbox refuses the form
    assert response.has_header("X-Frame-Options")  # page headers: it went through the stack


def _plain_inbox(request):
    return HttpResponse("plain")


urlpatterns = [path("inbox/", _plain_inbox)]  # a URL map whose /inbox/ is not lean


def test_the_lean_path_follows_a_changed_url_map(ana, dana, settings):
    assert signed_post(SHARED, follow(dana, ana), key="rsa-b").status_code == 401  # lean
    settings.ROOT_URLCONF = __name__
    response = signed_post(SHARED, follow(dana, ana))
    assert (response.status_code, response.content) == (200, b"plain")  # the map as it is now


def test_the_drain_finds_waiting_rows_through_their_own_index(db):
    from django.db import connection

    table = InboxActivity._meta.db_table
    assert "inbox_waiting" in connection.introspection.get_constraints(connection.cursor(), table)
    if connection.vendor == "sqlite":  # PostgreSQL may rightly scan a table this small
        waiting = InboxActivity.objects.filter(processed_at__isnull=True)
        sql, params = (
            waiting.order_by("received_at", "pk").values("pk")[:500].query.sql_with_params()
        )
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            assert "inbox_waiting" in str(cursor.fetchall())
