"""Agenda items (议题) and the consultation the seeds require before a meeting takes them up.

000 四（一）（学院）: 党政联席会议题、党委会重要议题 → 会前听取院长、副院长的意见；院务会重要议题 → 听取党委书记的意见。
001 三（三）（学校）: 提交党委全委会、常委会的议题 → 党委书记向校长沟通、听取意见；提交校长办公会的议题 → 校长向党委
书记沟通、听取意见；“三重一大”议题 → 与分管相关业务的班子成员充分沟通。
Both: 意见不一致的议题（应）暂缓上会，待进一步交换意见、取得共识后再提交会议讨论。
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communication.models import (
    AgendaItem,
    AgendaItemStatus,
    Meeting,
    MeetingKind,
    Opinion,
    OpinionStance,
)
from communication.permissions import can_view_agenda_item, person_of
from communication.selectors import OPINION_RECORDED, OPINION_REVISED, Readiness, readiness, team_members
from governance.models import Area, Organization, Person, Position, PositionKind
from governance.roles import is_office

from .common import (
    DomainError,
    clean_or_refuse,
    refuse_invalid_fields,
    refuse_unless_office,
    regulation_title,
)

# 000 四（一）、001 三（三）: the office prepares agenda items and gathers the opinions before a meeting; a leader
# records only their own opinion (issue 7: whatever page or script calls these, no one else does more).
OFFICE_ONLY = gettext_lazy("只有党委办公室可以管理议题和会前征求意见。")
REASON_CHARS = 200  # Opinion.reason
CONSENSUS_RECORDED = "取得共识"  # the change reason of the history row the office's consensus writes


@dataclass(frozen=True)
class RuleSet:
    """Which regulation governs an organization's pre-meeting consultation, and how to cite it."""

    code: str
    clause: str
    hold_back_quote: str


RULESET_000 = RuleSet("000", "四（一）", "意见不一致的议题暂缓上会")
RULESET_001 = RuleSet("001", "三（三）", "意见不一致的议题应暂缓上会")


def ruleset_for(organization: Organization) -> RuleSet | None:
    """A university follows 001; a college its own 000; a department 001 (001 第四条: 各单位参照本制度执行).
    A Party branch has no such meetings."""
    kind = organization.kind
    if kind == Organization.Kind.UNIVERSITY or kind == Organization.Kind.DEPARTMENT:
        return RULESET_001
    if kind == Organization.Kind.COLLEGE:
        return RULESET_000
    return None


@dataclass(frozen=True)
class Consultee:
    person: Person
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)


def _holders(organization: Organization, kinds: Iterable[str], on: dt.date) -> list[Position]:
    return list(
        Position.objects.active_on(on)
        .filter(team__organization=organization, kind__in=list(kinds))
        .select_related("person")
        .order_by("order", "pk")
    )


def agenda_item_required_consultees(item: AgendaItem, *, on: dt.date | None = None) -> list[Consultee]:
    """Whose opinion must be heard before `item` goes to its meeting, each with the clause that says so.

    The team is taken on `on` (default: the item's meeting date, else today). The proposer is never asked for their
    own opinion. A person required on several grounds appears once, with every reason."""
    if on is None:
        on = item.meeting.date if item.meeting_id and item.meeting else timezone.localdate()
    organization = item.organization
    ruleset = ruleset_for(organization)
    found: dict[int, tuple[Person, list[str]]] = {}

    def add(person: Person, reason: str) -> None:
        if person.pk == item.proposer_id:
            return
        entry = found.setdefault(person.pk, (person, []))
        if reason not in entry[1]:
            entry[1].append(reason)

    if ruleset is RULESET_000:
        if item.meeting_kind in (MeetingKind.JOINT, MeetingKind.PARTY_COMMITTEE):
            meeting = "党政联席会" if item.meeting_kind == MeetingKind.JOINT else "党委会"
            reason = f"000 四（一）：{meeting}议题应在会前听取院长、副院长的意见"
            for position in _holders(organization, (PositionKind.PRESIDENT, PositionKind.VICE_PRESIDENT), on):
                add(position.person, reason)
        elif item.meeting_kind == MeetingKind.ADMINISTRATIVE:
            reason = "000 四（一）：院务会重要议题应在会前听取党委书记的意见"
            for position in _holders(organization, (PositionKind.SECRETARY,), on):
                add(position.person, reason)
    elif ruleset is RULESET_001:
        if item.meeting_kind == MeetingKind.PARTY_COMMITTEE:
            reason = "001 三（三）：提交党委全委会、常委会的议题由党委书记向校长沟通、听取意见"
            for position in _holders(organization, (PositionKind.PRESIDENT,), on):
                add(position.person, reason)
        elif item.meeting_kind == MeetingKind.ADMINISTRATIVE:
            reason = "001 三（三）：提交校长办公会的议题由校长向党委书记沟通、听取意见"
            for position in _holders(organization, (PositionKind.SECRETARY,), on):
                add(position.person, reason)
        if item.is_major and item.pk:
            area_ids = list(item.areas.values_list("pk", flat=True))
            if area_ids:
                in_charge = (
                    Position.objects.active_on(on)
                    .filter(team__organization=organization, areas__in=area_ids)
                    .select_related("person")
                    .prefetch_related("areas")
                    .distinct()
                    .order_by("order", "pk")
                )
                for position in in_charge:
                    names = "、".join(a.name for a in position.areas.all() if a.pk in area_ids)
                    add(
                        position.person,
                        f"001 三（三）：“三重一大”议题须听取分管相关业务（{names}）的班子成员的意见",
                    )
    return [Consultee(person, tuple(reasons)) for person, reasons in found.values()]


