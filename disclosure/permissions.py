"""Who sees which disclosure item: one place for the list (`items_visible_to`, a queryset) and one object
(`can_view_item`, a `rules` predicate), written from the same sentence; disclosure/tests/test_visibility.py checks
that they agree over users × items. Attachments and the timeline follow the item; opinions on it follow the item and
the scope they were given in (below, `feedback_visible_q`).

三（二）: 党务公开的范围原则上确定为四个层次——党政领导干部、全体党员、全体教职工、社会. A viewer sees an item only while it
is published (已公开, 已反馈处理) and inside its publication window, and only if its scope includes them:

- 社会: anyone, without logging in (the public page and its Atom feed);
- 全体教职工: any account of the portal (every account belongs to a member of staff);
- 全体党员: Party members (the role group 党员; leaders are Party members, governance.roles.is_party_member);
- 党政领导干部: leaders (the role group 校领导/院领导).

Once an item that was published is archived (四（四）资料归档: after its handling was disclosed, or replaced by a new
version, 三（一）4), the people of its scope keep seeing it, in the archive (/disclosure/archive/): what was disclosed to
them stays on record. Items proposed, waiting for approval, returned, approved but not yet published or outside their
window (and not archived) are the office's only (党务公开工作办公室, 四（一）).

Committee members (校党委, 三（一）1: 报校党委批准) approve: the people holding a position on the university's leadership
team today. From the moment the office reports an item to them until it is out to its audience they may open it,
read-only (`committee_q` / `_committee_sees`): waiting for their approval (待审批), returned by them with reasons
(已退回), approved and not yet published (已批准), published with a window that has not opened yet, and a published
item whose scope the office asks to widen. 三（一）1—2: the committee approves what the office then publishes, so
the people who approved an item can still read what they approved; 四（二）1: the leading group (党委委员) oversees
the form, content and carrying out of the disclosure. An item the office has only drafted (拟公开, not yet reported)
stays the office's; so does an item past its window.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import rules
from django.db.models import Q, QuerySet
from django.utils import timezone

from disclosure.models import SHOWN_STATES, DisclosureItem, Feedback, ItemState, Scope
from governance.models import Organization, Person, Position
from governance.roles import is_leader, is_office, is_party_member

_NO_PERSON = object()


# A leader (党政领导干部) is also a Party member and a member of staff: every scope.
LEADER_SCOPES: tuple[str, ...] = (Scope.PUBLIC, Scope.STAFF, Scope.MEMBERS, Scope.LEADERS)


def viewer_scopes(user: Any) -> tuple[str, ...]:
    """The scopes whose items the user may see, from the widest (社会) down to the user's own level."""
    if not getattr(user, "is_authenticated", False):
        return (Scope.PUBLIC,)
    if is_leader(user):
        return LEADER_SCOPES
    if is_party_member(user):
        return (Scope.PUBLIC, Scope.STAFF, Scope.MEMBERS)
    return (Scope.PUBLIC, Scope.STAFF)


def _in_window(item: DisclosureItem, today: dt.date) -> bool:
    return item.publish_from <= today and (item.publish_until is None or item.publish_until >= today)


def _window_q(today: dt.date) -> Q:
    return Q(publish_from__lte=today) & (Q(publish_until__isnull=True) | Q(publish_until__gte=today))


def _disclosed_q(scopes: tuple[str, ...], today: dt.date) -> Q:
    return (_window_q(today) & Q(state__in=SHOWN_STATES, scope__in=scopes)) | Q(
        state=ItemState.ARCHIVED, published_at__isnull=False, scope__in=scopes
    )


def items_disclosed_to(user: Any, *, today: dt.date | None = None) -> QuerySet[DisclosureItem]:
    """What is disclosed to the user as one of the people of its scope (三（二）): the published items of their scopes
    inside the window, and those archived after publication — not what the office keeps or the committee is asked to
    approve. The 最新党务公开 of a Party member's or a member of staff's home."""
    return DisclosureItem.objects.filter(_disclosed_q(viewer_scopes(user), today or timezone.localdate()))


def items_disclosed_to_leaders(*, today: dt.date | None = None) -> QuerySet[DisclosureItem]:
    """`items_disclosed_to` a leader (LEADER_SCOPES), for a leader's home: the family contract hands the leader panel
    the person, whose login is a leader's (governance's HomeView shows the leader's home to leaders only), so the
    scopes are known without reading the login's groups."""
    return DisclosureItem.objects.filter(_disclosed_q(LEADER_SCOPES, today or timezone.localdate()))


def items_visible_to(user: Any, *, today: dt.date | None = None) -> QuerySet[DisclosureItem]:
    """Every item for the office; for everyone else the published items of their scopes, inside the window (and,
    for committee members, `committee_q`)."""
    if is_office(user):
        return DisclosureItem.objects.all()
    today = today or timezone.localdate()
    condition = _disclosed_q(viewer_scopes(user), today)
    if is_committee_member(user):
        condition |= committee_q(today)
    return DisclosureItem.objects.filter(condition)


# 三（一）1—2: reported to the committee and not yet out to its audience — the committee may open these, read-only.
COMMITTEE_STATES = (ItemState.PENDING, ItemState.RETURNED, ItemState.APPROVED)


def committee_q(today: dt.date) -> Q:
    """What a committee member sees besides their own scopes: the items reported to the committee and not yet out
    (waiting, returned, approved; published but before their window), and those whose widening is asked for."""
    return (
        Q(state__in=COMMITTEE_STATES)
        | Q(state=ItemState.PUBLISHED, publish_from__gt=today)
        | (Q(state__in=SHOWN_STATES) & ~Q(widen_to=""))
    )


