"""Inbound handlers through the signed inbox: what each activity changes (T-09, T-19, T-27)."""

# ruff: noqa: F401, F811  (fixtures imported from tests.federation.peers)

from connective.content.models import Boost, Post
from connective.content.services.posts import PostDraft, create_post
from connective.federation.models import Delivery, InboxActivity, Report
from connective.network.models import Connection
from connective.network.services import connections
from connective.stream.services.home import home_queryset
from tests.federation.peers import PUBLIC, act, create, dana, eve, note, signed_post

SHARED = "/inbox/"
EVE_KEY = {"key": "rsa-b", "key_id": "https://other.example/users/eve#main-key"}


def follow_doc(actor, target, n="1"):
    return act(actor, "Follow", target.uri, n)


def connect_to(owner, target):
    return connections.connect(owner, target, connections.Purpose(direction="learn_from"))


# --- follows ------------------------------------------------------------------------------


def test_follow_of_open_profile_is_active_and_accepted(ana, dana):
    assert signed_post(SHARED, follow_doc(dana, ana)).status_code == 202
    assert Connection.objects.get(owner=dana, target=ana).is_active
    accept = Delivery.objects.get(inbox_url=dana.inbox_url)
    assert accept.activity["type"] == "Accept"
    assert accept.activity["object"]["id"] == follow_doc(dana, ana)["id"]
    assert accept.sender == ana


def test_t27_follow_of_locked_profile_stays_pending(ana, dana):
    ana.requires_approval = True
    ana.save()
    signed_post(SHARED, follow_doc(dana, ana))
    conn = Connection.objects.get(owner=dana, target=ana)
    assert conn.status == "pending"
    assert not Delivery.objects.exists()
    connections.accept(ana, conn)
    assert Delivery.objects.get().activity["type"] == "Accept"


def test_declined_remote_follow_sends_reject(ana, dana):
    ana.requires_approval = True
    ana.save()
    signed_post(SHARED, follow_doc(dana, ana))
    connections.decline(ana, Connection.objects.get(owner=dana, target=ana))
    assert Delivery.objects.get().activity["type"] == "Reject"


def test_t27_our_follow_waits_for_the_targets_accept(ana, dana):
    conn = connect_to(ana, dana)
    assert conn.status == "pending"
    follow = Delivery.objects.get(inbox_url=dana.inbox_url).activity
    assert follow["type"] == "Follow" and follow["object"] == dana.uri
    response = signed_post(SHARED, act(dana, "Accept", follow))
    assert response.status_code == 202
    assert Connection.objects.get(pk=conn.pk).is_active


def test_t27_accept_by_someone_else_is_refused(ana, dana, eve):
    conn = connect_to(ana, dana)
    follow = Delivery.objects.get(inbox_url=dana.inbox_url).activity
    response = signed_post(SHARED, act(eve, "Accept", follow), **EVE_KEY)
    assert response.status_code == 403
    assert Connection.objects.get(pk=conn.pk).status == "pending"
    assert not InboxActivity.objects.exists()


def test_t27_accept_naming_only_the_follow_id_must_come_from_the_target(ana, dana, eve):
    conn = connect_to(ana, dana)
    follow_id = Delivery.objects.get(inbox_url=dana.inbox_url).activity["id"]
    assert signed_post(SHARED, act(eve, "Accept", follow_id), **EVE_KEY).status_code == 403
    assert Connection.objects.get(pk=conn.pk).status == "pending"
    assert signed_post(SHARED, act(dana, "Accept", follow_id)).status_code == 202
    assert Connection.objects.get(pk=conn.pk).is_active


def test_reject_of_our_follow_ends_it(ana, dana):
    connect_to(ana, dana)
    follow = Delivery.objects.get(inbox_url=dana.inbox_url).activity
    signed_post(SHARED, act(dana, "Reject", follow))
    assert not Connection.objects.filter(owner=ana, target=dana).exists()


def test_undo_follow_removes_the_connection(ana, dana):
    follow = follow_doc(dana, ana)
    signed_post(SHARED, follow)
    assert signed_post(SHARED, act(dana, "Undo", follow)).status_code == 202
    assert not Connection.objects.filter(owner=dana, target=ana).exists()


def test_undo_naming_only_the_follow_id_works(ana, dana):
    follow = follow_doc(dana, ana)
    signed_post(SHARED, follow)
    signed_post(SHARED, act(dana, "Undo", follow["id"]))
    assert not Connection.objects.filter(owner=dana, target=ana).exists()


