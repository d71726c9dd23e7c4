"""Factories of the documents app."""

import factory

from documents.models import RenderedDocument
from tests.hearings.factories import HearingFactory


class RenderedDocumentFactory(factory.django.DjangoModelFactory):
    """A document record as the services leave it; a file only when the test gives one."""

    class Meta:
        model = RenderedDocument

    hearing = factory.SubFactory(HearingFactory)
    kind = RenderedDocument.Kind.SUMMARY
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")
