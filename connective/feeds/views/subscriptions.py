"""The feeds settings page: subscribe, pause, unsubscribe; OPML import and export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from connective.accounts.models import Person
from connective.accounts.viewer import current_person
from connective.content.views.common import private
from connective.core.htmx import is_htmx
from connective.feeds.forms import OpmlForm, SubscribeForm
from connective.feeds.models import OpmlImport, Subscription
from connective.feeds.services.opml import OpmlError, export_opml, start_import
from connective.feeds.services.subscribe import (
    SubscribeError,
    set_paused,
    subscribe,
    unsubscribe,
)

OUTCOMES = ("added", "existing", "rejected")


def _page(request: HttpRequest, viewer: Person, form=None, opml_form=None, status: int = 200):
    subs = (
        Subscription.objects.filter(person=viewer)
        .select_related("feed", "attached_person", "topic")
        .order_by("feed__title", "id")
    )
    context = {
        "subscriptions": subs,
        "form": form or SubscribeForm(person=viewer),
        "opml_form": opml_form or OpmlForm(),
        "imports": OpmlImport.objects.filter(person=viewer)[:3],
        "nav": "settings",
        "tab": "feeds",
    }
    return private(render(request, "feeds/settings.html", context, status=status))


@login_required
@require_GET
def settings_page(request: HttpRequest) -> HttpResponse:
    """The feeds I follow, their health, and the forms to add more."""
    return _page(request, current_person(request))


@login_required
@require_POST
def subscribe_view(request: HttpRequest) -> HttpResponse:
    """Follow a feed pasted as a site or feed address."""
    viewer = current_person(request)
    form = SubscribeForm(request.POST, person=viewer)
    if form.is_valid():
        data = form.cleaned_data
        try:
            sub = subscribe(
                viewer,
                data["url"],
                attached_person=data["attached_person"],
                topic=data["topic"],
                own_blog=data["own_blog"],
            )
        except SubscribeError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, f"You now follow “{sub.name}”.")
            return redirect("feeds:settings")
    return _page(request, viewer, form=form, status=400)


def _mine(request: HttpRequest, pk: int) -> Subscription:
    return get_object_or_404(Subscription, pk=pk, person=current_person(request))


@login_required
@require_POST
def pause(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause or resume one subscription."""
    sub = _mine(request, pk)
    paused = request.POST.get("paused") == "1"
    set_paused(sub, paused)
    verb = "paused" if paused else "resumed"
    messages.success(request, f"“{sub.name}” is {verb}.")
    return redirect("feeds:settings")


@login_required
@require_POST
def unsubscribe_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop following a feed."""
    sub = _mine(request, pk)
    name = sub.name
    unsubscribe(sub)
    messages.success(request, f"You no longer follow “{name}”.")
    return redirect("feeds:settings")


@login_required
@require_POST
def opml_import(request: HttpRequest) -> HttpResponse:
    """Start importing an OPML file; its progress page follows."""
    viewer = current_person(request)
    form = OpmlForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > 1024 * 1024:
                raise OpmlError("The file is larger than 1024 KB.")
            job = start_import(viewer, upload.read())
        except OpmlError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("feeds:opml_job", pk=job.pk)
    return _page(request, viewer, opml_form=form, status=400)


@login_required
@require_GET
def opml_job(request: HttpRequest, pk: int) -> HttpResponse:
    """How far an import got; htmx polls the progress part until it is done."""
    job = OpmlImport.objects.filter(pk=pk, person=current_person(request)).first()
    if job is None:
        raise Http404
    template = "feeds/_opml_progress.html" if is_htmx(request) else "feeds/opml_job.html"
    context = {"job": job, "nav": "settings", **{k: job.count(k) for k in OUTCOMES}}
    return private(render(request, template, context))


@login_required
@require_GET
def opml_export(request: HttpRequest) -> HttpResponse:
    """My subscriptions as an OPML file."""
    viewer = current_person(request)
    response = HttpResponse(export_opml(viewer), content_type="text/x-opml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="connective-feeds.opml"'
    return private(response)
