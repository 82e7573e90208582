"""Periodic supervision rounds (第三条（一）: 定期督查主要针对学校年度重点工作的完成情况，原则上每半年进行一次)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from governance.errors import DomainError, clean_or_refuse
from governance.models import Organization
from supervision.models import SupervisedTask, SupervisionRound, TaskAction

from .tasks import _event, _refuse_unless_office


@transaction.atomic
def round_record(
    *,
    user: Any,
    organization: Organization,
    held_on: dt.date,
    title: str,
    findings: str,
    tasks: Iterable[SupervisedTask] = (),
) -> SupervisionRound:
    """The office records a round, with the open tasks it checked; each checked task's timeline says so."""
    _refuse_unless_office(user, _("定期督查由督查小组（党委办公室）开展并登记（第三条（一））。"))
    if organization.kind != Organization.Kind.UNIVERSITY:
        raise DomainError({"organization": _("定期督查由学校开展，请选择学校。")})
    tasks = list(tasks)
    if not (findings or "").strip():
        raise DomainError({"findings": _("请写明督查情况：年度重点工作的完成情况、发现的问题和要求。")})
    record = SupervisionRound(
        recorded_by=user,
        organization=organization,
        held_on=held_on,
        title=(title or "").strip(),
        findings=findings.strip(),
    )
    clean_or_refuse(record)
    record.save()
    record.tasks.set(tasks)
    for task in tasks:
        _event(
            task, action=TaskAction.URGE, user=user, note=_("定期督查：%(title)s") % {"title": record.title}
        )
    return record
