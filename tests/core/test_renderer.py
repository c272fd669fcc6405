"""The Python-written widgets print exactly what Django's templates print."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from connective.core.renderer import WRITERS, PythonWidgetsRenderer

ODD = 'a "quoted" <b>&amp; \u2067rtl'

CHOICES = [("", "Any"), ("cc-by", "CC BY <4.0>"), (3, ODD)]
GROUPED = [("Open", [("a", "A & a"), ("b", mark_safe("<i>B</i>"))]), ("x", "Loose")]


class Sample(forms.Form):
    text = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"class": ODD}))
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    number = forms.IntegerField(required=False, min_value=0)
    day = forms.DateField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    ticked = forms.BooleanField(required=False)
    pick = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "spellcheck": False}))
    upload = forms.FileField(required=False)


def both(form: forms.Form) -> list[tuple[str, str]]:
    """Each field drawn by Django's templates and by ours."""
    out = []
    for name in form.fields:
        field = form[name]
        widget = field.field.widget
        attrs = field.build_widget_attrs({})
        if field.auto_id and "id" not in widget.attrs:
            attrs["id"] = field.auto_id
        value = field.value()
        django = widget.render(field.html_name, value, attrs, renderer=DjangoTemplates())
        ours = widget.render(field.html_name, value, attrs, renderer=PythonWidgetsRenderer())
        out.append((django, ours))
    return out


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "text": ODD,
            "email": "a@b.example",
            "number": "4",
            "day": "2026-11-29",
            "secret": "<s>",
            "hidden": '"h"',
            "ticked": "on",
            "pick": "cc-by",
            "grouped": "b",
            "many": ["", "3"],
            "body": "line\n<two> & three",
        },
        {"number": "-1", "day": "not a day", "pick": "nope", "body": ""},
    ],
)
def test_every_widget_prints_as_djangos_templates_print_it(data):
    form = Sample(data) if data else Sample(initial={"body": "first"})
    form.is_valid()
    for django, ours in both(form):
        assert ours == django


@settings(max_examples=60, deadline=None)
@given(
    value=st.one_of(st.none(), st.text(max_size=12), st.integers()),
    attr=st.one_of(st.booleans(), st.none(), st.text(max_size=8), st.integers()),
)
def test_any_value_and_attribute_print_alike(value, attr):
    widget = forms.TextInput(attrs={"data-x": attr, "aria-y": True})
    ours = widget.render("n<", value, renderer=PythonWidgetsRenderer())
    assert ours == widget.render("n<", value, renderer=DjangoTemplates())


def test_the_site_uses_it_and_no_app_overrides_the_widgets_it_writes():
    assert isinstance(get_default_renderer(), PythonWidgetsRenderer)
    engine = PythonWidgetsRenderer().engine.engine
    for name in WRITERS:
        origin = engine.find_template(name)[1]
        assert "/django/forms/templates/" in origin.name


def test_a_widget_it_does_not_write_goes_to_djangos_templates():
    radio = forms.RadioSelect(choices=CHOICES)
    assert radio.render("r", "3", renderer=PythonWidgetsRenderer()) == radio.render(
        "r", "3", renderer=DjangoTemplates()
    )
