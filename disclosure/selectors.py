"""Reads for disclosure/: the lists (a constant number of queries whatever their length), an item's page, the public
page and feed, and the home panels. What a user may see is decided in disclosure.permissions; these only shape it."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Case, Count, Max, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from disclosure.models import (
    SHOWN_STATES,
    Category,
    DisclosureItem,
    Feedback,
    Form,
    ItemAttachment,
    ItemEvent,
    ItemState,
    Nature,
    Scope,
)
from disclosure.permissions import (
    archive_q,
    committee_members,
    feedback_named_q,
    feedback_visible_q,
    items_disclosed_to,
    items_disclosed_to_leaders,
    items_visible_to,
    public_items,
    viewer_scopes,
)
from disclosure.sanitize import text_lines
from governance.history import Entry, record_changes
from governance.models import Organization, Person, Position, PositionKind
from governance.roles import is_office

PANEL_ITEMS = 5


def _with_feedback_counts(queryset: QuerySet[DisclosureItem]) -> QuerySet[DisclosureItem]:
    return queryset.annotate(
        feedback_total=Count("feedback", distinct=True),
        feedback_open=Count("feedback", filter=Q(feedback__responded_at__isnull=True), distinct=True),
    )


def items_for_list(user: Any) -> QuerySet[DisclosureItem]:
    """The list page: what the user may see, newest first, with the feedback counts (one query). Everyone but the
    office finds archived items in the archive, not here."""
    queryset = items_visible_to(user)
    if not is_office(user):
        queryset = queryset.exclude(state=ItemState.ARCHIVED)
    return _with_feedback_counts(queryset).order_by("-publish_from", "-pk")


def archive_items(user: Any, *, today: dt.date | None = None) -> QuerySet[DisclosureItem]:
    """四（四）资料归档: the archive page — what the user may see (the one visibility rule) of the items archived after
    publication, replaced versions included, and for the office also the items past their window; newest first.
    No joins: a page of it is one query (and its count), whatever the archive's size; `mark_newer_versions` adds
    which newer version replaced each item on the page."""
    today = today or timezone.localdate()
    return (
        items_visible_to(user, today=today)
        .filter(archive_q(today=today))
        .defer("content", "handling_summary", "widen_reason")
        .order_by("-publish_from", "-version", "-pk")
    )


def archive_register_items(user: Any, *, today: dt.date | None = None) -> QuerySet[DisclosureItem]:
    """The archive's Excel register: the archive's items with their content, approver and feedback counts."""
    today = today or timezone.localdate()
    queryset = items_visible_to(user, today=today).filter(archive_q(today=today))
    return (
        _with_feedback_counts(queryset)
        .select_related("approved_by")
        .order_by("-publish_from", "-version", "-pk")
    )


def mark_newer_versions(items: Sequence[DisclosureItem]) -> None:
    """Sets `newer_version` on each item (the latest version that replaced it, or None): one query for a page. Also
    `labels`, the display names of its category, nature, form, scope and state, looked up once per page rather than
    by get_FOO_display (which rebuilds the choices' dict on every call: half the archive page's time at 50 rows)."""
    names = {
        field: {value: str(label) for value, label in choices}
        for field, choices in (
            ("category", Category.choices),
            ("nature", Nature.choices),
            ("form", Form.choices),
            ("scope", Scope.choices),
            ("state", ItemState.choices),
        )
    }
    found = dict(
        DisclosureItem.objects.filter(previous_id__in=[item.pk for item in items])
        .values("previous_id")
        .annotate(newest=Max("version"))
        .values_list("previous_id", "newest")
    )
    for item in items:
        item.newer_version = found.get(item.pk)  # type: ignore[attr-defined]
        item.labels = {field: names[field].get(getattr(item, field), "") for field in names}  # type: ignore[attr-defined]


def public_page_items(*, today: dt.date | None = None) -> QuerySet[DisclosureItem]:
    """The public page and the feed: 社会-scope items published now, with their attachments (two queries)."""
    return (
        public_items(today=today)
        .prefetch_related(
            Prefetch("attachments", queryset=ItemAttachment.objects.order_by("uploaded_at", "pk"))
        )
        .order_by("-publish_from", "-pk")
    )


def item_for_detail(pk: int, user: Any) -> DisclosureItem:
    """An item with what its page shows to `user`: attachments, the approver, and the opinions the user may read
    (disclosure.permissions.feedback_visible_q), each marked `author_shown` when the user may see who gave it
    (feedback_named_q); `feedback_elsewhere` counts the opinions given in a scope the user is not in. Three queries."""
    item = (
        DisclosureItem.objects.select_related("approved_by", "recorded_by")
        .prefetch_related(
            Prefetch("attachments", queryset=ItemAttachment.objects.order_by("uploaded_at", "pk")),
            Prefetch(
                "feedback",
                queryset=Feedback.objects.filter(feedback_visible_q(user))
                .annotate(
                    author_shown=Case(
                        When(feedback_named_q(user), then=Value(True)),
                        default=Value(False),
                        output_field=BooleanField(),
                    )
                )
                .select_related("responded_by", "department", "escalated_by")
                .order_by("created_at", "pk"),
            ),
        )
        .annotate(
            feedback_total=Count("feedback", distinct=True),
        )
        .get(pk=pk)
    )
    item.feedback_elsewhere = item.feedback_total - len(item.feedback.all())
    return item


def departments() -> list[tuple[int, str]]:
    """三（一）3 相关部门: the functional departments and colleges an opinion may be handed to (one query)."""
    return list(
        Organization.objects.filter(kind__in=(Organization.Kind.DEPARTMENT, Organization.Kind.COLLEGE))
        .order_by("kind", "name", "pk")
        .values_list("pk", "name")
    )


def timeline(item: DisclosureItem) -> list[ItemEvent]:
    return list(item.events.order_by("at", "pk"))


# On an item's page only the office sees the phase of work's follow-up date (三（三）, the office's own reminder) and
# the link to the previous version: the committee members who read the history (can_see_timeline) do not see them
# there either.
OFFICE_ONLY_HISTORY = ("follow_up_on", "previous")


def item_history(item: DisclosureItem, user: Any) -> list[Entry]:
    """The item's 审计历史, newest first: who changed it, when, why, and each changed field old → new as the item's
    page shows it (公开范围：全体党员 → 社会, 公开截止日期：— → 2026-12-31, 状态, 公开内容类别, 公开形式, 批准人…). The
    rich-text 公开内容 and the other long texts (意见处理和落实情况, 扩大范围的理由) are said to have changed, never
    quoted. For the office and the committee (disclosure.permissions.can_see_timeline); a committee member does not
    see OFFICE_ONLY_HISTORY. Constant queries: the rows with their users, one per related model (批准人, 上一版本)."""
    return record_changes(item, exclude=() if is_office(user) else OFFICE_ONLY_HISTORY)


@dataclass(frozen=True)
class DiffLine:
    op: str  # "same", "added", "removed"
    text: str


@dataclass
class Revision:
    """What changed from the previous version (三（一）4 再公开): the title, the scope and the content, line by line."""

    previous: DisclosureItem
    title_changed: bool
    scope_changed: bool
    lines: list[DiffLine]


def revision_of(item: DisclosureItem, user: Any) -> Revision | None:
    """The differences from the previous version, for those who could see the previous version's scope (the office
    always): a wider audience sees only that the item was revised, not what it said before."""
    if item.previous_id is None:
        return None
    previous = DisclosureItem.objects.only("id", "title", "content", "scope", "version", "state").get(
        pk=item.previous_id
    )
    if not is_office(user) and previous.scope not in viewer_scopes(user):
        return None
    old, new = text_lines(previous.content), text_lines(item.content)
    lines: list[DiffLine] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            lines += [DiffLine("same", t) for t in old[a1:a2]]
            continue
        lines += [DiffLine("removed", t) for t in old[a1:a2]]
        lines += [DiffLine("added", t) for t in new[b1:b2]]
    return Revision(
        previous=previous,
        title_changed=previous.title != item.title,
        scope_changed=previous.scope != item.scope,
        lines=lines,
    )


@dataclass
class LeadingGroup:
    """四（一）: 学校党委书记任组长，学校党委副书记任副组长，成员由党委委员组成 — drawn from the positions on the university's
    leadership team today. Each entry is (name, title)."""

    leader: list[tuple[str, str]]
    deputies: list[tuple[str, str]]
    members: list[tuple[str, str]]


def leading_group(*, today: dt.date) -> LeadingGroup:
    """One query."""
    positions = (
        Position.objects.active_on(today)
        .filter(
            team__organization__kind=Organization.Kind.UNIVERSITY, team__organization__parent__isnull=True
        )
        .exclude(kind=PositionKind.BRANCH_SECRETARY)
        .select_related("person")
        .order_by("order", "start", "pk")
    )
    group = LeadingGroup(leader=[], deputies=[], members=[])
    seen: set[int] = set()
    for position in positions:
        if position.person_id in seen:
            continue
        seen.add(position.person_id)
        entry = (position.person.name, position.display_title)
        if position.kind == PositionKind.SECRETARY:
            group.leader.append(entry)
        elif position.kind == PositionKind.DEPUTY_SECRETARY:
            group.deputies.append(entry)
        else:
            group.members.append(entry)
    return group


@dataclass
class OfficePanel:
    """The office home's column (今日关注): items waiting for approval, approved but not yet published, and opinions
    not yet answered (三（一）3)."""

    pending: list[DisclosureItem]
    pending_total: int
    approved_total: int
    returned_total: int
    unanswered: list[DisclosureItem]
    unanswered_total: int
    widening_total: int = 0


def office_panel(*, today: dt.date) -> OfficePanel:
    """Four queries."""
    counts = DisclosureItem.objects.aggregate(
        pending=Count("pk", filter=Q(state=ItemState.PENDING)),
        approved=Count("pk", filter=Q(state=ItemState.APPROVED)),
        returned=Count("pk", filter=Q(state=ItemState.RETURNED)),
        widening=Count("pk", filter=~Q(widen_to="")),
    )
    pending = list(
        DisclosureItem.objects.filter(state=ItemState.PENDING)
        .only("id", "title", "scope", "updated_at", "state")
        .order_by("updated_at", "pk")[:PANEL_ITEMS]
    )
    unanswered = list(
        DisclosureItem.objects.annotate(
            feedback_open=Count("feedback", filter=Q(feedback__responded_at__isnull=True))
        )
        .filter(feedback_open__gt=0)
        .only("id", "title", "state")
        .order_by("-feedback_open", "pk")[:PANEL_ITEMS]
    )
    return OfficePanel(
        pending=pending,
        pending_total=counts["pending"],
        approved_total=counts["approved"],
        returned_total=counts["returned"],
        unanswered=unanswered,
        unanswered_total=Feedback.objects.filter(responded_at__isnull=True).count(),
        widening_total=counts["widening"],
    )


@dataclass
class MemberPanel:
    """最新党务公开 on a Party member's or a member of staff's home: the latest items disclosed to them now (三（二）,
    through the one visibility rule) and the opinions they left, with whether they were answered."""

    latest: list[DisclosureItem]
    my_feedback: list[Feedback]


@dataclass
class LeaderPanel:
    """A leader's cards. Every leader (党政领导干部) is also a Party member and a member of staff: `disclosed` is what is
    disclosed to them, as on a Party member's home (三（二）). A committee member also gets the items waiting for the
    committee's approval (三（一）1) and the opinions reported to it (四（三））."""

    disclosed: MemberPanel = field(default_factory=lambda: MemberPanel(latest=[], my_feedback=[]))
    pending: list[DisclosureItem] = field(default_factory=list)
    pending_total: int = 0
    widening: list[DisclosureItem] = field(default_factory=list)  # 先党内、后党外: a wider scope asked for
    escalated: list[Feedback] = field(
        default_factory=list
    )  # 四（三）: important opinions reported to the committee
    escalated_total: int = 0


