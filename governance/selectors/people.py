"""Reads about people and the positions they hold, shaped for the pages that show them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from governance.models import Person, Position


@dataclass(frozen=True)
class PersonPositions:
    """A person's positions on a day: those held then, and those that had already ended."""

    person: Person
    current: list[Position] = field(default_factory=list)
    past: list[Position] = field(default_factory=list)


def person_for_user(user: AbstractBaseUser | AnonymousUser) -> Person | None:
    """The person record linked to a login account, with their organization and its parent, or None."""
    if not user.is_authenticated:
        return None
    return Person.objects.select_related("organization__parent").filter(user_id=user.pk).first()


def positions_of(person: Person, *, on: dt.date) -> PersonPositions:
    """Every position of `person`, split into current and past on `on`, in two queries whatever their number.

    Positions that start after `on` (an appointment entered ahead of time) are neither current nor past.
    """
    positions = list(
        Position.objects.filter(person=person)
        .select_related("team__organization")
        .prefetch_related("areas")
        .order_by("-start", "order")
    )
    current = [p for p in positions if p.is_active_on(on)]
    past = [p for p in positions if p.end is not None and p.end < on]
    current.sort(key=lambda p: (p.team.organization.order, p.team.organization.code, p.order, p.start))
    return PersonPositions(person=person, current=current, past=past)


def leader_home(user: AbstractBaseUser | AnonymousUser, *, on: dt.date) -> PersonPositions | None:
    """What a leader's own home page shows: their person record and positions, or None when the account has no
    person linked to it yet."""
    person = person_for_user(user)
    if person is None:
        return None
    return positions_of(person, on=on)