def test_t09_undo_of_someone_elses_follow_is_refused(ana, dana, eve):
    follow = follow_doc(dana, ana)
    signed_post(SHARED, follow)
    undo = act(eve, "Undo", follow)
    assert signed_post(SHARED, undo, **EVE_KEY).status_code == 403
    assert Connection.objects.filter(owner=dana, target=ana).exists()


def test_block_ends_the_connections_both_ways(ana, dana):
    Connection.objects.create(owner=ana, target=dana, direction="learn_from", status="pending")
    Connection.objects.create(owner=dana, target=ana, direction="learn_with")
    assert signed_post(SHARED, act(dana, "Block", ana.uri)).status_code == 202
    assert not Connection.objects.between(ana.pk, dana.pk).exists()


def test_t09_block_of_someone_not_ours_changes_nothing(ana, dana, eve):
    Connection.objects.create(owner=ana, target=eve, direction="learn_from")
    assert signed_post(SHARED, act(dana, "Block", eve.uri)).status_code == 202
    assert Connection.objects.filter(owner=ana, target=eve).exists()


# --- posts --------------------------------------------------------------------------------


def test_note_from_someone_we_follow_reaches_the_stream(ana, dana):
    Connection.objects.create(owner=ana, target=dana, direction="learn_from")
    obj = note(dana, tag=[{"type": "Hashtag", "name": "#Python", "href": "https://x/tags/python"}])
    obj["content"] = '<p>Hello <script>alert(1)</script><a href="javascript:x">#Python</a></p>'
    assert signed_post(SHARED, create(dana, obj)).status_code == 202
    post = Post.objects.get(uri=obj["id"])
    assert post.author == dana and post.visibility == "public"
    assert "<script" not in post.body_html and "javascript:" not in post.body_html
    assert [t.key for t in post.topics.all()] == ["python"]
    assert post in list(home_queryset(ana))


def test_note_nobody_here_follows_is_not_kept(ana, dana):
    signed_post(SHARED, create(dana, note(dana)))
    assert not Post.objects.exists()
    assert InboxActivity.objects.get().state == "ignored"


def test_note_mentioning_one_of_ours_is_kept_and_notifies(ana, dana):
    obj = note(dana, tag=[{"type": "Mention", "href": ana.uri, "name": "@ana"}], to=[ana.uri])
    obj["cc"] = []
    signed_post(SHARED, create(dana, obj))
    post = Post.objects.get(uri=obj["id"])
    assert post.visibility == "private"
    assert list(post.mentions.all()) == [ana]
    assert ana.notifications.filter(kind="mention").exists()


def test_followers_only_note_is_network_visibility(ana, dana, ben):
    Connection.objects.create(owner=ana, target=dana, direction="learn_from")
    obj = note(dana, to=[dana.followers_url], cc=[])
    signed_post(SHARED, create(dana, obj))
    post = Post.objects.get(uri=obj["id"])
    assert post.visibility == "network"
    assert Post.objects.visible_to(ana).filter(pk=post.pk).exists()
    assert not Post.objects.visible_to(ben).filter(pk=post.pk).exists()
    assert not Post.objects.visible_to(None).filter(pk=post.pk).exists()


def test_remote_reply_joins_the_thread(ana, dana):
    parent = create_post(ana, PostDraft(body="Question?"))
    obj = note(dana, inReplyTo=parent.uri, to=[PUBLIC], cc=[ana.uri])
    signed_post(SHARED, create(dana, obj))
    reply = Post.objects.get(uri=obj["id"])
    assert reply.in_reply_to == parent and reply.thread_root == parent
    parent.refresh_from_db()
    assert parent.reply_count == 1


def test_t19_reply_to_unknown_parent_fetches_a_bounded_chain(ana, dana, monkeypatch):
    from connective.federation.services import remote_objects

    Connection.objects.create(owner=ana, target=dana, direction="learn_from")
    fetched = []

    def fake_fetch(uri, **kwargs):  # an endless chain upwards, and a cycle back to the start
        fetched.append(uri)
        n = int(uri.rsplit("/", 1)[1])
        return note(dana, n, inReplyTo=f"{dana.uri}/statuses/{n + 1 if n < 50 else 2}")

    monkeypatch.setattr(remote_objects, "fetch_object", fake_fetch)
    obj = note(dana, 1, inReplyTo=f"{dana.uri}/statuses/2")
    assert signed_post(SHARED, create(dana, obj)).status_code == 202
    assert len(fetched) <= remote_objects.MAX_ANCESTORS
    assert Post.objects.filter(uri=obj["id"]).exists()


