"""Pages of the communication family: its index (the regulations it is built on), meetings, agenda items, talks, the
四必谈 matrix and absences. Thin: a form checks the input, one service
does the work, a refused action comes back as a form error with the user's input kept."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from communication import navigation, selectors, services
from communication.evidence import MEETING, TALK, meeting_evidence, talk_evidence
from communication.filters import AbsenceFilter, AgendaItemFilter, MeetingFilter, TalkFilter
from communication.forms import (
    AbsenceForm,
    AgendaItemForm,
    AttachmentForm,
    ConsulteeForm,
    DecideForm,
    HandoverFormSet,
    MeetingForm,
    OpinionForm,
    RecordDeleteForm,
    ResolveForm,
    ScheduleForm,
    TalkForm,
)
from communication.history import record_history
from communication.models import (
    Absence,
    AgendaItem,
    AgendaItemStatus,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    Opinion,
    OpinionStance,
    Talk,
    TalkChannel,
    TalkTopic,
)
from communication.permissions import (
    can_change_absence,
    can_change_meeting,
    can_change_talk,
    can_record_absence,
    can_record_opinion,
    can_record_talk,
    can_view_agenda_item,
    can_view_meeting_records,
    can_view_talk_notes,
    person_of,
)
from governance.access import OfficeRequiredMixin
from governance.families import page_actions
from governance.filters import FilteredListView
from governance.forms import apply_errors, parse_id
from governance.models import ObligationRule, Organization, Person, Position, PositionKind
from governance.roles import is_office
from governance.selectors.obligations import RecordPeriod, record_counted_message, record_period
from governance.storage import attachment_response
from governance.views import FamilyRegulationsView

PAGE_SIZE = 50


def _int(value: Any) -> int | None:
    """An id from a query string or an action name: None unless a database could hold it (1 to 2^63−1); an
    oversized one would raise OverflowError in SQLite's queries (issue 7, hole 4)."""
    return parse_id(value)


def _rule_params(code: str | None) -> tuple[dict[str, Any], ObligationRule | None]:
    """The evidence conditions of the obligation rule a "record it" link came from (one query, or none)."""
    if not code:
        return {}, None
    rule = ObligationRule.objects.filter(code=code).select_related("organization").first()
    if rule is None:
        return {}, None
    return dict(rule.evidence_params or {}), rule


RecordLink = tuple[dict[str, Any], ObligationRule | None, RecordPeriod | None]


def _record_link(request: HttpRequest) -> RecordLink:
    """What a "去登记" link names: its rule's evidence conditions, the rule, and the period it records for."""
    params, rule = _rule_params(request.GET.get("rule"))
    return params, rule, record_period(request.GET, rule)


