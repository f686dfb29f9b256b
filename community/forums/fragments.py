"""Rendered posts and thread-list items, shared by every reader in this process.

Rendering the same twenty posts for each signed-in reader was most of the thread page's
cost. A post's viewer-neutral HTML is kept under its (id, version) and the few page facts it
shows; a post carrying the reader's own marks (theirs, reacted to, bookmarked, or by someone
they ignore) is rendered for that reader alone. Post.version is bumped by every update, so an
edit, a reaction or a moderation decision shows at once; author details (name, badges) are
not in the key and may lag by up to TTL seconds.
"""
import threading
import time
from collections import OrderedDict

from flask import current_app
from markupsafe import Markup

TTL = 60
MAX_ENTRIES = 5000

class _Cache:
    """Per app (so test apps never share), bounded, oldest entry evicted first."""

    def __init__(self):
        self.lock = threading.Lock()
        self.entries = OrderedDict()

    def get(self, key, now):
        with self.lock:
            hit = self.entries.get(key)
            return None if hit is None or hit[0] < now else hit[1]

    def put(self, key, html, now):
        with self.lock:
            self.entries[key] = (now + TTL, html)
            if len(self.entries) > MAX_ENTRIES:
                self.entries.popitem(last=False)


def render_posts(rows, load, context):
    """HTML of a page of posts. rows: (id, version, author_id, by_moderator) in page order; load(ids) gives
    {id: Post} for the ones that must be rendered; context: the _post.html variables."""
    template = current_app.jinja_env.get_template("forums/_post.html")
    cache = current_app.extensions.setdefault("post_fragments", _Cache())
    viewer_id = context["viewer_id"]
    reacted, bookmarked, ignored = context["reacted"], context["bookmarked"], context["ignored"]
    page_facts = (
        viewer_id is not None, context["is_member"], context["is_moderator"], context["thread"].locked,
        context["pages"], context["thread_url"], context["post_prefix"],
    )
    now = time.monotonic()
    parts, missing, personal = [], [], []
    for post_id, version, author_id, by_moderator in rows:
        if author_id == viewer_id or post_id in reacted or post_id in bookmarked or author_id in ignored:
            personal.append(post_id)
            parts.append(post_id)
            continue
        key = (post_id, version, by_moderator) + page_facts
        html = cache.get(key, now)
        if html is None:
            missing.append((post_id, key))
            parts.append(post_id)
        else:
            parts.append(html)
    if missing or personal:
        posts = load([post_id for post_id, _ in missing] + personal)
        neutral = dict(context, viewer_id=0 if viewer_id is not None else None, reacted={}, bookmarked=(), ignored=())
        rendered = {}
        for post_id, key in missing:
            # A post can vanish between the two queries (its thread deleted): leave it out.
            post = posts.get(post_id)
            rendered[post_id] = html = template.render(neutral, post=post) if post else ""
            if post:
                cache.put(key, html, now)
        for post_id in personal:
            post = posts.get(post_id)
            rendered[post_id] = template.render(context, post=post) if post else ""
        parts = [rendered[part] if isinstance(part, int) else part for part in parts]
    return Markup("".join(parts))


def render_items(template_name, rows, load, **context):
    """HTML of a list whose items look the same to every reader (thread lists): rows of
    (id, version, ...) in order; load(ids) gives {id: object} for the items not yet rendered."""
    template = current_app.jinja_env.get_template(template_name)
    cache = current_app.extensions.setdefault("post_fragments", _Cache())
    now = time.monotonic()
    facts = (template_name, context.get("root", ""))
    parts, missing = [], []
    for row in rows:
        key = (row[0], row[1]) + facts
        html = cache.get(key, now)
        parts.append(html if html is not None else key)
        if html is None:
            missing.append(key)
    if missing:
        objects = load([key[0] for key in missing])
        for key in missing:
            item = objects.get(key[0])
            html = template.render(context, item=item) if item else ""
            if item:
                cache.put(key, html, now)
            parts[parts.index(key)] = html
    return Markup("".join(parts))
