"""What every communication service shares: the core's domain error (re-exported), citations, and who may name whom
in a record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from communication.permissions import person_of
from communication.selectors import teammate_ids
from governance.errors import DomainError, clean_or_refuse
from governance.models import Person
from governance.roles import is_office

__all__ = [
    "DomainError",
    "clean_or_refuse",
    "refuse_invalid_fields",
    "refuse_unless_office",
    "refuse_unnamable",
    "regulation_title",
]


# The regulation each organization kind follows for pre-meeting consultation. A university follows its own 001; a
# college follows 000; 001 第四条 (各二级单位……参照本制度执行) covers the other secondary units.
REGULATION_TITLES = {
    "000": "关于建立学院党政领导经常性沟通机制的暂行办法",
    "001": "广西师范大学校领导班子成员沟通交流制度",
}


def regulation_title(code: str, organization: Any = None) -> str:
    """The title `organization` cites regulation `code` by: its own regulation modelled on it (adopted by it or by the
    organization above it), else the shipped regulation as stored (load_regulations), else the seed's own title."""
    from governance.selectors.regulations import regulation_in_force

    stored = regulation_in_force(code=code, organization=organization)
    return stored.title if stored is not None else REGULATION_TITLES.get(code, code)


def refuse_unless_office(user: Any, message: str) -> None:
    """Office-only actions (meetings are kept by the office, 001 三（八）、000 五（二）; agenda items and their
    consultation, 000 四（一）、001 三（三）) are refused to anyone else, whatever page or script calls them."""
    if user is None or not is_office(user):
        raise DomainError(message)


def refuse_unnamable(user: Any, people: Iterable[Person | None], *, on: dt.date, field: str) -> None:
    """Who may be named in a record (issue 7, hole 1): the office anyone; a leader only people who sat on a
    leadership team with them on the record's date `on` (and themself). A query string or a forged form never
    widens this: the refusal names whoever may not be named."""
    if is_office(user):
        return
    me = person_of(user)
    named = {p.pk: p for p in people if p is not None}
    if not named:
        return
    allowed = teammate_ids(me, on) if me is not None else set()
    if me is not None:
        allowed.add(me.pk)
    outsiders = [p for pk, p in named.items() if pk not in allowed]
    if outsiders:
        raise DomainError(
            {
                field: _(
                    "%(names)s在%(date)s不是您所在领导班子的成员，不能列入这条记录；"
                    "其他班子的记录由其成员或党委办公室登记。"
                )
                % {
                    "names": "、".join(sorted(p.name for p in outsiders)),
                    "date": date_format(on, "DATE_FORMAT"),
                }
            }
        )


def refuse_invalid_fields(obj: Any, *names: str) -> None:
    """Check only the named fields of `obj` (their length, their dates): for a service that changes a few fields of
    a record without re-checking the rest of it."""
    others = [f.name for f in obj._meta.fields if f.name not in names]
    try:
        obj.clean_fields(exclude=others)
    except ValidationError as error:
        raise DomainError(error.error_dict) from error
