import pytest


@pytest.fixture(autouse=True)
def _own_media_root(media_root):
    """Every test of this app writes uploads and PDFs to a folder of its own."""
