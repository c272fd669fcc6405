"""Template helpers for following topics."""

from django import template

from connective.accounts.services.topics import is_following

register = template.Library()


@register.simple_tag
def follows_topic(person, topic) -> bool:
    """Whether `person` (None if anonymous) follows `topic`: `{% follows_topic p t as x %}`."""
    return is_following(person, topic)
