"""The contextual help topics: one HTML fragment per topic, shipped as package files.

A screen names its topic with the Qt dynamic property `helpTopic` on a widget (the page, a
group, a field); `client.ui.help.pane.HelpPane` shows the topic of the focused widget. Topic ids
are dotted, from the general to the particular (`statement.travel.km`): an unknown id falls back
on its enclosing topics, then on the general topic. The topics are the pages in
`client/resources/help/topics`; a test builds the screens and checks that each topic they name
has its page and that each page is named.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

log = logging.getLogger(__name__)

GENERAL = "general"

_TITLE = re.compile(r"<h[12][^>]*>(.*?)</h[12]>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def help_folder() -> Traversable:
    return files("client.resources") / "help"


def _topic_file(topic: str) -> Traversable:
    return help_folder() / "topics" / f"{topic}.html"


@cache
def topic_html(topic: str) -> str | None:
    """The HTML fragment of a topic, or None if there is no such topic."""
    if not re.fullmatch(r"[a-z_]+(\.[a-z_]+)*", topic):
        return None
    path = _topic_file(topic)
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None


def resolve(candidates: list[str]) -> str:
    """The first topic that exists among `candidates` (the focused widget's, then those of
    its parents), each one also tried through its enclosing topics; else the general one."""
    for candidate in candidates:
        parts = candidate.split(".")
        while parts:
            topic = ".".join(parts)
            if topic_html(topic) is not None:
                return topic
            parts.pop()
    return GENERAL


def title_of(topic: str) -> str:
    html = topic_html(topic) or ""
    match = _TITLE.search(html)
    return _TAG.sub("", match.group(1)).strip() if match else topic


def plain_text(topic: str) -> str:
    """The words of a topic, its rates quoted from the session's tariffs."""
    from client.ui.help import rates

    return _TAG.sub(" ", rates.fill(topic_html(topic) or ""))


def available_topics() -> list[str]:
    folder = help_folder() / "topics"
    return sorted(
        entry.name.removesuffix(".html")
        for entry in folder.iterdir()
        if entry.name.endswith(".html")
    )


def all_pages() -> list[str]:
    """The HTML of every help page: each topic, then the guide."""
    pages = [topic_html(topic) or "" for topic in available_topics()]
    return [*pages, (help_folder() / "guide.html").read_text(encoding="utf-8")]