def test_update_by_the_author_changes_the_post(ana, dana):
    Connection.objects.create(owner=ana, target=dana, direction="learn_from")
    obj = note(dana)
    signed_post(SHARED, create(dana, obj))
    edited = dict(obj, content="<p>Edited</p>")
    signed_post(SHARED, act(dana, "Update", edited, "u1"))
    post = Post.objects.get(uri=obj["id"])
    assert post.body == "Edited" and post.edited_at is not None


def test_t09_update_of_someone_elses_post_is_refused(ana, dana, eve):
    Connection.objects.create(owner=ana, target=dana, direction="learn_from")
    obj = note(dana)
    signed_post(SHARED, create(dana, obj))
    forged = dict(obj, attributedTo=eve.uri, content="<p>pwned</p>")
    assert signed_post(SHARED, act(eve, "Update", forged), **EVE_KEY).status_code == 403
    assert "pwned" not in Post.objects.get(uri=obj["id"]).body


def test_delete_by_the_author_leaves_a_tombstone(ana, dana):
    Connection.objects.create(owner=ana, target=dana, direction="learn_from")
    obj = note(dana)
    signed_post(SHARED, create(dana, obj))
    tomb = {"id": obj["id"], "type": "Tombstone"}
    assert signed_post(SHARED, act(dana, "Delete", tomb)).status_code == 202
    assert Post.objects.get(uri=obj["id"]).deleted_at is not None


def test_delete_of_an_account_takes_its_posts_and_connections(ana, dana):
    Connection.objects.create(owner=ana, target=dana, direction="learn_from")
    Connection.objects.create(owner=dana, target=ana, direction="learn_with")
    obj = note(dana)
    signed_post(SHARED, create(dana, obj))
    Delivery.objects.all().delete()
    assert signed_post(SHARED, act(dana, "Delete", dana.uri)).status_code == 202
    dana.refresh_from_db()
    assert dana.suspended_at is not None and dana.deleted_at is not None
    post = Post.objects.get(uri=obj["id"])
    assert post.deleted_at is not None and post.body == ""
    assert not Connection.objects.filter(owner=dana).exists()
    assert not Connection.objects.filter(target=dana).exists()
    assert not Delivery.objects.exists()  # nobody is left to tell


def test_t09_delete_of_someone_elses_post_is_refused(ana, dana, eve):
    Connection.objects.create(owner=ana, target=dana, direction="learn_from")
    obj = note(dana)
    signed_post(SHARED, create(dana, obj))
    assert signed_post(SHARED, act(eve, "Delete", obj["id"]), **EVE_KEY).status_code == 403
    assert Post.objects.get(uri=obj["id"]).deleted_at is None


def test_t09_delete_of_a_local_post_by_a_remote_is_refused(ana, dana):
    post = create_post(ana, PostDraft(body="Mine"))
    assert signed_post(SHARED, act(dana, "Delete", post.uri)).status_code == 403
    post.refresh_from_db()
    assert post.deleted_at is None


def test_t09_update_of_a_person_from_another_host_is_refused(ana, dana, eve):
    forged = {"id": dana.uri, "type": "Person", "name": "Pwned"}
    assert signed_post(SHARED, act(eve, "Update", forged), **EVE_KEY).status_code == 403
    dana.refresh_from_db()
    assert dana.display_name == "Dana"


# --- reactions, boosts, moves, reports ----------------------------------------------------


def test_like_and_undo_like_mark_useful(ana, dana):
    post = create_post(ana, PostDraft(body="Useful?"))
    like = act(dana, "Like", post.uri)
    signed_post(SHARED, like)
    post.refresh_from_db()
    assert post.useful_count == 1
    signed_post(SHARED, act(dana, "Undo", like))
    post.refresh_from_db()
    assert post.useful_count == 0


def test_t09_undo_of_someone_elses_like_is_refused(ana, dana, eve):
    post = create_post(ana, PostDraft(body="Useful?"))
    like = act(dana, "Like", post.uri)
    signed_post(SHARED, like)
    assert signed_post(SHARED, act(eve, "Undo", like), **EVE_KEY).status_code == 403
    post.refresh_from_db()
    assert post.useful_count == 1


def test_announce_of_a_known_post_is_a_boost(ana, dana):
    post = create_post(ana, PostDraft(body="Share me"))
    announce = act(dana, "Announce", post.uri)
    signed_post(SHARED, announce)
    assert Boost.objects.get().post == post
    signed_post(SHARED, act(dana, "Undo", announce, "2"))
    assert not Boost.objects.exists()


