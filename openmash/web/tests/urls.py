"""A URLconf for the web app's own tests: its pages plus stand-ins for the accounts URLs."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template import engines
from django.urls import include, path

from openmash.web.tests.forms_for_tests import EveryFieldForm

EXAMPLE_PAGE = """{% extends "web/base.html" %}
{% block title %}Record a contact{% endblock %}
{% block beforeContent %}<a href="/" class="govuk-back-link">Back</a>{% endblock %}
{% block content %}
{% include "web/components/error_summary.html" with form=form %}
<h1 class="govuk-heading-l">Record a contact</h1>
<form method="post" novalidate>
  {% csrf_token %}
  {{ form }}
  <button type="submit" class="govuk-button" data-module="govuk-button">Continue</button>
</form>
{% endblock %}
"""


def _stand_in(request: HttpRequest) -> HttpResponse:
    return HttpResponse("stand-in")


def form_example(request: HttpRequest) -> HttpResponse:
    """A page with every kind of field: for the renderer's browser and accessibility tests."""
    form = EveryFieldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        messages.success(request, "Contact recorded")
        return redirect("form-example")
    template = engines["django"].from_string(EXAMPLE_PAGE)
    # Two navigation items, so the navigation's markup and its mobile toggle are tested too.
    nav_items = [
        {"label": "Record a contact", "url": "/form-example/", "active": True},
        {"label": "Home", "url": "/", "active": False},
    ]
    return HttpResponse(template.render({"form": form, "nav_items": nav_items}, request))


accounts_patterns = (
    [
        path("sign-in/", _stand_in, name="sign-in"),
        path("sign-out/", _stand_in, name="sign-out"),
        path("account/password/", _stand_in, name="password-change"),
    ],
    "accounts",
)

urlpatterns = [
    path("", include(accounts_patterns)),
    path("form-example/", form_example, name="form-example"),
    path("", include("openmash.web.urls")),
]

handler400 = "openmash.web.views.bad_request"
handler403 = "openmash.web.views.permission_denied"
handler404 = "openmash.web.views.page_not_found"
handler500 = "openmash.web.views.server_error"
