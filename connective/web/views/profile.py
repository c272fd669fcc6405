"""Placeholder until the view is written (this session)."""

from django.http import Http404


def profile(request, *args, **kwargs):
    raise Http404
