"""Settings → Export and import: start an export, download it, upload a file to import, check
the preview, confirm, follow progress, read the report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from connective.accounts.viewer import current_person
from connective.core.htmx import is_htmx
from connective.portability.models import ExportJob, ImportJob, JobState, UnresolvedContact
from connective.portability.services import jobs
from connective.portability.services.archive import ArchiveError
from connective.portability.tasks import apply_import_task, check_import_task, export_task


def _private(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponseBase:
    """The page: the latest export, recent imports, people still to find."""
    viewer = current_person(request)
    context = {
        "tab": "portability",
        "export": ExportJob.objects.filter(person=viewer).first(),
        "imports": list(ImportJob.objects.filter(person=viewer)[:5]),
        "unresolved": list(UnresolvedContact.objects.filter(owner=viewer)[:200]),
    }
    return _private(render(request, "portability/index.html", context))


@login_required
@require_POST
def start_export(request: HttpRequest) -> HttpResponseBase:
    """Queue an export of everything (one at a time)."""
    job = jobs.start_export(current_person(request))
    if job.state == JobState.QUEUED:
        export_task.enqueue(job.pk)
    messages.success(
        request, "Your archive is being prepared. You will be notified when it is ready."
    )
    return redirect("portability:index")


@login_required
@require_safe
def export_status(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The export's progress (a partial the page polls while it runs)."""
    job = get_object_or_404(ExportJob, pk=pk, person=current_person(request))
    if not is_htmx(request):
        return redirect("portability:index")
    return _private(render(request, "portability/_export.html", {"export": job}))


@login_required
@require_safe
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The finished archive, to its owner only."""
    job = get_object_or_404(ExportJob, pk=pk, person=current_person(request))
    if job.state != JobState.DONE or not job.archive:
        raise Http404("No such archive.")
    name = f"connective-{job.person.handle}-{job.created_at:%Y-%m-%d}.zip"
    response = FileResponse(job.archive.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = "application/zip"
    return _private(response)


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponseBase:
    """Keep an uploaded file and check it; nothing changes until the preview is confirmed."""
    viewer = current_person(request)
    upload_file = request.FILES.get("file")
    if upload_file is None:
        messages.error(request, "Choose a file to import.")
        return redirect("portability:index")
    try:
        job = jobs.start_import(viewer, upload_file)
    except ArchiveError as exc:
        messages.error(request, str(exc))
        return redirect("portability:index")
    check_import_task.enqueue(job.pk)
    return redirect("portability:import", pk=job.pk)


@login_required
@require_safe
def import_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An import: checking, its preview to confirm, progress, or its report."""
    job = get_object_or_404(ImportJob, pk=pk, person=current_person(request))
    context = {"job": job, "tab": "portability"}
    if is_htmx(request):
        return _private(render(request, "portability/_import.html", context))
    return _private(render(request, "portability/import.html", context))


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Apply a checked import."""
    job = get_object_or_404(ImportJob, pk=pk, person=current_person(request))
    if job.state == JobState.READY:
        apply_import_task.enqueue(job.pk)
    return redirect("portability:import", pk=job.pk)


@login_required
@require_POST
def forget_unresolved(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Stop keeping someone we could not find."""
    contact = get_object_or_404(UnresolvedContact, pk=pk, owner=current_person(request))
    contact.delete()
    messages.success(request, f"{contact.address} is no longer kept.")
    return redirect("portability:index")
