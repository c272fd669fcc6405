"""Placeholder until the view is written (this session)."""

from django.http import Http404


def index(request, *args, **kwargs):
    raise Http404


def requests(request, *args, **kwargs):
    raise Http404


def accept(request, *args, **kwargs):
    raise Http404


def decline(request, *args, **kwargs):
    raise Http404


def remove(request, *args, **kwargs):
    raise Http404
