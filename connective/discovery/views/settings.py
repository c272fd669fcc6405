"""Settings: being suggested to others, and the "not interested" list."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from connective.accounts.viewer import current_person
from connective.discovery.models import Dismissal
from connective.discovery.services.preferences import set_suggest_me, suggest_me, undo_dismissals
from connective.discovery.views.common import private


class SuggestForm(forms.Form):
    """Whether others may be shown me as someone who can help."""

    suggest_me = forms.BooleanField(
        required=False,
        label="Suggest me to others",
        help_text="Show me in “who can help” (the expert finder), in people suggestions and on "
        "topic pages, with the evidence that says why.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def discovery_settings(request: HttpRequest) -> HttpResponse:
    """Opt out of (or back in to) being suggested; forget what I marked "not interested"."""
    viewer = current_person(request)
    if request.method == "POST":
        if request.POST.get("action") == "reset":
            count = undo_dismissals(viewer)
            messages.success(
                request, f"Forgot {count} “not interested” choice{'s' if count != 1 else ''}."
            )
            return redirect("discovery:settings")
        form = SuggestForm(request.POST)
        if form.is_valid():
            set_suggest_me(viewer, form.cleaned_data["suggest_me"])
            messages.success(request, "Your discovery settings are saved.")
            return redirect("discovery:settings")
    form = SuggestForm(initial={"suggest_me": suggest_me(viewer)}, label_suffix="")
    context = {
        "nav": "settings",
        "tab": "discovery",
        "form": form,
        "dismissed": Dismissal.objects.filter(person_id=viewer.pk).count(),
    }
    return private(render(request, "discovery/settings.html", context))
