"""Placeholder until the view is written (this session)."""

from django.http import Http404


def index(request, *args, **kwargs):
    raise Http404


def detail(request, *args, **kwargs):
    raise Http404
