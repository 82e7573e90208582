"""Reminder digests: each person gets what is due soon and what is overdue, once, as one Chinese email.

The job, healthchecks-style, in steps that each return what they found:

1. `reminders_plan` reads: one evaluation pass over every team (the dashboards' current view) and one over the
   rules owed by events' people (003 第五条: each cycle of a long supervised task, owed by its lead unit's head and
   liaisons; governance.selectors.obligations.evaluate_event_owner_obligations), grouped by person, minus what
   already has a ReminderSent row (one query; an event's row names its event, not a team); then each registered family's digest sections
   (governance.families: agenda items awaiting an opinion …) for the same people, minus the sections already sent in
   that state (one query). Nothing is written; the dry run prints it. One email per person, whatever the number of
   families.
2. `reminders_collect` writes, in one transaction: one ReminderDigest per person with something new, one
   ReminderSent row per item and one ReminderSectionSent row per family section. The rows are unique (person, rule, team, period, counterpart, kind) and inserted
   with ON CONFLICT DO NOTHING: an item another process claimed first is left out of this digest, never sent
   twice. Sends are queued after commit.
3. `reminder_digest_send` sends one digest. A conditional UPDATE claims it for a few minutes, so two workers
   never both send; on an SMTP error the claim is released and the error recorded for the task's retry.
4. `reminders_sweep` queues digests left unsent (a crashed worker, retries exhausted) by earlier runs.

Known limit, inherent to SMTP: a worker killed after the server accepted the message but before `sent_at` was
written sends that digest again once its claim expires. The Message-ID is fixed per digest, so mail servers and
clients that de-duplicate by it show it once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from governance.engine import evidence as evidence_registry
from governance.engine.obligations import Obligation, Status
from governance.families import DigestSection, families
from governance.models import (
    Person,
    Position,
    ReminderDigest,
    ReminderKind,
    ReminderSectionSent,
    ReminderSent,
)
from governance.selectors.dashboard import office_records_label, record_url_for
from governance.selectors.evaluations import current_view
from governance.selectors.obligations import Evaluation, evaluate_event_owner_obligations, gc_paused

logger = logging.getLogger(__name__)

# How long a worker may take to send one digest before another may try (EMAIL_TIMEOUT is 30 s).
CLAIM_FOR = dt.timedelta(minutes=5)
# An unsent digest older than this was lost by its worker (or ran out of retries): the sweep queues it again.
STALE_AFTER = dt.timedelta(minutes=10)

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_KIND_OF_STATUS = {Status.DUE_SOON: ReminderKind.DUE_SOON, Status.OVERDUE: ReminderKind.OVERDUE}

# rule, team (None for an event's obligation), period start, counterpart, kind, event key ("" but for an event's)
ItemKey = tuple[int, int | None, dt.date, int | None, str, str]


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）"


def _number(value: Decimal) -> str:
    return str(int(value)) if value == int(value) else f"{value.normalize():f}"


def site_link(path: str) -> str:
    """An absolute link on this site (emails and calendar feeds are read outside it)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + (path if path.startswith("/") else "/" + path)


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def record_link(ob: Obligation, *, person_id: int) -> str:
    """Where `person_id` records what resolves `ob`, as an absolute link; their dashboard when the office keeps such
    records (meetings) or the source is unknown."""
    path = record_url_for(ob, person_id, for_office=False)
    if not path and ob.rule.evidence_source not in evidence_registry.sources():
        logger.warning("no evidence source %r for rule %s", ob.rule.evidence_source, ob.rule.code)
    return site_link(path or "/")


def counterpart_of(ob: Obligation, person_id: int) -> int | None:
    """The other person of a pair obligation as seen from `person_id`; None for individual and team rules."""
    if ob.subject_person_id is None or ob.counterpart_person_id is None:
        return None
    if person_id == ob.subject_person_id:
        return ob.counterpart_person_id
    if person_id == ob.counterpart_person_id:
        return ob.subject_person_id
    return None


