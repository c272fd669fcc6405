"""The HTTP half of delivery: sign each body for its inbox and POST it, a batch on a few threads
(a slow host holds one thread, not the batch's others), reusing connections to the same host.

No database: `deliver` claims the rows before and records the outcomes after.
"""

from __future__ import annotations

import contextvars
import threading
import time

from connective.accounts.models import Person
from connective.core.http import FetchError, fetch, keep_alive
from connective.federation.keys import key_id
from connective.federation.signatures import sign_request

TIMEOUT = 10.0
CONTENT_TYPE = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
SENDERS = 4  # at most this many requests of one batch in flight at once
PATIENCE = 0.25  # seconds every sending thread may wait on its answer before another one starts

Job = tuple[str, bytes, Person]  # the inbox, the body, the sender who signs it
Result = tuple[int | None, str]  # the status (None: no answer) and the error, "" when delivered


def send_all(jobs: list[Job]) -> list[Result]:
    """Sign and send every job (on threads when there are several, reusing connections to the
    same host); the results in the jobs' order."""
    with keep_alive():
        return [_post(*jobs[0])] if len(jobs) == 1 else _Senders(jobs).run()


def succeeded(status: int | None) -> bool:
    """Whether an answer means the inbox took the activity (any 2xx)."""
    return status is not None and 200 <= status < 300


class _Senders:
    """Send a batch on as few threads as keep it moving: one while answers come back quickly
    (threads answering at once only contend for the GIL), and one more each time every sending
    thread has waited PATIENCE on its answer, up to SENDERS: a slow host holds one thread, never
    the batch. Each thread runs in a copy of the caller's context (the batch's connections)."""

    def __init__(self, jobs: list[Job]) -> None:
        self.jobs = jobs
        self.results: list[Result] = [(None, "not sent")] * len(jobs)
        self.taken = 0
        self.running = 0
        self.busy_since: dict[int, float] = {}
        self.error: BaseException | None = None
        self.lock = threading.Condition()

    def run(self) -> list[Result]:
        """Send every job; the results in the jobs' order."""
        with self.lock:
            self._start()
            while self.running:
                self.lock.wait(PATIENCE)
                now = time.monotonic()
                waiting = all(now - since >= PATIENCE for since in self.busy_since.values())
                if waiting and self.taken < len(self.jobs) and len(self.busy_since) < SENDERS:
                    self._start()
        if self.error is not None:
            raise self.error
        return self.results

    def _start(self) -> None:
        self.running += 1
        name = f"connective-deliver-{self.running}"
        context = contextvars.copy_context()
        threading.Thread(target=context.run, args=(self._work,), name=name, daemon=True).start()

    def _work(self) -> None:
        me = threading.get_ident()
        while True:
            with self.lock:
                if self.taken >= len(self.jobs) or self.error is not None:
                    self.busy_since.pop(me, None)
                    self.running -= 1
                    self.lock.notify_all()
                    return
                index, self.taken = self.taken, self.taken + 1
                self.busy_since[me] = time.monotonic()
            try:
                self.results[index] = _post(*self.jobs[index])
            except BaseException as exc:  # a bug: the batch fails as a whole, rows stay leased
                with self.lock:
                    self.error = self.error or exc


def _post(url: str, body: bytes, sender: Person) -> Result:
    """Sign and send one body to one inbox; (status, "") or (None, reason). No database."""
    headers = sign_request(
        "POST",
        url,
        {"Content-Type": CONTENT_TYPE, "Accept": "application/activity+json"},
        body,
        key_id(sender),
        sender.private_key_pem,
    )
    try:
        response = fetch(
            url,
            method="POST",
            headers=headers,
            content=body,
            timeout=TIMEOUT,
            max_redirects=0,
            max_bytes=64 * 1024,
        )
    except FetchError as exc:
        return None, str(exc)
    return response.status, "" if succeeded(response.status) else f"HTTP {response.status}"