def _next_or(request: HttpRequest, default: str) -> str:
    """Where to go after saving: a `next` on this site (never elsewhere), else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _named_people(request: HttpRequest) -> list[int]:
    """The people a record link names (?for=, ?with=): those a pair or personal rule is about."""
    return [pk for pk in (_int(request.GET.get("for")), _int(request.GET.get("with"))) if pk]


class IndexView(FamilyRegulationsView):
    """The module's front page: the sections the user can use, with how many records they see in each (or why there
    are none), then the regulations the module is built on (communication.navigation, issue 8)."""

    family = "communication"
    template_name = "communication/index.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["module"] = navigation.module_index(self.request.user)
        return context


# --- Correcting a record (issue 8) -------------------------------------------------------------------------------


class RecordChangeMixin:
    """The edit and delete pages of a record (issue 8). Whoever may not see the record gets 404, as on its page (its
    existence is not revealed); whoever sees it but may not change it — only the person who recorded it and the
    office may — gets 403. Anonymous visitors go to the login page."""

    refusal = ""
    request: HttpRequest
    kwargs: dict[str, Any]

    def get_record(self):
        raise NotImplementedError

    def may_change(self, user, record) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.record = self.get_record()
            if not self.may_change(request.user, self.record):
                raise PermissionDenied(self.refusal)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class RecordDeleteView(RecordChangeMixin, LoginRequiredMixin, FormView):
    """Asks for a reason (删除原因) and deletes; the record's audit history keeps it, its last entry saying who deleted
    it and why. A refusal (an agenda item still on the meeting, say) is shown on the form."""

    template_name = "communication/record_confirm_delete.html"
    form_class = RecordDeleteForm
    what = ""  # 会议, 谈心谈话, 外出报备
    done = ""

    def delete(self, reason: str) -> None:
        raise NotImplementedError

    def summary(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def consequences(self) -> list[str]:
        return []

    def list_url(self) -> str:
        raise NotImplementedError

    def detail_url(self) -> str:
        return self.record.get_absolute_url()

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(
            record=self.record,
            what=self.what,
            summary=self.summary(),
            consequences=self.consequences(),
            cancel_url=self.detail_url(),
        )
        return context

    def form_valid(self, form):
        try:
            self.delete(form.cleaned_data["change_reason"])
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.done)
        return HttpResponseRedirect(self.list_url())


# --- Talks --------------------------------------------------------------------------------------------------------


class TalkListView(LoginRequiredMixin, FilteredListView):
    """Mine (talks I took part in), or all for the office; never the notes."""

    template_name = "communication/talk_list.html"
    context_object_name = "talks"
    paginate_by = PAGE_SIZE
    filterset_class = TalkFilter

    def get_queryset(self):
        return selectors.talks_for_list(self.request.user)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["office"] = is_office(self.request.user)
        context["can_record"] = can_record_talk(self.request.user)
        return context


class TalkCreateView(LoginRequiredMixin, FormView):
    """A leader records their own talk in a few clicks; the office records anyone's.

    Query parameters prefill the form (links from the obligation dashboard): with=<person id> (the counterpart),
    for=<person id> (the subject, for the office), rule=<rule code> (its formal/channel conditions), formal=1."""

    template_name = "communication/talk_form.html"
    form_class = TalkForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_record_talk(request.user):
            raise PermissionDenied(_("只有班子成员和党委办公室可以登记谈心谈话。"))
        return super().dispatch(request, *args, **kwargs)

    @property
    def office(self) -> bool:
        return is_office(self.request.user)

    @cached_property
    def record_link(self) -> RecordLink:
        return _record_link(self.request)

    @cached_property
    def offered_people(self):
        """Whom the form offers. The office may name anyone: everyone on a team today, and whoever the link names.
        A leader: who sat on a team with them today or in the period the link is for; ?with=/?for= only preselect
        among those, and the service checks the talk's own date (issue 7, hole 1)."""
        today = timezone.localdate()
        if self.office:
            people = selectors.current_team_people(today)
            named = _named_people(self.request)
            if named:
                people = Person.objects.filter(Q(pk__in=people.values("pk")) | Q(pk__in=named)).order_by(
                    "name"
                )
            return people
        me = person_of(self.request.user)
        period = self.record_link[2]
        start, end = (min(period.start, today), max(period.end, today)) if period else (today, today)
        return selectors.teammates_between(me, start, end).exclude(pk=me.pk)

    def _meetings(self):
        since = timezone.localdate() - dt.timedelta(days=365)
        return (
            Meeting.objects.visible_to(self.request.user)
            .filter(kind=MeetingKind.DEMOCRATIC_LIFE, date__gte=since)
            .select_related("organization")
            .order_by("-date")
        )

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["people"] = self.offered_people
        kwargs["meetings"] = self._meetings()
        kwargs["participants_label"] = _("参与人") if self.office else _("谈话对象")
        _params, kwargs["rule"], kwargs["period"] = self.record_link
        return kwargs

    def get_initial(self) -> dict:
        initial = super().get_initial()
        params, _rule, period = self.record_link
        if period is not None:
            # A link for an overdue week opens on that week's last day; for the current one, on today.
            initial["date"] = period.default_date(timezone.localdate())
        with_id, for_id = _int(self.request.GET.get("with")), _int(self.request.GET.get("for"))
        if self.office:
            initial["participants"] = [pk for pk in (for_id, with_id) if pk]
        else:
            # The leader is a participant anyway; the counterpart is whichever of the two is someone else, if the
            # form offers them.
            named = [pk for pk in (with_id, for_id) if pk]
            offered = (
                set(self.offered_people.filter(pk__in=named).values_list("pk", flat=True)) if named else set()
            )
            initial["participants"] = [pk for pk in named if pk in offered][:1]
        if "formal" in params:
            initial["formal"] = bool(params["formal"])
        if self.request.GET.get("formal") in ("1", "0"):
            initial["formal"] = self.request.GET["formal"] == "1"
        channel = params.get("channel") or self.request.GET.get("channel")
        if isinstance(channel, list) and channel:
            channel = channel[0]  # a rule counting several kinds lists the usual one first (001 三（一）)
        if channel in TalkChannel.values:
            initial["channel"] = channel
        topics = params.get("topics")
        if isinstance(topics, str):
            topics = [topics]
        if topics:
            initial["topics"] = [t for t in topics if t in TalkTopic.values]
        meeting_id = _int(self.request.GET.get("meeting"))
        if meeting_id:
            initial["meeting"] = meeting_id
        return initial

    def form_valid(self, form):
        participants = list(form.cleaned_data["participants"])
        if not self.office:
            participants.insert(0, person_of(self.request.user))
        try:
            talk = services.talk_record(
                recorded_by_user=self.request.user,
                participants=participants,
                date=form.cleaned_data["date"],
                formal=form.cleaned_data["formal"],
                topics=form.cleaned_data["topics"],
                notes=form.cleaned_data["notes"],
                meeting=form.cleaned_data["meeting"],
                channel=form.cleaned_data["channel"],
            )
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        _params, rule, period = self.record_link
        if rule is None:
            messages.success(self.request, _("谈心谈话已登记。"))
            return HttpResponseRedirect(_next_or(self.request, talk.get_absolute_url()))
        # From a rule's "去登记": back to the dashboard, told what the talk counted toward.
        key = f"{TALK}:{talk.pk}"
        record = next(
            (
                r
                for r in talk_evidence.gather(
                    start=talk.date, end=talk.date, people=[p.pk for p in participants]
                )
                if r.key == key
            ),
            None,
        )
        messages.success(
            self.request,
            record_counted_message(
                record,
                rule=rule,
                period=period,
                people=_named_people(self.request),
                today=timezone.localdate(),
            ),
        )
        return HttpResponseRedirect(_next_or(self.request, reverse("home")))

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["office"] = self.office
        return context


class TalkDetailView(LoginRequiredMixin, DetailView):
    """A talk; outsiders get 404 (they may not learn it exists), its notes only to those allowed."""

    template_name = "communication/talk_detail.html"
    context_object_name = "talk"

    def get_queryset(self):
        return (
            Talk.objects.visible_to(self.request.user)
            .select_related("democratic_life_meeting", "recorded_by")
            .prefetch_related(Prefetch("participants", queryset=Person.objects.order_by("name")))
        )

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["show_notes"] = can_view_talk_notes(self.request.user, self.object)
        context["can_change"] = can_change_talk(self.request.user, self.object)
        # The history copies the notes: it is on this page only, for those who may see the talk (never quoted).
        context["history"] = record_history(self.object)
        return context