def escalated_feedback() -> list[Feedback]:
    """四（三）: the opinions the office reported to the committee, on items not yet archived, newest first (one
    query; escalations are few)."""
    return list(
        Feedback.objects.filter(escalated_at__isnull=False)
        .exclude(item__state=ItemState.ARCHIVED)
        .select_related("item", "escalated_by", "department")
        .order_by("-escalated_at", "-pk")
    )


def leader_panel(person: Person, *, today: dt.date) -> LeaderPanel:
    """Two queries for a leader (what is disclosed to them; whether they are on the university's team), four for a
    committee member (the items waiting, the escalated opinions). The leader's own opinions are not listed here: the
    answers reach them by email and on the item's page (a query fewer on a page with a fixed budget)."""
    disclosed = MemberPanel(latest=_latest(items_disclosed_to_leaders(today=today)), my_feedback=[])
    if not committee_members(today=today).filter(pk=person.pk).exists():
        return LeaderPanel(disclosed=disclosed)
    waiting = list(
        DisclosureItem.objects.filter(
            Q(state=ItemState.PENDING) | (Q(state__in=SHOWN_STATES) & ~Q(widen_to=""))
        )
        .only("id", "title", "scope", "category", "updated_at", "state", "widen_to")
        .order_by("updated_at", "pk")
    )
    pending = [i for i in waiting if i.state == ItemState.PENDING]
    widening = [i for i in waiting if i.state != ItemState.PENDING]
    escalated = escalated_feedback()
    return LeaderPanel(
        disclosed=disclosed,
        pending=pending[:PANEL_ITEMS],
        pending_total=len(waiting),
        widening=widening[:PANEL_ITEMS],
        escalated=escalated[:PANEL_ITEMS],
        escalated_total=len(escalated),
    )


def _latest(queryset: QuerySet[DisclosureItem]) -> list[DisclosureItem]:
    """The newest items of a panel's 最新党务公开 (one query); archived ones are in the archive, not among the latest."""
    return list(
        queryset.exclude(state=ItemState.ARCHIVED)
        .only("id", "title", "category", "scope", "publish_from", "version", "state")
        .order_by("-publish_from", "-pk")[:PANEL_ITEMS]
    )


def member_panel(user: Any, *, today: dt.date) -> MemberPanel:
    """Two queries, whatever the numbers."""
    latest = _latest(items_disclosed_to(user, today=today))
    mine = list(
        Feedback.objects.filter(author_id=user.pk)
        .select_related("item")
        .only(
            "id",
            "text",
            "created_at",
            "responded_at",
            "department_responded_at",
            "item__id",
            "item__title",
            "item__state",
        )
        .order_by("-created_at", "-pk")[:PANEL_ITEMS]
    )
    return MemberPanel(latest=latest, my_feedback=mine)


def organizations_touched(item: Any) -> None:
    """An item or an opinion may change the home pages of the office and of every committee member."""
    return None
