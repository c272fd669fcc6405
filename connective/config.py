"""Read the CONNECTIVE_* environment into typed values (used only by settings)."""

import os
import secrets
from pathlib import Path

PREFIX = "CONNECTIVE_"


def env(name: str, default: str = "") -> str:
    """The value of CONNECTIVE_<name>, or the default."""
    return os.environ.get(PREFIX + name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no environment variable (1, true, yes, on are true)."""
    raw = os.environ.get(PREFIX + name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list of non-empty items."""
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def generated_secret(var_dir: Path) -> tuple[str, bool]:
    """The secret key kept in ./var/secret_key, created on first use; (key, was_generated)."""
    explicit = env("SECRET_KEY")
    if explicit:
        return explicit, False
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip(), True