class TalkUpdateView(RecordChangeMixin, LoginRequiredMixin, FormView):
    """Whoever recorded a talk (or the office) corrects it — a wrong date, a missed participant — on the form it was
    recorded with, prefilled, and says why. The same checks as recording it; a refusal keeps what was typed."""

    template_name = "communication/talk_form.html"
    form_class = TalkForm
    refusal = gettext_lazy("只有登记这次谈心谈话的人和党委办公室可以修改它。")

    def get_record(self) -> Talk:
        return get_object_or_404(
            Talk.objects.visible_to(self.request.user).prefetch_related("participants"), pk=self.kwargs["pk"]
        )

    def may_change(self, user, record) -> bool:
        return can_change_talk(user, record)

    @property
    def office(self) -> bool:
        return is_office(self.request.user)

    @cached_property
    def me(self) -> Person | None:
        return None if self.office else person_of(self.request.user)

    def _people(self):
        """As when recording (issue 7, hole 1): the office anyone on a team today; a leader who sat on a team with
        them between the talk's date and today. Those in the talk stay offered; the service checks the date."""
        talk: Talk = self.record
        today = timezone.localdate()
        current = [p.pk for p in talk.participants.all()]
        if self.me is None:
            people = selectors.current_team_people(today)
        else:
            start, end = min(talk.date, today), max(talk.date, today)
            people = selectors.teammates_between(self.me, start, end)
        people = Person.objects.filter(Q(pk__in=people.values("pk")) | Q(pk__in=current))
        if self.me is not None:
            people = people.exclude(pk=self.me.pk)
        return people.order_by("name")

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        talk: Talk = self.record
        since = timezone.localdate() - dt.timedelta(days=365)
        kwargs["people"] = self._people()
        kwargs["meetings"] = (
            Meeting.objects.visible_to(self.request.user)
            .filter(
                Q(kind=MeetingKind.DEMOCRATIC_LIFE, date__gte=since) | Q(pk=talk.democratic_life_meeting_id)
            )
            .select_related("organization")
            .order_by("-date")
        )
        kwargs["participants_label"] = _("参与人") if self.me is None else _("谈话对象")
        kwargs["editing"] = True
        return kwargs

    def get_initial(self) -> dict:
        talk: Talk = self.record
        return {
            "participants": [p.pk for p in talk.participants.all() if self.me is None or p.pk != self.me.pk],
            "date": talk.date,
            "formal": talk.formal,
            "channel": talk.channel,
            "topics": list(talk.topics or []),
            "notes": talk.notes,
            "meeting": talk.democratic_life_meeting_id,
        }

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["office"] = self.me is None
        context["talk"] = self.record
        return context

    def form_valid(self, form):
        participants = list(form.cleaned_data["participants"])
        if self.me is not None:
            participants.insert(0, self.me)
        try:
            talk = services.talk_update(
                talk=self.record,
                changed_by=self.request.user,
                change_reason=form.cleaned_data["change_reason"],
                participants=participants,
                date=form.cleaned_data["date"],
                formal=form.cleaned_data["formal"],
                topics=form.cleaned_data["topics"],
                notes=form.cleaned_data["notes"],
                meeting=form.cleaned_data["meeting"],
                channel=form.cleaned_data["channel"],
            )
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("谈心谈话已修改，修改原因已记入修改记录。"))
        return HttpResponseRedirect(talk.get_absolute_url())


class TalkDeleteView(RecordDeleteView):
    refusal = gettext_lazy("只有登记这次谈心谈话的人和党委办公室可以删除它。")
    what = gettext_lazy("谈心谈话")
    done = gettext_lazy("谈心谈话记录已删除，删除原因已记入审计历史。")

    def get_record(self) -> Talk:
        return get_object_or_404(
            Talk.objects.visible_to(self.request.user).prefetch_related(
                Prefetch("participants", queryset=Person.objects.order_by("name"))
            ),
            pk=self.kwargs["pk"],
        )

    def may_change(self, user, record) -> bool:
        return can_change_talk(user, record)

    def summary(self) -> list[tuple[str, str]]:
        talk: Talk = self.record
        return [
            (_("谈话日期"), f"{talk.date:%Y-%m-%d}"),
            (_("参与人"), "、".join(p.name for p in talk.participants.all())),
            (_("谈话类别"), talk.get_channel_display()),
        ]

    def consequences(self) -> list[str]:
        return [_("删除后，这次谈话不再计入谈心谈话、沟通和“四必谈”的要求，看板随之更新。")]

    def delete(self, reason: str) -> None:
        services.talk_delete(talk=self.record, deleted_by=self.request.user, change_reason=reason)

    def list_url(self) -> str:
        return reverse("communication:talk_list")


# --- Meetings -----------------------------------------------------------------------------------------------------


class MeetingListView(LoginRequiredMixin, FilteredListView):
    template_name = "communication/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = PAGE_SIZE
    filterset_class = MeetingFilter

    def get_queryset(self):
        return selectors.meetings_for_list(self.request.user)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["office"] = is_office(self.request.user)
        return context


