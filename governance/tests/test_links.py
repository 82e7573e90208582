"""governance.links: the URL of each row without a reverse() per row."""

from __future__ import annotations

from django.urls import reverse

from governance.links import pk_link_maker


def test_a_link_maker_gives_the_same_url_as_reverse_for_each_id():
    link = pk_link_maker("communication:talk_detail")

    assert [link(pk) for pk in (1, 7, 2147483647)] == [
        reverse("communication:talk_detail", args=[pk]) for pk in (1, 7, 2147483647)
    ]


def test_an_admin_link_keeps_the_filtered_list_to_return_to():
    link = pk_link_maker("admin:communication_meeting_change", query="_changelist_filters=kind%3Dretreat")

    assert (
        link(12)
        == reverse("admin:communication_meeting_change", args=[12]) + "?_changelist_filters=kind%3Dretreat"
    )
