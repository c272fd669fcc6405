"""`connective serve`: migrate, load the demo on an empty database, run web server and worker."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    """Everything a first run needs, then granian (WSGI) and one background worker."""

    help = "Migrate, load the demo community if the database is empty, serve with a worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="web processes")
        parser.add_argument("--no-demo", action="store_true", help="never load the demo")
        parser.add_argument("--no-worker", action="store_true", help="run no background worker")

    def handle(self, *args: object, **options: object) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        loaded = False if options["no_demo"] else self._maybe_load_demo()
        host, port = str(options["host"]), int(str(options["port"]))
        self._announce(host, port, loaded)
        worker = None if options["no_worker"] else self._start_worker()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "granian",
                "--interface",
                "wsgi",
                "--host",
                host,
                "--port",
                str(port),
                "--workers",
                str(options["workers"]),
                "--blocking-threads",
                str(blocking_threads()),
                "--no-ws",
                "connective.wsgi:application",
            ],
            start_new_session=True,  # see wait_for
        )
        os._exit(wait_for([server] + ([worker] if worker else [])))

    def _maybe_load_demo(self) -> bool:
        from django.contrib.auth import get_user_model

        if get_user_model().objects.exists():
            return False
        self.stdout.write("Empty database: loading the demo community (a few seconds)…")
        call_command("demo", verbosity=0)
        return True

    def _announce(self, host: str, port: int, loaded: bool) -> None:
        from django.contrib.auth import get_user_model

        self.stdout.write(self.style.SUCCESS(f"Connective is running on http://{host}:{port}/"))
        if get_user_model().objects.filter(username="learner").exists():
            self.stdout.write(
                f"Demo login: learner / {settings.CONNECTIVE_DEMO_PASSWORD}"
                + ("  (just loaded)" if loaded else "")
            )
        mail = getattr(settings, "EMAIL_FILE_PATH", None)
        if mail:
            self.stdout.write(
                f"Outgoing mail (sign-up links, password resets) is written to {mail}/"
            )

    def _start_worker(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "connective.cli", "worker"])


# Granian warns when a WSGI worker may run more threads than twice the cores and one; eight at
# most, as many as that allows on a small machine.
MAX_BLOCKING_THREADS = 8
GRACE_SECONDS = 5.0  # how long a Ctrl-C leaves the processes to stop on their own


def blocking_threads() -> int:
    """Threads per web process: eight, or fewer on a machine with few cores."""
    return min(MAX_BLOCKING_THREADS, 2 * (os.cpu_count() or 1) + 1)


class _Stopping(Exception):
    """This process was asked to stop (SIGTERM, SIGHUP)."""


def _raise_stopping(*_: object) -> None:
    raise _Stopping


def _terminate(proc: subprocess.Popen[bytes]) -> None:
    """Send SIGTERM once (a second signal forces a process to stop mid-work)."""
    if proc.poll() is None and not getattr(proc, "told_to_stop", False):
        proc.told_to_stop = True  # type: ignore[attr-defined]
        proc.terminate()


def wait_for(procs: list[subprocess.Popen[bytes]]) -> int:
    """Wait for the web server (the first of `procs`), then stop the rest; its exit code.

    Each process is sent at most one signal from here. The web server runs in a session of its
    own, so only this process tells it to stop (once, at once): when the terminal's Ctrl-C
    reached granian's web processes too, one of them never finished stopping. The worker is
    in this process's group, so a Ctrl-C in the terminal (or a service manager's SIGTERM) may
    have reached it already, and a second signal makes it stop mid-task (the database worker
    then exits with a traceback): it is given GRACE_SECONDS to stop on its own and is told
    only if it is still running. A hang-up (the terminal closed) counts as a SIGTERM, since
    the web server does not get the terminal's.
    """
    previous = {sig: signal.signal(sig, _raise_stopping) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        procs[0].wait()
    except (KeyboardInterrupt, _Stopping):
        _terminate(procs[0])
        deadline = time.monotonic() + GRACE_SECONDS
        for proc in procs[1:]:
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for proc in procs:
            _terminate(proc)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:  # stuck: stopped without a choice
                proc.kill()
                proc.wait()
    return procs[0].returncode or 0
