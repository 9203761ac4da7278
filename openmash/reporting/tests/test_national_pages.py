"""The national view's pages through HTTP: who may see and import, the figures (suppressed
cells honestly left out), the CSV downloads, and that no page reads casework."""

import copy
import csv
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from openmash.reporting.models import ImportedReturn
from openmash.reporting.national import synthetic
from openmash.reporting.national.services import return_import
from openmash.reporting.tests.test_national_urlconf import NATIONAL_URLCONF
from openmash.testing.world import World, contact_make

pytestmark = pytest.mark.urls(NATIONAL_URLCONF)
BASE = "/reporting/national/"
PAGES = ["", "benchmark", "trends", "returns", "overview/rates.csv", "returns.csv"]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def cell(value: int | None) -> dict[str, Any]:
    return {"value": value, "suppressed": value is None}


@pytest.fixture
def loaded(world: World) -> list[dict[str, Any]]:
    docs = list(synthetic.returns(4, 3, seed=11))
    for doc in docs:
        return_import(actor=world.analyst, document=doc)
    return docs


@pytest.mark.parametrize(
    ("role", "sees", "imports"),
    [
        ("analyst", True, True),
        ("admin", True, True),
        ("practitioner", True, False),
        ("manager", True, False),
        ("auditor", True, False),
        ("referrer", False, False),
        ("police", False, False),
    ],
)
def test_who_sees_and_who_imports(
    world: World, loaded: list[dict[str, Any]], role: str, sees: bool, imports: bool
) -> None:
    client = client_for(world.users()[role])
    for page in PAGES:
        assert client.get(BASE + page).status_code == (200 if sees else 403), page
    assert client.get(BASE + "import").status_code == (200 if imports else 403)
    upload = SimpleUploadedFile("r.json", json.dumps(loaded[0]).encode(), "application/json")
    response = client.post(BASE + "import", {"returns": [upload]})
    assert response.status_code == (302 if imports else 403)


def test_signed_out_users_are_sent_to_sign_in(loaded: list[dict[str, Any]]) -> None:
    response = Client().get(BASE)
    assert response.status_code == 302
    assert "sign-in" in response["Location"] or "login" in response["Location"]


def test_an_empty_national_view_says_so(world: World) -> None:
    response = client_for(world.analyst).get(BASE)
    assert response.status_code == 200
    assert "No monthly returns have been imported yet" in response.content.decode()


def test_overview_totals_leave_out_suppressed_cells_and_say_at_least(world: World) -> None:
    docs = list(synthetic.returns(2, 1, seed=4))
    docs[0]["contacts"]["total"] = cell(120)
    docs[1]["contacts"]["total"] = cell(None)
    for doc in docs:
        for group in ("by_source", "by_rag", "by_level", "by_outcome"):
            doc["contacts"][group] = {"a": cell(None), "b": cell(None)}
        return_import(actor=world.analyst, document=doc)
    page = client_for(world.analyst).get(BASE).content.decode()
    assert "At least 120 (1 hub-month with fewer than 5 contacts was suppressed" in page
    assert '[c]<span class="govuk-visually-hidden"> suppressed</span>' in page
    rows = list(
        csv.reader(
            io.StringIO(
                client_for(world.analyst)
                .get(BASE + "overview/contacts-by-month.csv")
                .content.decode()
                .lstrip("\ufeff")
            )
        )
    )
    assert rows == [
        ["Month", "Contacts (Contacts)", "Contacts note"],
        ["Apr 2023", "120", "at least"],
    ]


def test_national_rates_pool_published_figures(world: World) -> None:
    docs = list(synthetic.returns(2, 1, seed=4))
    docs[0]["on_time"]["screening"] = {
        "numerator": cell(30),
        "denominator": cell(40),
        "percent": 75.0,
    }
    docs[1]["on_time"]["screening"] = {
        "numerator": cell(None),
        "denominator": cell(6),
        "percent": None,
    }
    for doc in docs:
        return_import(actor=world.analyst, document=doc)
    response = client_for(world.analyst).get(BASE + "overview/rates.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert 'filename="rates-2023-04-to-2023-04.csv"' in response["Content-Disposition"]
    rows = {r[0]: r for r in csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff")))}
    assert rows["Screened on time"][1:] == ["75.0", "1"]


def test_benchmark_ranks_hubs_and_marks_the_chosen_one(
    world: World, loaded: list[dict[str, Any]]
) -> None:
    hub = loaded[0]["hub"]
    client = client_for(world.analyst)
    response = client.get(BASE + "benchmark", {"measure": "hours_to_decision", "hub": hub["code"]})
    page = response.content.decode()
    assert "Mean working hours to decision" in page
    assert "Median hub" in page and "lower is better" in page
    assert 'font-weight="bold"' in page  # the chosen hub stands out
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(BASE + "benchmark/benchmark.csv", {"measure": "hours_to_decision"})
                .content.decode()
                .lstrip("\ufeff")
            )
        )
    )
    assert rows[0][0] == "Hub" and rows[0][2:4] == ["Rank", "Quartile"]
    values = [float(r[1]) for r in rows[1:] if r[1] != "[c]"]
    assert values == sorted(values), "lower is better: best first"
    assert [r[2] for r in rows[1:]] == ["1", "2", "3", "4"]


