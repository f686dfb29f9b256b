"""API v1 endpoints. Thin: parse, call the same services as the pages, shape the JSON."""
from functools import wraps

from flask import current_app, g, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from ..accounts import services as accounts
from ..accounts.models import User
from ..errors import Forbidden, Unauthorized
from ..extensions import db, limiter
from ..forums import search as search_service
from ..forums import services as forums
from ..forums.models import Community as CommunityModel
from ..forums.visibility import ANONYMOUS, viewer_for
from ..moderation.pipeline import notices_for
from . import PREFIX, rate_limit_key
from . import schemas as s

API_LIMIT = "300/minute"
WRITE_LIMIT = "10/minute;200/day"

bp = Blueprint("api", __name__, url_prefix=PREFIX, description="Patient Commons JSON API v1")
blueprints = [bp]
ERRORS = (401, 403, 404, 422, 429)


@bp.before_request
def _authenticate():
    """Bearer tokens only: a session cookie never authenticates an API call."""
    g.api_token = None
    g.viewer = ANONYMOUS
    header = request.headers.get("Authorization", "")
    if not header:
        return
    scheme, _, raw = header.partition(" ")
    token = accounts.token_for(raw.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise Unauthorized("Missing, expired or revoked token.", code="invalid_token")
    g.api_token = token
    g.viewer = viewer_for(db.session.get(User, token.user_id))


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def errors(*codes):
    """Document the error responses a call can give (all in the error envelope)."""
    def decorator(view):
        for code in codes:
            view = bp.alt_response(code, schema=s.Error)(view)
        return view
    return decorator


def scoped(scope):
    """The call needs a token carrying `scope` (401 without a token, 403 without the scope)."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if g.api_token is None:
                raise Unauthorized("This call needs a bearer token.", code="token_required")
            if scope not in g.api_token.scope_set:
                raise Forbidden(f"This token lacks the {scope!r} scope.", code="insufficient_scope")
            return view(*args, **kwargs)
        return wrapper
    return decorator


limiter.limit(lambda: current_app.config.get("API_RATE_LIMIT", API_LIMIT), key_func=rate_limit_key)(bp)


# ---------------------------------------------------------------- shaping

def _author(user, moderator_ids=()):
    badges = []
    if user.role == "clinician":
        badges.append("clinician")
    if user.id in moderator_ids:
        badges.append("moderator")
    if user.is_new:
        badges.append("new_member")
    return {"id": user.id, "username": user.username, "badges": badges}


def post_json(post, community_id, moderator_ids=()):
    viewer = g.viewer
    # Labels can be health information (a crisis label): author and moderators only.
    sees_labels = post.author_id == viewer.user_id or viewer.is_moderator(community_id)
    return {
        "id": post.id, "thread_id": post.thread_id, "number": post.number,
        "author": _author(post.author, moderator_ids), "body": post.body, "body_html": post.body_html,
        "created_at": post.created_at, "edited_at": post.edited_at, "state": post.state,
        "moderation": {"status": post.moderation_status, "labels": list(post.labels or []) if sees_labels else []},
        "notices": notices_for(post, viewer.user_id, viewer.is_moderator(community_id)),
        "reactions": dict(post.reactions or {}),
        "url": url_for("forums.thread", thread_id=post.thread_id, page=post.page if post.page > 1 else None,
                       _anchor=f"p{post.id}", _external=True),
    }


def thread_json(thread):
    return {
        "id": thread.id, "community": thread.community.slug, "title": thread.title,
        "author": _author(thread.author), "state": thread.state, "pinned": thread.pinned, "locked": thread.locked,
        "reply_count": thread.reply_count, "created_at": thread.created_at,
        "last_activity_at": thread.last_activity_at,
        "url": url_for("forums.thread", thread_id=thread.id, _external=True),
    }


def community_json(community):
    return {
        "slug": community.slug, "name": community.name, "description": community.description,
        "icd10": community.icd10, "visibility": community.visibility, "locale": community.locale,
        "member_count": community.member_count, "thread_count": community.thread_count,
        "is_member": g.viewer.is_member(community.id),
        "url": url_for("forums.community", slug=community.slug, _external=True),
    }


def _posts_page(thread, cursor):
    after = 0
    if cursor:
        if not cursor.isdigit() or len(cursor) > 9:
            from ..errors import ValidationFailed

            raise ValidationFailed("That cursor is not valid.", {"cursor": "Not a valid cursor."})
        after = int(cursor)
    posts, next_after = forums.posts_after(g.viewer, thread, after)
    moderator_ids = forums.moderator_ids(thread.community_id)
    return {"items": [post_json(p, thread.community_id, moderator_ids) for p in posts],
            "next_cursor": str(next_after) if next_after else None}


# ---------------------------------------------------------------- accounts

@bp.route("/users", methods=["POST"])
@bp.arguments(s.NewUser)
@bp.response(201, s.Me)
@errors(422, 429)
@limiter.limit("10/hour")
def create_user(data):
    """Sign up. The verification email follows; posting waits for it."""
    user = accounts.register(
        data["username"], data["email"], data["password"], data["birth_year"],
        data["accept_guidelines"], data["health_data_consent"],
    )
    return _me(user)


@bp.route("/tokens", methods=["POST"])
@bp.arguments(s.NewToken)
@bp.response(201, s.Token)
@errors(401, 422)
@limiter.limit("10/minute;100/hour")
def create_token(data):
    """Exchange a username (or email) and password, plus the TOTP code when 2FA is on, for a token."""
    raw, row = accounts.create_token(data["username"], data["password"], data.get("totp_code"),
                                     data["scopes"], data.get("name", ""))
    return {"id": row.id, "token": raw, "token_type": "Bearer", "scopes": row.scopes.split(),
            "expires_at": row.expires_at}


def _me(user):
    slugs = db.session.scalars(
        db.select(CommunityModel.slug).where(CommunityModel.id.in_(viewer_for(user).member_of))
        .order_by(CommunityModel.slug)
    ).all()
    return {"id": user.id, "username": user.username, "email": user.email, "email_verified": user.email_verified,
            "role": user.role, "two_factor": user.totp_enabled, "communities": slugs}


@bp.route("/me")
@bp.response(200, s.Me)
@errors(401)
@bp.doc(security=[{"bearer": []}])
@scoped("read")
def me():
    """The token's owner."""
    return _me(db.session.get(User, g.api_token.user_id))


# ---------------------------------------------------------------- communities

@bp.route("/communities")
@bp.arguments(s.CursorArgs, location="query")
@bp.response(200, s.CommunityPage)
@errors(422)
def list_communities(args):
    """Communities the caller may read, by name."""
    communities = forums.list_communities(g.viewer)
    start = 0
    if args.get("cursor"):
        slugs = [c.slug for c in communities]
        if args["cursor"] not in slugs:
            from ..errors import ValidationFailed

            raise ValidationFailed("That cursor is not valid.", {"cursor": "Not a valid cursor."})
        start = slugs.index(args["cursor"]) + 1
    page = communities[start:start + 50]
    next_cursor = page[-1].slug if start + 50 < len(communities) else None
    return {"items": [community_json(c) for c in page], "next_cursor": next_cursor}


@bp.route("/communities/<slug>")
@bp.response(200, s.Community)
@errors(404)
def get_community(slug):
    return community_json(forums.get_community(g.viewer, slug))


@bp.route("/communities/<slug>/membership")
class MembershipView(MethodView):
    @bp.response(200, s.Membership)
    @errors(401, 404)
    @bp.doc(security=[{"bearer": []}])
    @scoped("write")
    def put(self, slug):
        """Join."""
        community = forums.get_community(g.viewer, slug)
        forums.join(g.viewer.user_id, community.id)
        return {"community": slug, "member": True}

    @bp.response(200, s.Membership)
    @errors(401, 404)
    @bp.doc(security=[{"bearer": []}])
    @scoped("write")
    def delete(self, slug):
        """Leave."""
        community = forums.get_community(g.viewer, slug)
        forums.leave(g.viewer.user_id, community.id)
        return {"community": slug, "member": False}


@bp.route("/communities/<slug>/threads")
class ThreadsView(MethodView):
    @bp.arguments(s.CursorArgs, location="query")
    @bp.response(200, s.ThreadPage)
    @errors(404, 422)
    def get(self, args, slug):
        """Threads by last activity, pinned first on the first page."""
        community = forums.get_community(g.viewer, slug)
        pinned, threads, next_cursor = forums.list_threads(g.viewer, community, args.get("cursor"))
        return {"items": [thread_json(t) for t in pinned + threads], "next_cursor": next_cursor}

    @bp.arguments(s.NewThread)
    @bp.response(201, s.ThreadWithPosts)
    @errors(401, 403, 404, 422)
    @bp.doc(security=[{"bearer": []}])
    @scoped("write")
    @limiter.limit(WRITE_LIMIT, key_func=rate_limit_key)
    def post(self, data, slug):
        """Start a thread. Its first post is pending until moderation publishes it."""
        community = forums.get_community(g.viewer, slug)
        thread, post = forums.create_thread(g.viewer.user_id, community.id, data["title"], data["body"])
        db.session.expire_all()
        thread = forums.get_thread(g.viewer, thread.id)
        return dict(thread_json(thread), posts=_posts_page(thread, None))


# ---------------------------------------------------------------- threads and posts

@bp.route("/threads/<int:thread_id>")
@bp.response(200, s.ThreadWithPosts)
@errors(404)
def get_thread(thread_id):
    """A thread with its first page of posts."""
    thread = forums.get_thread(g.viewer, thread_id)
    return dict(thread_json(thread), posts=_posts_page(thread, None))


@bp.route("/threads/<int:thread_id>/posts")
class PostsView(MethodView):
    @bp.arguments(s.CursorArgs, location="query")
    @bp.response(200, s.PostPage)
    @errors(404, 422)
    def get(self, args, thread_id):
        thread = forums.get_thread(g.viewer, thread_id)
        return _posts_page(thread, args.get("cursor"))

    @bp.arguments(s.NewPost)
    @bp.response(201, s.Post)
    @errors(401, 403, 404, 422)
    @bp.doc(security=[{"bearer": []}])
    @scoped("write")
    @limiter.limit(WRITE_LIMIT, key_func=rate_limit_key)
    def post(self, data, thread_id):
        """Reply. The post is pending until moderation publishes it."""
        thread = forums.get_thread(g.viewer, thread_id)
        post = forums.reply(g.viewer.user_id, thread.id, data["body"])
        db.session.expire_all()
        return post_json(forums.get_post(g.viewer, post.id), thread.community_id)


@bp.route("/posts/<int:post_id>")
class PostView(MethodView):
    @bp.response(200, s.Post)
    @errors(404)
    def get(self, post_id):
        post = forums.get_post(g.viewer, post_id)
        return post_json(post, _community_id(post))

    @bp.arguments(s.NewPost)
    @bp.response(200, s.Post)
    @errors(401, 403, 404, 422)
    @bp.doc(security=[{"bearer": []}])
    @scoped("write")
    @limiter.limit(WRITE_LIMIT, key_func=rate_limit_key)
    def patch(self, data, post_id):
        """Edit your own post; the earlier version is kept in its history."""
        post = forums.edit_post(g.viewer, post_id, data["body"])
        db.session.expire_all()
        post = forums.get_post(g.viewer, post.id)
        return post_json(post, _community_id(post))

    @bp.response(204)
    @errors(401, 403, 404)
    @bp.doc(security=[{"bearer": []}])
    @scoped("write")
    def delete(self, post_id):
        """Delete your own post (it shows as removed by the author)."""
        forums.delete_post(g.viewer, post_id)
        return ""


def _community_id(post):
    return forums.get_thread(g.viewer, post.thread_id).community_id


@bp.route("/posts/<int:post_id>/reactions/<kind>")
class ReactionView(MethodView):
    @bp.response(200, s.Post)
    @errors(401, 403, 404, 422)
    @bp.doc(security=[{"bearer": []}])
    @scoped("write")
    def put(self, post_id, kind):
        """React (like, hug or helpful)."""
        post = forums.set_reaction(g.viewer, post_id, kind, True)
        return post_json(post, _community_id(post))

    @bp.response(200, s.Post)
    @errors(401, 403, 404, 422)
    @bp.doc(security=[{"bearer": []}])
    @scoped("write")
    def delete(self, post_id, kind):
        post = forums.set_reaction(g.viewer, post_id, kind, False)
        return post_json(post, _community_id(post))


@bp.route("/search")
@bp.arguments(s.SearchArgs, location="query")
@bp.response(200, s.SearchPage)
@errors(422)
def search(args):
    """Full-text search over the posts the caller may see; matches wrapped in <mark>."""
    page = int(args.get("cursor") or 1)
    hits = search_service.search(g.viewer, args["q"], limit=21, offset=(page - 1) * 20)
    items = [{"post": post_json(p, c.id), "thread_title": t.title, "community": c.slug, "snippet_html": str(snip)}
             for p, t, c, snip in hits[:20]]
    return {"items": items, "next_cursor": str(page + 1) if len(hits) > 20 and page < 50 else None}