class MeetingFormMixin:
    """What recording and correcting a meeting share: the people offered, the attendees grouped with the team of the
    meeting's organization on its date first (按班子成员填入, one click), attachments in the same form.

    "按班子成员填入" is a submit button that fills the team in on the server (so it works without scripts);
    communication/meeting_form.js does the same in the page, and regroups the people when the organization or the
    date changes."""

    template_name = "communication/meeting_form.html"
    form_class = MeetingForm
    request: HttpRequest

    def people(self):
        return Person.objects.order_by("name")

    def team_of(self, form: MeetingForm) -> list[int]:
        organization, day = form.current("organization"), form.current("date")
        if organization is None or day is None:
            return []
        return [p.pk for p in selectors.team_members(organization, day)]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        form: MeetingForm = context["form"]
        team_ids = self.team_of(form)
        context["team"], context["others"] = form.split_people("attendees", team_ids)
        context["team_caption"] = self._team_caption(form, team_ids)
        _team, context["observer_options"] = form.split_people("observers", [])
        context["rosters"] = selectors.team_rosters()
        context["others_open"] = any(w.data["selected"] for w in context["others"])
        context["observers_open"] = any(w.data["selected"] for w in context["observer_options"])
        context["files_lost"] = form.is_bound and bool(self.request.FILES) and not form.is_valid()
        # A new form whose attendees the server filled in with the team: the page script may refill them.
        context["filled_in"] = not form.is_bound and not form.editing and bool(form.initial.get("attendees"))
        return context

    @staticmethod
    def _team_caption(form: MeetingForm, team_ids: list[int]) -> str:
        organization, day = form.current("organization"), form.current("date")
        if organization is None or day is None:
            return _("请先选择召开单位和会议日期。")
        if not team_ids:
            return _("%(organization)s在%(date)s没有在任的班子成员。") % {
                "organization": organization.name,
                "date": f"{day:%Y-%m-%d}",
            }
        return _("%(organization)s领导班子（%(date)s在任）") % {
            "organization": organization.name,
            "date": f"{day:%Y-%m-%d}",
        }

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if "fill_team" in request.POST:
            return self._fill_team()
        return super().post(request, *args, **kwargs)  # type: ignore[misc]

    def _fill_team(self) -> HttpResponse:
        """The form again as typed, with the team (less the chair) ticked among the attendees; nothing saved."""
        bound = self.get_form()  # type: ignore[attr-defined]
        initial = bound.values_as_initial()
        chair = bound.current("chair")
        team = [pk for pk in self.team_of(bound) if chair is None or pk != chair.pk]
        chosen = [parse_id(v) for v in initial.get("attendees") or []]
        initial["attendees"] = [pk for pk in chosen if pk] + [pk for pk in team if pk not in chosen]
        kwargs = self.get_form_kwargs()  # type: ignore[attr-defined]
        kwargs.pop("data", None)
        kwargs.pop("files", None)
        kwargs["initial"] = initial
        form = self.get_form_class()(**kwargs)  # type: ignore[attr-defined]
        return self.render_to_response(self.get_context_data(form=form))  # type: ignore[attr-defined]

    @staticmethod
    def meeting_fields(data: dict) -> dict:
        names = (
            "organization kind title date start_time end_time place chair attendees observers agenda minutes "
            "confidential topics_announced_on preparation_start attachments"
        )
        return {name: data[name] for name in names.split()}


class MeetingCreateView(MeetingFormMixin, OfficeRequiredMixin, FormView):
    """The office records a meeting. ?kind=, ?organization=, or ?rule=<code>&for=<person id> prefill the form; the
    attendees default to the organization's team on the meeting's date."""

    @cached_property
    def record_link(self) -> RecordLink:
        return _record_link(self.request)

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["people"] = self.people()
        _params, kwargs["rule"], kwargs["period"] = self.record_link
        return kwargs

    def get_initial(self) -> dict:
        initial = super().get_initial()
        params, rule, period = self.record_link
        kind = self.request.GET.get("kind") or params.get("kind")
        if kind in MeetingKind.values:
            initial["kind"] = kind
            initial["title"] = MeetingKind(kind).label
        organization = _int(self.request.GET.get("organization"))
        subject = _int(self.request.GET.get("for"))
        if organization is None and subject is not None:
            orgs = selectors.organizations_of(Person(pk=subject), timezone.localdate())
            if len(orgs) == 1:
                organization = orgs[0]
        if organization is None and rule is not None:
            organization = rule.organization_id
        # A link for an overdue cycle opens on its last day; for the current one, on today.
        initial["date"] = period.default_date(timezone.localdate()) if period else timezone.localdate()
        if organization is not None:
            initial["organization"] = organization
            secretary = Position.objects.holder(
                Organization(pk=organization), PositionKind.SECRETARY, timezone.localdate()
            )
            if secretary is not None:
                # 000 四（三）、四（四）: 一般由党委书记主持.
                initial["chair"] = secretary.pk
            # The attendees: the team on the meeting's date, the chair aside.
            initial["attendees"] = [
                p.pk
                for p in selectors.team_members(organization, initial["date"])
                if secretary is None or p.pk != secretary.pk
            ]
        initial["confidential"] = True
        return initial

    def form_valid(self, form):
        try:
            meeting = services.meeting_create(
                created_by=self.request.user, **self.meeting_fields(form.cleaned_data)
            )
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        _params, rule, period = self.record_link
        if rule is None:
            messages.success(self.request, _("会议已登记。"))
            return HttpResponseRedirect(_next_or(self.request, meeting.get_absolute_url()))
        key = f"{MEETING}:{meeting.pk}"
        record = next(
            (
                r
                for r in meeting_evidence.gather(
                    start=meeting.date, end=meeting.date, organizations=[meeting.organization_id]
                )
                if r.key == key
            ),
            None,
        )
        messages.success(
            self.request,
            record_counted_message(record, rule=rule, period=period, people=(), today=timezone.localdate()),
        )
        return HttpResponseRedirect(_next_or(self.request, reverse("home")))


class MeetingUpdateView(MeetingFormMixin, RecordChangeMixin, LoginRequiredMixin, FormView):
    """The office corrects a meeting on the form it was recorded with, prefilled, and says why (修改原因)."""

    refusal = gettext_lazy("只有党委办公室可以修改会议记录。")

    def get_record(self) -> Meeting:
        pk = self.kwargs["pk"]
        if not Meeting.objects.visible_to(self.request.user).filter(pk=pk).exists():
            raise Http404
        return selectors.meeting_for_detail(pk)

    def may_change(self, user, record) -> bool:
        return can_change_meeting(user, record)

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["people"] = self.people()
        kwargs["editing"] = True
        return kwargs

    def get_initial(self) -> dict:
        meeting: Meeting = self.record
        initial = {name: getattr(meeting, name) for name in MeetingForm.base_fields if hasattr(meeting, name)}
        initial.pop("attachments", None)
        initial["organization"] = meeting.organization_id
        initial["chair"] = meeting.chair_id
        initial["attendees"] = [p.pk for p in meeting.attendees.all()]
        initial["observers"] = [p.pk for p in meeting.observers.all()]
        return initial

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["meeting"] = self.record
        return context

    def form_valid(self, form):
        try:
            meeting = services.meeting_update(
                meeting=self.record,
                changed_by=self.request.user,
                change_reason=form.cleaned_data["change_reason"],
                **self.meeting_fields(form.cleaned_data),
            )
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("会议记录已修改，修改原因已记入修改记录。"))
        return HttpResponseRedirect(meeting.get_absolute_url())


