"""`connective serve` stops its web server and worker with one signal each (a second one forces
them: the database worker then exits with a traceback), whoever asked it to stop."""

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from connective.core.management.commands import serve

# A stand-in for the web server or the worker: it counts the signals it gets until it has
# finished stopping (0.3 s after the first), writes the count, and exits with its code.
CHILD = """
import signal, sys, time
got = []
signal.signal(signal.SIGTERM, lambda *_: got.append(1))
signal.signal(signal.SIGINT, lambda *_: got.append(1))
signal.signal(signal.SIGHUP, lambda *_: got.append(1))
path, lifetime, code = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
start = time.monotonic()
while not got and (lifetime < 0 or time.monotonic() - start < lifetime):
    time.sleep(0.02)
time.sleep(0.3)
open(path, "w").write(str(len(got)))
sys.exit(code)
"""


def _start(tmp_path: Path, name: str, lifetime: float = -1, code: int = 0):
    """A child: the web server's stand-in in a session of its own, as serve starts granian."""
    path = tmp_path / name
    args = [sys.executable, "-c", CHILD, str(path), str(lifetime), str(code)]
    return subprocess.Popen(args, start_new_session=name.startswith("s")), path


def _later(action) -> None:
    threading.Timer(0.5, action).start()


def test_the_server_stopping_stops_the_worker_with_one_signal(tmp_path):
    server, _server_log = _start(tmp_path, "server", lifetime=0.2, code=3)
    worker, worker_log = _start(tmp_path, "worker")
    assert serve.wait_for([server, worker]) == 3
    assert worker_log.read_text() == "1"


def test_a_sigterm_to_serve_reaches_each_process_once(tmp_path, monkeypatch):
    monkeypatch.setattr(serve, "GRACE_SECONDS", 0.5)
    (server, server_log), (worker, worker_log) = _start(tmp_path, "s"), _start(tmp_path, "w")
    _later(lambda: os.kill(os.getpid(), signal.SIGTERM))
    assert serve.wait_for([server, worker]) == 0
    assert (server_log.read_text(), worker_log.read_text()) == ("1", "1")
    assert signal.getsignal(signal.SIGTERM) is not serve._raise_stopping  # put back


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_to_the_group_is_not_repeated(tmp_path, sig):
    """A Ctrl-C in the terminal (or a service manager's SIGTERM, or a hang-up) reaches serve
    and the worker, not the web server in its own session: that one is told by serve."""
    (server, server_log), (worker, worker_log) = _start(tmp_path, "s"), _start(tmp_path, "w")

    def to_the_group() -> None:
        for pid in (worker.pid, os.getpid()):
            os.kill(pid, sig)

    _later(to_the_group)
    serve.wait_for([server, worker])
    assert (server_log.read_text(), worker_log.read_text()) == ("1", "1")


def test_web_threads_stay_within_what_granian_accepts(monkeypatch):
    for cores, expected in ((1, 3), (2, 5), (4, 8), (64, 8)):
        monkeypatch.setattr(os, "cpu_count", lambda n=cores: n)
        assert serve.blocking_threads() == expected
