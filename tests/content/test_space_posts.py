"""Posts in a space are read and edited in their thread, not through the generic pages."""

import pytest

from connective.spaces.services.membership import join
from connective.spaces.services.spaces import create_space
from connective.spaces.services.threads import start_thread
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_space_post_page_leads_to_its_thread(ana, ben):
    space = create_space(ana, name="OER circle")
    thread = start_thread(ana, space, title="Welcome", body="Say hello")
    join(space, ben)
    response = client_for(ben).get(f"/posts/{thread.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/spaces/{space.slug}/threads/{thread.pk}/#post-{thread.pk}"


def test_editing_a_thread_opening_goes_to_the_thread_editor(ana):
    space = create_space(ana, name="OER circle")
    thread = start_thread(ana, space, title="Welcome", body="Say hello")
    response = client_for(ana).get(f"/posts/{thread.pk}/edit/")
    assert response.status_code == 302
    assert response["Location"] == f"/spaces/{space.slug}/threads/{thread.pk}/edit/"
