"""API v1 endpoints. Thin: parse, call the same services as the pages, shape the JSON."""
from functools import wraps

from flask import current_app, g, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from .. import idempotency
from ..accounts import services as accounts
from ..accounts.models import User
from ..errors import Forbidden, NotFound, Unauthorized, ValidationFailed
from ..extensions import db, limiter
from ..forums import search as search_service
from ..forums import services as forums
from ..forums.models import Community as CommunityModel
from ..forums.visibility import ANONYMOUS, viewer_for
from ..moderation import appeals as appeals_service
from ..moderation import flags as flags_service
from ..moderation import log as log_service
from ..moderation import rules as rules_service
from ..moderation import services as moderation
from ..moderation.models import KIND_NAMES
from ..moderation.pipeline import notices_for
from ..notifications import services as notifications
from . import PREFIX, rate_limit_key
from . import error_response
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
    g.viewer = viewer_for(db.session.get(User, token.user_id), two_factor=token.two_factor)
    if request.method in ("GET", "HEAD") and "read" not in token.scope_set:
        # A write-only token (a posting bot, say) must not read what its owner may read.
        _require_scope("read")


@bp.before_request
def _json_bodies_only():
    """A body sent as a form (curl -d, a client that forgot the header) would read as no fields at
    all: say what is wrong instead of 'Missing data for required field'."""
    if request.method in ("POST", "PUT", "PATCH") and request.content_length and not request.is_json:
        return error_response(415, "unsupported_media_type",
                              "Send the body as JSON, with the header Content-Type: application/json.")


# After the above: a repeated POST with the same Idempotency-Key gets the first answer.
bp.before_request(idempotency.api_claim)


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
            _require_scope(scope)
            return view(*args, **kwargs)
        return wrapper
    return decorator


def _require_scope(scope):
    if g.api_token is None:
        raise Unauthorized("This call needs a bearer token.", code="token_required")
    if scope not in g.api_token.scope_set:
        raise Forbidden(f"This token lacks the {scope!r} scope.", code="insufficient_scope")


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
    body, body_html = post.shown(sees_labels)
    return {
        "id": post.id, "thread_id": post.thread_id, "number": post.number,
        "author": _author(post.author, moderator_ids), "body": body, "body_html": body_html,
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

SIGN_UP_ACCEPTED = {"message": "Check your e-mail: we sent a message to the address you gave. Follow its link "
                               "to confirm the address, then ask for a token."}


@bp.route("/users", methods=["POST"])
@bp.arguments(s.NewUser)
@bp.response(202, s.SignUpAccepted)
@errors(422, 429)
@limiter.limit("10/hour")
def create_user(data):
    """Sign up. The same 202 whether the address is new or already has an account (which is
    e-mailed about the attempt): having an account here is itself health information. The
    verification e-mail follows; posting waits for it."""
    accounts.register(
        data["username"], data["email"], data["password"], data["birth_year"],
        data["accept_guidelines"], data["health_data_consent"], time_zone=data.get("time_zone"),
    )
    return SIGN_UP_ACCEPTED


@bp.route("/tokens", methods=["POST"])
@bp.arguments(s.NewToken)
@bp.response(201, s.Token)
@errors(401, 422, 429)
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
            "role": user.role, "two_factor": user.totp_enabled, "communities": slugs, "time_zone": user.time_zone}


@bp.route("/me")
class MeView(MethodView):
    @bp.response(200, s.Me)
    @errors(401)
    @bp.doc(security=[{"bearer": []}])
    @scoped("read")
    def get(self):
        """The token's owner."""
        return _me(db.session.get(User, g.api_token.user_id))

    @bp.arguments(s.MeUpdate)
    @bp.response(200, s.Me)
    @errors(401, 403, 422)
    @bp.doc(security=[{"bearer": []}])
    @scoped("write")
    def patch(self, data):
        """Change your own settings: the time zone."""
        accounts.update_preferences(g.api_token.user_id, time_zone=data["time_zone"])
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
        forums.check_can_post(g.viewer.user_id, community.id)
        remove = data.get("identifiers") == "remove"
        title = forums.identifiers_checked(data["title"], community, remove, field="title")
        body = forums.identifiers_checked(data["body"], community, remove)
        thread, post = forums.create_thread(g.viewer.user_id, community.id, title, body)
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
        forums.check_can_post(g.viewer.user_id, thread.community_id)
        body = forums.identifiers_checked(data["body"], thread.community, data.get("identifiers") == "remove")
        post = forums.reply(g.viewer.user_id, thread.id, body)
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
        _, _, community = forums.check_can_edit(g.viewer, post_id)
        body = forums.identifiers_checked(data["body"], community, data.get("identifiers") == "remove")
        post = forums.edit_post(g.viewer, post_id, body)
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