@dataclass(frozen=True)
class ReminderItem:
    """One line of a digest: what, with whom, by when, why, how far along, and where to resolve it."""

    kind: str
    rule_id: int
    rule_code: str
    title: str
    citation: str
    clause_ref: str
    team_id: (
        int | None
    )  # None for an obligation owed by an event's people (003 第五条: a task's report cycle)
    team_name: str  # the team's name, or the event's organization's (the unit)
    period_start: dt.date
    period_end: dt.date
    period_label: str
    due: dt.date
    days: int  # days left (due soon; negative once the agreed day has passed) or days overdue
    done: str
    required: str
    unit: str
    counterpart_id: int | None
    counterpart_name: str
    url: str
    # What the office records for it ("会议", its evidence source's label) when the person does not: the link is
    # then their dashboard, and the email says who records it instead of "去办理".
    office_records: str = ""
    # The event of an event_owners obligation (one cycle of one task): with the rule, what the item is.
    event_key: str = ""

    @property
    def key(self) -> ItemKey:
        return (self.rule_id, self.team_id, self.period_start, self.counterpart_id, self.kind, self.event_key)

    @property
    def is_overdue(self) -> bool:
        return self.kind == ReminderKind.OVERDUE

    @property
    def what(self) -> str:
        if self.event_key:
            # Which event (督〔2026〕3号 …（第 2 期进展反馈）): a unit's two tasks' cycles are two items.
            return f"{self.title}：{self.period_label}"
        return self.title + (f"（与 {self.counterpart_name}）" if self.counterpart_name else "")

    @property
    def due_label(self) -> str:
        return chinese_date(self.due)

    @property
    def period(self) -> str:
        """The period with its dates, as the dashboard shows it: "双周（11月16日—11月29日）"."""
        return _("%(label)s（%(start)s—%(end)s）") % {
            "label": self.period_label,
            "start": date_format(self.period_start, "MONTH_DAY_FORMAT"),
            "end": date_format(self.period_end, "MONTH_DAY_FORMAT"),
        }

    @property
    def when(self) -> str:
        """By when, in words: "还剩 3 天", "今天到期", "已逾期 2 天"."""
        if self.is_overdue:
            return _("已逾期 %(days)s 天") % {"days": self.days}
        if self.days > 0:
            return _("还剩 %(days)s 天") % {"days": self.days}
        if self.days == 0:
            return _("今天到期")
        # The agreed day (e.g. the cycle's Friday) has passed but the period has not ended yet.
        return _("约定日期已过 %(days)s 天，%(end)s 前仍可补办") % {
            "days": -self.days,
            "end": chinese_date(self.period_end),
        }

    @property
    def progress(self) -> str:
        return _("已完成 %(done)s/%(required)s %(unit)s") % {
            "done": self.done,
            "required": self.required,
            "unit": self.unit,
        }

    @property
    def why(self) -> str:
        return _("依据%(citation)s") % {"citation": self.citation}

    def line(self) -> str:
        """One line for the dry run and the plain-text email."""
        return (
            f"{self.what} · {self.team_name} · {_('截止')} {self.due_label}，{self.when} · "
            f"{self.why} · {self.progress}"
        )


@dataclass
class PersonReminders:
    person: Person
    email: str
    items: list[ReminderItem] = field(default_factory=list)
    # The families' sections whose state this person has not been sent yet.
    sections: list[DigestSection] = field(default_factory=list)

    @property
    def overdue(self) -> list[ReminderItem]:
        return [i for i in self.items if i.is_overdue]

    @property
    def due_soon(self) -> list[ReminderItem]:
        return [i for i in self.items if not i.is_overdue]


@dataclass
class ReminderPlan:
    today: dt.date
    recipients: list[PersonReminders]  # people with an email and something new
    without_email: list[PersonReminders]  # people with something new but nowhere to send it

    @property
    def item_count(self) -> int:
        return sum(len(p.items) for p in self.recipients)

    @property
    def section_count(self) -> int:
        return sum(len(p.sections) for p in self.recipients)


def _item(ob: Obligation, person_id: int, evaluation: Evaluation, today: dt.date) -> ReminderItem:
    kind = _KIND_OF_STATUS[ob.status]
    counterpart_id = counterpart_of(ob, person_id)
    return ReminderItem(
        kind=kind,
        rule_id=ob.rule.id,
        rule_code=ob.rule.code,
        title=ob.rule.title,
        citation=ob.rule.clause_citation,
        clause_ref=ob.rule.clause_ref,
        team_id=None if ob.event is not None else ob.team.id,
        team_name=ob.team.name,
        period_start=ob.period.start,
        period_end=ob.period.end,
        period_label=ob.period.label,
        due=ob.due,
        days=(today - ob.due).days if kind == ReminderKind.OVERDUE else (ob.due - today).days,
        done=_number(ob.done),
        required=_number(ob.required),
        unit=ob.rule.unit,
        counterpart_id=counterpart_id,
        counterpart_name=evaluation.person_name(counterpart_id),
        url=record_link(ob, person_id=person_id),
        office_records=office_records_label(ob),
        event_key=ob.event_key,
    )


