"""Leaving: delete my account (after offering an export)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from connective.accounts.viewer import current_person
from connective.portability.models import ExportJob, JobState
from connective.portability.services.deletion import delete_account


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    """Explain what deleting does, offer an export, and delete after the password and handle."""
    person = current_person(request)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not request.user.check_password(request.POST.get("password", "")):
            errors["password"] = "That is not your password."
        if request.POST.get("handle", "").strip().lstrip("@").lower() != person.handle.lower():
            errors["handle"] = f"Type your handle, {person.handle}, to confirm."
        if not errors:
            delete_account(person)
            logout(request)
            messages.success(request, "Your account is deleted. Thank you for learning with us.")
            return redirect("web:landing")
    context = {
        "tab": "portability",
        "errors": errors,
        "export": ExportJob.objects.filter(person=person, state=JobState.DONE).first(),
    }
    response = render(request, "portability/delete.html", context, status=400 if errors else 200)
    response["Cache-Control"] = "private, no-store"
    return response
