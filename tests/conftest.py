import datetime as dt
import time
from contextlib import contextmanager

import pytest
from django.utils import timezone

from hearings.models import Hearing
from strategies.models import Municipality, Strategy
from tests.accounts.factories import VerifiedUserFactory, staff
from tests.hearings.factories import HearingFactory
from tests.seed import load_seed


@pytest.fixture
def seed(db):
    """Both seed strategies, as ``manage.py load_strategies`` writes them: through its service once per
    process, copied row for row after that (tests/seed.py)."""
    return load_seed()


@pytest.fixture
def billund(seed) -> Strategy:
    return Strategy.objects.get(municipality__slug="billund")


@pytest.fixture
def vallensbaek(seed) -> Strategy:
    return Strategy.objects.get(municipality__slug="vallensbaek")


@pytest.fixture
def vallensbaek_municipality(seed) -> Municipality:
    return Municipality.objects.get(slug="vallensbaek")


@contextmanager
def celery_broker(url: str, *, eager: bool = False):
    """Point the Celery app at another broker for one test (the suite runs tasks eagerly otherwise)."""
    from portal.celery import app

    def reset(broker, always_eager):
        app.conf.broker_url = broker
        app.conf.task_always_eager = always_eager
        # Connections and producers of the previous broker must not be reused (what Celery itself
        # resets after a fork, see Celery._after_fork).
        app._pool = None
        app.amqp._producer_pool = None
        # A worker started with queues=[...] narrows the app's own queue selection (Queues.select), and
        # that outlives the test: a worker started later without queues would not read 'celery'.
        app.amqp.queues.select([app.conf.task_default_queue])

    reset(url, eager)
    try:
        yield app
    finally:
        reset("memory://", True)


@contextmanager
def solo_worker(url: str, *, queues: list[str] | None = None, shutdown_timeout: float = 10):
    """A real Celery worker (solo pool, in a thread) on a purged broker at ``url``, for one test."""
    from celery.contrib.testing.worker import start_worker

    with celery_broker(url) as app:
        app.control.purge()
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=queues, shutdown_timeout=shutdown_timeout
        ):
            yield app


def data_for_a_class(django_db_blocker, build):
    """Generator for a class-scoped fixture: ``build()`` once, in a transaction around the class's tests,
    for data they all start from (what Django's ``TestCase.setUpTestData`` does)::

        @pytest.fixture(scope="class")
        def shared(django_db_setup, django_db_blocker):
            yield from data_for_a_class(django_db_blocker, build)

    Each test's own transaction (pytest-django's ``db``) is a savepoint in this one and is rolled back
    after the test, so every test starts from exactly what ``build()`` wrote; this one is rolled back after
    the class. The objects ``build()`` returns are shared: a test may change rows, not those objects, and
    must not rely on what a previous test left in a cache (``cache.clear()`` first where pages are cached).
    """
    from django.test import TestCase

    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()  # the atomic blocks of TestCase.setUpClass, as for setUpTestData
        try:
            data = build()
        except BaseException:
            TestCase._rollback_atomics(atomics)
            raise
    try:
        yield data
    finally:
        with django_db_blocker.unblock():
            TestCase._rollback_atomics(atomics)


def wait_for(predicate, timeout: float = 20.0, every: float = 0.1):
    """Poll ``predicate`` until it returns something truthy (returned) or ``timeout`` seconds pass (None):
    for what a real worker does in its own time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    return None


# --- Fixtures of the apps' tests -----------------------------------------------------------------------


@pytest.fixture
def citizen(db):
    return VerifiedUserFactory(name="Karen Borger")


@pytest.fixture
def open_hearing(vallensbaek) -> Hearing:
    now = timezone.now()
    return HearingFactory(
        strategy=vallensbaek, title="Høring om Kommuneplanstrategi 2018",
        opens_at=now - dt.timedelta(days=3), closes_at=now + dt.timedelta(days=10),
    )  # fmt: skip


@pytest.fixture
def section5(vallensbaek):
    return vallensbaek.sections.get(number=5)


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads and PDFs in a folder of the test's own (the app folders' conftest use it for every test)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def moderator(vallensbaek):
    return staff(vallensbaek.municipality, "moderator", "moderator@vallensbaek.dk", name="Mads Moderator")


@pytest.fixture
def editor(vallensbaek):
    return staff(vallensbaek.municipality, "editor", "redaktoer@vallensbaek.dk", name="Rikke Redaktør")


@pytest.fixture
def billund_hearing(billund):
    return HearingFactory(strategy=billund, title="Billunds høring", moderation=Hearing.Moderation.PRE)


@pytest.fixture
def pre_hearing(open_hearing):
    open_hearing.moderation = Hearing.Moderation.PRE
    open_hearing.save(update_fields=["moderation"])
    return open_hearing