def _status_for(item: AgendaItem, opinions: list[Opinion]) -> str:
    if item.status == AgendaItemStatus.DECIDED:
        return AgendaItemStatus.DECIDED
    if any(o.is_unresolved_disagreement for o in opinions):
        return AgendaItemStatus.HELD_BACK
    if item.status == AgendaItemStatus.SCHEDULED:
        return AgendaItemStatus.SCHEDULED
    if item.status == AgendaItemStatus.DRAFT:
        return AgendaItemStatus.DRAFT
    if any(o.required and o.is_pending for o in opinions):
        return AgendaItemStatus.CONSULTING
    return AgendaItemStatus.READY


def agenda_item_refresh_status(*, item: AgendaItem) -> AgendaItem:
    """Bring the stored status in line with the opinions (after an edit in the admin, say)."""
    opinions = list(Opinion.objects.filter(item=item))
    status = _status_for(item, opinions)
    fields = []
    if status == AgendaItemStatus.HELD_BACK and item.meeting_id and item.status == AgendaItemStatus.SCHEDULED:
        # 暂缓上会: a disagreement raised after scheduling takes the item off its meeting.
        item.meeting = None
        fields.append("meeting")
    if status != item.status:
        item.status = status
        fields.append("status")
    if fields:
        item.save(update_fields=[*fields, "updated_at"])
    return item


@transaction.atomic
def agenda_item_create(
    *,
    created_by,
    organization: Organization,
    title: str,
    meeting_kind: str,
    proposer: Person,
    description: str = "",
    is_major: bool = False,
    areas: Iterable[Area] = (),
) -> AgendaItem:
    refuse_unless_office(created_by, str(OFFICE_ONLY))
    item = AgendaItem(
        recorded_by=created_by,
        organization=organization,
        title=title,
        meeting_kind=meeting_kind,
        proposer=proposer,
        description=description,
        is_major=is_major,
        status=AgendaItemStatus.DRAFT,
    )
    clean_or_refuse(item)
    areas = list(areas)
    if is_major and not areas and ruleset_for(organization) is RULESET_001:
        raise DomainError(
            {
                "areas": _(
                    "“三重一大”议题请选择涉及的分管领域，以便征求分管相关业务的班子成员意见（001 三（三））。"
                )
            }
        )
    item.save()
    if areas:
        item.areas.set(areas)
    return item


@transaction.atomic
def agenda_item_open_consultation(*, item: AgendaItem, by) -> list[Opinion]:
    """Create an opinion row, pending, for everyone who must be heard; safe to run again (e.g. after the item's
    areas change): new consultees are added, and people no longer required stay on as optional."""
    refuse_unless_office(by, str(OFFICE_ONLY))
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("organization", "meeting")
        .get(pk=item.pk)
    )
    if item.status == AgendaItemStatus.DECIDED:
        raise DomainError(_("该议题已作出决定，无需再征求意见。"))
    consultees = agenda_item_required_consultees(item)
    existing = {o.person_id: o for o in Opinion.objects.filter(item=item)}
    required_ids = set()
    for consultee in consultees:
        required_ids.add(consultee.person.pk)
        opinion = existing.get(consultee.person.pk)
        if opinion is None:
            opinion = Opinion(
                item=item, person=consultee.person, required=True, reason=consultee.reason[:REASON_CHARS]
            )
            clean_or_refuse(opinion)
            opinion.save()
            existing[consultee.person.pk] = opinion
        elif not opinion.required or opinion.reason != consultee.reason[:REASON_CHARS]:
            opinion.required = True
            opinion.reason = consultee.reason[:REASON_CHARS]
            opinion.save(update_fields=["required", "reason"])
    for person_id, opinion in existing.items():
        if person_id not in required_ids and opinion.required:
            opinion.required = False
            opinion.save(update_fields=["required"])
    if item.status == AgendaItemStatus.DRAFT:
        item.status = AgendaItemStatus.CONSULTING
        item.save(update_fields=["status", "updated_at"])
    agenda_item_refresh_status(item=item)
    return list(Opinion.objects.filter(item=item).select_related("person").order_by("-required", "pk"))


