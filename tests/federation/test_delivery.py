"""Delivery against real loopback inboxes: signatures, retries, 410, dead hosts (T-36–T-38)."""

# ruff: noqa: F401, F811  (fixtures imported from tests.trap)

import json
from datetime import timedelta

from django.utils import timezone

from connective.federation.keys import ensure_keys
from connective.federation.models import Delivery, HostHealth, InboxHealth
from connective.federation.services import deliver, deliver_http
from connective.federation.signatures import verify_request
from tests.trap import trap, trap_server

DOC = {"@context": "https://www.w3.org/ns/activitystreams", "type": "Like", "object": "x"}


def queue(sender, url, n=1):
    doc = dict(DOC, id=f"https://social.example/activities/{n}", actor=sender.uri)
    [pk] = deliver.enqueue(doc, sender, [url])
    return pk


def run_due(pk, *, later=timedelta(0)):
    """Attempt a delivery as the worker would once it is due."""
    row = Delivery.objects.get(pk=pk)
    now = max(timezone.now(), (row.next_attempt_at or timezone.now())) + later
    return deliver.attempt(pk, now=now)


def script(trap, path, statuses):
    """Answer path with the given statuses in turn, then 200."""
    answers = list(statuses)

    def handler(req, t):
        status = answers.pop(0) if answers else 200
        req.send_response(status)
        req.send_header("Content-Length", "0")
        req.end_headers()

    trap.route(path, handler)


def test_delivery_is_signed_and_verifiable(ana, trap):
    trap.serve("/inbox", b"", status=202)
    pk = queue(ana, trap.url("/inbox"))
    assert run_due(pk) == "done"
    [hit] = trap.hits
    assert hit.method == "POST"
    assert json.loads(hit.body)["id"] == "https://social.example/activities/1"
    assert 'headers="(request-target) host date digest"' in hit.headers["Signature"]
    assert hit.headers["Content-Type"].startswith("application/ld+json")
    ana = ensure_keys(ana)
    verify_request("POST", "/inbox", hit.headers, hit.body, ana.public_key_pem, now=timezone.now())


def test_t38_five_failures_then_success_is_delivered_once(ana, trap):
    script(trap, "/inbox", [500] * 5)
    pk = queue(ana, trap.url("/inbox"))
    states = [run_due(pk) for _ in range(6)]
    assert states == ["pending"] * 5 + ["done"]
    row = Delivery.objects.get(pk=pk)
    assert row.attempts == 6 and row.state == "done"
    assert trap.hits_for("/inbox") == 6


def test_t38_backoff_grows_and_is_capped_with_jitter():
    delays = [deliver.backoff(n) for n in range(1, 12)]
    assert delays[0] <= timedelta(minutes=1)
    assert delays[3] > delays[0]
    assert max(delays) <= deliver.MAX_DELAY
    assert len({deliver.backoff(3) for _ in range(20)}) > 1  # jitter


def test_t38_retry_waits_until_due(ana, trap):
    script(trap, "/inbox", [503])
    pk = queue(ana, trap.url("/inbox"))
    run_due(pk)
    assert deliver.attempt(pk) == "skipped"  # not due yet
    assert trap.hits_for("/inbox") == 1


def test_t38_gives_up_after_eight_attempts(ana, trap):
    script(trap, "/inbox", [500] * 20)
    pk = queue(ana, trap.url("/inbox"))
    for _ in range(deliver.MAX_ATTEMPTS):
        HostHealth.objects.update(open_until=None)
        run_due(pk)
    row = Delivery.objects.get(pk=pk)
    assert (row.state, row.attempts) == ("failed", 8)
    assert run_due(pk) == "skipped"


def test_t38_gone_is_final_for_the_inbox(ana, trap):
    trap.serve("/inbox", b"", status=410)
    pk = queue(ana, trap.url("/inbox"))
    assert run_due(pk) == "gone"
    assert InboxHealth.objects.get(url=trap.url("/inbox")).gone_at is not None
    assert (
        deliver.enqueue(dict(DOC, id="https://social.example/2"), ana, [trap.url("/inbox")]) == []
    )
    assert trap.hits_for("/inbox") == 1


def test_t38_refusal_by_the_remote_is_not_retried(ana, trap):
    trap.serve("/inbox", b"", status=403)
    pk = queue(ana, trap.url("/inbox"))
    assert run_due(pk) == "failed"


def test_t38_timeout_is_retried_later(ana, trap, monkeypatch):
    monkeypatch.setattr(deliver_http, "TIMEOUT", 0.5)
    trap.silent("/inbox")
    pk = queue(ana, trap.url("/inbox"))
    assert run_due(pk) == "pending"
    row = Delivery.objects.get(pk=pk)
    assert row.attempts == 1 and row.last_error and row.next_attempt_at > timezone.now()


