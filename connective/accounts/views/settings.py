"""Placeholder until the view is written (this session)."""

from django.http import Http404


def profile_settings(request, *args, **kwargs):
    raise Http404


def privacy_settings(request, *args, **kwargs):
    raise Http404


def links_settings(request, *args, **kwargs):
    raise Http404


def delete_link(request, *args, **kwargs):
    raise Http404
