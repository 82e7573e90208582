"""The family contract: how a family app (leadership communication, outreach, disclosure, supervision) plugs into
the core.

The core names no family. Each family builds one `Family` in its `family.py` and registers it from its
`AppConfig.ready()`; the core loops over `families()` wherever a page, a feed, an email or the demo needs what
the families have to say:

- navigation: `label`, `index_url` and `nav_visible(user)` (the 业务模块 menu and the home page's module cards);
- the leader's home panel and the office home's 今日关注 panel: a selector with a constant number of queries and
  a template that receives its result as `panel` (`leader_panel`, `office_panel`); `member_panel` likewise on the
  home of everyone else signed in (Party members and staff), selected with their login: `select(user, today=...)`;
- `calendar_items(person, start, end)`: the person's events for the iCalendar feed, as plain `CalendarItem`s;
- `digest_sections(people, today)`: sections of the one daily reminder email a person gets, by person id (`people`
  are the core's candidates, the people on a leadership team; a family may also return sections for others, such as
  a unit's liaison, and they get the same one digest a day);
- `evidence_sources` / `event_sources`: what the obligation engine counts (governance.engine.evidence);
- `demo(context)`: records for `seed_demo`;
- `admin_cards`: the office home's shortcut cards into the admin;
- `page_actions`: links this family adds to another family's page, by page name (a meeting's page gets
  "转为督办事项" from supervision), so the page's family names no other (`page_actions(page, user, record)`); the
  core's leader home is such a page too, `LEADER_HOME` (record: the leader's Person): each family's main actions
  (登记谈心谈话 …) stand right under its header, on a phone's first screen;
- `watched`: the models whose changes change what pages show, each with the organizations a change touches
  (governance.services.freshness stamps only those; None means "could be any": every page is recomputed).

Like the evidence registry, this module imports nothing of Django's models: families hand it callables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

Text = str | Promise  # a plain or a lazily translated string


@dataclass(frozen=True)
class Panel:
    """A home-page panel: `select(...)` reads (a constant number of queries) and `template` renders its result,
    which it receives as `panel`. Leader panels are called `select(person, today=...)`, office panels
    `select(today=...)`, member panels `select(user, today=...)`. `order` sorts panels of several families (smaller first)."""

    template: str
    select: Callable[..., Any]
    order: int = 100
    # Member panels: whether a result asks something of the person (a unit's liaison with tasks to act on). The
    # member's home then leads with the panels and drops its "为什么这里没有待办事项" card. A select that returns None
    # has nothing for the person: the panel is left out.
    has_work: Callable[[Any], bool] | None = None
    # Leader panels, cached on the leader's home until their records change: the scopes of the records they read
    # (see Family.scopes); none given, every record of their family.
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AdminLink:
    label: Text
    url_name: str  # an admin URL name, e.g. "admin:communication_meeting_changelist"


@dataclass(frozen=True)
class AdminCard:
    """A card of admin shortcuts on the office home (常用管理)."""

    title: Text
    description: Text
    links: tuple[AdminLink, ...]


@dataclass(frozen=True)
class CalendarItem:
    """One event of a person's calendar feed, in plain values; the core turns it into iCalendar (RFC 5545).

    `start` is a datetime (a timed event, local time of Asia/Shanghai) or a date (an all-day event). `uid` is stable
    and unique on the site ("meeting-42"): calendar apps update the event in place. A confidential event carries
    only what may be seen outside the portal."""

    uid: str
    start: dt.datetime | dt.date
    summary: str
    end: dt.datetime | dt.date | None = None
    description: str = ""
    location: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()
    confidential: bool = False


@dataclass(frozen=True)
class DigestLine:
    """One line of a family's digest section: what, and where to act on it (a path on this site)."""

    text: str
    url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class DigestSection:
    """A family's section of a person's daily reminder email. `key` identifies what the section reminds of, so
    the same state is not sent again the next day ("opinions:12,15"): a digest goes out when an obligation or a
    section's key is new for that person."""

    family: str
    title: str
    lines: tuple[DigestLine, ...]
    key: str


@dataclass(frozen=True)
class DemoContext:
    """What `seed_demo` made before the families' records: the demo university, its colleges and today."""

    university: Any  # governance.Organization
    organizations: Mapping[str, Any]  # by code
    today: dt.date


@dataclass(frozen=True)
class PageAction:
    """A link one family adds to another family's page (e.g. 转为督办事项 on a meeting's page), so that the page's
    family need not name the other: `url` is ready to use, `note` says why (with its clause)."""

    label: Text
    url: str
    note: Text = ""


# A family's actions on another family's page: (user, the page's record) -> the links this user may follow.
PageActions = Callable[[Any, Any], Sequence[PageAction]]

