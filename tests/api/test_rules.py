"""What the API shows, rule by rule, as the public pages do: remarks and topics only once released, no
personal data from the removal date on, nothing of a draft strategy, the documents a citizen may
download, open data only for a closed hearing, and never a respondent's e-mail, address or account."""

import csv
import datetime as dt
import io
import json

import pytest
import time_machine
from django.utils import timezone

from documents import content as doc_content
from documents.models import RenderedDocument
from hearings import personal_data
from hearings import services as hearing_services
from tests.analysis.factories import TopicFactory, TopicResponseFactory
from tests.documents.factories import RenderedDocumentFactory
from tests.guard.attachment_factories import attach
from tests.hearings.factories import HearingFactory, add
from tests.moderation.factories import RemarkFactory

pytestmark = pytest.mark.django_db


def closed_unreleased(w, **kwargs):
    now = timezone.now()
    return HearingFactory(
        strategy=w.strategy,
        opens_at=now - dt.timedelta(days=20),
        closes_at=now - dt.timedelta(days=1),
        **kwargs,
    )


def response_json(client, response) -> dict:
    answer = client.get(f"/api/v1/responses/{response.pk}/")
    assert answer.status_code == 200
    return answer.json()


def test_remarks_and_topics_are_hidden_until_staff_release_them(client, w):
    hearing = closed_unreleased(w)
    response = add(hearing, text="Flere træer, tak.")
    RemarkFactory(response=response, text="Vi planter 100 træer.")
    topic = TopicFactory(hearing=hearing, title="Træer", remark="Træer plantes i 2027.", target_goal=w.goal)
    TopicResponseFactory(topic=topic, response=response)
    TopicResponseFactory(topic=topic, response=add(hearing, status="hidden"))
    topics_url = f"/api/v1/topics/?hearing={hearing.pk}"

    before = response_json(client, response)
    assert before["remark"] is None and before["topics"] == []
    assert client.get(topics_url).json()["results"] == []
    assert client.get(f"/api/v1/topics/{topic.pk}/").status_code == 404
    assert client.get(f"/api/v1/hearings/{hearing.pk}/").json()["remarks_public"] is False
    csv_before = client.get(f"/api/v1/hearings/{hearing.pk}/open-data.csv").content.decode("utf-8-sig")
    assert "Vi planter" not in csv_before and "Træer" not in csv_before

    hearing_services.release_remarks(hearing=hearing, actor=w.moderator)

    after = response_json(client, response)
    assert after["remark"]["text"] == "Vi planter 100 træer."
    assert after["remark"]["recommendation_label"]
    assert after["topics"] == [{"id": topic.pk, "title": "Træer"}]
    [listed] = client.get(topics_url).json()["results"]
    assert listed["remark"] == "Træer plantes i 2027."
    assert listed["response_count"] == 1  # the hidden response is not counted
    assert listed["target"] == {
        "kind": "goal",
        "id": w.goal.pk,
        "key": f"goal-{w.goal.pk}",
        "title": "Flere træer",
    }
    assert "change" not in listed
    assert "Vi planter" in client.get(f"/api/v1/hearings/{hearing.pk}/open-data.csv").content.decode(
        "utf-8-sig"
    )


def test_a_hearing_that_shows_remarks_as_written_shows_them_while_open(client, w):
    hearing = HearingFactory(strategy=w.strategy, remarks_as_written=True)
    response = add(hearing)
    RemarkFactory(response=response, text="Tak for svaret.")
    TopicFactory(hearing=hearing, title="Stier")
    assert response_json(client, response)["remark"]["text"] == "Tak for svaret."
    assert [t["title"] for t in client.get(f"/api/v1/topics/?hearing={hearing.pk}").json()["results"]] == [
        "Stier"
    ]
    remarkless = add(w.open)
    RemarkFactory(response=remarkless, text="Kladde")
    assert response_json(client, remarkless)["remark"] is None


