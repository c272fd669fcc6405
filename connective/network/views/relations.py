"""Placeholder until the view is written (this session)."""

from django.http import Http404


def blocked(request, *args, **kwargs):
    raise Http404


def block_view(request, *args, **kwargs):
    raise Http404


def unblock_view(request, *args, **kwargs):
    raise Http404


def mute_view(request, *args, **kwargs):
    raise Http404


def unmute_view(request, *args, **kwargs):
    raise Http404
