"""Settings for moving: aliases, and the move to a new account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from connective.accounts.models import Person
from connective.accounts.viewer import current_person
from connective.portability.services.moving import (
    MoveError,
    add_alias,
    move_account,
    remove_alias,
)


@login_required
@require_http_methods(["GET", "POST"])
def aliases(request: HttpRequest) -> HttpResponse:
    """List and add the accounts that are also me."""
    person = current_person(request)
    error = ""
    if request.method == "POST":
        try:
            other = add_alias(person, request.POST.get("address", "")[:500])
        except MoveError as exc:
            error = str(exc)
        else:
            messages.success(request, f"{other.acct} is now named as also being you.")
            return redirect("portability:aliases")
    known = {p.uri: p for p in Person.objects.filter(uri__in=person.also_known_as or [])}
    context = {
        "tab": "portability",
        "aliases": [(uri, known.get(uri)) for uri in person.also_known_as or []],
        "error": error,
    }
    return render(request, "portability/moving.html", context, status=400 if error else 200)


@login_required
@require_POST
def forget_alias(request: HttpRequest) -> HttpResponse:
    """Remove an alias."""
    remove_alias(current_person(request), request.POST.get("uri", ""))
    return redirect("portability:aliases")


@login_required
@require_POST
def move(request: HttpRequest) -> HttpResponse:
    """Move this account to another one (which names this one as an alias)."""
    person = current_person(request)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm the move.")
        return redirect("portability:aliases")
    try:
        new = move_account(person, request.POST.get("address", "")[:500])
    except MoveError as exc:
        messages.error(request, str(exc))
        return redirect("portability:aliases")
    messages.success(request, f"This account has moved to {new.acct}. Your connections follow.")
    return redirect("portability:aliases")