def _committee_sees(item: DisclosureItem, today: dt.date) -> bool:
    """The object twin of `committee_q`."""
    return (
        item.state in COMMITTEE_STATES
        or (item.state == ItemState.PUBLISHED and item.publish_from > today)
        or (item.state in SHOWN_STATES and bool(item.widen_to))
    )


def public_items(*, today: dt.date | None = None) -> QuerySet[DisclosureItem]:
    """What anyone sees without logging in (社会)."""
    today = today or timezone.localdate()
    return DisclosureItem.objects.filter(_window_q(today), state__in=SHOWN_STATES, scope=Scope.PUBLIC)


@rules.predicate
def can_view_item(user: Any, item: DisclosureItem) -> bool:
    """The object twin of `items_visible_to` (same sentence, same result)."""
    if is_office(user):
        return True
    if _committee_sees(item, timezone.localdate()) and is_committee_member(user):
        return True
    if item.scope not in viewer_scopes(user):
        return False
    if item.state == ItemState.ARCHIVED:
        return item.published_at is not None
    return item.state in SHOWN_STATES and _in_window(item, timezone.localdate())


# --- Opinions (三（一）3) on an item the viewer may see -----------------------------------------------------------
#
# 三（一）3: opinions go to the office (收集、整理), which answers the person who gave them (将办理结果反馈给反映人, 三（一）4);
# what is disclosed of them is the handling (处理和落实情况予以公开). 三: 先党内、后党外 — an opinion given while the item
# was disclosed to a narrower scope stays in that scope when the item is widened (`Feedback.scope`):
#
# - the office sees every opinion, with who gave it and how to reach them;
# - the person who gave it sees it, with their own name;
# - anyone else sees an opinion only if they are within the scope it was given in (an opinion given within the Party
#   stays within the Party), and its author's name only if they are signed in, the author did not ask to be anonymous
#   and it was given from an account (社会公众's names are the office's only). So an anonymous visitor never sees a
#   name, and sees only the opinions given while the item was already disclosed to 社会.
#
# `feedback_visible_q` / `feedback_named_q` (querysets) and `can_view_feedback` / `can_see_feedback_author` (rules
# predicates) say this twice, for lists and for one opinion; disclosure/tests/test_feedback_privacy.py checks that
# they agree. All of it applies to an item the viewer may see at all (`can_view_item`).

_NOTHING = Q(pk__isnull=True)  # a primary key is never null: matches no row


def feedback_visible_q(user: Any) -> Q:
    """The opinions on an item the user may read (the item itself being visible to them)."""
    if is_office(user):
        return ~_NOTHING
    condition = Q(scope__in=viewer_scopes(user))
    if getattr(user, "is_authenticated", False):
        condition |= Q(author_id=user.pk)
    return condition


def feedback_named_q(user: Any) -> Q:
    """The opinions whose author's name the user may see (a subset of `feedback_visible_q`)."""
    if is_office(user):
        return ~_NOTHING
    if not getattr(user, "is_authenticated", False):
        return _NOTHING
    return Q(author_id=user.pk) | Q(scope__in=viewer_scopes(user), anonymous=False, author__isnull=False)


@rules.predicate
def can_view_feedback(user: Any, feedback: Feedback) -> bool:
    """The object twin of `feedback_visible_q`."""
    if is_office(user):
        return True
    if getattr(user, "is_authenticated", False) and feedback.author_id == user.pk:
        return True
    return feedback.scope in viewer_scopes(user)


@rules.predicate
def can_see_feedback_author(user: Any, feedback: Feedback) -> bool:
    """The object twin of `feedback_named_q`."""
    if is_office(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if feedback.author_id == user.pk:
        return True
    return feedback.scope in viewer_scopes(user) and not feedback.anonymous and feedback.author_id is not None


def archive_q(*, today: dt.date) -> Q:
    """四（四）: the archive — items archived after publication, and (for the office) items out of their window."""
    return Q(state=ItemState.ARCHIVED, published_at__isnull=False) | (
        Q(state__in=SHOWN_STATES) & Q(publish_until__lt=today)
    )


def person_of(user: Any) -> Person | None:
    """The governance.Person of a login, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_disclosure_person", _NO_PERSON)
    if cached is _NO_PERSON:
        cached = Person.objects.filter(user_id=user.pk).first()
        user._disclosure_person = cached
    return cached  # type: ignore[return-value]


def committee_members(*, today: dt.date | None = None) -> QuerySet[Person]:
    """校党委: the people on the university's leadership team today (三（一）1: 报校党委批准)."""
    today = today or timezone.localdate()
    return Person.objects.filter(
        pk__in=Position.objects.active_on(today)
        .filter(
            team__organization__kind=Organization.Kind.UNIVERSITY, team__organization__parent__isnull=True
        )
        .values("person_id")
    ).order_by("name")


def is_committee_member(user: Any) -> bool:
    cached = getattr(user, "_disclosure_committee", None)
    if cached is None:
        person = person_of(user)
        cached = person is not None and committee_members().filter(pk=person.pk).exists()
        if getattr(user, "is_authenticated", False):
            user._disclosure_committee = cached
    return bool(cached)


def can_see_timeline(user: Any) -> bool:
    """The workflow's steps and the audit history (who proposed, approved, returned and why): the office and the
    committee members who approve."""
    return is_office(user) or is_committee_member(user)


def accepts_public_feedback(item: DisclosureItem) -> bool:
    """三（一）3 意见的反馈程序 (公开期间, 通过各种渠道反映的意见) with 三（二）社会: anyone, without logging in, may leave
    an opinion on an item disclosed to everyone while it collects opinions (已公开) and inside its window."""
    return (
        item.scope == Scope.PUBLIC
        and item.state == ItemState.PUBLISHED
        and _in_window(item, timezone.localdate())
    )
