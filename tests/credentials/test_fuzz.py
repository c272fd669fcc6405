"""T-35: whatever is done to a genuine credential, verification gives a reason, never a crash."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connective.credentials.services.verification import VerificationError, verify_credential

_settings = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def outcome(data) -> str:
    try:
        verify_credential(data)
    except VerificationError as error:
        assert error.reason, "a failure without a reason"
        return error.reason
    return "valid"


@_settings
@given(position=st.integers(min_value=0), char=st.characters(codec="utf-8"))
def test_t35_any_one_character_change_to_the_jwt_is_refused_with_a_reason(
    statement, position, char
):
    token = statement.credential
    position %= len(token)
    changed = token[:position] + char + token[position + 1 :]
    result = outcome(changed)
    if changed != token:
        assert result != "valid" or _same_after_base64(token, changed), (position, char)


def _same_after_base64(token: str, changed: str) -> bool:
    """Base64url's last character can carry unused bits: a change there may decode the same."""
    import base64

    def raw(t: str) -> list[bytes]:
        try:
            return [base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)) for p in t.split(".")]
        except ValueError:
            return []

    return raw(token) == raw(changed)


@_settings
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=10,
    ),
    field=st.sampled_from(
        ["credentialSubject", "issuer", "evidence", "type", "name", "proof", "sub"]
    ),
)
def test_t35_any_changed_json_field_is_refused_with_a_reason(statement, value, field):
    document = statement.credential_document()
    if document.get(field) == value:
        return
    document[field] = value
    assert outcome(json.dumps(document)) != "valid"
