"""With a real Celery worker against the real Redis and PostgreSQL (not eager mode)."""

import pytest
from django.core import mail

from hearings import services
from hearings.models import Response
from tests.accounts.factories import VerifiedUserFactory
from tests.conftest import solo_worker, wait_for
from tests.hearings.factories import HearingFactory

REDIS_TEST_BROKER = "redis://127.0.0.1:6379/15"


@pytest.fixture
def worker(transactional_db):
    with solo_worker(REDIS_TEST_BROKER) as app:
        yield app


@pytest.mark.slow
def test_the_worker_sends_the_receipt_of_a_committed_response(worker):
    mail.outbox = []
    hearing = HearingFactory()
    citizen = VerifiedUserFactory()
    response = services.submit_response(
        hearing=hearing, author=citizen, target_key="strategy", respondent_type="private",
        display_name="Karen", text="Sendt gennem Redis", consent=True,
    )  # fmt: skip
    assert wait_for(lambda: Response.objects.get(pk=response.pk).receipt_sent_at is not None)
    assert [m.to for m in mail.outbox] == [[citizen.email]]
    assert "Sendt gennem Redis" in mail.outbox[0].body