def test_announce_of_a_local_post_tells_its_author_and_undo_takes_it_back(ana, dana):
    post = create_post(ana, PostDraft(body="Share me"))
    announce = act(dana, "Announce", post.uri)
    assert signed_post(SHARED, announce).status_code == 202
    boost = Boost.objects.get()
    assert (boost.person, boost.uri) == (dana, announce["id"])
    assert ana.notifications.get(kind="boost").actor == dana
    signed_post(SHARED, announce)  # a replay adds nothing (T-08)
    assert Boost.objects.count() == 1 and ana.notifications.filter(kind="boost").count() == 1
    signed_post(SHARED, act(dana, "Undo", announce, "2"))
    assert not ana.notifications.filter(kind="boost").exists()


def test_announce_of_a_followed_persons_boost_reaches_my_stream(ana, ben, dana):
    connect_to(ana, dana)
    Connection.objects.filter(owner=ana, target=dana).update(status="active")
    post = create_post(ben, PostDraft(body="Ben shares this"))
    signed_post(SHARED, act(dana, "Announce", post.uri))
    assert list(home_queryset(ana)) == []  # Ben's post itself is not in Ana's stream
    from connective.stream.services.home import home_page

    [item] = home_page(ana, None).items
    assert item == post and item.boosted_by == dana


def test_announce_from_someone_nobody_follows_of_a_post_not_ours_is_ignored(dana, eve, monkeypatch):
    from connective.federation.services import remote_objects

    fetched = []
    monkeypatch.setattr(remote_objects, "fetch_post", lambda uri: fetched.append(uri))
    assert signed_post(SHARED, act(dana, "Announce", f"{eve.uri}/statuses/7")).status_code == 202
    assert fetched == [] and not Boost.objects.exists()


def test_announce_of_a_network_post_is_ignored(ana, dana):
    Connection.objects.create(owner=dana, target=ana, direction="learn_from")
    post = create_post(ana, PostDraft(body="For my network", visibility="network"))
    signed_post(SHARED, act(dana, "Announce", post.uri))
    assert not Boost.objects.exists()
    assert not ana.notifications.filter(kind="boost").exists()


def test_announce_by_someone_the_author_blocked_is_ignored(ana, dana):
    from connective.network.models import Block

    post = create_post(ana, PostDraft(body="Not for Dana"))
    Block.objects.create(owner=ana, target=dana)
    signed_post(SHARED, act(dana, "Announce", post.uri))
    assert not Boost.objects.exists()


def test_t09_undo_of_someone_elses_announce_is_refused(ana, dana, eve):
    post = create_post(ana, PostDraft(body="Share me"))
    announce = act(dana, "Announce", post.uri)
    signed_post(SHARED, announce)
    assert signed_post(SHARED, act(eve, "Undo", announce), **EVE_KEY).status_code == 403
    assert Boost.objects.filter(person=dana).exists()


def test_delete_of_a_boosted_remote_post_removes_its_boosts(ana, dana):
    from connective.content.services.boosts import boost_post

    connect_to(ana, dana)
    Connection.objects.filter(owner=ana, target=dana).update(status="active")
    signed_post(SHARED, create(dana, note(dana, 5)))
    post = Post.objects.get(uri=f"{dana.uri}/statuses/5")
    boost_post(ana, post)
    signed_post(SHARED, act(dana, "Delete", post.uri))
    assert not Boost.objects.exists()


def test_move_follows_the_new_account_keeping_purpose(ana, dana, eve, monkeypatch):
    from connective.federation.services import remote_objects

    conn = Connection.objects.create(
        owner=ana, target=dana, direction="learn_with", note="met at the workshop"
    )
    eve.also_known_as = [dana.uri]
    eve.save()
    monkeypatch.setattr(remote_objects, "resolve", lambda uri, refresh=False: eve)
    move = act(dana, "Move", dana.uri, target=eve.uri)
    assert signed_post(SHARED, move).status_code == 202
    new = Connection.objects.get(owner=ana, target=eve)
    assert (new.direction, new.note) == ("learn_with", "met at the workshop")
    assert not Connection.objects.filter(pk=conn.pk).exists()
    dana.refresh_from_db()
    assert dana.moved_to == eve
    assert ana.notifications.filter(kind="moved").exists()


