"""Values every page needs: the viewer's Person and their unread notification count."""

from django.conf import settings
from django.http import HttpRequest

from connective.accounts.viewer import viewer_person
from connective.notifications.services.notify import unread_count


def connective(request: HttpRequest) -> dict:
    """Template context for the site chrome."""
    person = viewer_person(request)
    return {
        "viewer": person,
        "unread_notifications": unread_count(person) if person else 0,
        "instance_name": settings.CONNECTIVE_INSTANCE_NAME,
    }