# ---------------------------------------------------------------- moderation
#
# The services check every permission (and answer 404, not 403, for review items and posts outside
# the caller's communities; the rules service answers 403 for another community's rules). The decorators below only make sure a caller without a token, without the
# scope, or without moderator powers hears so before any complaint about the request body.

def staff(scope):
    """scoped(scope), then moderator powers (2FA on) or admin: 401, then 403, before the body is read.
    Put it first under @bp.route (or first on a MethodView method)."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            _require_scope(scope)
            moderation.require_moderator(g.viewer)
            return view(*args, **kwargs)
        return wrapper
    return decorator


def _moderated_community(slug):
    """A community the caller moderates (any, for admins), by slug; missing and not yours look alike."""
    # (a NUL cannot be in a slug, and PostgreSQL refuses it in a query: answer as for any unknown slug)
    community = None if "\x00" in (slug or "") else db.session.scalar(
        db.select(CommunityModel).where(CommunityModel.slug == slug))
    if community is None or not g.viewer.is_moderator(community.id):
        raise NotFound("No such community among those you moderate.",
                       {"community": "No such community among those you moderate."})
    return community


def review_item_json(item, post, thread, community):
    return {
        "id": item.id, "kind": item.kind, "kind_name": KIND_NAMES.get(item.kind, item.kind),
        "priority": item.priority, "status": item.status, "outcome": item.outcome or "",
        "community": community.slug, "post_id": post.id, "thread_id": thread.id, "thread_title": thread.title,
        "post_state": post.state,
        # The current text only: the unredacted original (item.original_body) never leaves the pages.
        "post": {"id": post.id, "number": post.number, "state": post.state, "body": post.body,
                 "labels": list(post.labels or []), "author": _author(post.author)},
        "reasons": list(item.reasons or []), "spans": [list(span) for span in item.spans or []],
        "urgent": bool(item.urgent), "delivery": item.delivery_note, "no_recipient": bool(item.no_recipient),
        "acknowledged": item.acknowledged_at is not None,
        "acknowledged_at": item.acknowledged_at, "created_at": item.created_at, "closed_at": item.closed_at,
    }


@bp.route("/moderation/queue")
@staff("read")
@bp.arguments(s.QueueArgs, location="query")
@bp.response(200, s.ReviewItemPage)
@errors(401, 403, 404, 422)
@bp.doc(security=[{"bearer": []}])
def moderation_queue(args):
    """Open review items in the communities you moderate (every community for admins), crisis alerts
    first. Moderators need two-factor authentication on. At most 100 items."""
    community_id = _moderated_community(args["community"]).id if args.get("community") else None
    rows = moderation.queue(g.viewer, community_id, args.get("kind"), args.get("age"))
    return {"items": [review_item_json(*row) for row in rows]}


@bp.route("/moderation/queue/<int:item_id>/decision", methods=["POST"])
@staff("write")
@bp.arguments(s.Decision)
@bp.response(200, s.ReviewItem)
@errors(401, 403, 404, 422)
@bp.doc(security=[{"bearer": []}])
def moderation_decision(data, item_id):
    """Decide a review item: approve (optionally with a corrected `body`), reject, hide, restore,
    acknowledge (crisis alerts and escalations) or close. Logged in the staff log. 404 for an item
    outside your communities."""
    body = data.get("body")
    if body is not None and data["action"] != "approve":
        raise ValidationFailed("A corrected text goes with approve only.", {"body": "Only with action approve."})
    moderation.decide(g.viewer, item_id, data["action"], data.get("reason", ""), body)
    db.session.expire_all()
    return review_item_json(*moderation.get_item(g.viewer, item_id))


@bp.route("/posts/<int:post_id>/flags", methods=["POST"])
@scoped("write")  # first: 401 / 403 before any complaint about the body
@bp.arguments(s.NewFlag)
@bp.response(201, s.Flag)
@errors(401, 403, 404, 409, 422)
@bp.doc(security=[{"bearer": []}])
@limiter.limit(WRITE_LIMIT, key_func=rate_limit_key)
def flag_post(data, post_id):
    """Flag a published post for the moderators (once per member and post: 409 the second time)."""
    flag = flags_service.flag_post(g.viewer, post_id, data["reason"], data.get("message", ""))
    return {"id": flag.id, "post_id": flag.post_id, "reason": flag.reason, "message": flag.message,
            "created_at": flag.created_at}


def rule_json(rule, community):
    return {
        "id": rule.id, "community": community.slug if community is not None else None,
        "match_type": rule.match_type, "pattern": rule.pattern, "action": rule.action, "mode": rule.mode,
        "case_sensitive": rule.case_sensitive, "message": rule.message or "", "enabled": rule.enabled,
        "hit_count": rule.hit_count or 0, "last_hit_at": rule.last_hit_at, "created_at": rule.created_at,
    }


@bp.route("/communities/<slug>/rules")
class RulesView(MethodView):
    @staff("read")
    @bp.response(200, s.RulePage)
    @errors(401, 403, 404)
    @bp.doc(security=[{"bearer": []}])
    def get(self, slug):
        """A community's watched-word rules (its moderators and admins); slug `global`: the site-wide
        rules (admins)."""
        community = rules_service.community_for(g.viewer, slug)
        rows = rules_service.list_rules(g.viewer, community.id if community else None)
        return {"items": [rule_json(rule, community) for rule in rows]}

    @staff("write")
    @bp.arguments(s.NewRule)
    @bp.response(201, s.Rule)
    @errors(401, 403, 404, 422)
    @bp.doc(security=[{"bearer": []}])
    def post(self, data, slug):
        """Add a rule (slug `global`: a site-wide rule, admins only). Logged in the staff log."""
        community = rules_service.community_for(g.viewer, slug)
        rule = rules_service.create(g.viewer, community.id if community else None, data)
        return rule_json(rule, community)


@bp.route("/moderation/test", methods=["POST"])
@staff("read")
@bp.arguments(s.RuleTest)
@bp.response(200, s.RuleTestResult)
@errors(401, 403, 404, 422)
@bp.doc(security=[{"bearer": []}])
def moderation_test(data):
    """What a text would trigger in a community (`global`: the site-wide rules, admins): the filters,
    the rules (shadow ones included) and, optionally, an unsaved `rule`. Saves nothing, so the
    `read` scope is enough."""
    community = rules_service.community_for(g.viewer, data["community"])
    community_id = community.id if community else None
    extra = data.get("rule")
    if extra:
        try:
            rules_service.validate(extra)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, {f"rule.{name}": text for name, text in exc.fields.items()}) \
                from None
    return rules_service.test(g.viewer, community_id, data["text"], extra)


@bp.route("/posts/<int:post_id>/notices/<kind>", methods=["DELETE"])
@staff("write")
@bp.arguments(s.NoticeArgs, location="query")
@bp.response(200, s.Notices)
@errors(401, 403, 404, 422)
@bp.doc(security=[{"bearer": []}])
def remove_notice(args, post_id, kind):
    """Remove a notice from a post (`consult_reminder`, or a rule's `rule:<id>`); the pipeline does not
    attach it again. `reason` (required, logged) comes in the query string or as `{"reason": ...}` in
    a JSON body. Answers 200 with the notices the post still has."""
    reason = args.get("reason")
    if reason is None:
        body = request.get_json(silent=True)
        reason = body.get("reason") if isinstance(body, dict) else None
        if reason is not None and not isinstance(reason, str):
            raise ValidationFailed("Please correct the listed fields.", {"reason": "Not a valid string."})
    post = moderation.remove_notice(g.viewer, post_id, kind, reason)
    return {"post_id": post.id, "notices": notices_for(post, g.viewer.user_id, True)}


@bp.route("/appeals", methods=["POST"])
@scoped("write")  # first: 401 / 403 before any complaint about the body
@bp.arguments(s.NewAppeal)
@bp.response(201, s.Appeal)
@errors(401, 403, 404, 409, 422)
@bp.doc(security=[{"bearer": []}])
@limiter.limit(WRITE_LIMIT, key_func=rate_limit_key)
def create_appeal(data):
    """Appeal a rejection of your post (kind `rejection`, target_id the post) or a silence or
    suspension in force (kind `sanction`). Once per decision: 409 the second time."""
    appeal = appeals_service.create(g.viewer, data["kind"], data["target_id"], data["message"])
    return {"id": appeal.id, "kind": appeal.kind, "target_id": appeal.target_id, "status": appeal.status,
            "message": appeal.message, "created_at": appeal.created_at}


@bp.route("/moderation/log")
@staff("read")
@bp.arguments(s.LogArgs, location="query")
@bp.response(200, s.LogPage)
@errors(401, 403, 404, 422)
@bp.doc(security=[{"bearer": []}])
def staff_log(args):
    """The staff action log, newest first: every community for admins, yours for moderators.
    Pages of 100; pass `next_before` as `before` for the next."""
    community_id = _moderated_community(args["community"]).id if args.get("community") else None
    rows = log_service.entries(g.viewer, community_id, args.get("action"), args.get("before"),
                               limit=log_service.LOG_PAGE)
    ids = {row.StaffAction.community_id for row in rows if row.StaffAction.community_id is not None}
    slugs = dict(db.session.execute(
        db.select(CommunityModel.id, CommunityModel.slug).where(CommunityModel.id.in_(ids))).all()) if ids else {}
    items = []
    for entry, actor_name, community_name in rows:
        community = ({"slug": slugs.get(entry.community_id), "name": community_name}
                     if entry.community_id is not None and entry.community_id in slugs else None)
        items.append({"id": entry.id, "actor": actor_name, "action": entry.action, "target_type": entry.target_type,
                      "target_id": entry.target_id, "community": community, "reason": entry.reason or "",
                      "created_at": entry.created_at})
    next_before = rows[-1].StaffAction.id if len(rows) == log_service.LOG_PAGE else None
    return {"items": items, "next_before": next_before}


# ---------------------------------------------------------------- notifications (issue 14)

def _signed_in():
    if not g.viewer.signed_in:
        raise Unauthorized("A bearer token is required.")
    return g.viewer


@bp.route("/notifications")
@bp.arguments(s.NotificationArgs, location="query")
@bp.response(200, s.NotificationPage)
@errors(401, 422)
@bp.doc(security=[{"bearer": []}])
@scoped("read")
def list_notifications(args):
    """Your notifications, newest first, 30 a page; `unread=true` for the unread ones only."""
    viewer = _signed_in()
    items, next_cursor = notifications.list_for(viewer, args["unread"], args.get("cursor"))
    return {"items": items, "next_cursor": next_cursor, "unread": notifications.unread_count(viewer.user_id)}


@bp.route("/notifications/read", methods=["POST"])
@bp.arguments(s.MarkRead)
@bp.response(200, s.MarkedRead)
@errors(401, 422)
@bp.doc(security=[{"bearer": []}])
@scoped("write")
def mark_notifications_read(data):
    """Mark the given ids read, or all of them with `{}`."""
    viewer = _signed_in()
    marked = notifications.mark_read(viewer.user_id, data.get("ids"))
    return {"marked": marked, "unread": notifications.unread_count(viewer.user_id)}


@bp.route("/me/notification-settings")
class NotificationSettingsView(MethodView):
    @bp.response(200, s.NotificationSettings)
    @errors(401)
    @bp.doc(security=[{"bearer": []}])
    @scoped("read")
    def get(self):
        """E-mail per kind, digest, quiet hours, time zone, discreet e-mail, watch defaults."""
        return notifications.settings_of(_signed_in().user_id)

    @bp.arguments(s.NotificationSettings)
    @bp.response(200, s.NotificationSettings)
    @errors(401, 422)
    @bp.doc(security=[{"bearer": []}])
    @scoped("write")
    def put(self, data):
        """Change any of them; a bad value is a 422 naming the field, and nothing is saved."""
        return notifications.update_settings(_signed_in().user_id, data)


@bp.route("/communities/<slug>/watch", methods=["PUT"])
@bp.arguments(s.Watch)
@bp.response(200, s.Watch)
@errors(401, 404, 422)
@bp.doc(security=[{"bearer": []}])
@scoped("write")
def watch_community(data, slug):
    viewer = _signed_in()
    community = forums.get_community(viewer, slug)
    return {"level": notifications.watch_community(viewer, community.id, data["level"])}


@bp.route("/threads/<int:thread_id>/watch", methods=["PUT"])
@bp.arguments(s.Watch)
@bp.response(200, s.Watch)
@errors(401, 404, 422)
@bp.doc(security=[{"bearer": []}])
@scoped("write")
def watch_thread(data, thread_id):
    return {"level": notifications.watch_thread(_signed_in(), thread_id, data["level"])}