def test_t38_dead_host_is_skipped_without_delaying_others(ana, trap):
    with trap_server() as alive_1, trap_server() as alive_2:
        trap.serve("/inbox", b"", status=502)
        alive_1.serve("/inbox", b"", status=202)
        alive_2.serve("/inbox", b"", status=202)
        dead = queue(ana, trap.url("/inbox"), 1)
        for _ in range(deliver.CIRCUIT_THRESHOLD):
            run_due(dead)
        assert HostHealth.objects.get(host=f"127.0.0.1:{trap.port}").open_until is not None
        hits = trap.hits_for("/inbox")
        other = queue(ana, trap.url("/inbox"), 2)
        deliver.attempt(other)  # the circuit is open: waits without a request
        assert trap.hits_for("/inbox") == hits
        assert Delivery.objects.get(pk=other).attempts == 0
        ok = [queue(ana, alive.url("/inbox"), 3) for alive in (alive_1, alive_2)]
        assert [deliver.attempt(pk) for pk in ok] == ["done", "done"]


def test_t37_running_a_delivery_twice_sends_once(ana, trap):
    trap.serve("/inbox", b"", status=202)
    pk = queue(ana, trap.url("/inbox"))
    assert run_due(pk) == "done"
    assert deliver.attempt(pk) == "skipped"
    assert trap.hits_for("/inbox") == 1


def test_t36_a_row_whose_task_died_is_found_by_the_sweep(ana, trap):
    trap.serve("/inbox", b"", status=202)
    pk = queue(ana, trap.url("/inbox"))
    # a worker claimed it and died: the lease runs out, then the sweep schedules it again
    Delivery.objects.filter(pk=pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert deliver.sweep() == 1  # the immediate backend runs the task at once
    assert Delivery.objects.get(pk=pk).state == "done"
    assert trap.hits_for("/inbox") == 1


def test_t34_suspended_sender_sends_nothing_more(ana, trap):
    trap.serve("/inbox", b"", status=202)
    pk = queue(ana, trap.url("/inbox"))
    type(ana).objects.filter(pk=ana.pk).update(suspended_at=timezone.now())
    assert run_due(pk) == "failed"
    assert trap.hits_for("/inbox") == 0


def test_a_batch_sends_each_inbox_once_and_records_every_row(ana, trap):
    trap.serve("/a", b"", status=202)
    trap.serve("/b", b"", status=202)
    script(trap, "/c", [500])
    doc = dict(DOC, id="https://social.example/activities/batch", actor=ana.uri)
    pks = deliver.enqueue(doc, ana, [trap.url(p) for p in ("/a", "/b", "/c", "/gone")])
    InboxHealth.objects.create(url=trap.url("/gone"), host="x", gone_at=timezone.now())
    states = deliver.attempt_many([*pks, 999_999])
    assert sorted(states.values()) == ["done", "done", "gone", "pending"]
    assert deliver.attempt_many(pks) == {}  # nothing due any more: nothing sent twice
    assert [trap.hits_for(p) for p in ("/a", "/b", "/c", "/gone")] == [1, 1, 1, 0]
    done = Delivery.objects.filter(pk__in=pks, state="done")
    assert done.count() == 2 and all(d.attempts == 1 and d.done_at for d in done)
    for hit in trap.hits:
        key = ensure_keys(ana).public_key_pem
        verify_request("POST", hit.path, hit.headers, hit.body, key, now=timezone.now())


def test_t38_a_slow_host_in_a_batch_does_not_hold_up_the_others(ana, trap, monkeypatch):
    """The slow inbox answers only once every other inbox of the batch has been delivered to:
    with the batch sent one after another it would time out first."""
    import threading

    monkeypatch.setattr(deliver_http, "TIMEOUT", 5.0)
    others_done = threading.Event()
    fast = ["/b", "/c", "/d"]

    def slow(req, t):
        answered = others_done.wait(4.0)
        req.send_response(202 if answered else 503)
        req.send_header("Content-Length", "0")
        req.end_headers()

    def quick(req, t):
        req.send_response(202)
        req.send_header("Content-Length", "0")
        req.end_headers()
        if all(t.hits_for(p) for p in fast):
            others_done.set()

    trap.route("/a", slow)
    for path in fast:
        trap.route(path, quick)
    doc = dict(DOC, id="https://social.example/activities/slow", actor=ana.uri)
    pks = deliver.enqueue(doc, ana, [trap.url(p) for p in ("/a", *fast)])
    assert list(deliver.attempt_many(pks).values()) == ["done"] * 4