class MeetingDeleteView(RecordDeleteView):
    refusal = gettext_lazy("只有党委办公室可以删除会议记录。")
    what = gettext_lazy("会议")
    done = gettext_lazy("会议记录已删除，删除原因已记入审计历史。")

    def get_record(self) -> Meeting:
        return get_object_or_404(
            Meeting.objects.visible_to(self.request.user).select_related("organization", "chair"),
            pk=self.kwargs["pk"],
        )

    def may_change(self, user, record) -> bool:
        return can_change_meeting(user, record)

    def summary(self) -> list[tuple[str, str]]:
        meeting: Meeting = self.record
        return [
            (_("会议名称"), meeting.title),
            (_("会议类型"), meeting.get_kind_display()),
            (_("召开单位"), meeting.organization.name),
            (_("会议日期"), f"{meeting.date:%Y-%m-%d} {meeting.start_time:%H:%M}"),
        ]

    def consequences(self) -> list[str]:
        meeting: Meeting = self.record
        found = []
        attachments = meeting.attachments.count()
        if attachments:
            found.append(
                _("会议的 %(count)d 个附件一并删除（审计历史中保留记录）。") % {"count": attachments}
            )
        talks = meeting.preparation_talks.count()
        if talks:
            found.append(
                _("已计入本次民主生活会“四必谈”的 %(count)d 次谈心谈话保留，但不再关联本次会议。")
                % {"count": talks}
            )
        items = list(meeting.agenda_items.values_list("title", flat=True)[:5])
        if items:
            found.append(
                _("本次会议已安排议题“%(titles)s”：须先将议题安排到其他会议，才能删除。")
                % {"titles": "”“".join(items)}
            )
        return found

    def delete(self, reason: str) -> None:
        services.meeting_delete(meeting=self.record, deleted_by=self.request.user, change_reason=reason)

    def list_url(self) -> str:
        return reverse("communication:meeting_list")


class MeetingDetailView(LoginRequiredMixin, DetailView):
    """A meeting. Minutes and attachments of a confidential meeting only for those who took part and the office
    (001 三（八））. The office uploads attachments here."""

    template_name = "communication/meeting_detail.html"
    context_object_name = "meeting"

    def get_object(self, queryset=None) -> Meeting:
        pk = self.kwargs["pk"]
        if not Meeting.objects.visible_to(self.request.user).filter(pk=pk).exists():
            raise Http404
        return selectors.meeting_for_detail(pk)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        meeting = self.object
        context["office"] = is_office(self.request.user)
        context["show_records"] = can_view_meeting_records(self.request.user, meeting)
        context.setdefault("attachment_form", AttachmentForm() if context["office"] else None)
        context["is_democratic_life"] = meeting.kind == MeetingKind.DEMOCRATIC_LIFE
        context["can_change"] = can_change_meeting(self.request.user, meeting)
        context["history"] = record_history(meeting, show_records=context["show_records"])
        # What other families offer on a meeting's page (转为督办事项 …), named by them, not here.
        context["page_actions"] = page_actions("communication.meeting", self.request.user, meeting)
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_office(request.user):
            raise PermissionDenied
        self.object = self.get_object()
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.meeting_attachment_add(
                    meeting=self.object,
                    file=form.cleaned_data["file"],
                    name=form.cleaned_data["name"],
                    uploaded_by=request.user,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("附件已上传。"))
                return HttpResponseRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(attachment_form=form))


