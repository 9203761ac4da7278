"""A URL configuration for the national view's tests: the project's URLs plus the national view
at reporting/national/ (wherever the project mounts it, the tests reach it here first).

Used with ``@pytest.mark.urls(NATIONAL_URLCONF)``; holds no tests itself."""

from django.urls import include, path

from config import urls as project

NATIONAL_URLCONF = __name__

urlpatterns = [
    path("reporting/national/", include("openmash.reporting.national.urls")),
    *project.urlpatterns,
]

handler400 = project.handler400
handler403 = project.handler403
handler404 = project.handler404
handler500 = project.handler500
