"""Markdown to safe HTML, done once when a post is written and stored."""
import html as _html

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

TAGS = {
    "p", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "h2", "h3", "h4",
    "h5", "h6", "br", "hr", "table", "thead", "tbody", "tr", "th", "td", "del", "s",
}


def render(text):
    html = _md.render(text)
    # Headings become h2+ so a post never competes with the page's own h1.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    # Code and tables scroll inside themselves on a phone: a keyboard must be able to reach them.
    html = html.replace("<pre>", '<pre tabindex="0">').replace("<table>", '<table tabindex="0">')
    return nh3.clean(
        html,
        tags=TAGS,
        attributes={"a": {"href", "title"}, "ol": {"start"}, "pre": {"tabindex"}, "table": {"tabindex"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
    )


def plain_text(html):
    return _html.unescape(nh3.clean(html, tags=set()))


def safe(html):
    """Mark stored, already-sanitised HTML as safe for Jinja."""
    return Markup(html)
