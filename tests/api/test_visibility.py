"""Property: whatever mix of statuses, redactions, attachments and remarks a hearing's responses have, the
API (list and detail) and the open-data files (JSON and CSV) show exactly the published responses, each
as its public page shows it: a redacted passage never (only the marker), an unpublished response never,
an attachment only when it is public, the remark of a published response (the hearing shows remarks).

Each example runs in a savepoint of the test's transaction and is rolled back."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guard import services as guard_services
from guard.models import REDACTION_MARKER, Redaction
from tests.guard.attachment_factories import attach
from tests.hearings.factories import add
from tests.moderation.factories import RemarkFactory

pytestmark = pytest.mark.django_db

STATUSES = ["pending", "published", "rejected", "hidden", "withdrawn"]
PUBLICATIONS = [None, "public", "checking", "held", "withheld"]


class Rollback(Exception):
    pass


response_spec = st.fixed_dictionaries(
    {
        "status": st.sampled_from(STATUSES),
        "redact_text": st.booleans(),
        "redact_name": st.booleans(),
        "attachment": st.sampled_from(PUBLICATIONS),
        "remark": st.booleans(),
    }
)


def make(hearing, moderator, i: int, spec: dict):
    """Response ``i`` as ``spec`` says, with words the outputs are searched for: SECRET<i>X (redacted when
    ``redact_text``), HIDDENNAME<i>X in the name (redacted when ``redact_name``), UNPUBLISHED<i>X in the
    text of a response that is not published, SHOWN<i>X in every text."""
    published = spec["status"] == "published"
    text = f"Svar {i}: SHOWN{i}X og SECRET{i}X." + ("" if published else f" UNPUBLISHED{i}X.")
    response = add(hearing, status=spec["status"], text=text, display_name=f"Borger HIDDENNAME{i}X")
    parts = []
    if spec["redact_text"]:
        start = text.index(f"SECRET{i}X")
        parts.append(guard_services.RedactionPart("text", [(start, start + len(f"SECRET{i}X"))], "cpr"))
    if spec["redact_name"]:
        start = response.display_name.index("HIDDENNAME")
        parts.append(
            guard_services.RedactionPart("display_name", [(start, len(response.display_name))], "person")
        )
    if parts:
        guard_services.redact_response(response=response, actor=moderator, parts=parts)
    if spec["attachment"]:
        attach(response, name=f"BILAG{i}{spec['attachment']}X.pdf", publication=spec["attachment"])
    if spec["remark"]:
        RemarkFactory(response=response, text=f"REMARK{i}X")
    return response


def outputs(client, hearing, responses) -> tuple[str, dict[int, str], list[int]]:
    """Everything the API and the open-data files say about ``hearing``'s responses, each response's
    detail answer, and the numbers the list shows."""
    listed = client.get("/api/v1/responses/", {"hearing": hearing.pk, "page_size": 200})
    assert listed.status_code == 200
    details = {}
    for response in responses:
        answer = client.get(f"/api/v1/responses/{response.pk}/")
        assert answer.status_code in (200, 404)
        details[response.pk] = answer.content.decode() if answer.status_code == 200 else None
    files = [client.get(f"/api/v1/hearings/{hearing.pk}/open-data.{kind}") for kind in ("json", "csv")]
    assert [f.status_code for f in files] == [200, 200]
    everything = "\n".join(
        [
            listed.content.decode(),
            *(d for d in details.values() if d),
            *(f.content.decode("utf-8-sig") for f in files),
        ]
    )
    return everything, details, [row["number"] for row in listed.json()["results"]]


@pytest.mark.slow
def test_nothing_unpublished_and_no_redacted_original_ever_leaves_the_api(client, w):
    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(specs=st.lists(response_spec, max_size=5))
    def check(specs):
        try:
            with transaction.atomic():
                responses = [make(w.closed, w.moderator, i, spec) for i, spec in enumerate(specs)]
                everything, details, numbers = outputs(client, w.closed, responses)
                published = [r for r in responses if r.status == "published"]
                assert numbers == sorted(r.number for r in published)
                originals = list(
                    Redaction.objects.filter(response__hearing=w.closed).values_list("original", flat=True)
                )
                for i, (spec, response) in enumerate(zip(specs, responses, strict=True)):
                    shown = spec["status"] == "published"
                    assert (details[response.pk] is not None) == shown
                    assert f"UNPUBLISHED{i}X" not in everything
                    assert (f"SHOWN{i}X" in everything) == shown
                    assert (f"SECRET{i}X" in everything) == (shown and not spec["redact_text"])
                    assert (f"HIDDENNAME{i}X" in everything) == (shown and not spec["redact_name"])
                    if shown and (spec["redact_text"] or spec["redact_name"]):
                        assert REDACTION_MARKER in details[response.pk]
                    public_file = shown and spec["attachment"] == "public"
                    assert (f"BILAG{i}" in everything) == public_file
                    assert (f"REMARK{i}X" in everything) == (shown and spec["remark"])
                for original in originals:  # a redacted field's value before, whole, is nowhere
                    assert original not in everything
                raise Rollback
        except Rollback:
            pass

    check()