def _sort_key(item: ReminderItem) -> tuple:
    return (not item.is_overdue, item.due, item.rule_code, item.counterpart_name)


def reminders_plan(*, today: dt.date) -> ReminderPlan:
    """What each person would be sent on `today`: their due-soon and overdue items not reminded of before, and the
    families' sections whose state they have not been sent.

    Queries: one evaluation of every team (a constant number), one for the reminders already recorded, and the
    families' sections (`_new_sections`)."""
    # The teams' current views, shared with the office's pages (governance.selectors.evaluations).
    evaluation = current_view(today=today)
    # And what events' people owe (003 第五条: each cycle of a long task, owed by its lead unit's head and liaisons):
    # evaluated apart from the teams' views, in a constant number of queries.
    owned = evaluate_event_owner_obligations(today=today)
    candidates: dict[int, dict[ItemKey, ReminderItem]] = defaultdict(dict)
    for source, obligations in ((evaluation, evaluation.obligations), (owned, owned.obligations)):
        for ob in obligations:
            if ob.status not in _KIND_OF_STATUS:
                continue
            for person_id in ob.people:
                item = _item(ob, person_id, source, today)
                candidates[person_id].setdefault(item.key, item)
    already: set[tuple[int, ItemKey]] = set()
    starts = {key[2] for items in candidates.values() for key in items}
    if starts:
        already = {
            (person, (rule, team, start, counterpart, kind, event_key))
            for person, rule, team, start, counterpart, kind, event_key in ReminderSent.objects.filter(
                period_start__in=starts
            ).values_list(
                "person_id", "rule_id", "team_id", "period_start", "counterpart_id", "kind", "event_key"
            )
        }
    # Contact details as they are now: the teams' views may come from the cache.
    people = Person.objects.select_related("user").in_bulk(list(set(evaluation.people) | set(owned.people)))
    sections = _new_sections(people, today)
    recipients: list[PersonReminders] = []
    without_email: list[PersonReminders] = []
    for person_id in sorted(set(candidates) | set(sections)):
        items = candidates.get(person_id, {})
        new = sorted((i for k, i in items.items() if (person_id, k) not in already), key=_sort_key)
        new_sections = sections.get(person_id, [])
        if not new and not new_sections:
            continue
        person = people[person_id]
        entry = PersonReminders(person=person, email=person.contact_email, items=new, sections=new_sections)
        (recipients if entry.email else without_email).append(entry)
    recipients.sort(key=lambda p: (p.person.name, p.person.pk))
    without_email.sort(key=lambda p: (p.person.name, p.person.pk))
    return ReminderPlan(today, recipients, without_email)


def section_hash(section: DigestSection) -> str:
    return hashlib.sha1(f"{section.family}:{section.key}".encode(), usedforsecurity=False).hexdigest()


def _new_sections(people: dict[int, Person], today: dt.date) -> dict[int, list[DigestSection]]:
    """Each family's digest sections for the people on a leadership team today (and anyone the evaluation named),
    minus those already sent in the same state. Adds the people it reads to `people`. A constant number of queries:
    one for the people, each family's own, one for what was sent."""
    providers = [f.digest_sections for f in families() if f.digest_sections is not None]
    if not providers:
        return {}
    current = Person.objects.filter(
        pk__in=Position.objects.active_on(today).values("person_id")
    ).select_related("user")
    for person in current.exclude(pk__in=list(people)):
        people[person.pk] = person
    found: dict[int, list[DigestSection]] = defaultdict(list)
    everyone = list(people.values())
    for provide in providers:
        for person_id, person_sections in provide(everyone, today).items():
            found[person_id].extend(s for s in person_sections if s.lines)
    if not found:
        return {}
    # A family may remind people beyond the candidates it was given (a unit's liaison on no leadership team): one
    # more query reads them, so each still gets the one digest a day.
    others = [person_id for person_id in found if person_id not in people]
    if others:
        people.update(Person.objects.select_related("user").in_bulk(others))
    hashes = {section_hash(s) for sections in found.values() for s in sections}
    # All three columns of the unique index (person, family, key_hash): with the family too the read takes only the
    # rows it asks for, not every section ever sent to these people (years of a task's urgings).
    sent = set(
        ReminderSectionSent.objects.filter(
            person_id__in=list(found),
            family__in={s.family for sections in found.values() for s in sections},
            key_hash__in=hashes,
        ).values_list("person_id", "key_hash")
    )
    return {
        person_id: new
        for person_id, sections in found.items()
        if (new := [s for s in sections if (person_id, section_hash(s)) not in sent])
    }