@transaction.atomic
def agenda_item_add_consultee(*, item: AgendaItem, person: Person, by, reason: str = "") -> Opinion:
    """Ask someone beyond the required consultees (000 四（一）: 个别酝酿、充分沟通; 001 三（三）: 其他相关人员).
    Their pending opinion does not hold the item back; a disagreement does."""
    refuse_unless_office(by, str(OFFICE_ONLY))
    if item.status == AgendaItemStatus.DECIDED:
        raise DomainError(_("该议题已作出决定，无需再征求意见。"))
    if person.pk == item.proposer_id:
        raise DomainError(
            {"person": _("%(name)s是议题的提出人，无须就本人提出的议题征求其意见。") % {"name": person.name}}
        )
    # 000 四（一）: 领导班子成员及党委委员之间要个别酝酿、充分沟通; 001 三（三）: 与分管相关业务的班子成员充分沟通 —
    # those asked are the organization's leadership team today, whatever id a form sends.
    if person.pk not in {p.pk for p in team_members(item.organization_id, timezone.localdate())}:
        raise DomainError(
            {
                "person": _("%(name)s不是%(organization)s领导班子的现任成员，不能作为补充征求意见的对象。")
                % {"name": person.name, "organization": item.organization.name}
            }
        )
    if Opinion.objects.filter(item=item, person=person).exists():
        raise DomainError(_("已在征求%(name)s的意见。") % {"name": person.name})
    opinion = Opinion(item=item, person=person, required=False, reason=reason or "办公室补充征求意见")
    clean_or_refuse(opinion)
    opinion.save()
    if item.status == AgendaItemStatus.DRAFT:
        item.status = AgendaItemStatus.CONSULTING
        item.save(update_fields=["status", "updated_at"])
    agenda_item_refresh_status(item=item)
    return opinion


@transaction.atomic
def opinion_record(*, item: AgendaItem, person: Person, stance: str, comment: str = "", by) -> Opinion:
    """Record `person`'s opinion on `item` (the office for anyone, a leader for themselves — see permissions), or
    revise it: the new opinion supersedes the old one, which stays in the opinion's audit history (a history row
    per version, its change reason 登记意见 / 修改意见; selectors.opinion_versions reads them back). Until the item
    is decided a leader may revise — in particular a disagreement that holds it back (000 四（一）、001 三（三）:
    暂缓上会，待进一步交换意见、取得共识后再提交会议讨论); the item's status follows at once."""
    if not is_office(by) and getattr(person_of(by), "pk", None) != person.pk:
        raise DomainError(_("只能登记本人的意见；其他班子成员的意见由本人或党委办公室登记。"))
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.status == AgendaItemStatus.DECIDED:
        raise DomainError(_("该议题已作出决定，不能再登记意见。"))
    if stance not in (OpinionStance.AGREE, OpinionStance.DISAGREE, OpinionStance.COMMENT):
        raise DomainError({"stance": _("请选择意见：同意、不同意或提出意见建议。")})
    comment = (comment or "").strip()
    if stance in (OpinionStance.DISAGREE, OpinionStance.COMMENT) and not comment:
        raise DomainError({"comment": _("不同意或提出意见建议时，请填写具体意见。")})
    opinion = Opinion.objects.select_for_update().filter(item=item, person=person).first()
    if opinion is None:
        opinion = Opinion(item=item, person=person, required=False, reason="办公室补充征求意见")
    elif opinion.stance == stance and opinion.comment == comment:
        return opinion  # the same opinion again: no new version
    opinion._change_reason = OPINION_RECORDED if opinion.is_pending else OPINION_REVISED  # type: ignore[attr-defined]
    opinion.stance = stance
    opinion.comment = comment
    opinion.recorded_at = timezone.now()
    opinion.recorded_by = by
    if stance == OpinionStance.DISAGREE:
        # A fresh disagreement: any earlier consensus no longer stands.
        opinion.resolved_at = None
        opinion.resolved_by = None
        opinion.resolution_note = ""
    if item.status == AgendaItemStatus.DRAFT:
        item.status = AgendaItemStatus.CONSULTING
        item.save(update_fields=["status", "updated_at"])
    clean_or_refuse(opinion)
    opinion.save()
    agenda_item_refresh_status(item=item)
    return opinion


