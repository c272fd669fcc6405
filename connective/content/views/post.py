"""Placeholder until the view is written (this session)."""

from django.http import Http404


def detail(request, *args, **kwargs):
    raise Http404


def delete(request, *args, **kwargs):
    raise Http404


def useful(request, *args, **kwargs):
    raise Http404


def download(request, *args, **kwargs):
    raise Http404
