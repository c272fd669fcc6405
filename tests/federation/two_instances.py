"""Two real Connective servers on loopback, each with its own database and site URL.

`two_instances()` starts both as subprocesses (`runserver --noreload`) and tears them down. Each
instance runs with DEBUG on and the test-only allowances on (plain-http peers and loopback on the
two ports), and its background work runs in-process (the immediate task backend), so a delivery
is sent when the change that caused it commits.

Each instance has its own SQLite file, or, when the suite runs on PostgreSQL
(CONNECTIVE_DATABASE_URL names a postgres database), its own PostgreSQL database next to that one:
`<name>_<worker>_a` and `_b`, created (the second as a copy of the migrated first) when the pair
starts and dropped when it stops.

The same file is the entry point of those subprocesses:

    python tests/federation/two_instances.py serve    # the web server of one instance
    python tests/federation/two_instances.py run      # run Python from stdin in the instance
    python tests/federation/two_instances.py manage export --user ana --out a.zip
                                                      # a `connective` command in the instance

Settings do not read these allowances from the environment, so the entry point sets them on the
settings module before Django starts (the code in connective.core.http and federation.services.fetch
still refuses them unless DEBUG is on).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
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
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
PORTS_VAR = "CONNECTIVE_TEST_PEER_PORTS"
RESULT_MARK = "@@result@@"
START_TIMEOUT = 60.0
PASSWORD = "correct-horse-battery-9"
# Python run in an instance first (`Instance.run`): make a local person with a login, find one.
PEOPLE = f"""
from allauth.account.models import EmailAddress
from connective.accounts.models import Person, User
from connective.accounts.services.people import create_local_person

def me(handle):
    return Person.objects.local().get(handle=handle)

def make(handle, **fields):
    user = User.objects.create_user(username=handle, email=handle + "@example.org",
                                    password={PASSWORD!r})
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    person = create_local_person(user, display_name=handle.title())
    Person.objects.filter(pk=person.pk).update(**fields)
    return person.uri
"""


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
    elif argv[1] == "manage":
        from django.core.management import execute_from_command_line

        execute_from_command_line(["connective", *argv[2:]])


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
    database_url: str = ""  # its PostgreSQL database; "" for its SQLite file

    @property
    def vendor(self) -> str:
        """ "postgresql" or "sqlite": which kind of database this instance runs on."""
        return "postgresql" if self.database_url else "sqlite"

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
        """Its SQLite file (unused when it runs on PostgreSQL)."""
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
        """Rows from this instance's database, read without Django. Write `?` for parameters
        on either database; values come as the database gives them (SQLite: dates as text and
        booleans as 0/1; PostgreSQL: datetimes and booleans)."""
        if self.database_url:
            import psycopg

            if params:  # psycopg's placeholders: %s, and a literal % doubled
                sql = sql.replace("%", "%%").replace("?", "%s")
            with psycopg.connect(self.database_url, autocommit=True) as pg:
                return [tuple(row) for row in pg.execute(sql, params or None).fetchall()]
        conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=20)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def manage(self, *args: str, timeout: float = 300) -> str:
        """Run a `connective` management command in this instance, as its own process (the
        test-only allowances on); its output. AssertionError with its errors if it fails."""
        done = subprocess.run(
            [PYTHON, __file__, "manage", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(
                f"`connective {' '.join(args)}` on {self.name} exited with {done.returncode}:\n"
                f"{done.stdout[-2000:]}{done.stderr[-4000:]}"
            )
        return done.stdout

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


def postgres_url() -> str:
    """The suite's PostgreSQL database URL, or "" when it runs on SQLite."""
    url = os.environ.get("CONNECTIVE_DATABASE_URL", "")
    return url if urlsplit(url).scheme in ("postgres", "postgresql", "pgsql") else ""


def _database_urls(base_url: str) -> list[str]:
    """The two per-run databases next to the suite's: <name>_<xdist worker>_a and _b."""
    parts = urlsplit(base_url)
    stem = parts.path.lstrip("/") or "connective"
    worker = re.sub(r"\W", "", os.environ.get("PYTEST_XDIST_WORKER", ""))
    stem = f"{stem}_{worker}" if worker else stem
    return [urlunsplit(parts._replace(path=f"/{stem}_{name}")) for name in "ab"]


def _pg_admin(url: str, statements: list[tuple[str, str, str]]) -> None:
    """Run (verb, database, suffix) statements such as CREATE/DROP DATABASE on the server of
    `url`, connected to its maintenance database."""
    import psycopg
    from psycopg import sql

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        for verb, name, suffix in statements:
            conn.execute(sql.SQL(verb + " {} " + suffix).format(sql.Identifier(name)))


def _db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


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
    done = subprocess.run(
        [PYTHON, __file__, "migrate"],
        env={**env, "CONNECTIVE_VAR_DIR": str(template)},
        cwd=ROOT,
        check=False,
        capture_output=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise AssertionError(f"migrating the instances' database failed:\n{done.stderr[-4000:]!r}")
    return template / "connective.sqlite3"


def _create_databases(base: Path, instances: list[Instance]) -> None:
    """Each instance's database: a SQLite file copied from one migrated template, or on
    PostgreSQL the first database migrated and the second created as its copy."""
    first, second = instances
    if not first.database_url:
        template = _migrated_template(base, first.env)
        for inst in instances:
            inst.var_dir.mkdir()
            shutil.copy(template, inst.db_path)
        return
    _drop_databases(instances)  # what a killed earlier run left behind
    _pg_admin(first.database_url, [("CREATE DATABASE", _db_name(first.database_url), "")])
    _migrated_template(base, first.env)
    _pg_admin(
        first.database_url,
        [
            (
                "CREATE DATABASE",
                _db_name(second.database_url),
                f"TEMPLATE {_db_name(first.database_url)}",
            )
        ],
    )
    for inst in instances:
        inst.var_dir.mkdir()


def _drop_databases(instances: list[Instance]) -> None:
    for inst in instances:
        if inst.database_url:
            name = _db_name(inst.database_url)
            _pg_admin(inst.database_url, [("DROP DATABASE IF EXISTS", name, "WITH (FORCE)")])


@contextlib.contextmanager
def two_instances(base: Path) -> Iterator[tuple[Instance, Instance]]:
    """Start instances "a" and "b" under `base`, on SQLite or, when the suite runs on
    PostgreSQL, each on its own PostgreSQL database; stop them (and drop those databases)
    afterwards."""
    ports = [free_port(), free_port()]
    pg = postgres_url()
    urls = _database_urls(pg) if pg else ["", ""]
    instances = []
    for name, port, url in zip("ab", ports, urls, strict=True):
        var_dir = base / name
        env = _env(var_dir, port, ports)
        if url:
            env["CONNECTIVE_DATABASE_URL"] = url
        instances.append(Instance(name, port, var_dir, env, database_url=url))
    try:
        _create_databases(base, instances)
        for inst in instances:
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
        _drop_databases(instances)


if __name__ == "__main__":
    _main(sys.argv)
