"""`connective demo`: load the demo community (safe to run again)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from connective.demo.services.load import SEED, load_demo, summary


class Command(BaseCommand):
    """Load about forty people learning about education, with ties, posts and resources."""

    help = (
        "Load the demo community: about 40 people with interests and expertise in education, "
        "connections with purposes, 200+ notes, articles and openly licensed resources, replies "
        "and useful marks. Running it again changes nothing. Log in as 'learner'. Every demo "
        "account shares one password, CONNECTIVE_DEMO_PASSWORD — fine for a demo, never for "
        "real people."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=SEED,
            help="Seed for the demo's choices (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = settings.CONNECTIVE_DEMO_PASSWORD
        if not password:
            raise CommandError("Set CONNECTIVE_DEMO_PASSWORD to the password for demo accounts.")
        result = load_demo(seed=options["seed"], password=password)
        if options["verbosity"] > 0:
            self.stdout.write(summary(result, password))
