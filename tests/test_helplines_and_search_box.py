"""Helplines in the crisis resources are tel: links; the search page has one search box."""
import re

from community.extensions import db
from community.forums.models import Post
from tests.forum_helpers import person, reply_as, sign_in, text
from tests.helpers import add_member, create_community, start_thread

CRISIS = "I can't do this anymore. I'm going to kill myself tonight."


def tel_links(html):
    return re.findall(r'<a href="tel:([^"]*)">([^<]*)</a>', html)


def test_the_authors_crisis_resources_link_every_helpline_and_keep_the_emergency_advice_as_text(app):
    with app.app_context():
        community = create_community("asthma", locale="en")
        author, other = person("author"), person("other")
        thread, _ = start_thread(other, community, "Bad nights", "How do you get through bad nights?")
        add_member(author, community)
        post_id = reply_as(author, thread.id, CRISIS)
        assert any(n["kind"] == "crisis_resources" for n in db.session.get(Post, post_id).notices)
        thread_id = thread.id
    client = app.test_client()
    sign_in(client, author)
    page = text(client.get(f"/t/{thread_id}"))
    start = page.index('class="notice notice-crisis_resources"')
    notice = page[start:page.index("</aside>", start)]
    assert tel_links(notice) == [("988", "988"), ("116123", "116 123"), ("131114", "13 11 14"), ("988", "9-8-8"),
                                 ("18334564566", "1-833-456-4566")]
    assert "call your local emergency number." in notice
    assert not re.search(r"<a [^>]*>[^<]*emergency", notice)


def test_the_footer_helplines_are_links_on_every_page(client):
    assert tel_links(text(client.get("/"))) == [("988", "988"), ("116123", "116 123"), ("131114", "13 11 14"),
                                               ("18334564566", "1-833-456-4566")]


def test_the_filter_escapes_the_text_and_links_numbers_only(app):
    with app.app_context():
        helplines = app.jinja_env.filters["helplines"]
        html = str(helplines('Call <b>988</b> & "13 11 14"; not year2026, not 12 or ab-123.'))
    assert html == ('Call &lt;b&gt;<a href="tel:988">988</a>&lt;/b&gt; &amp; &#34;<a href="tel:131114">13 11 14</a>&#34;;'
                    ' not year2026, not 12 or ab-123.')


def test_the_search_page_has_one_search_box_and_other_pages_keep_the_headers(client):
    for url in ("/search", "/search?q=spacer"):
        page = text(client.get(url))
        assert page.count('type="search"') == 1, url
        assert 'id="search-q"' in page and 'id="site-search-q"' not in page
    for url in ("/", "/guidelines"):
        page = text(client.get(url))
        assert page.count('type="search"') == 1 and 'id="site-search-q"' in page, url
