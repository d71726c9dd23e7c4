"""Every response gets a number within its hearing that is unique and has no gaps, also when many
citizens post in the same second (against PostgreSQL, with real concurrent transactions)."""

import threading

import pytest
from django.db import connection, transaction

from hearings import services
from hearings.models import Response
from tests.accounts.factories import VerifiedUserFactory
from tests.hearings.factories import HearingFactory

CONCURRENT = 24


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_get_numbers_1_to_n_exactly_once():
    hearing = HearingFactory()
    other = HearingFactory()
    users = [VerifiedUserFactory() for _ in range(CONCURRENT)]
    start = threading.Barrier(CONCURRENT)
    errors = []

    def submit(user, target_hearing):
        try:
            start.wait()
            services.submit_response(
                hearing=target_hearing, author=user, target_key="strategy", respondent_type="private",
                display_name=user.name, text=f"Svar fra {user.email}", consent=True,
            )  # fmt: skip
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=(u, hearing if i % 3 else other)) for i, u in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    for h in (hearing, other):
        numbers = sorted(Response.objects.filter(hearing=h).values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
        h.refresh_from_db()
        assert h.last_response_number == len(numbers)
    assert Response.objects.count() == CONCURRENT


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_submission_gives_its_number_back():
    hearing = HearingFactory()
    user = VerifiedUserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.submit_response(
            hearing=hearing, author=user, target_key="strategy", respondent_type="private",
            display_name="A", text="Rulles tilbage", consent=True,
        )  # fmt: skip
        raise RuntimeError("the request failed after the response was written")
    response = services.submit_response(
        hearing=hearing, author=user, target_key="strategy", respondent_type="private",
        display_name="A", text="Bliver stående", consent=True,
    )  # fmt: skip
    assert response.number == 1
