"""立项编号 under concurrent registration (第四条（一）: unique and gap-free per year) on PostgreSQL: threads, each with
its own database connection, register tasks at the same moment — some of them inside a transaction that is then
rolled back — and the numbers that remain are 1…n without a repeat or a gap. PostgreSQL only (SQLite serialises
every writer anyway): it runs in .ci/run's PostgreSQL pass, or with DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db>."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from supervision.models import SupervisedTask, TaskNumberCounter
from supervision.tests.factories import register

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 12


class Abandon(Exception):
    """Raised inside a registration's outer transaction to roll it back after its number was taken."""


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("numbering under concurrency is checked on PostgreSQL (DATABASE_URL=postgres://…)")


def test_concurrent_registrations_get_unique_gap_free_numbers(office, unit, leader):
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            start.wait(timeout=30)
            if i % 4 == 3:  # a registration that fails after taking its number: the number goes back
                try:
                    with transaction.atomic():
                        register(office, lead_unit=unit, leader=leader, title=f"放弃{i}")
                        raise Abandon
                except Abandon:
                    pass
            else:
                register(office, lead_unit=unit, leader=leader, title=f"并发{i}")
        except BaseException as error:  # noqa: BLE001 - reported below, with the thread's own connection closed
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    kept = THREADS - THREADS // 4
    sequences = sorted(SupervisedTask.objects.filter(year=2026).values_list("sequence", flat=True))
    assert sequences == list(range(1, kept + 1))
    numbers = set(SupervisedTask.objects.values_list("number", flat=True))
    assert numbers == {f"督〔2026〕{n}号" for n in range(1, kept + 1)}
    assert TaskNumberCounter.objects.get(year=2026).last == kept
    assert not SupervisedTask.objects.filter(title__startswith="放弃").exists()