def _calendar_page_link() -> str:
    try:
        return site_link(reverse("calendar:page"))
    except NoReverseMatch:  # a site without the calendar URLs
        return ""


def digest_subject(entry: PersonReminders) -> str:
    due_soon, overdue = len(entry.due_soon), len(entry.overdue)
    if not due_soon and not overdue:
        # Only the families' sections: name them ("待您发表意见的议题（会前沟通）").
        titles = "、".join(dict.fromkeys(s.title for s in entry.sections))
        return f"{settings.EMAIL_SUBJECT_PREFIX}" + _("您有新的待办：%(titles)s") % {"titles": titles}
    if due_soon and overdue:
        text = _("您有 %(due_soon)s 项即将到期、%(overdue)s 项已逾期的工作") % {
            "due_soon": due_soon,
            "overdue": overdue,
        }
    elif overdue:
        text = _("您有 %(overdue)s 项已逾期的工作") % {"overdue": overdue}
    else:
        text = _("您有 %(due_soon)s 项即将到期的工作") % {"due_soon": due_soon}
    if entry.sections:
        # The families' sections are named too: an urging or an escalation is not hidden behind the count.
        titles = "、".join(dict.fromkeys(s.title for s in entry.sections))
        text += _("；另有：%(titles)s") % {"titles": titles}
    return f"{settings.EMAIL_SUBJECT_PREFIX}{text}"


