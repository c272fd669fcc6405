"""Settings pages: profile, privacy, links. Account pages (email, password, 2FA) are allauth's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from connective.accounts.forms import LinkForm, PrivacyForm, ProfileForm
from connective.accounts.models import Person
from connective.accounts.services.links import LinkError, add_link, remove_link
from connective.accounts.services.profile import (
    ProfileError,
    remove_avatar,
    update_privacy,
    update_profile,
)
from connective.accounts.viewer import current_person


def _page(
    request: HttpRequest, template: str, tab: str, status: int = 200, **context
) -> HttpResponse:
    context.update(nav="settings", tab=tab, person=current_person(request))
    return render(request, f"accounts/{template}", context, status=status)


def _save_profile(person: Person, form: ProfileForm) -> bool:
    """Hand the parsed form to the service; its refusal becomes a field error."""
    data = form.cleaned_data
    try:
        update_profile(person, form.change(), avatar_upload=data["avatar"])
        if data["remove_avatar"] and not data["avatar"]:
            remove_avatar(person)
    except ProfileError as exc:
        form.add_error(exc.field, exc.message)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def profile_settings(request: HttpRequest) -> HttpResponse:
    """Name, bio, picture, and the topics the person learns and helps with."""
    person = current_person(request)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid() and _save_profile(person, form):
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:settings")
        person.refresh_from_db()
        return _page(request, "settings_profile.html", "profile", status=400, form=form)
    form = ProfileForm(initial=ProfileForm.initial_for(person))
    return _page(request, "settings_profile.html", "profile", form=form)


@login_required
@require_http_methods(["GET", "POST"])
def privacy_settings(request: HttpRequest) -> HttpResponse:
    """Whether connections need approval, and whether the person can be found."""
    person = current_person(request)
    if request.method == "POST":
        form = PrivacyForm(request.POST)
        if form.is_valid():
            update_privacy(
                person,
                requires_approval=form.cleaned_data["requires_approval"],
                discoverable=form.cleaned_data["discoverable"],
            )
            messages.success(request, "Your privacy settings are saved.")
            return redirect("accounts:settings_privacy")
        return _page(request, "settings_privacy.html", "privacy", status=400, form=form)
    form = PrivacyForm(
        initial={
            "requires_approval": person.requires_approval,
            "discoverable": person.discoverable,
        }
    )
    return _page(request, "settings_privacy.html", "privacy", form=form)


@login_required
@require_http_methods(["GET", "POST"])
def links_settings(request: HttpRequest) -> HttpResponse:
    """List the person's other places and add one."""
    person = current_person(request)
    form = LinkForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                add_link(person, data["kind"], data["url"], data["label"])
            except LinkError as exc:
                form.add_error(exc.field, exc.message)
            else:
                messages.success(request, "The link is on your profile now.")
                return redirect("accounts:settings_links")
        status = 400
    else:
        status = 200
    links = person.links.all()
    return _page(request, "settings_links.html", "links", status=status, form=form, links=links)


@login_required
@require_POST
def delete_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one of the person's own links; anybody else's is a 404."""
    if not remove_link(current_person(request), pk):
        raise Http404("No such link.")
    messages.success(request, "The link is removed.")
    return redirect("accounts:settings_links")
