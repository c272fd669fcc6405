"""Follow or unfollow a topic."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from connective.accounts.redirects import safe_next
from connective.accounts.services.topics import set_following
from connective.accounts.viewer import current_person
from connective.core.htmx import is_htmx
from connective.topics.models import Topic
from connective.topics.normalize import InvalidTopic, topic_key


def _topic_or_404(key: str) -> Topic:
    try:
        normalised = topic_key(key)
    except InvalidTopic as exc:
        raise Http404("No such topic.") from exc
    topic = Topic.objects.filter(key=normalised).first()
    if topic is None:
        raise Http404("No such topic.")
    return topic


@login_required
@require_POST
def follow(request: HttpRequest, key: str) -> HttpResponse:
    """Follow or unfollow (`action`); htmx gets the new button, a plain form a redirect.

    Any other action, or none, is a 400 that changes nothing (a guess could unfollow).
    """
    topic = _topic_or_404(key)
    person = current_person(request)
    action = request.POST.get("action")
    if action not in ("follow", "unfollow"):
        return HttpResponse(
            "Choose follow or unfollow.", status=400, content_type="text/plain; charset=utf-8"
        )
    following = set_following(person, topic, action == "follow")
    next_url = safe_next(request, topic.get_absolute_url())
    if is_htmx(request):
        context = {"topic": topic, "following": following, "next_url": next_url}
        return render(request, "accounts/_follow_button.html", context)
    return HttpResponseRedirect(next_url)
