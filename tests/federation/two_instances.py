"""Two real Connective servers on loopback, each with its own SQLite database and site URL.

`two_instances()` starts both as subprocesses (`runserver --noreload`) and tears them down. Each
instance runs with DEBUG on and the test-only allowances on (plain-http peers and loopback on the
two ports), and its background work runs in-process (the immediate task backend), so a delivery
is sent when the change that caused it commits.

The same file is the entry point of those subprocesses:

    python tests/federation/two_instances.py serve    # the web server of one instance
    python tests/federation/two_instances.py run      # run Python from stdin in the instance

Settings do not read these allowances from the environment, so the entry point sets them on the
settings module before Django starts (the code in connective.core.http and federation.services.fetch
still refuses them unless DEBUG is on).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
PORTS_VAR = "CONNECTIVE_TEST_PEER_PORTS"
RESULT_MARK = "@@result@@"
START_TIMEOUT = 60.0


def _configure() -> None:
    """Set the test-only allowances on the settings module, then start Django."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "connective.settings")
    import connective.settings as s

    if not s.DEBUG:
        raise SystemExit("two-instance servers need CONNECTIVE_DEBUG=1")
    ports = frozenset(int(p) for p in os.environ.get(PORTS_VAR, "").split(",") if p)
    s.CONNECTIVE_FEDERATION_ALLOW_HTTP = True  # type: ignore[attr-defined]
    s.CONNECTIVE_HTTP_ALLOW_LOOPBACK_PORTS = ports  # type: ignore[attr-defined]
    s.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    s.PASSWORD_HASHERS = ["connective.accounts.hashers.LightArgon2PasswordHasher"]
    import django

    django.setup()


def _main(argv: list[str]) -> None:
    _configure()
    from django.core.management import call_command

    if argv[1] == "serve":
        port = os.environ["CONNECTIVE_SITE_URL"].rsplit(":", 1)[1]
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, skip_checks=True)
    elif argv[1] == "run":
        _driver()
    elif argv[1] == "migrate":
        call_command("migrate", interactive=False, verbosity=0)


def _driver() -> None:
    """Run Python sent as JSON lines on stdin; answer each with one marked JSON line."""
    import traceback

    scope: dict[str, Any] = {}
    for line in sys.stdin:
        scope.pop("result", None)
        try:
            exec(json.loads(line), scope)  # noqa: S102 - code from the test itself
            answer = {"result": scope.get("result")}
        except Exception:  # noqa: BLE001 - reported to the test, which fails
            answer = {"error": traceback.format_exc()}
        print(RESULT_MARK + json.dumps(answer, default=str), flush=True)


# --- the test side ------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Instance:
    """One running server: its name, port, var dir and environment."""

    name: str
    port: int
    var_dir: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    driver: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        """The site URL (http://127.0.0.1:<port>)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def host(self) -> str:
        """The host with its port, as remote people of this instance are recorded elsewhere."""
        return f"127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        """The server's output (requests, warnings, tracebacks)."""
        return self.var_dir.parent / f"{self.name}.log"

    def log_tail(self, size: int = 4000) -> str:
        """The end of the server's output, for failure messages."""
        try:
            return self.log_path.read_text(errors="replace")[-size:]
        except OSError:
            return ""

    @property
    def db_path(self) -> Path:
        """Its SQLite file."""
        return self.var_dir / "connective.sqlite3"

    def start_driver(self) -> subprocess.Popen[str]:
        """The long-lived process that runs code in this instance (started once)."""
        if self.driver is None:
            self.driver = subprocess.Popen(
                [PYTHON, __file__, "run"],
                env=self.env,
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        return self.driver

    def run(self, code: str) -> Any:
        """Run Python in this instance's environment (Django set up, one long-lived process, so
        names defined by earlier calls stay); the value it leaves in `result`."""
        driver = self.start_driver()
        assert driver.stdin is not None and driver.stdout is not None
        driver.stdin.write(json.dumps(code) + "\n")
        driver.stdin.flush()
        for line in driver.stdout:
            if line.startswith(RESULT_MARK):
                answer = json.loads(line[len(RESULT_MARK) :])
                if "error" in answer:
                    raise AssertionError(f"on {self.name}:\n{answer['error']}")
                return answer["result"]
        raise AssertionError(f"the driver of {self.name} exited")

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows from this instance's database, read without Django."""
        conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=20)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        """GET a path on the live server."""
        return httpx.get(self.url + path, timeout=20, **kwargs)


def wait_for(check: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
    """Poll `check` until it returns something truthy; its value (AssertionError on timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _env(var_dir: Path, port: int, ports: list[int]) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CONNECTIVE_", "PYTEST_", "DJANGO_"))
    }
    env.update(
        CONNECTIVE_VAR_DIR=str(var_dir),
        CONNECTIVE_SITE_URL=f"http://127.0.0.1:{port}",
        CONNECTIVE_DEBUG="1",
        CONNECTIVE_SECRET_KEY=f"two-instance-test-secret-{port}-{'x' * 40}",
        CONNECTIVE_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="connective.settings",
        PYTHONUNBUFFERED="1",
    )
    env[PORTS_VAR] = ",".join(str(p) for p in ports)
    return env


def _answers(instance: Instance) -> bool:
    assert instance.process is not None
    if instance.process.poll() is not None:
        raise AssertionError(
            f"{instance.name} exited with {instance.process.returncode}:\n{instance.log_tail()}"
        )
    try:
        return instance.get("/.well-known/nodeinfo").status_code == 200
    except httpx.HTTPError:
        return False


def _migrated_template(base: Path, env: dict[str, str]) -> Path:
    """Migrate one database and return its folder (copied for both instances: half the time)."""
    template = base / "template"
    template.mkdir()
    subprocess.run(
        [PYTHON, __file__, "migrate"],
        env={**env, "CONNECTIVE_VAR_DIR": str(template)},
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=180,
    )
    return template / "connective.sqlite3"


@contextlib.contextmanager
def two_instances(base: Path) -> Iterator[tuple[Instance, Instance]]:
    """Start instances "a" and "b" under `base`; stop them (and their logs' files) afterwards."""
    ports = [free_port(), free_port()]
    instances = []
    for name, port in zip("ab", ports, strict=True):
        var_dir = base / name
        instances.append(Instance(name, port, var_dir, _env(var_dir, port, ports)))
    template = _migrated_template(base, instances[0].env)
    try:
        for inst in instances:
            inst.var_dir.mkdir()
            shutil.copy(template, inst.db_path)
            with inst.log_path.open("wb") as log:
                inst.process = subprocess.Popen(
                    [PYTHON, __file__, "serve"],
                    env=inst.env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
        for inst in instances:
            inst.start_driver()
        for inst in instances:
            wait_for(lambda inst=inst: _answers(inst), f"{inst.name} to answer", START_TIMEOUT)
        yield instances[0], instances[1]
    finally:
        for inst in instances:
            if inst.driver is not None:
                inst.driver.kill()
                inst.driver.wait()
            if inst.process is not None and inst.process.poll() is None:
                inst.process.terminate()
                try:
                    inst.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    inst.process.kill()
                    inst.process.wait()


if __name__ == "__main__":
    _main(sys.argv)
