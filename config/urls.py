from django.urls import include, path

from openmash.interfaces.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("openmash.accounts.urls")),
    path("", include("openmash.hubs.urls")),
    path("", include("openmash.contacts.urls")),
    path("", include("openmash.enquiries.urls")),
    path("", include("openmash.decisions.urls")),
    path("", include("openmash.people.urls")),
    path("", include("openmash.audit.urls")),
    path("", include("openmash.reporting.urls")),
    path("", include("openmash.quality.urls")),
    path("", include("openmash.governance.urls")),
    path("", include("openmash.web.urls")),
]

handler400 = "openmash.web.views.bad_request"
handler403 = "openmash.web.views.permission_denied"
handler404 = "openmash.web.views.page_not_found"
handler500 = "openmash.web.views.server_error"
