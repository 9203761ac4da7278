"""Tags for the public pages (no sign-in): where "Exit this page" goes."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def exit_this_page_url() -> str:
    """A neutral, everyday site (OPENMASH_EXIT_THIS_PAGE_URL) to leave for at once."""
    return str(getattr(settings, "OPENMASH_EXIT_THIS_PAGE_URL", "https://www.bbc.co.uk/weather"))