def test_personal_data_is_left_out_from_the_removal_date_before_and_after_the_daily_task(client, w):
    now = timezone.now()
    hearing = closed_unreleased(w, personal_data_removal_on=(now + dt.timedelta(days=10)).date())
    response = add(
        hearing, display_name="Karen Borger", organisation_name="Grønne Testrup", postcode="2665", town="Vallensbæk",
        respondent_type="association",
    )  # fmt: skip
    attach(response, name="min-plan.pdf")
    shown = response_json(client, response)
    assert (shown["name"], shown["postcode"], shown["town"]) == ("Karen Borger", "2665", "Vallensbæk")
    assert [a["name"] for a in shown["attachments"]] == ["min-plan.pdf"]
    assert shown["personal_data_removed"] is False

    def assert_removed():
        data = response_json(client, response)
        assert (data["name"], data["postcode"], data["town"], data["attachments"]) == (None, None, None, [])
        assert data["organisation"] == "Grønne Testrup"  # organisations speak in public: they stay
        assert data["personal_data_removed"] is True
        files = [
            client.get(f"/api/v1/hearings/{hearing.pk}/open-data.{k}").content.decode("utf-8-sig")
            for k in ("json", "csv")
        ]
        for text in files:
            assert "Karen" not in text and "2665" not in text and "min-plan" not in text

    with time_machine.travel(now + dt.timedelta(days=10, hours=1)):
        assert_removed()  # the removal date has come; the daily task has not run yet
        assert personal_data.remove_expired_personal_data() == 1
        assert_removed()


def test_nothing_of_a_draft_strategy_is_shown(client, w):
    response = add(w.draft_hearing, text="Svar i kladden")
    assert client.get(f"/api/v1/strategies/{w.draft_hearing.strategy_id}/").status_code == 404
    assert client.get(f"/api/v1/hearings/{w.draft_hearing.pk}/").status_code == 404
    assert client.get(f"/api/v1/responses/{response.pk}/").status_code == 404
    assert client.get(f"/api/v1/hearings/{w.draft_hearing.pk}/open-data.json").status_code == 404
    everything = "".join(
        client.get(f"/api/v1/{name}/").content.decode() for name in ("strategies", "hearings", "responses")
    )
    assert "kladde" not in everything.lower()


def test_a_strategy_has_its_sections_goals_on_two_levels_and_themes(client, w):
    [strategy] = client.get("/api/v1/strategies/").json()["results"]
    [section] = strategy["sections"]
    assert section["label"] == "Tema 1" and section["title"] == "Grøn by"
    assert section["goals"] == [
        {"id": w.goal.pk, "position": 1, "text": "Flere træer",
         "goals": [{"id": w.child_goal.pk, "position": 2, "text": "100 træer om året"}]},
    ]  # fmt: skip
    assert section["themes"] == [
        {
            "id": w.theme.pk,
            "position": 1,
            "question": "Hvor skal træerne stå?",
            "sub_questions": ["I parken", "Ved skolen"],
        }
    ]


def test_a_response_carries_no_e_mail_address_account_or_receipt_id(client, w, citizen):
    response = add(w.closed, author=citizen, target_section=w.section, postcode="2665", town="Vallensbæk")
    data = response_json(client, response)
    assert set(data) == {
        "id", "hearing", "number", "date", "respondent_type", "respondent_type_label", "name", "organisation",
        "postcode", "town", "personal_data_removed", "target", "text", "attachments", "remark", "topics",
        "is_demo", "url",
    }  # fmt: skip
    text = json.dumps(data)
    assert citizen.email not in text and str(response.public_id) not in text and "author" not in text
    assert data["target"] == {
        "kind": "section",
        "id": w.section.pk,
        "key": f"section-{w.section.pk}",
        "title": "Tema 1: Grøn by",
    }
    assert data["url"] == f"http://testserver{response.get_absolute_url()}"