def test_move_to_an_account_that_does_not_name_the_old_one_is_refused(ana, dana, eve, monkeypatch):
    from connective.federation.services import remote_objects

    Connection.objects.create(owner=ana, target=dana, direction="learn_with")
    monkeypatch.setattr(remote_objects, "resolve", lambda uri, refresh=False: eve)
    assert signed_post(SHARED, act(dana, "Move", dana.uri, target=eve.uri)).status_code == 403
    assert Connection.objects.filter(owner=ana, target=dana).exists()


def test_flag_is_stored_for_admins(ana, dana):
    post = create_post(ana, PostDraft(body="Reported"))
    flag = act(dana, "Flag", [ana.uri, post.uri], content="Spam")
    assert signed_post(SHARED, flag).status_code == 202
    report = Report.objects.get()
    assert report.target == ana and list(report.posts.all()) == [post]
    assert report.content == "Spam"


def test_t27_pending_follower_gets_no_followers_only_posts(ana, dana):
    ana.requires_approval = True
    ana.save()
    signed_post(SHARED, follow_doc(dana, ana))
    create_post(ana, PostDraft(body="Only for my network", visibility="network"))
    assert not Delivery.objects.filter(activity__type="Create").exists()
    connections.accept(ana, Connection.objects.get(owner=dana, target=ana))
    create_post(ana, PostDraft(body="Now you see it", visibility="network"))
    [row] = [d for d in Delivery.objects.all() if d.activity["type"] == "Create"]
    assert row.inbox_url == dana.inbox_url


def test_t27_claimed_accept_without_our_follow_changes_nothing(ana, dana):
    forged = {"id": f"{ana.uri}#follows/{dana.pk}/1", "type": "Follow", "actor": ana.uri}
    forged["object"] = dana.uri
    assert signed_post(SHARED, act(dana, "Accept", forged)).status_code == 202
    assert not Connection.objects.filter(owner=ana, target=dana).exists()
    assert InboxActivity.objects.get().state == "ignored"


def test_silenced_domain_reaches_only_its_followers(ana, ben, dana):
    from connective.federation.models import DomainBlock

    DomainBlock.objects.create(domain="remote.example", severity="silence")
    stranger = note(dana, 1, tag=[{"type": "Mention", "href": ben.uri, "name": "@ben"}])
    signed_post(SHARED, create(dana, stranger, 1))
    assert not Post.objects.exists()
    Connection.objects.create(owner=ana, target=dana, direction="learn_from")
    signed_post(SHARED, create(dana, note(dana, 2), 2))
    assert Post.objects.filter(author=dana).count() == 1


def test_update_of_own_profile_refetches_it(ana, dana, monkeypatch):
    from connective.federation.services import remote_objects

    calls = []
    monkeypatch.setattr(
        remote_objects, "resolve_actor", lambda uri, refresh=False: calls.append((uri, refresh))
    )
    update = act(dana, "Update", {"id": dana.uri, "type": "Person", "name": "Ignored"})
    assert signed_post(SHARED, update).status_code == 202
    assert calls == [(dana.uri, True)]
    dana.refresh_from_db()
    assert dana.display_name == "Dana"  # taken from the refetched document, never the activity


def test_addressing_maps_back_to_the_same_visibility(ana, dana):
    from connective.federation.services.audience import addressing, followers_uri, visibility_from

    ana.followers_url = followers_uri(ana)  # as a peer reads it from ana's actor document
    for visibility in ["public", "unlisted", "network", "private"]:
        post = create_post(ana, PostDraft(body=f"{visibility} post", visibility=visibility))
        assert visibility_from(*addressing(post), ana) == visibility


def test_an_announced_activity_goes_to_the_group_handler_not_to_boosts(dana, eve, monkeypatch):
    """A group's Announce{Create} (FEP-1b12) is not a boost: nobody follows Dana as a group,
    so it is ignored without a fetch and without a Boost."""
    from connective.federation.services import remote_objects

    fetched = []
    monkeypatch.setattr(remote_objects, "fetch_post", lambda uri: fetched.append(uri))
    monkeypatch.setattr(remote_objects, "fetch_ancestors", lambda uri: fetched.append(uri))
    inner = {"id": f"{eve.uri}/statuses/3/activity", "type": "Create", "actor": eve.uri}
    inner["object"] = f"{eve.uri}/statuses/3"
    assert signed_post(SHARED, act(dana, "Announce", inner)).status_code == 202
    row = InboxActivity.objects.get(type="Announce")
    assert row.state == "ignored" and "group" in row.error
    assert fetched == [] and not Boost.objects.exists()