@transaction.atomic
def opinion_resolve(*, opinion: Opinion, note: str, by) -> Opinion:
    """The office records that a disagreement was settled (进一步交换意见、取得共识), with how."""
    refuse_unless_office(by, str(OFFICE_ONLY))
    opinion = Opinion.objects.select_for_update(of=("self",)).select_related("item").get(pk=opinion.pk)
    if not opinion.is_unresolved_disagreement:
        raise DomainError(_("该意见不是尚未取得共识的不同意见。"))
    note = (note or "").strip()
    if not note:
        raise DomainError({"resolution_note": _("请填写进一步交换意见、取得共识的情况。")})
    opinion._change_reason = CONSENSUS_RECORDED  # type: ignore[attr-defined]
    opinion.resolution_note = note
    opinion.resolved_at = timezone.now()
    opinion.resolved_by = by
    refuse_invalid_fields(opinion, "resolution_note")
    opinion.save(update_fields=["resolution_note", "resolved_at", "resolved_by"])
    agenda_item_refresh_status(item=opinion.item)
    return opinion


def not_ready_message(state: Readiness) -> str:
    """Why an item may not go to its meeting, citing the organization's regulation."""
    ruleset = ruleset_for(state.item.organization) or RULESET_001
    title = regulation_title(ruleset.code, organization=state.item.organization)
    parts = []
    if state.disagreements:
        parts.append(
            _(
                "该议题尚有意见不一致（%(disagreements)s），按《%(title)s》%(clause)s“%(quote)s”，"
                "请进一步交换意见、取得共识后再提交会议。"
            )
            % {
                "disagreements": state.disagreement_text,
                "title": title,
                "clause": ruleset.clause,
                "quote": ruleset.hold_back_quote,
            }
        )
    if state.pending:
        parts.append(
            _("该议题尚未听取%(names)s的意见，按《%(title)s》%(clause)s，议题应在会前听取意见后再提交会议。")
            % {"names": state.pending_names, "title": title, "clause": ruleset.clause}
        )
    return "".join(parts)


def agenda_item_schedule(*, item: AgendaItem, meeting: Meeting, by) -> AgendaItem:
    """Put `item` on `meeting`, unless a required opinion is still pending or a disagreement stands (暂缓上会)."""
    refuse_unless_office(by, str(OFFICE_ONLY))
    if item.status == AgendaItemStatus.DRAFT:
        # Consultation never opened: open it now (kept even if scheduling is refused — the office sees who to ask).
        agenda_item_open_consultation(item=item, by=by)
    with transaction.atomic():
        item = (
            AgendaItem.objects.select_for_update(of=("self",)).select_related("organization").get(pk=item.pk)
        )
        if item.status == AgendaItemStatus.DECIDED:
            raise DomainError(_("该议题已作出决定。"))
        item.meeting = meeting
        clean_or_refuse(item)  # the meeting is of the kind and organization the item is meant for
        state = readiness(
            AgendaItem.objects.prefetch_related("opinions__person")
            .select_related("organization")
            .get(pk=item.pk)
        )
        if not state.ready:
            raise DomainError(not_ready_message(state))
        item.status = AgendaItemStatus.SCHEDULED
        item.save(update_fields=["meeting", "status", "updated_at"])
    return item


@transaction.atomic
def agenda_item_decide(*, item: AgendaItem, by, decision: str = "") -> AgendaItem:
    refuse_unless_office(by, str(OFFICE_ONLY))
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.status != AgendaItemStatus.SCHEDULED:
        raise DomainError(_("只有已安排上会的议题才能登记会议决定。"))
    item.status = AgendaItemStatus.DECIDED
    item.decision = (decision or "").strip()
    refuse_invalid_fields(item, "decision")
    item.save(update_fields=["status", "decision", "updated_at"])
    return item


def agenda_item_may_open(*, item: AgendaItem, user: Any) -> bool:
    """Whether `user` may open the item's page (the office, its proposer, everyone asked for an opinion: 001 三（三）):
    for another family linking to it (an outreach issue escalated to an agenda item, 004 第六条4), which shows the
    item as text, not as a link that would be refused, to anyone else. The page's own rule, not a copy of it."""
    return bool(can_view_agenda_item(user, item))