def test_documents_are_the_proposal_and_the_summary_once_published_after_closing(client, w):
    hearing = closed_unreleased(w)
    done = {"status": RenderedDocument.Status.DONE, "finished_at": timezone.now()}
    proposal = RenderedDocumentFactory(hearing=hearing, kind="proposal", file="documents/x/p.pdf", **done)
    RenderedDocumentFactory(hearing=hearing, kind="summary", is_draft=True, file="documents/x/d.pdf", **done)
    RenderedDocumentFactory(hearing=hearing, kind="proposal", status=RenderedDocument.Status.FAILED)
    RenderedDocumentFactory(hearing=w.draft_hearing, kind="proposal", file="documents/x/k.pdf", **done)

    def listed():
        return {d["id"] for d in client.get("/api/v1/documents/").json()["results"]}

    assert listed() == {proposal.pk}
    assert [d["kind"] for d in client.get(f"/api/v1/hearings/{hearing.pk}/").json()["documents"]] == [
        "proposal"
    ]

    hearing.summary_published_at = timezone.now()
    hearing.save(update_fields=["summary_published_at"])
    summary = RenderedDocumentFactory(
        hearing=hearing, kind="summary", is_draft=False, file="documents/x/s.pdf", **done
    )
    assert listed() == {proposal.pk, summary.pk}
    kinds = {d["kind"]: d for d in client.get(f"/api/v1/hearings/{hearing.pk}/").json()["documents"]}
    assert kinds["summary"]["url"] == f"http://testserver/hoeringer/{hearing.pk}/hoeringsnotat.pdf"
    row = client.get(f"/api/v1/documents/{summary.pk}/").json()
    assert row["url"] == f"http://testserver/hoeringer/{hearing.pk}/dokumenter/{summary.pk}/fil/"
    assert row["current"] is False  # made from another fingerprint than the hearing's content now
    now_edition = doc_content.edition(hearing=hearing, kind="proposal")
    current = RenderedDocumentFactory(
        hearing=hearing,
        kind="proposal",
        file="documents/x/c.pdf",
        fingerprint=now_edition.fingerprint,
        **done,
    )
    assert client.get(f"/api/v1/documents/{current.pk}/").json()["current"] is True


def test_open_data_is_for_closed_hearings_only(client, w):
    assert client.get(f"/api/v1/hearings/{w.open.pk}/").json()["open_data"] is None
    refused = client.get(f"/api/v1/hearings/{w.open.pk}/open-data.csv")
    assert refused.status_code == 404
    assert refused.json()["detail"] == "Åbne data for en høring kan hentes, når høringen er lukket."
    links = client.get(f"/api/v1/hearings/{w.closed.pk}/").json()["open_data"]
    assert links == {
        "json": f"http://testserver/api/v1/hearings/{w.closed.pk}/open-data.json",
        "csv": f"http://testserver/api/v1/hearings/{w.closed.pk}/open-data.csv",
    }


def test_the_csv_has_a_bom_a_header_row_and_no_formula(client, w):
    add(w.closed, display_name="=HYPERLINK(\"http://x\")", organisation_name="+45 1234", town="@SUM(A1)",
        text="-2+3 er ikke en formel", respondent_type="business")  # fmt: skip
    answer = client.get(f"/api/v1/hearings/{w.closed.pk}/open-data.csv")
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert answer["Content-Disposition"] == f'attachment; filename="hoeringssvar-{w.closed.pk}.csv"'
    assert answer.content.startswith(b"\xef\xbb\xbf")
    header, row = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    assert header[:4] == ["number", "date", "respondent_type", "respondent_type_label"]
    cells = dict(zip(header, row, strict=True))
    assert cells["name"] == '\'=HYPERLINK("http://x")'
    assert cells["organisation"] == "'+45 1234"
    assert cells["town"] == "'@SUM(A1)"
    assert cells["text"] == "'-2+3 er ikke en formel"
    assert cells["respondent_type_label"] == "Virksomhed"


def test_the_json_file_is_the_hearing_and_its_published_responses(client, w):
    first = add(w.closed, text="Et")
    add(w.closed, status="pending", text="To")
    answer = client.get(f"/api/v1/hearings/{w.closed.pk}/open-data.json")
    assert answer["Content-Disposition"] == f'attachment; filename="hoeringssvar-{w.closed.pk}.json"'
    data = answer.json()
    assert data["hearing"]["id"] == w.closed.pk
    assert [r["number"] for r in data["responses"]] == [first.number]
    assert data["responses"][0] == response_json(client, first)


def test_the_hearing_page_links_the_open_data_once_the_hearing_has_closed(client, w):
    html = client.get(w.closed.get_absolute_url()).content.decode()
    assert "Åbne data" in html
    assert f"/api/v1/hearings/{w.closed.pk}/open-data.csv" in html
    assert f"/api/v1/hearings/{w.closed.pk}/open-data.json" in html
    assert "Åbne data" not in client.get(w.open.get_absolute_url()).content.decode()
