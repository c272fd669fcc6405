"""Connect with a purpose, and change the purpose later."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html

from connective.accounts.models import Person
from connective.accounts.services.people import person_by_path_handle
from connective.accounts.viewer import current_person
from connective.core.htmx import is_htmx
from connective.network.forms import PurposeForm, preview_values
from connective.network.models import Connection, Direction
from connective.network.purpose import purpose_html
from connective.network.services.connections import ConnectError, update_purpose
from connective.network.services.connections import connect as connect_service
from connective.network.services.relations import is_blocked_between
from connective.topics.normalize import InvalidTopic, topic_key

MAX_SUGGESTIONS = 12


def _person_or_404(handle: str) -> Person:
    person = person_by_path_handle(handle)
    if person is None:
        raise Http404
    return person


def refusal(viewer: Person, target: Person) -> str | None:
    """Why `viewer` may not connect with `target` (HTML-safe), or None if they may."""
    if viewer.pk == target.pk:
        return "You cannot connect with yourself. Connect with people who can help you learn."
    if is_blocked_between(viewer, target):
        return "You cannot connect with this person."
    existing = Connection.objects.filter(owner=viewer, target=target).first()
    if existing is not None:
        return format_html(
            'You are already connected with <bdi>{}</bdi>. <a href="{}">Edit the purpose</a>.',
            target.name,
            reverse("network:edit", kwargs={"pk": existing.pk}),
        )
    return None


def suggestions(viewer: Person, target: Person, chosen: list[str]) -> list[str]:
    """Topic names to offer as chips: their expertise and interests, then mine; not yet chosen."""
    taken = {_key(label) for label in chosen}
    names: list[str] = []
    for qs in (target.expertise.all(), target.interests.all(), viewer.interests.all()):
        for topic in qs:
            if topic.key not in taken:
                taken.add(topic.key)
                names.append(topic.name)
    return names[:MAX_SUGGESTIONS]


def _key(label: str) -> str:
    try:
        return topic_key(label)
    except InvalidTopic:
        return label


def _with_added_topic(data) -> dict[str, str]:
    """The form's values with the chip that was clicked appended to the topics field."""
    values = {name: str(data.get(name, "")) for name in PurposeForm.base_fields}
    added = str(data.get("add_topic", ""))[:128]
    _, labels = preview_values(values)
    if added and _key(added) not in {_key(label) for label in labels}:
        values["topics"] = ", ".join([*labels, added])
    return values


def _page(request, template: str, form: PurposeForm, target: Person, **extra) -> HttpResponse:
    """Render the purpose form page with its sentence preview and topic chips."""
    viewer = current_person(request)
    values = form.data if form.is_bound else form.initial
    direction, labels = preview_values(values)
    context = {
        "form": form,
        "person": target,
        "preview": purpose_html(direction, labels, target.name),
        "topics_given": bool(labels),
        "suggested": suggestions(viewer, target, labels),
        "nav": "network",
        **extra,
    }
    return render(request, template, context)


def _preview(request: HttpRequest, target: Person, editing: bool) -> HttpResponse:
    direction, labels = preview_values(request.GET)
    return render(
        request,
        "network/_purpose_preview.html",
        {
            "preview": purpose_html(direction, labels, target.name),
            "topics_given": bool(labels),
            "editing": editing,
        },
    )


@login_required
def connect(request: HttpRequest, handle: str) -> HttpResponse:
    """Connect with someone, saying why; refuses yourself, duplicates and blocks."""
    viewer = current_person(request)
    target = _person_or_404(handle)
    if request.GET.get("preview") and is_htmx(request):
        return _preview(request, target, editing=False)
    refused = refusal(viewer, target)
    if refused:
        status = 400 if request.method == "POST" else 200
        context = {"person": target, "refusal": refused, "nav": "network"}
        return render(request, "network/connect.html", context, status=status)
    if request.method != "POST":
        form = PurposeForm(initial={"direction": Direction.LEARN_FROM})
        return _page(request, "network/connect.html", form, target)
    if "add_topic" in request.POST:
        form = PurposeForm(initial=_with_added_topic(request.POST))
        return _page(request, "network/connect.html", form, target)
    form = PurposeForm(request.POST)
    if form.is_valid():
        try:
            conn = connect_service(viewer, target, form.purpose())
        except (ConnectError, InvalidTopic) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _connected_message(conn, target))
            return redirect(target.get_absolute_url())
    return _page(request, "network/connect.html", form, target)


def _connected_message(conn: Connection, target: Person) -> str:
    if conn.is_active:
        return format_html("You are now connected with <bdi>{}</bdi>.", target.name)
    return format_html("Your request is waiting for <bdi>{}</bdi>’s approval.", target.name)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the purpose of one of my connections (404 for anyone else's)."""
    viewer = current_person(request)
    conn = get_object_or_404(Connection.objects.select_related("target"), pk=pk, owner=viewer)
    target = conn.target
    extra = {"connection": conn, "editing": True}
    if request.GET.get("preview") and is_htmx(request):
        return _preview(request, target, editing=True)
    if request.method != "POST":
        form = PurposeForm(initial=PurposeForm.initial_for(conn))
        return _page(request, "network/edit.html", form, target, **extra)
    if "add_topic" in request.POST:
        form = PurposeForm(initial=_with_added_topic(request.POST))
        return _page(request, "network/edit.html", form, target, **extra)
    form = PurposeForm(request.POST)
    if form.is_valid():
        try:
            update_purpose(conn, form.purpose())
        except (ConnectError, InvalidTopic) as exc:
            form.add_error(None, str(exc))
        else:
            saved = "The purpose of your connection with <bdi>{}</bdi> is saved."
            messages.success(request, format_html(saved, target.name))
            return redirect("network:index")
    return _page(request, "network/edit.html", form, target, **extra)
