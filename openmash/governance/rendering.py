"""A small, safe subset of Markdown for the core documents: headings (#, ##, ###), paragraphs,
bulleted (- or *) and numbered (1.) lists. Every character of the text is escaped first, so
no raw HTML (or script) written into a document can reach the page."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
BULLET = re.compile(r"^[-*]\s+(.*)$")
NUMBERED = re.compile(r"^\d+[.)]\s+(.*)$")
# Headings in a document sit below the page's own h1 and h2.
HEADING_TAGS = {
    1: ("h2", "govuk-heading-m"),
    2: ("h3", "govuk-heading-s"),
    3: ("h4", "govuk-heading-s"),
}


def markdown_render(text: str) -> SafeString:
    html: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""

    def flush() -> None:
        nonlocal list_tag
        if paragraph:
            html.append(f'<p class="govuk-body">{"<br>".join(paragraph)}</p>')
            paragraph.clear()
        if items:
            css = "govuk-list--bullet" if list_tag == "ul" else "govuk-list--number"
            rows = "".join(f"<li>{i}</li>" for i in items)
            html.append(f'<{list_tag} class="govuk-list {css}">{rows}</{list_tag}>')
            items.clear()
            list_tag = ""

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if heading := HEADING.match(line):
            flush()
            tag, css = HEADING_TAGS[len(heading.group(1))]
            html.append(f'<{tag} class="{css}">{escape(heading.group(2))}</{tag}>')
        elif (bullet := BULLET.match(line)) or (numbered := NUMBERED.match(line)):
            wanted = "ul" if bullet else "ol"
            if paragraph or (list_tag and list_tag != wanted):
                flush()
            list_tag = wanted
            match = bullet or numbered
            assert match is not None
            items.append(escape(match.group(1)))
        else:
            if items:
                flush()
            paragraph.append(escape(line))
    flush()
    return mark_safe("".join(html))  # noqa: S308 - every piece of the text was escaped above
