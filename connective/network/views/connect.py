"""Placeholder until the view is written (this session)."""

from django.http import Http404


def connect(request, *args, **kwargs):
    raise Http404


def edit(request, *args, **kwargs):
    raise Http404
