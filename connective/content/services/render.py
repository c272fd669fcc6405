"""Render a post body: Markdown → safe HTML, with @mentions and #hashtags linked."""

import re
from collections.abc import Iterable
from html import escape

from django.urls import reverse

from connective.accounts.models import Person
from connective.core.html import render_markdown
from connective.topics.normalize import InvalidTopic, topic_key

MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9_]{2,30})(?:@([A-Za-z0-9.-]+\.[A-Za-z]{2,}))?")
HASHTAG = re.compile(r"(?<![\w/&#])#(\w[\w\-]{0,63})")
MAX_MENTIONS = 20
_TAG = re.compile(r"(<[^>]+>)")
_SKIP_INSIDE = {"a", "code", "pre"}


def mentioned_people(text: str) -> list[Person]:
    """The people @mentioned in a text whom we know (local or already-known remote)."""
    found: list[Person] = []
    for handle, domain in MENTION.findall(text or "")[: MAX_MENTIONS * 2]:
        person = (
            Person.objects.active()
            .filter(handle__iexact=handle, domain=(domain or "").lower())
            .first()
        )
        if person and person not in found:
            found.append(person)
        if len(found) >= MAX_MENTIONS:
            break
    return found


def _link_text(text: str, people: dict[str, Person]) -> str:
    def mention(match: re.Match[str]) -> str:
        key = match.group(0)[1:].lower()
        person = people.get(key)
        if not person:
            return match.group(0)
        return f'<a href="{person.get_absolute_url()}" class="mention">@{escape(person.handle)}</a>'

    def hashtag(match: re.Match[str]) -> str:
        try:
            key = topic_key(match.group(1))
        except InvalidTopic:
            return match.group(0)
        href = reverse("web:topic", kwargs={"key": key})
        return f'<a href="{escape(href)}" class="hashtag">#{match.group(1)}</a>'

    return HASHTAG.sub(hashtag, MENTION.sub(mention, text))


def link_entities(html: str, people: Iterable[Person]) -> str:
    """Turn @handle and #tag in the text of sanitised HTML into links (not inside a, code, pre)."""
    by_key = {p.path_handle.lower(): p for p in people}
    out, skip_depth = [], 0
    for part in _TAG.split(html):
        if part.startswith("<"):
            name = part.strip("</>").split()[0].lower() if part.strip("</>") else ""
            if name in _SKIP_INSIDE:
                skip_depth += -1 if part.startswith("</") else 1
            out.append(part)
        elif skip_depth <= 0 and ("@" in part or "#" in part):
            out.append(_link_text(part, by_key))
        else:
            out.append(part)
    return "".join(out)


def render_body(text: str, people: Iterable[Person] = ()) -> str:
    """The HTML for a post body or bio."""
    return link_entities(render_markdown(text), people)
