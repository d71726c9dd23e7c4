import pytest

from tests.hearings.factories import add

LETTER = (
    "Vi er imod at skolen i Vallensbæk Landsby lukkes. Skolen er hjertet i vores lokalsamfund, og børnene "
    "skal kunne gå og cykle sikkert i skole. Kommunen bør i stedet investere i nye faglokaler og en bedre "
    "skolegård, så flere familier vil flytte hertil. Vi opfordrer byrådet til at bevare skolen."
)


def copy_of(letter: str, addition: str = "") -> str:
    """A form letter as a citizen sends it: the text with a sentence of their own."""
    return f"{letter} {addition}".strip()


@pytest.fixture
def letter() -> str:
    return LETTER


@pytest.fixture
def respond(open_hearing):
    """respond(text, **fields): a response of the open hearing, numbered after the last one."""

    def make(text: str, hearing=None, **kwargs):
        return add(hearing or open_hearing, text=text, **kwargs)

    return make