# The core's page for `page_actions`: a leader's home (the record is the leader's Person). Its fragment is cached per
# user and day, so what a family offers there may depend on the user only.
LEADER_HOME = "governance.leader_home"


# A watched model's "which organizations does this change touch": ids, or None for "any page may change".
TouchedOrganizations = Callable[[Any], Iterable[int] | None]


@dataclass(frozen=True)
class Family:
    """Everything a family app tells the core. Only `name`, `label` and `index_url` are required."""

    name: str  # the app label, e.g. "talks"
    label: Text  # "领导沟通"
    index_url: str  # URL name of its index page, e.g. "talks:index"
    description: Text = ""
    order: int = 100
    nav_visible: Callable[[Any], bool] = lambda user: bool(user.is_authenticated)
    leader_panel: Panel | None = None
    # More leader panels, each cached apart: one that reads records which change often (talks) beside one that does
    # not, so that such a change recomputes only the first.
    leader_panels: tuple[Panel, ...] = ()
    office_panel: Panel | None = None
    member_panel: Panel | None = (
        None  # the home of a Party member or a member of staff (neither office nor leader)
    )
    calendar_items: Callable[[Any, dt.date, dt.date], Sequence[CalendarItem]] | None = None
    digest_sections: Callable[[Sequence[Any], dt.date], Mapping[int, Sequence[DigestSection]]] | None = None
    evidence_sources: tuple[Any, ...] = ()
    event_sources: tuple[Any, ...] = ()
    demo: Callable[[DemoContext], Sequence[str]] | None = None
    # Families whose demo records this family's demo builds on (by name): `seed_demo` runs their demos first, e.g.
    # when this family's demo numbers records in another family's yearly sequence, which must stay unchanged.
    demo_after: tuple[str, ...] = ()
    admin_cards: tuple[AdminCard, ...] = ()
    # "app_label.modelname" (lower case) -> which organizations a saved or deleted instance touches.
    watched: Mapping[str, TouchedOrganizations] = field(default_factory=dict)
    # A watched model's scope, when not the family's name ("communication.talk" -> "communication.talks"): a change
    # to it leaves the family's panels that do not read that scope where they are (Panel.scopes).
    scopes: Mapping[str, str] = field(default_factory=dict)
    # Links this family adds to other families' pages, by page ("communication.meeting"): see `page_actions`.
    page_actions: Mapping[str, PageActions] = field(default_factory=dict)


_FAMILIES: dict[str, Family] = {}


def register(family: Family) -> None:
    """Called from the family's AppConfig.ready(); registers its evidence and event sources too."""
    from governance.engine import evidence

    _FAMILIES[family.name] = family
    for source in family.evidence_sources:
        evidence.register(source)
    for source in family.event_sources:
        evidence.register_events(source)


def families() -> list[Family]:
    """Every registered family, in menu order."""
    return sorted(_FAMILIES.values(), key=lambda f: (f.order, f.name))


def demo_order() -> list[Family]:
    """The families in menu order, except that one runs its demo only after those it names in `demo_after` (a name
    not registered is ignored; a cycle keeps the menu order for what remains)."""
    pending = families()
    done: set[str] = set()
    ordered: list[Family] = []
    while pending:
        ready = [f for f in pending if all(n in done or n not in _FAMILIES for n in f.demo_after)]
        if not ready:
            ordered.extend(pending)
            break
        first = ready[0]
        ordered.append(first)
        done.add(first.name)
        pending.remove(first)
    return ordered


def get(name: str) -> Family | None:
    return _FAMILIES.get(name)


def watched_models() -> dict[str, TouchedOrganizations]:
    """Every family's watched models, by "app_label.modelname"."""
    found: dict[str, TouchedOrganizations] = {}
    for family in families():
        found.update(family.watched)
    return found


def scope_watching(label: str) -> str | None:
    """The scope a change of the model "app_label.modelname" moves: the one its family names for it, else the
    family's name; None when no family watches it."""
    for family in families():
        if label in family.watched:
            return family.scopes.get(label, family.name)
    return None


def leader_panels() -> list[tuple[Family, Panel]]:
    """Every family's leader panels, in the panels' order."""
    found = [
        (f, panel)
        for f in families()
        for panel in ((f.leader_panel,) if f.leader_panel else ()) + f.leader_panels
    ]
    return sorted(found, key=lambda fp: (fp[1].order, fp[0].order, fp[0].name))


def page_actions(page: str, user: Any, record: Any) -> list[PageAction]:
    """The links the registered families add to `page` (e.g. "communication.meeting") for this user and record, in
    menu order: a page shows them without naming the families that give them."""
    return [
        action
        for family in families()
        if (provide := family.page_actions.get(page)) is not None
        for action in provide(user, record)
    ]
