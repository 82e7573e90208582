"""Fuzzed input (issue 7, guard): hypothesis over every user-facing form and every query parameter — days in and
out of range, huge and empty strings, Unicode, HTML and SQL fragments, huge integers, wrong types (a list where one
value is expected). Whatever is sent:

- the answer is never a server error;
- refused input leaves nothing half-saved (every table of the forms' records keeps its row count);
- what is saved renders escaped (a planted HTML fragment never comes back as markup).

Each example runs in a savepoint rolled back at its end, so every example starts from the same database. The
examples are derandomized (the same ones each run, so `make test` is reproducible); HYPOTHESIS_PROFILE=explore runs
ten times as many, at random. A new family's forms and query parameters get a test here like these (a strategy for
the fields, `send()` with the counted models).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from communication.models import (
    Absence,
    AgendaItem,
    Handover,
    Meeting,
    MeetingAttachment,
    Opinion,
    Talk,
)
from governance.models import CalendarFeedToken, ObligationExcuse
from tests.test_access_matrix import INVOLVED, OFFICE, World, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_wednesday")]

# --- How many examples -------------------------------------------------------------------------------------------

settings.register_profile(
    "portal",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
settings.register_profile(
    "explore", parent=settings.get_profile("portal"), max_examples=600, derandomize=False
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "portal")
FUZZ = settings(settings.get_profile(PROFILE))
# Pages that run the obligation engine (the overview, record links) get fewer examples.
FEWER = settings(FUZZ, max_examples=max(10, FUZZ.max_examples // 2))

# --- Values ------------------------------------------------------------------------------------------------------

# Marked fragments: if one comes back unescaped, a page rendered user input as markup.
XSS = [
    '<script>alert("fuzz-1")</script>',
    '"><img src=x onerror=alert("fuzz-2")>',
    "<svg/onload=alert('fuzz-3')>",
]
HTML = " ".join(XSS)  # every fragment at once, in the explicit examples
SQL = ["' OR 1=1 --", "'; DROP TABLE communication_talk; --", '" OR ""="', "1; SELECT * FROM auth_user"]
WEIRD = [
    "",
    " ",
    "\t\n",
    "null",
    "None",
    "undefined",
    "[]",
    "{}",
    "０",
    "١٢",
    "𝟙𝟚",
    "谈心",
    "%00",
    "%",
    "_",
    "\\",
]

# No lone surrogates: they cannot be sent as UTF-8 (the test client would fail, not the site).
unicode_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
huge_text = st.builds(
    lambda s, n: s * n, st.sampled_from(["字", "a", "<b>", "😀", "x "]), st.integers(300, 25_000)
)
texts = st.one_of(
    unicode_text,
    huge_text,
    st.sampled_from(XSS + SQL + WEIRD),
    st.builds(lambda a, x, b: a + x + b, unicode_text, st.sampled_from(XSS), unicode_text),
)
big_ints = st.one_of(
    st.integers(-(2**70), 2**70),
    st.sampled_from([2**31, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 0, -1]),
).map(str)
iso_days = st.dates().map(lambda d: d.isoformat())  # years 1 to 9999
days = st.one_of(
    iso_days,
    st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 12, 31)).map(lambda d: d.isoformat()),
    st.sampled_from(
        ["0000-00-00", "2026-02-30", "2026-13-01", "9999-12-31", "0001-01-01", "2026/11/25", "25.11.2026"]
    ),
    texts,
)
times = st.one_of(
    st.times().map(lambda t: t.isoformat()), st.sampled_from(["24:00", "9:00", "09:60", "-1:00"]), texts
)


def ids_of(valid: list[int]) -> st.SearchStrategy[str]:
    """An id: a real one, a huge or negative integer, or anything else."""
    return st.one_of(st.sampled_from([str(v) for v in valid]) if valid else st.nothing(), big_ints, texts)


def one_or_many(values: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    """One value, or several where one is expected (a wrong type)."""
    return st.one_of(values, st.lists(values, min_size=0, max_size=4))


def form(required: dict[str, Any], optional: dict[str, Any] | None = None) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(required, optional=optional or {})


def fuzzed(valid: dict[str, Any], fuzz: dict[str, st.SearchStrategy]) -> st.SearchStrategy[dict]:
    """A form that would be saved, with some of its fields dropped and some replaced by fuzzed values: most
    examples are refused on one field, some are saved (and then must render escaped)."""

    def merge(dropped: set[str], replaced: dict[str, Any]) -> dict[str, Any]:
        return {**{k: v for k, v in valid.items() if k not in dropped}, **replaced}

    return st.builds(
        merge,
        st.sets(st.sampled_from(sorted(valid)), max_size=2),
        st.lists(st.sampled_from(sorted(fuzz)), max_size=3, unique=True).flatmap(
            lambda keys: st.fixed_dictionaries({k: fuzz[k] for k in keys})
        ),
    )


BOUNDARY = "fuzz-boundary-7c1d"

# --- Sending, counting, rolling back -----------------------------------------------------------------------------

RECORDS = [
    Talk,
    Talk.participants.through,
    Meeting,
    Meeting.attendees.through,
    Meeting.observers.through,
    MeetingAttachment,
    AgendaItem,
    Opinion,
    Absence,
    Absence.notified.through,
    Handover,
    ObligationExcuse,
    CalendarFeedToken,
    Talk.history.model,
    Meeting.history.model,
    AgendaItem.history.model,
    Absence.history.model,
]


def counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in RECORDS}


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run one example in a savepoint that is rolled back: the next example sees the same database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def send(client: Client, method: str, path: str, data: dict | None = None, *, multipart: bytes | None = None):
    """One request; never a server error; a refused POST changes nothing; what a POST saved renders escaped.
    `multipart`: a POST body written by hand (`data` then only says what text it carries)."""
    with rolled_back():
        before = counts()
        if multipart is not None:
            response = client.post(path, multipart, content_type=f"multipart/form-data; boundary={BOUNDARY}")
        elif method == "POST":
            response = client.post(path, data or {})
        else:
            response = client.get(path, data or {})
        assert response.status_code < 500, (method, path, data)
        if method == "POST" and response.status_code != 302:
            assert counts() == before, (path, data)  # refused: nothing half-saved
        if method == "POST" and response.status_code == 302:
            after = client.get(response["Location"])
            assert after.status_code < 500, response["Location"]
            assert_escaped(after, data)
        assert_escaped(response, data)
    return response


def assert_escaped(response, data: dict | None) -> None:
    if response.streaming or not data:
        return
    page = response.content.decode("utf-8", errors="replace")
    sent = " ".join(str(v) for v in data.values())
    for fragment in XSS:
        if fragment in sent:
            assert fragment not in page, fragment


@pytest.fixture
def world(university, college, settings, tmp_path) -> World:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return build_world(university, college)


def signed_in(world: World, role: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.users[role])
    return client


def people_ids(world: World) -> list[int]:
    return [p.pk for p in world.college_people + world.university_people]


# --- Query parameters --------------------------------------------------------------------------------------------

PARAMS = [
    "on",
    "org",
    "team",
    "rule",
    "person",
    "with",
    "for",
    "meeting",
    "formal",
    "channel",
    "kind",
    "organization",
    "period_start",
    "period_end",
    "next",
    "page",
    "status",
    "meeting_kind",
    "date_from",
    "date_to",
]
RULES = [
    "000-coordination-meeting",
    "000-main-leaders-member-talk",
    "000-sibitan",
    "001-secretary-president-weekly",
]


def query(world: World) -> st.SearchStrategy[dict]:
    value = st.one_of(texts, big_ints, days, ids_of(people_ids(world)), st.sampled_from(RULES))
    return st.dictionaries(st.one_of(st.sampled_from(PARAMS), unicode_text), one_or_many(value), max_size=5)


LIST_PAGES = [
    "communication:talk_list",
    "communication:meeting_list",
    "communication:agenda_item_list",
    "communication:absence_list",
    "communication:opinion_awaiting",
    "communication:index",
    "calendar:page",
    "home",
]
FORM_PAGES = ["communication:talk_create", "communication:meeting_create", "communication:absence_create"]


@pytest.mark.parametrize("role", [INVOLVED, OFFICE])
def test_list_pages_never_fail_on_any_query(world, role):
    client = signed_in(world, role)

    @FUZZ
    @given(name=st.sampled_from(LIST_PAGES), params=query(world))
    def check(name, params):
        send(client, "GET", reverse(name), params)

    check()


@pytest.mark.parametrize("role", [INVOLVED, OFFICE])
def test_record_forms_opened_with_any_query_never_fail(world, role):
    client = signed_in(world, role)

    @FEWER
    @given(name=st.sampled_from(FORM_PAGES), params=query(world))
    def check(name, params):
        send(client, "GET", reverse(name), params)

    check()


def test_the_overview_and_its_cells_never_fail_on_any_query(world):
    client = signed_in(world, OFFICE)
    teams = [world.team.pk]

    @FEWER
    @given(
        path=st.sampled_from([reverse("overview"), reverse("overview_cell")]),
        params=st.fixed_dictionaries(
            {},
            optional={
                "on": days,
                "org": st.one_of(texts, st.sampled_from(["wxy", ""])),
                "team": ids_of(teams),
                "rule": st.one_of(st.sampled_from(RULES), texts),
                "person": ids_of(people_ids(world)),
            },
        ),
    )
    def check(path, params):
        send(client, "GET", path, params)

    check()


def test_the_admins_lists_never_fail_on_any_query(world):
    client = signed_in(world, OFFICE)
    lists = [
        reverse("admin:communication_talk_changelist"),
        reverse("admin:communication_meeting_changelist"),
        reverse("admin:communication_agendaitem_changelist"),
        reverse("admin:governance_person_changelist"),
        reverse("admin:governance_obligationexcuse_changelist"),
    ]
    admin_params = st.sampled_from(
        ["q", "o", "p", "all", "e", "date__gte", "organization__id__exact", "kind"]
    )

    @FEWER
    @given(
        path=st.sampled_from(lists),
        params=st.dictionaries(admin_params, st.one_of(texts, big_ints, days), max_size=3),
    )
    def check(path, params):
        send(client, "GET", path, params)

    check()


# --- Forms -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [INVOLVED, OFFICE])
def test_recording_a_talk_never_fails_and_saves_whole_talks_only(world, role):
    client = signed_in(world, role)
    secretary, dean = world.college_people[:2]
    people = ids_of(people_ids(world))
    valid = {
        "participants": [dean.pk] if role == INVOLVED else [secretary.pk, dean.pk],
        "date": "2026-11-20",
        "channel": "talk",
        "notes": "谈话要点",
    }

    @FUZZ
    @example(data={**valid, "notes": HTML}, params={})
    @given(
        data=fuzzed(
            valid,
            {
                "participants": st.lists(people, max_size=4),
                "date": days,
                "formal": st.sampled_from(["on", "", "1", "0"]),
                "channel": st.one_of(st.sampled_from(["talk", "communication"]), texts),
                "topics": st.lists(st.one_of(st.sampled_from(["thought", "work", "study", "style"]), texts)),
                "notes": texts,
                "meeting": ids_of([world.life_meeting.pk]),
            },
        ),
        params=st.fixed_dictionaries({}, optional={"rule": st.sampled_from(RULES), "period_start": days}),
    )
    def check(data, params):
        path = reverse("communication:talk_create")
        send(client, "POST", f"{path}?{urlencode(params)}" if params else path, data)

    check()


def test_recording_a_meeting_never_fails_and_saves_whole_meetings_only(world):
    client = signed_in(world, OFFICE)
    people = ids_of(people_ids(world))
    secretary, dean = world.college_people[:2]
    valid = {
        "kind": "coordination",
        "organization": world.college.pk,
        "title": "工作碰头会",
        "date": "2026-11-20",
        "start_time": "09:00",
        "chair": secretary.pk,
        "attendees": [dean.pk],
        "confidential": "on",
    }

    @FUZZ
    @example(data={**valid, **dict.fromkeys(["title", "place", "agenda", "minutes"], HTML)})
    @given(
        data=fuzzed(
            valid,
            {
                "kind": st.one_of(
                    st.sampled_from(["coordination", "retreat", "democratic_life", "joint"]), texts
                ),
                "organization": ids_of([world.college.pk, world.university.pk]),
                "title": texts,
                "date": days,
                "start_time": times,
                "chair": people,
                "end_time": times,
                "place": texts,
                "attendees": st.lists(people, max_size=4),
                "observers": st.lists(people, max_size=2),
                "agenda": texts,
                "minutes": texts,
                "confidential": st.sampled_from(["on", ""]),
                "topics_announced_on": days,
                "preparation_start": days,
            },
        )
    )
    def check(data):
        send(client, "POST", reverse("communication:meeting_create"), data)

    check()


def test_uploading_an_attachment_never_fails(world):
    client = signed_in(world, OFFICE)

    @FEWER
    @example(name=HTML, filename=XSS[2], body=b"x")
    @given(
        name=texts,
        filename=st.one_of(
            unicode_text,
            st.sampled_from(["", "/", "../../etc/passwd", "a.exe", ".htaccess", "x" * 300, 'a"b']),
        ),
        body=st.binary(max_size=2_000),
    )
    def check(name, filename, body):
        # Written by hand: the test client would clean the file name the way a browser may not.
        multipart = (
            (
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="name"\r\n\r\n{name}\r\n'
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + body
            + f"\r\n--{BOUNDARY}--\r\n".encode()
        )
        path = reverse("communication:meeting_detail", args=[world.meeting.pk])
        send(client, "POST", path, {"name": name}, multipart=multipart)

    check()


def test_tabling_an_agenda_item_never_fails_and_saves_whole_items_only(world):
    client = signed_in(world, OFFICE)
    valid = {
        "title": "学院年度预算",
        "organization": world.college.pk,
        "meeting_kind": "joint",
        "proposer": world.college_people[1].pk,
    }

    @FUZZ
    @example(data={**valid, "title": HTML, "description": HTML})
    @given(
        data=fuzzed(
            valid,
            {
                "title": texts,
                "organization": ids_of([world.college.pk]),
                "meeting_kind": st.one_of(
                    st.sampled_from(["joint", "party_committee", "coordination"]), texts
                ),
                "proposer": ids_of(people_ids(world)),
                "description": texts,
                "is_major": st.sampled_from(["on", ""]),
                "areas": st.lists(big_ints, max_size=3),
                "open_consultation": st.sampled_from(["on", ""]),
            },
        )
    )
    def check(data):
        send(client, "POST", reverse("communication:agenda_item_create"), data)

    check()


def test_acting_on_an_agenda_item_never_fails(world):
    client = signed_in(world, OFFICE)
    opinion = world.opinion.pk
    actions = st.one_of(
        st.sampled_from(
            ["open", "schedule", "consultee", "decide", f"opinion-{opinion}", f"resolve-{opinion}"]
        ),
        st.builds(lambda p, v: p + v, st.sampled_from(["opinion-", "resolve-"]), big_ints),
        texts,
    )

    @FUZZ
    @given(
        data=form(
            {"action": actions},
            {
                f"op{opinion}-stance": st.one_of(st.sampled_from(["agree", "disagree", "comment"]), texts),
                f"op{opinion}-comment": texts,
                f"res{opinion}-resolution_note": texts,
                "meeting": ids_of([world.meeting.pk]),
                "person": ids_of(people_ids(world)),
                "reason": texts,
                "decision": texts,
            },
        )
    )
    def check(data):
        send(client, "POST", reverse("communication:agenda_item_detail", args=[world.item.pk]), data)

    check()


@pytest.mark.parametrize("role", [INVOLVED, OFFICE])
def test_giving_an_opinion_never_fails(world, role):
    client = signed_in(world, role)

    @FEWER
    @example(data={"stance": "comment", "comment": HTML})
    @given(
        data=form(
            {"stance": st.one_of(st.sampled_from(["agree", "disagree", "comment", "pending"]), texts)},
            {"comment": texts},
        )
    )
    def check(data):
        send(client, "POST", reverse("communication:opinion_respond", args=[world.opinion.pk]), data)

    check()


@pytest.mark.parametrize("role", [INVOLVED, OFFICE])
def test_reporting_an_absence_never_fails_and_saves_whole_absences_only(world, role):
    client = signed_in(world, role)
    people = ids_of(people_ids(world))
    secretary, dean = world.college_people[:2]
    valid = {
        "person": secretary.pk,
        "kind": "trip",
        "start": "2026-11-26",
        "end": "2026-11-27",
        "destination": "北京",
        "notified": [dean.pk],
        "handover-TOTAL_FORMS": "1",
        "handover-INITIAL_FORMS": "0",
        "handover-0-covering": dean.pk,
        "handover-0-duties": "代管教学工作",
    }

    @FUZZ
    @example(data={**valid, "destination": HTML, "reason": HTML, "handover-0-duties": HTML})
    @given(
        data=fuzzed(
            valid,
            {
                "person": people,
                "kind": st.one_of(st.sampled_from(["trip", "study", "secondment"]), texts),
                "start": days,
                "end": days,
                "destination": texts,
                "reason": texts,
                "notified": st.lists(people, max_size=3),
                "leave_approved_by": people,
                "handover-TOTAL_FORMS": st.one_of(st.integers(0, 3).map(str), big_ints, texts),
                "handover-INITIAL_FORMS": st.one_of(st.just("0"), big_ints),
                "handover-MAX_NUM_FORMS": st.one_of(st.just("10"), big_ints),
                "handover-0-covering": people,
                "handover-0-duties": texts,
                "handover-1-covering": people,
                "handover-1-duties": texts,
            },
        )
    )
    def check(data):
        send(client, "POST", reverse("communication:absence_create"), data)

    check()


def test_excusing_a_period_never_fails_and_saves_whole_excuses_only(world):
    client = signed_in(world, OFFICE)
    people = ids_of(people_ids(world))
    url = f"{reverse('overview_cell')}?team={world.team.pk}&rule=000-coordination-meeting"
    valid = {
        "team": world.team.pk,
        "rule": "000-coordination-meeting",
        "period_start": "2026-11-02",
        "reason": "全院参加上级巡视反馈会",
    }

    @FEWER
    @example(data={**valid, "reason": HTML})
    @given(
        data=fuzzed(
            valid,
            {
                "team": ids_of([world.team.pk]),
                "rule": st.one_of(st.sampled_from(RULES), texts),
                "period_start": st.one_of(st.sampled_from(["2026-11-02", "2026-11-16"]), days),
                "reason": texts,
                "person": people,
                "subject": people,
                "counterpart": people,
            },
        )
    )
    def check(data):
        send(client, "POST", url, data)

    check()


def test_the_account_forms_never_fail(world):
    anonymous = Client(raise_request_exception=False)
    leader = signed_in(world, INVOLVED)

    @FEWER
    @given(
        which=st.sampled_from(["login", "password", "language", "calendar"]),
        a=texts,
        b=texts,
    )
    def check(which, a, b):
        if which == "login":
            send(anonymous, "POST", reverse("login"), {"username": a, "password": b})
        elif which == "password":
            send(
                leader,
                "POST",
                reverse("password_change"),
                {"old_password": a, "new_password1": b, "new_password2": b},
            )
        elif which == "language":
            send(leader, "POST", reverse("set_language"), {"language": a, "next": b})
        else:
            send(leader, "POST", reverse("calendar:page"), {"action": a})

    check()