def test_trends_show_a_hub_against_all_hubs(world: World, loaded: list[dict[str, Any]]) -> None:
    hub = loaded[0]["hub"]
    client = client_for(world.analyst)
    page = client.get(BASE + "trends", {"measure": "screened_on_time", "hub": hub["code"]})
    text = page.content.decode()
    assert f"{hub['name']} and all hubs" in text
    assert "Error bars show 95% confidence intervals" in text
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    BASE + "trends/trend.csv", {"measure": "screened_on_time", "hub": hub["code"]}
                )
                .content.decode()
                .lstrip("\ufeff")
            )
        )
    )
    assert rows[0][:3] == ["Month", "All hubs (Per cent)", f"{hub['name']} (Per cent)"]
    assert [r[0] for r in rows[1:]] == ["Apr 2023", "May 2023", "Jun 2023"]


def test_filters_that_make_no_sense_are_shown_as_errors(
    world: World, loaded: list[dict[str, Any]]
) -> None:
    client = client_for(world.analyst)
    response = client.get(BASE, {"from_month": "2023-06", "to_month": "2023-04"})
    assert response.status_code == 422
    assert "The end month must be the same as or after the start month" in response.content.decode()
    assert client.get(BASE + "benchmark", {"measure": "nonsense"}).status_code == 422
    assert client.get(BASE + "overview/nonsense.csv").status_code == 404
    assert client.get(BASE + "elsewhere/rates.csv").status_code == 404


def test_the_returns_list_and_its_csv(world: World, loaded: list[dict[str, Any]]) -> None:
    client = client_for(world.manager)
    page = client.get(BASE + "returns", {"from_month": "2023-04", "to_month": "2023-06"})
    assert "12 returns for April 2023 to June 2023" in page.content.decode()
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(BASE + "returns.csv", {"from_month": "2023-04", "to_month": "2023-06"})
                .content.decode()
                .lstrip("\ufeff")
            )
        )
    )
    assert len(rows) == 13 and rows[0][:3] == ["Hub code", "Hub", "Month"]


def test_import_page_lists_each_refused_file_and_imports_the_rest(world: World) -> None:
    docs = list(synthetic.returns(2, 1, seed=9))
    bad = copy.deepcopy(docs[1])
    bad["period"]["end"] = "2023-04-02"
    client = client_for(world.analyst)
    files = [
        SimpleUploadedFile("good.json", json.dumps(docs[0]).encode()),
        SimpleUploadedFile("bad.json", json.dumps(bad).encode()),
        SimpleUploadedFile("junk.json", b"not json"),
    ]
    response = client.post(BASE + "import", {"returns": files})
    assert response.status_code == 422
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "bad.json was refused: 1 problem" in page
    assert "junk.json was refused: 1 problem" in page
    assert "$.period.end: The period ends on 2023-04-02" in page
    assert ImportedReturn.objects.count() == 1

    response = client.post(BASE + "import", {})
    assert response.status_code == 422
    assert "Choose at least one return to upload" in response.content.decode()

    response = client.post(
        BASE + "import",
        {"returns": [SimpleUploadedFile("good.json", json.dumps(docs[0]).encode())]},
        follow=True,
    )
    assert "1 return read: 0 new, 0 replaced, 1 unchanged." in response.content.decode()


def test_national_pages_never_read_casework(world: World, loaded: list[dict[str, Any]]) -> None:
    contact_make(world.practitioner)
    client = client_for(world.analyst)
    hub = loaded[0]["hub"]["code"]
    for page in [*PAGES, "import", "benchmark/benchmark.csv", "trends/trend.csv"]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(BASE + page, {"hub": hub}).status_code == 200
        tables = " ".join(q["sql"] for q in queries.captured_queries).lower()
        for casework in ("contacts_", "people_", "enquiries_", "decisions_"):
            assert f'"{casework}' not in tables, f"{page} read a {casework} table"
        page_text = client.get(BASE + page).content.decode()
        assert "Hartley" not in page_text and "Amelia" not in page_text
