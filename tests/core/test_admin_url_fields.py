"""Model URLFields in admin forms say which scheme a bare address gets (core.forms.ASSUME_HTTPS)."""

import warnings

import pytest
from django.contrib import admin
from django.test import RequestFactory

from connective.accounts.models import User
from connective.network.admin import ConnectionAdmin
from connective.network.models import Connection

pytestmark = pytest.mark.django_db


def staff_request():
    request = RequestFactory().get("/admin/")
    request.user = User(username="root", is_staff=True, is_superuser=True)
    return request


def test_no_admin_form_builds_a_url_field_without_a_scheme():
    """Django 5.2 warns (RemovedInDjango60Warning) for every URL form field left on the old
    default; this builds every registered admin's form and inline forms with that an error."""
    request = staff_request()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="The default scheme will be changed")
        for model_admin in admin.site._registry.values():
            model_admin.get_form(request)
            for inline in model_admin.get_inline_instances(request):
                inline.get_formset(request)


def test_an_address_typed_without_a_scheme_gets_https(ana, ben):
    connection = Connection.objects.create(owner=ana, target=ben)
    form_class = ConnectionAdmin(Connection, admin.site).get_form(staff_request(), connection)
    form = form_class(instance=connection)
    field = form.fields["met_url"]
    assert field.clean("meetup.example.org/learning") == "https://meetup.example.org/learning"
    assert field.clean("http://meetup.example.org/") == "http://meetup.example.org/"
