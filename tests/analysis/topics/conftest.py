import pytest

from tests.accounts.factories import staff_users
from tests.hearings.factories import HearingFactory, add


@pytest.fixture
def hearing(open_hearing):
    """Vallensbæk's open hearing on the whole strategy, with four published responses."""
    for text in ("Flere cykelstier, tak.", "Bevar skoven.", "Mere trafiksikkerhed ved skolen.", "Tak."):
        add(open_hearing, text=text)
    return open_hearing


@pytest.fixture
def responses(hearing):
    return list(hearing.responses.order_by("number"))


@pytest.fixture
def other_hearing(vallensbaek):
    """Another hearing of the same municipality, with one response."""
    other = HearingFactory(strategy=vallensbaek, title="Anden høring")
    add(other, text="Et svar i en anden høring.")
    return other


@pytest.fixture
def users(vallensbaek, billund):
    return staff_users(vallensbaek.municipality, billund.municipality)
