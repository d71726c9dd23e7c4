"""A response is analysed by a task after its commit, never in the request."""

import pytest

from analysis import tasks
from analysis.models import Signature
from hearings import services
from hearings.models import Response
from tests.analysis.campaigns.conftest import copy_of
from tests.conftest import solo_worker, wait_for

REDIS_TEST_BROKER = "redis://127.0.0.1:6379/15"


def submit(hearing, author, text):
    return services.submit_response(
        hearing=hearing, author=author, target_key="strategy", respondent_type="private",
        display_name="Karen", text=text, consent=True,
    )  # fmt: skip


def test_a_submitted_response_is_analysed_after_the_commit(open_hearing, citizen, letter, settings,
                                                           django_capture_on_commit_callbacks):  # fmt: skip
    settings.ANALYSIS_IN_BACKGROUND = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = submit(open_hearing, citizen, letter)
    assert not Signature.objects.filter(response=response).exists()  # not in the request
    for callback in callbacks:
        callback()  # the commit: the task runs (eagerly in the test settings)
    assert Signature.objects.filter(response=response).exists()


def test_a_withdrawn_response_is_analysed_again(open_hearing, citizen, letter, settings,
                                                django_capture_on_commit_callbacks):  # fmt: skip
    settings.ANALYSIS_IN_BACKGROUND = True
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(open_hearing, citizen, letter)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_response(response=response, user=citizen)
    assert not Signature.objects.filter(response=response).exists()


def test_nothing_is_enqueued_when_the_background_analysis_is_off(open_hearing, citizen, letter, settings,
                                                                  django_capture_on_commit_callbacks):  # fmt: skip
    settings.ANALYSIS_IN_BACKGROUND = False
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(open_hearing, citizen, letter)
    assert not Signature.objects.filter(response=response).exists()


def test_the_tasks_are_idempotent_and_ignore_what_is_gone(open_hearing, citizen, letter):
    response = submit(open_hearing, citizen, letter)
    tasks.analyse_response(response.pk)
    tasks.analyse_response(response.pk)
    tasks.analyse_hearing(open_hearing.pk)
    tasks.analyse_hearing(open_hearing.pk)
    assert Signature.objects.filter(response=response).count() == 1
    tasks.analyse_response(10**9)
    tasks.analyse_hearing(10**9)


@pytest.fixture
def worker(transactional_db, settings):
    settings.ANALYSIS_IN_BACKGROUND = True
    with solo_worker(REDIS_TEST_BROKER) as app:
        yield app


@pytest.mark.slow
def test_a_real_worker_puts_a_new_copy_into_its_campaign(worker, vallensbaek, letter):
    from tests.accounts.factories import VerifiedUserFactory
    from tests.hearings.factories import HearingFactory

    hearing = HearingFactory(strategy=vallensbaek)
    first = submit(hearing, VerifiedUserFactory(), copy_of(letter, "Jeg har boet her i 12 år."))
    second = submit(hearing, VerifiedUserFactory(), copy_of(letter, "Mine to børn går på skolen."))
    campaign = wait_for(lambda: Signature.objects.filter(response=second, campaign__isnull=False).first())
    assert campaign is not None
    assert Signature.objects.get(response=first).campaign_id == campaign.campaign_id
    assert Response.objects.filter(hearing=hearing).count() == 2


def test_a_deleted_accounts_pending_response_leaves_its_campaign_and_removed_personal_data_does_not(
    open_hearing, letter, settings, django_capture_on_commit_callbacks
):
    import datetime as dt

    from accounts.personal_data import delete_account
    from analysis import campaigns
    from analysis.models import Campaign
    from hearings.personal_data import remove_expired_personal_data
    from tests.accounts.factories import VerifiedUserFactory
    from tests.hearings.factories import add

    author = VerifiedUserFactory()
    for n in range(3):
        add(open_hearing, text=copy_of(letter, f"Hilsen nr. {n}."))
    pending = add(open_hearing, status="pending", author=author, text=copy_of(letter, "Min egen hilsen."))
    campaigns.analyse_hearing(hearing_id=open_hearing.pk)
    assert Campaign.objects.get(hearing=open_hearing).members.count() == 4
    settings.ANALYSIS_IN_BACKGROUND = True
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user=author)
    assert Campaign.objects.get(hearing=open_hearing).members.count() == 3
    assert not Signature.objects.filter(response=pending).exists()
    open_hearing.personal_data_removal_on = dt.date(2020, 1, 1)
    open_hearing.save(update_fields=["personal_data_removal_on"])
    with django_capture_on_commit_callbacks(execute=True):
        remove_expired_personal_data()
    assert Campaign.objects.get(hearing=open_hearing).members.count() == 3
