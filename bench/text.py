"""Believable words for generated people, topics and posts (our own, deterministic)."""

import html
import random

SUBJECTS = [
    "open licensing",
    "pedagogy",
    "assessment",
    "feedback",
    "statistics",
    "algebra",
    "geometry",
    "phonics",
    "reading",
    "writing",
    "rhetoric",
    "philosophy",
    "ethics",
    "history",
    "geography",
    "climate",
    "ecology",
    "biology",
    "chemistry",
    "physics",
    "astronomy",
    "robotics",
    "coding",
    "python",
    "data literacy",
    "media literacy",
    "digital citizenship",
    "accessibility",
    "universal design",
    "inclusion",
    "language learning",
    "spanish",
    "french",
    "mandarin",
    "music theory",
    "drawing",
    "design",
    "maker spaces",
    "game design",
    "storytelling",
    "podcasting",
    "video",
    "oer",
    "moocs",
    "blended learning",
    "flipped classroom",
    "project based learning",
    "inquiry",
    "metacognition",
    "motivation",
    "wellbeing",
]
QUALIFIERS = [
    "",
    "open",
    "early",
    "adult",
    "applied",
    "critical",
    "visual",
    "collaborative",
    "digital",
]
FIRST = [
    "Ana",
    "Ben",
    "Chloe",
    "Dev",
    "Eli",
    "Fatima",
    "Goran",
    "Hana",
    "Ines",
    "Jon",
    "Kemal",
    "Lea",
    "Mina",
    "Noor",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tove",
    "Uma",
    "Vik",
]
LAST = [
    "Lima",
    "Okafor",
    "Martin",
    "Sato",
    "Novak",
    "Haddad",
    "Berg",
    "Costa",
    "Diallo",
    "Evans",
    "Fischer",
    "Garcia",
    "Ibrahim",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Nguyen",
]
OPENERS = [
    "Today I tried",
    "Notes from a workshop on",
    "A question for people who teach",
    "Three things I learned about",
    "Still thinking about",
    "A small win with",
    "Reading group this week:",
    "Looking for help with",
    "Sharing my slides on",
    "What finally made sense to me in",
]
CLOSERS = [
    "Ideas welcome.",
    "It went better than I expected.",
    "Would love your take.",
    "The second attempt was much better.",
    "Links in the replies.",
    "More soon.",
    "Has anyone tried this with younger learners?",
    "I am collecting examples.",
]


def topic_names(count: int) -> list[str]:
    """`count` distinct topic names: subjects, then qualified subjects, then numbered ones."""
    names: list[str] = []
    for qualifier in QUALIFIERS:
        for subject in SUBJECTS:
            names.append(f"{qualifier} {subject}".strip())
    n = 1
    while len(names) < count:
        names.append(f"{SUBJECTS[n % len(SUBJECTS)]} {n}")
        n += 1
    return names[:count]


def person_name(rng: random.Random) -> str:
    """A display name."""
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def bodies(rng: random.Random, count: int, sentences: int) -> list[tuple[str, str]]:
    """`count` (markdown, html) bodies of about `sentences` sentences each."""
    out = []
    for _ in range(count):
        parts = [
            f"{rng.choice(OPENERS)} {rng.choice(SUBJECTS)}. {rng.choice(CLOSERS)}"
            for _ in range(sentences)
        ]
        text = " ".join(parts)
        out.append((text, f"<p>{html.escape(text)}</p>"))
    return out
