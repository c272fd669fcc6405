"""`connective serve`: migrate, load the demo on an empty database, run web server and worker."""

import os
import signal
import subprocess
import sys

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
                "8",
                "--no-ws",
                "connective.wsgi:application",
            ]
        )
        self._wait(server, worker)

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

    def _wait(
        self, server: subprocess.Popen[bytes], worker: subprocess.Popen[bytes] | None
    ) -> None:
        def stop(*_: object) -> None:
            for proc in (server, worker):
                if proc and proc.poll() is None:
                    proc.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for proc in (server, worker):
                if proc:
                    proc.wait(timeout=15)
        os._exit(server.returncode or 0)
