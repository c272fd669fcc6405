"""Avatar initials."""

from types import SimpleNamespace

import pytest

from connective.accounts.templatetags.people_tags import initial


@pytest.mark.parametrize(
    ("display_name", "handle", "expected"),
    [
        ("Robin Ellis", "learner", "R"),
        ("\u202eevil", "x", "E"),
        ("", "ana", "A"),
        ("!!!", "_7b", "7"),
        ("", "", "?"),
        ("élodie", "e", "É"),
    ],
)
def test_initial_skips_controls_and_falls_back_to_the_handle(display_name, handle, expected):
    assert initial(SimpleNamespace(display_name=display_name, handle=handle)) == expected