class AttachmentDownloadView(LoginRequiredMixin, View):
    """Serves a private attachment to those who may read the meeting's records; 404 to everyone else."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        attachment = get_object_or_404(MeetingAttachment.objects.select_related("meeting"), pk=pk)
        if not can_view_meeting_records(request.user, attachment.meeting):
            raise Http404
        return attachment_response(attachment)


class SibitanMatrixView(LoginRequiredMixin, DetailView):
    """000 四（二）“四必谈” before a democratic life meeting: who has talked with whom (never what was said)."""

    template_name = "communication/sibitan_matrix.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return (
            Meeting.objects.visible_to(self.request.user)
            .filter(kind=MeetingKind.DEMOCRATIC_LIFE)
            .select_related("organization")
        )

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        matrix = selectors.sibitan_matrix(self.object)
        context["matrix"] = matrix
        context["rows"] = matrix.rows()
        context["missing"] = matrix.missing_pairs
        context["can_record"] = can_record_talk(self.request.user)
        context["office"] = is_office(self.request.user)
        me = person_of(self.request.user)
        context["me_id"] = me.pk if me else None
        return context


# --- Agenda items -------------------------------------------------------------------------------------------------


class AgendaItemListView(LoginRequiredMixin, FilteredListView):
    """Agenda items, each with its readiness at a glance; items not ready yet, with why, on top. The office sees every
    item; anyone else the items they proposed or were asked about (000 四（一）、001 三（三）: they must know why an
    item is held back to exchange views further)."""

    template_name = "communication/agenda_item_list.html"
    context_object_name = "items"
    paginate_by = PAGE_SIZE
    filterset_class = AgendaItemFilter

    @cached_property
    def office(self) -> bool:
        return is_office(self.request.user)

    def get_queryset(self):
        return selectors.agenda_items_queryset(None if self.office else self.request.user)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["rows"] = [selectors.readiness(item) for item in context["items"]]
        context["not_ready"] = selectors.agenda_items_not_ready(
            user=None if self.office else self.request.user
        )
        context["office"] = self.office
        return context


class AgendaItemCreateView(OfficeRequiredMixin, FormView):
    template_name = "communication/agenda_item_form.html"
    form_class = AgendaItemForm

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["people"] = Person.objects.order_by("name")
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            item = services.agenda_item_create(
                created_by=self.request.user,
                organization=data["organization"],
                title=data["title"],
                meeting_kind=data["meeting_kind"],
                proposer=data["proposer"],
                description=data["description"],
                is_major=data["is_major"],
                areas=data["areas"],
            )
            if self.request.POST.get("open_consultation"):
                services.agenda_item_open_consultation(item=item, by=self.request.user)
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("议题已登记。"))
        return HttpResponseRedirect(item.get_absolute_url())


class AgendaItemDetailView(LoginRequiredMixin, TemplateView):
    """One agenda item: its consultation (a form per consultee), disagreements and their resolution, scheduling.

    The office sees and does everything here. The proposer and those asked for an opinion see the item, every opinion
    and why it is held back (000 四（一）、001 三（三）: 意见不一致的议题暂缓上会); a leader asked revises their own
    opinion here; recording consensus and putting the item on a meeting stay with the office. Anyone else: 403.

    Each form posts an `action`; a refused action re-renders the page with that form bound and its error shown."""

    template_name = "communication/agenda_item_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.item = selectors.agenda_item_with_opinions(kwargs["pk"])
        except AgendaItem.DoesNotExist:
            raise Http404 from None
        if not can_view_agenda_item(request.user, self.item):
            raise PermissionDenied(_("只有党委办公室、议题提出人和被征求意见的同志可以查看该议题。"))
        self.office = is_office(request.user)
        self.me = person_of(request.user)
        return super().dispatch(request, *args, **kwargs)

    def _can_answer(self, opinion: Opinion) -> bool:
        return can_record_opinion(self.request.user, opinion)

    def get_context_data(self, *, bound: dict[str, Any] | None = None, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        bound = bound or {}
        item = self.item
        state = selectors.readiness(item)
        opinions = list(item.opinions.all())
        versions = selectors.opinion_versions(item)
        meetings = selectors.schedulable_meetings(item) if self.office else Meeting.objects.none()
        context.update(
            item=item,
            state=state,
            office=self.office,
            # What other families offer on an agenda item's page (转为督办事项 …), named by them, not here.
            page_actions=page_actions("communication.agenda_item", self.request.user, item),
            is_proposer=self.me is not None and item.proposer_id == self.me.pk,
            opinions=[
                {
                    "opinion": o,
                    "mine": self.me is not None and o.person_id == self.me.pk,
                    "form": (
                        bound.get(f"opinion-{o.pk}")
                        or OpinionForm(
                            prefix=f"op{o.pk}",
                            initial={"stance": None if o.is_pending else o.stance, "comment": o.comment},
                        )
                    )
                    if self._can_answer(o)
                    else None,
                    "resolve_form": (bound.get(f"resolve-{o.pk}") or ResolveForm(prefix=f"res{o.pk}"))
                    if self.office
                    else None,
                    "versions": versions.get(o.pk, []),
                }
                for o in opinions
            ],
            preview=services.agenda_item_required_consultees(item)
            if self.office and item.status == AgendaItemStatus.DRAFT
            else [],
            not_ready_message=services.not_ready_message(state) if state.opened and not state.ready else "",
            top_error=bound.get("error", ""),
        )
        if self.office:
            schedule_form = bound.get("schedule") or ScheduleForm(meetings=meetings)
            context.update(
                schedule_form=schedule_form,
                # 安排上会 with no upcoming meeting of the kind: say so, and link to recording one, prefilled.
                no_meeting=not schedule_form.fields["meeting"].queryset.exists(),
                meeting_create_url=self._meeting_create_url(item),
                consultee_form=bound.get("consultee") or self._consultee_form(),
                decide_form=bound.get("decide") or DecideForm(),
            )
        return context

    def _consultee_form(self, data=None) -> ConsulteeForm:
        return ConsulteeForm(data, people=selectors.consultee_choices(self.item))

    @staticmethod
    def _meeting_create_url(item: AgendaItem) -> str:
        query = urlencode(
            {"organization": item.organization_id, "kind": item.meeting_kind, "next": item.get_absolute_url()}
        )
        return f"{reverse('communication:meeting_create')}?{query}"

    def _allowed(self, action: str) -> bool:
        """The office may take every action; a leader only record or revise their own opinion."""
        if self.office:
            return True
        if not action.startswith("opinion-"):
            return False
        opinion = next((o for o in self.item.opinions.all() if o.pk == _int(action[len("opinion-") :])), None)
        return opinion is not None and self._can_answer(opinion)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        item = self.item
        action = request.POST.get("action", "")
        if not self._allowed(action):
            raise PermissionDenied(
                _("只有党委办公室可以管理议题、登记取得共识情况和安排上会；您可以登记或修改本人的意见。")
            )
        bound: dict[str, Any] = {}
        try:
            if action == "open":
                services.agenda_item_open_consultation(item=item, by=request.user)
                messages.success(request, _("已发起会前征求意见。"))
            elif action.startswith("opinion-"):
                opinion = get_object_or_404(Opinion, pk=_int(action[len("opinion-") :]), item=item)
                form = OpinionForm(request.POST, prefix=f"op{opinion.pk}")
                bound[action] = form
                if not form.is_valid():
                    return self._rerender(bound)
                revising = not opinion.is_pending
                services.opinion_record(
                    item=item,
                    person=opinion.person,
                    stance=form.cleaned_data["stance"],
                    comment=form.cleaned_data["comment"],
                    by=request.user,
                )
                if self.me is not None and opinion.person_id == self.me.pk:
                    messages.success(request, _("您的意见已修改。") if revising else _("您的意见已登记。"))
                else:
                    messages.success(request, _("已登记%(name)s的意见。") % {"name": opinion.person.name})
            elif action.startswith("resolve-"):
                opinion = get_object_or_404(Opinion, pk=_int(action[len("resolve-") :]), item=item)
                form = ResolveForm(request.POST, prefix=f"res{opinion.pk}")
                bound[action] = form
                if not form.is_valid():
                    return self._rerender(bound)
                services.opinion_resolve(
                    opinion=opinion, note=form.cleaned_data["resolution_note"], by=request.user
                )
                messages.success(request, _("已登记取得共识情况。"))
            elif action == "schedule":
                form = ScheduleForm(request.POST, meetings=selectors.schedulable_meetings(item))
                bound["schedule"] = form
                if not form.is_valid():
                    return self._rerender(bound)
                services.agenda_item_schedule(
                    item=item, meeting=form.cleaned_data["meeting"], by=request.user
                )
                messages.success(request, _("议题已安排上会。"))
            elif action == "consultee":
                form = self._consultee_form(request.POST)
                bound["consultee"] = form
                if not form.is_valid():
                    return self._rerender(bound)
                services.agenda_item_add_consultee(
                    item=item,
                    person=form.cleaned_data["person"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
                messages.success(request, _("已增加征求对象。"))
            elif action == "decide":
                form = DecideForm(request.POST)
                bound["decide"] = form
                if not form.is_valid():
                    return self._rerender(bound)
                services.agenda_item_decide(
                    item=item, decision=form.cleaned_data["decision"], by=request.user
                )
                messages.success(request, _("已登记会议决定。"))
            else:
                return HttpResponse(status=400)
        except ValidationError as error:
            form = bound.get(action)
            if form is not None:
                apply_errors(form, error)
            else:
                bound["error"] = " ".join(error.messages)
            return self._rerender(bound)
        return HttpResponseRedirect(reverse("communication:agenda_item_detail", args=[item.pk]))

    def _rerender(self, bound: dict[str, Any]) -> HttpResponse:
        # The page shows the item as it is now (a refused action may have changed it: opening the consultation).
        self.item = selectors.agenda_item_with_opinions(self.item.pk)
        return self.render_to_response(self.get_context_data(bound=bound), status=200)


class OpinionAwaitingView(LoginRequiredMixin, ListView):
    """Agenda items waiting for my opinion; below them, held-back items (暂缓上会) on which my disagreement stands,
    which I may revise after exchanging views (可修改意见, 000 四（一）、001 三（三））."""

    template_name = "communication/opinion_awaiting.html"
    context_object_name = "opinions"
    paginate_by = PAGE_SIZE

    @cached_property
    def person(self) -> Person | None:
        return person_of(self.request.user)

    def get_queryset(self):
        if self.person is None:
            return Opinion.objects.none()
        return selectors.opinions_awaiting(self.person)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        revisable = list(selectors.opinions_revisable(self.person)) if self.person is not None else []
        context["revisable"] = [(o, selectors.readiness(o.item)) for o in revisable]
        return context


class OpinionRespondView(LoginRequiredMixin, FormView):
    """A leader records their own opinion on an agenda item, or revises it — a disagreement that holds the item back
    in particular, with the item's other opinions and why it is held back in view; the office may use it for
    anyone's. To anyone else the opinion does not exist (404)."""

    template_name = "communication/opinion_form.html"
    form_class = OpinionForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.opinion = get_object_or_404(
            Opinion.objects.select_related("item__organization", "item__proposer", "person"), pk=kwargs["pk"]
        )
        if not can_record_opinion(request.user, self.opinion):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict:
        if self.opinion.stance == OpinionStance.PENDING:
            return {}
        return {"stance": self.opinion.stance, "comment": self.opinion.comment}

    def form_valid(self, form):
        revising = not self.opinion.is_pending
        try:
            services.opinion_record(
                item=self.opinion.item,
                person=self.opinion.person,
                stance=form.cleaned_data["stance"],
                comment=form.cleaned_data["comment"],
                by=self.request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        if revising:
            messages.success(self.request, _("您的意见已修改，原意见保留在修改记录中。"))
        else:
            messages.success(self.request, _("您的意见已登记。"))
        return HttpResponseRedirect(reverse("communication:opinion_awaiting"))

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        item = selectors.agenda_item_with_opinions(self.opinion.item_id)
        state = selectors.readiness(item)
        context.update(
            opinion=self.opinion,
            item=item,
            state=state,
            others=[o for o in item.opinions.all() if o.pk != self.opinion.pk],
            versions=selectors.opinion_versions(item).get(self.opinion.pk, []),
            not_ready_message=services.not_ready_message(state) if state.opened and not state.ready else "",
        )
        return context


# --- Absences -----------------------------------------------------------------------------------------------------


class AbsenceListView(LoginRequiredMixin, FilteredListView):
    """Absences I may see; for a leader, on top, those in which I cover someone's duties (001 三（七））."""

    template_name = "communication/absence_list.html"
    context_object_name = "absences"
    paginate_by = PAGE_SIZE
    filterset_class = AbsenceFilter

    def get_queryset(self):
        return selectors.absences_for_list(self.request.user)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        person = person_of(self.request.user)
        covering = list(selectors.absences_covered_by(person)) if person else []
        duties = selectors.duties_by_absence(covering, person) if person else {}
        context["covering"] = [(a, duties.get(a.pk, [])) for a in covering]
        context["can_record"] = can_record_absence(self.request.user)
        context["today"] = timezone.localdate()
        return context


class AbsenceCreateView(LoginRequiredMixin, TemplateView):
    template_name = "communication/absence_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_record_absence(request.user):
            raise PermissionDenied(_("只有班子成员和党委办公室可以登记外出报备。"))
        return super().dispatch(request, *args, **kwargs)

    def _forms(self, data=None):
        # The office may name anyone; a leader people on a team with them (the service checks the absence's start
        # date and names whoever may not be named: issue 7, hole 1).
        office = is_office(self.request.user)
        today = timezone.localdate()
        me = None if office else person_of(self.request.user)
        if me is None:
            people = selectors.current_team_people(today)
        else:
            teammates = selectors.teammates_between(me, today, today)
            people = Person.objects.filter(Q(pk__in=teammates.values("pk")) | Q(pk=me.pk)).order_by("name")
        form = AbsenceForm(data, people=people, self_person=me)
        formset = HandoverFormSet(data, prefix="handover", form_kwargs={"people": people})
        return form, formset

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        if "form" not in context:
            context["form"], context["formset"] = self._forms()
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form, formset = self._forms(request.POST)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            handovers = _handovers_of(formset)
            try:
                services.absence_record(
                    created_by_user=request.user,
                    person=data["person"],
                    kind=data["kind"],
                    start=data["start"],
                    end=data["end"],
                    destination=data["destination"],
                    reason=data["reason"],
                    notified=data["notified"],
                    leave_approved_by=data["leave_approved_by"],
                    handovers=handovers,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("外出报备已登记。"))
                return HttpResponseRedirect(reverse("communication:absence_list"))
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


def _handovers_of(formset) -> list[tuple[Any, str]]:
    return [
        (f.cleaned_data["covering"], f.cleaned_data["duties"])
        for f in formset.forms
        if f.cleaned_data.get("covering")
    ]


class AbsenceDetailView(LoginRequiredMixin, DetailView):
    """One absence: who is away, when, where, who was told, who approved, who covers what (001 三（七）), and its
    修改记录. Whoever may not see it gets 404."""

    template_name = "communication/absence_detail.html"
    context_object_name = "absence"

    def get_queryset(self):
        return selectors.absences_for_list(self.request.user).select_related("recorded_by")

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["can_change"] = can_change_absence(self.request.user, self.object)
        context["history"] = record_history(self.object)
        context["today"] = timezone.localdate()
        return context


class AbsenceUpdateView(RecordChangeMixin, LoginRequiredMixin, TemplateView):
    """Whoever reported an absence (or the office) corrects it and its handovers on the form it was reported with,
    prefilled, and says why. The same checks as reporting it; a refusal keeps what was typed."""

    template_name = "communication/absence_form.html"
    refusal = gettext_lazy("只有登记这次外出报备的人和党委办公室可以修改它。")

    def get_record(self) -> Absence:
        return get_object_or_404(selectors.absences_for_list(self.request.user), pk=self.kwargs["pk"])

    def may_change(self, user, record) -> bool:
        return can_change_absence(user, record)

    def _forms(self, data=None):
        """As when reporting (issue 7, hole 1): the office anyone on a team today; a leader people on a team with
        them between the absence's start and today. Those named in it stay offered; the service checks the date."""
        absence: Absence = self.record
        today = timezone.localdate()
        me = None if is_office(self.request.user) else person_of(self.request.user)
        named = {absence.person_id, absence.leave_approved_by_id}
        named |= {p.pk for p in absence.notified.all()} | {h.covering_id for h in absence.handovers.all()}
        if me is None:
            offered = selectors.current_team_people(today)
        else:
            start, end = min(absence.start, today), max(absence.start, today)
            offered = selectors.teammates_between(me, start, end)
            named.add(me.pk)
        people = Person.objects.filter(Q(pk__in=offered.values("pk")) | Q(pk__in=named - {None})).order_by(
            "name"
        )
        initial = {
            "person": absence.person_id,
            "kind": absence.kind,
            "start": absence.start,
            "end": absence.end,
            "destination": absence.destination,
            "reason": absence.reason,
            "notified": [p.pk for p in absence.notified.all()],
            "leave_approved_by": absence.leave_approved_by_id,
        }
        form = AbsenceForm(data, people=people, self_person=me, editing=True, initial=initial)
        formset = HandoverFormSet(
            data,
            prefix="handover",
            initial=[{"covering": h.covering_id, "duties": h.duties} for h in absence.handovers.all()],
            form_kwargs={"people": people},
        )
        return form, formset

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        if "form" not in context:
            context["form"], context["formset"] = self._forms()
        context["absence"] = self.record
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form, formset = self._forms(request.POST)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                absence = services.absence_update(
                    absence=self.record,
                    changed_by=request.user,
                    change_reason=data["change_reason"],
                    person=data["person"],
                    kind=data["kind"],
                    start=data["start"],
                    end=data["end"],
                    destination=data["destination"],
                    reason=data["reason"],
                    notified=data["notified"],
                    leave_approved_by=data["leave_approved_by"],
                    handovers=_handovers_of(formset),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("外出报备已修改，修改原因已记入修改记录。"))
                return HttpResponseRedirect(reverse("communication:absence_detail", args=[absence.pk]))
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


class AbsenceDeleteView(RecordDeleteView):
    refusal = gettext_lazy("只有登记这次外出报备的人和党委办公室可以删除它。")
    what = gettext_lazy("外出报备")
    done = gettext_lazy("外出报备已删除，删除原因已记入审计历史。")

    def get_record(self) -> Absence:
        return get_object_or_404(selectors.absences_for_list(self.request.user), pk=self.kwargs["pk"])

    def may_change(self, user, record) -> bool:
        return can_change_absence(user, record)

    def summary(self) -> list[tuple[str, str]]:
        absence: Absence = self.record
        return [
            (_("外出人员"), absence.person.name),
            (_("外出类型"), absence.get_kind_display()),
            (_("时间"), f"{absence.start:%Y-%m-%d} — {absence.end:%Y-%m-%d}"),
            (_("地点"), absence.destination or "—"),
        ]

    def consequences(self) -> list[str]:
        handovers = len(self.record.handovers.all())
        if not handovers:
            return []
        return [_("%(count)d 项工作交接一并删除，代管人的首页不再显示。") % {"count": handovers}]

    def delete(self, reason: str) -> None:
        services.absence_delete(absence=self.record, deleted_by=self.request.user, change_reason=reason)

    def detail_url(self) -> str:
        return reverse("communication:absence_detail", args=[self.record.pk])

    def list_url(self) -> str:
        return reverse("communication:absence_list")
