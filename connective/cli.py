"""The `connective` command: every Django management command, plus serve, worker and demo."""

import os
import sys


def main() -> None:
    """Run a management command; with no arguments, show the help."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "connective.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["connective", *sys.argv[1:]])


if __name__ == "__main__":
    main()
