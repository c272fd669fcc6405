"""What local changes send: activities, addressing and one Delivery row per inbox (T-27, T-31)."""

# ruff: noqa: F401, F811  (fixtures imported from tests.federation.peers)

from connective.content.services.posts import PostDraft, create_post, delete_post, edit_post
from connective.content.services.useful import mark_useful, unmark_useful
from connective.federation.models import Delivery
from connective.federation.services.audience import PUBLIC, followers_uri
from connective.network.models import Connection
from connective.network.services import connections, relations
from tests.federation.peers import dana, eve, make_peer


def follower(person, target, status="active"):
    return Connection.objects.create(
        owner=person, target=target, direction="learn_from", status=status
    )


def sent(kind=None):
    rows = Delivery.objects.all()
    return [r for r in rows if kind is None or r.activity["type"] == kind]


def test_public_post_goes_once_to_each_shared_inbox(ana, dana):
    follower(dana, ana)
    follower(make_peer("finn", "remote.example", "rsa-a"), ana)  # same server as dana
    post = create_post(ana, PostDraft(body="Hello #fediverse"))
    [row] = sent("Create")
    assert row.inbox_url == "https://remote.example/inbox"
    obj = row.activity["object"]
    assert obj["id"] == post.uri and obj["type"] == "Note"
    assert obj["to"] == [PUBLIC] and followers_uri(ana) in obj["cc"]
    assert {"type": "Hashtag"}.items() <= obj["tag"][0].items()
    assert row.activity["actor"] == ana.uri


def test_t27_network_post_goes_only_to_accepted_followers_own_inboxes(ana, dana, eve):
    follower(dana, ana)
    follower(eve, ana, status="pending")
    create_post(ana, PostDraft(body="For my network", visibility="network"))
    rows = sent("Create")
    assert [r.inbox_url for r in rows] == [dana.inbox_url]  # never the shared inbox
    assert PUBLIC not in rows[0].activity["object"]["to"] + rows[0].activity["object"]["cc"]


def test_private_post_goes_only_to_mentioned_people(ana, dana, eve):
    follower(dana, ana)
    create_post(ana, PostDraft(body="Hi @eve@other.example", visibility="private"))
    rows = sent("Create")
    assert [r.inbox_url for r in rows] == [eve.inbox_url]
    assert rows[0].activity["object"]["to"] == [eve.uri]


def test_resource_carries_its_licence(ana, dana):
    follower(dana, ana)
    create_post(
        ana,
        PostDraft(
            kind="resource", title="Notes", link_url="https://example.org/n", licence="cc-by"
        ),
    )
    obj = sent("Create")[0].activity["object"]
    assert obj["type"] == "Page"
    assert obj["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "CC BY 4.0" in obj["content"]
    assert obj["attachment"][0]["href"] == "https://example.org/n"


def test_nothing_is_sent_without_remote_followers(ana, ben):
    follower(ben, ana)
    create_post(ana, PostDraft(body="Local only"))
    assert not Delivery.objects.exists()


def test_edit_sends_update_and_delete_sends_tombstone(ana, dana):
    follower(dana, ana)
    post = create_post(ana, PostDraft(body="First"))
    edit_post(post, PostDraft(body="Second"))
    [update] = sent("Update")
    assert "Second" in update.activity["object"]["content"]
    delete_post(post)
    [delete] = sent("Delete")
    assert delete.activity["object"] == {"id": post.uri, "type": "Tombstone"}
    assert delete.inbox_url == "https://remote.example/inbox"


def test_useful_on_a_remote_post_is_a_like_and_undo(ana, dana):
    follower(ana, dana)
    post = create_post(dana, PostDraft(body="Remote"))
    post.uri = f"{dana.uri}/statuses/9"
    post.save()
    mark_useful(ana, post)
    [like] = sent("Like")
    assert like.activity["object"] == post.uri and like.inbox_url == dana.inbox_url
    unmark_useful(ana, post)
    [undo] = sent("Undo")
    assert undo.activity["object"]["type"] == "Like"


def test_connection_to_remote_is_a_follow_and_removal_an_undo(ana, dana):
    connections.connect(ana, dana, connections.Purpose(direction="learn_from", note="private"))
    [follow] = sent("Follow")
    assert follow.activity["object"] == dana.uri
    assert "private" not in str(follow.activity)  # the purpose stays with us
    connections.remove(ana, dana)
    [undo] = sent("Undo")
    assert undo.activity["object"]["id"] == follow.activity["id"]


def test_block_of_a_remote_person_is_sent(ana, dana):
    relations.block(ana, dana)
    [block] = sent("Block")
    assert block.activity["object"] == dana.uri


def test_a_repeated_activity_makes_no_second_row(ana, dana):
    from connective.federation.services import deliver

    doc = {"id": "https://x/1", "type": "Like"}
    deliver.enqueue(doc, ana, [dana.inbox_url, dana.inbox_url])
    deliver.enqueue(doc, ana, [dana.inbox_url])
    assert Delivery.objects.count() == 1


# --- boosts ↔ Announce ---------------------------------------------------------------------


def _remote_post(author, body="Remote", visibility="public"):
    post = create_post(author, PostDraft(body=body, visibility=visibility))
    post.uri = f"{author.uri}/statuses/{post.pk}"
    post.save()
    return post


def test_boost_is_an_announce_to_followers_and_the_remote_author_and_unboost_an_undo(
    ana, dana, eve
):
    from connective.content.services.boosts import boost_post, unboost_post

    follower(dana, ana)
    follower(ana, eve)
    post = _remote_post(eve)
    boost = boost_post(ana, post)
    rows = sent("Announce")
    assert {r.inbox_url for r in rows} == {dana.shared_inbox_url, eve.shared_inbox_url}
    announce = rows[0].activity
    assert announce["id"] == boost.uri and announce["actor"] == ana.uri
    assert announce["object"] == post.uri
    assert announce["to"] == [PUBLIC] and announce["cc"] == [followers_uri(ana), eve.uri]
    unboost_post(ana, post)
    undos = sent("Undo")
    assert {r.inbox_url for r in undos} == {r.inbox_url for r in rows}
    inner = undos[0].activity["object"]
    assert inner["id"] == boost.uri and inner["type"] == "Announce" and "@context" not in inner


def test_boost_of_an_unlisted_post_stays_unlisted(ana, ben, dana):
    from connective.content.services.boosts import boost_post

    follower(dana, ben)
    post = create_post(ana, PostDraft(body="Quiet", visibility="unlisted"))
    boost_post(ben, post)
    [row] = sent("Announce")
    assert row.activity["to"] == [followers_uri(ben)]
    assert PUBLIC in row.activity["cc"]


def test_local_boost_of_a_local_post_without_remote_followers_sends_nothing(ana, ben):
    from connective.content.services.boosts import boost_post

    boost_post(ben, create_post(ana, PostDraft(body="Here only")))
    assert not Delivery.objects.exists()


def test_remote_boosts_are_not_sent_back_out(ana, dana, eve):
    from connective.content.services.boosts import boost_post

    follower(eve, ana)
    boost_post(dana, create_post(ana, PostDraft(body="Mine")), uri=f"{dana.uri}/announce/1")
    assert not sent("Announce")