def digest_render(entry: PersonReminders, *, today: dt.date) -> dict[str, str]:
    """Subject and bodies of a digest, in the site's language (Chinese) whatever the caller's."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "person": entry.person,
            "today": chinese_date(today),
            "overdue": entry.overdue,
            "due_soon": entry.due_soon,
            "sections": [
                {
                    "title": section.title,
                    "lines": [
                        {
                            "text": line.text,
                            "detail": line.detail,
                            "url": site_link(line.url) if line.url else "",
                        }
                        for line in section.lines
                    ],
                }
                for section in entry.sections
            ],
            "dashboard_url": site_link("/"),
            "calendar_url": _calendar_page_link(),
        }
        return {
            "subject": digest_subject(entry),
            "body_text": render_to_string("emails/reminder_digest.txt", context),
            "body_html": render_to_string("emails/reminder_digest.html", context),
        }


def _queue_send(digest_ids: Iterable[int]) -> None:
    from governance.tasks import send_digest

    for digest_id in digest_ids:
        transaction.on_commit(partial(send_digest.delay, digest_id), robust=True)


def reminders_collect(*, today: dt.date, queue: bool = True, plan: ReminderPlan | None = None) -> list[int]:
    """Record one digest per person with something new on `today` and (with `queue`) queue their sending after
    commit. Returns the ids of the digests created. A constant number of queries, whatever the number of people.
    `plan`: a plan for `today` the caller already read (the command prints who has no email from it).
    """
    # The cyclic collector waits while the job builds its tens of thousands of small, short-lived objects: a full
    # collection of a worker's heap in the middle of the job cost it a third of its time, for nothing it could free.
    # It runs again once the job is done.
    with gc_paused():
        return _collect(today=today, queue=queue, plan=plan)


def _collect(*, today: dt.date, queue: bool, plan: ReminderPlan | None) -> list[int]:
    plan = plan or reminders_plan(today=today)
    if not plan.recipients:
        return []
    # Rendered before the transaction: on SQLite it holds the write lock from its first statement.
    digests = [
        ReminderDigest(person=entry.person, to_email=entry.email, **digest_render(entry, today=today))
        for entry in plan.recipients
    ]
    with transaction.atomic():
        ReminderDigest.objects.bulk_create(digests)
        rows = [
            ReminderSent(
                person_id=entry.person.pk,
                rule_id=item.rule_id,
                team_id=item.team_id,
                period_start=item.period_start,
                counterpart_id=item.counterpart_id,
                kind=item.kind,
                event_key=item.event_key,
                digest=digest,
            )
            for digest, entry in zip(digests, plan.recipients, strict=True)
            for item in entry.items
        ]
        # ON CONFLICT DO NOTHING: a row another run inserted first (two beats, a cron run next to the worker)
        # is skipped here; reading back which rows are ours tells what this run may send.
        ReminderSent.objects.bulk_create(rows, ignore_conflicts=True)
        ReminderSectionSent.objects.bulk_create(
            [
                ReminderSectionSent(
                    person_id=entry.person.pk,
                    family=section.family,
                    key=section.key,
                    key_hash=section_hash(section),
                    digest=digest,
                )
                for digest, entry in zip(digests, plan.recipients, strict=True)
                for section in entry.sections
            ],
            ignore_conflicts=True,
        )
        ids = [d.pk for d in digests]
        ours: dict[int, set[ItemKey]] = defaultdict(set)
        for (
            digest_id,
            rule_id,
            team_id,
            period_start,
            counterpart_id,
            kind,
            event_key,
        ) in ReminderSent.objects.filter(digest_id__gte=min(ids), digest_id__lte=max(ids)).values_list(
            "digest_id", "rule_id", "team_id", "period_start", "counterpart_id", "kind", "event_key"
        ):
            ours[digest_id].add((rule_id, team_id, period_start, counterpart_id, kind, event_key))
        our_sections: dict[int, set[str]] = defaultdict(set)
        for digest_id, key_hash in ReminderSectionSent.objects.filter(
            digest_id__gte=min(ids), digest_id__lte=max(ids)
        ).values_list("digest_id", "key_hash"):
            our_sections[digest_id].add(key_hash)
        empty: list[int] = []
        changed: list[ReminderDigest] = []
        for digest, entry in zip(digests, plan.recipients, strict=True):
            claimed = [item for item in entry.items if item.key in ours[digest.pk]]
            claimed_sections = [s for s in entry.sections if section_hash(s) in our_sections[digest.pk]]
            if not claimed and not claimed_sections:
                empty.append(digest.pk)
            elif len(claimed) < len(entry.items) or len(claimed_sections) < len(entry.sections):
                entry.items = claimed
                entry.sections = claimed_sections
                for name, value in digest_render(entry, today=today).items():
                    setattr(digest, name, value)
                changed.append(digest)
        if empty:
            ReminderDigest.objects.filter(pk__in=empty).delete()
        if changed:
            ReminderDigest.objects.bulk_update(changed, ["subject", "body_text", "body_html"])
        dropped = set(empty)
        created = [pk for pk in ids if pk not in dropped]
        if queue:
            _queue_send(created)
    logger.info(
        "reminders %s: %d digests, %d people without email", today, len(created), len(plan.without_email)
    )
    return created


def _message(digest: ReminderDigest) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=digest.subject,
        body=digest.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest.to_email],
        headers={
            # Fixed per digest: a resend after a crash is recognisably the same message.
            "Message-ID": f"<reminder-digest-{digest.pk}.{digest.created:%Y%m%d%H%M%S}@{site_host()}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    if digest.body_html:
        message.attach_alternative(digest.body_html, "text/html")
    return message


def _deliver(digest: ReminderDigest) -> None:
    _message(digest).send(fail_silently=False)


def reminder_digest_send(digest_id: int) -> bool:
    """Send one digest unless it was sent or another worker holds it. True if this call sent it.

    On failure the claim is released and the error recorded, then the exception propagates (the task retries)."""
    now = timezone.now()
    claimed = (
        ReminderDigest.objects.filter(pk=digest_id, sent_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_FOR, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    digest = ReminderDigest.objects.get(pk=digest_id)
    try:
        _deliver(digest)
    except Exception as exc:
        ReminderDigest.objects.filter(pk=digest_id).update(
            claimed_until=None, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    ReminderDigest.objects.filter(pk=digest_id).update(
        sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    return True


def reminders_unsent(*, older_than: dt.timedelta = STALE_AFTER) -> list[int]:
    """Digests not sent and not being sent, created at least `older_than` ago, oldest first."""
    now = timezone.now()
    return list(
        ReminderDigest.objects.filter(sent_at__isnull=True, created__lte=now - older_than)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("created", "pk")
        .values_list("pk", flat=True)
    )


def reminders_sweep() -> list[int]:
    """Queue again every digest an earlier run left unsent. Returns their ids."""
    ids = reminders_unsent()
    _queue_send(ids)
    return ids
