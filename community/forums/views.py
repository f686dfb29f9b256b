from flask import Blueprint, abort, current_app, flash, g, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from flask_wtf.csrf import generate_csrf

from ..accounts.forms import EmptyForm
from ..errors import Forbidden, NotFound, Unauthorized, ValidationFailed
from ..extensions import limiter
from ..views_util import apply_errors
from . import fragments, services
from .forms import EditForm, ReplyForm, ThreadForm
from .models import REACTIONS
from ..moderation import filters, pipeline
from ..moderation import services as moderation_services
from .visibility import can_read_community

bp = Blueprint("forums", __name__)

POST_LIMIT = "10/minute;200/day"


def post_url(post):
    return url_for("forums.thread", thread_id=post.thread_id, page=post.page if post.page > 1 else None,
                   _anchor=f"p{post.id}")


@bp.app_context_processor
def _helpers():
    return {"post_url": post_url}


@bp.route("/c/<slug>")
def community(slug):
    community = services.get_community(g.viewer, slug)
    cursor = request.args.get("after")
    readable = can_read_community(g.viewer, community)
    pinned, threads, next_cursor = [], [], None
    if readable:
        try:
            pinned, threads, next_cursor = services.list_threads(g.viewer, community, cursor, keys_only=True)
        except ValidationFailed:
            abort(404)
    thread_items = fragments.render_items("forums/_thread_item.html", pinned + threads, services.threads_by_id,
                                          root=request.script_root)
    return render_template(
        "forums/community.html", community=community, pinned=pinned, threads=threads, next_cursor=next_cursor,
        thread_items=thread_items,
        moderators=services.moderators_of(community.id), form=_form(EmptyForm), readable=readable,
        is_member=g.viewer.is_member(community.id), first_page=cursor is None,
    )


@bp.route("/c/<slug>/members")
@login_required
def members(slug):
    community = services.get_community(g.viewer, slug)
    return render_template("forums/members.html", community=community,
                           members=services.list_members(g.viewer, community))


@bp.route("/c/<slug>/join", methods=["POST"])
@login_required
def join(slug):
    community = services.get_community(g.viewer, slug)
    if EmptyForm().validate_on_submit():
        services.join(current_user.id, community.id)
        flash(f"You joined {community.name}.", "success")
    return redirect(url_for("forums.community", slug=slug))


@bp.route("/c/<slug>/leave", methods=["POST"])
@login_required
def leave(slug):
    community = services.get_community(g.viewer, slug)
    if EmptyForm().validate_on_submit():
        services.leave(current_user.id, community.id)
        flash(f"You left {community.name}.", "info")
    return redirect(url_for("forums.community", slug=slug))


@bp.route("/c/<slug>/new", methods=["GET", "POST"])
@login_required
@limiter.limit(POST_LIMIT, methods=["POST"])
def new_thread(slug):
    community = services.get_community(g.viewer, slug)
    # No form for someone who cannot post here (not a member, email not confirmed): 403 with the reason.
    services.check_can_post(current_user.id, community.id)
    form = ThreadForm()
    if form.validate_on_submit() and _identifiers_removed(form, community):
        try:
            thread, post = services.create_thread(current_user.id, community.id, form.title.data, form.body.data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            return redirect(post_url(post))
    return render_template("forums/new_thread.html", community=community, form=form), 422 if form.errors else 200


@bp.route("/t/<int:thread_id>")
def thread(thread_id):
    try:
        thread = services.get_thread(g.viewer, thread_id)
    except NotFound:
        # A duplicate merged into another thread: its old links lead there.
        merged_into = services.merged_into(g.viewer, thread_id)
        if merged_into is None:
            raise
        return redirect(url_for("forums.thread", thread_id=merged_into), 301)
    if thread.merged_into_id:
        # Its author and the moderators can still load the emptied duplicate: send them on too.
        return redirect(url_for("forums.thread", thread_id=thread.merged_into_id), 301)
    page = request.args.get("page", 1, type=int)
    pages = services.page_count(thread)
    if page < 1 or page > pages:
        abort(404)
    form = _form(ReplyForm)
    quote = request.args.get("quote", type=int)
    if quote and current_user.is_authenticated:
        if not 0 < quote <= services.MAX_ID:
            abort(404)
        form.body.data = services.quote_text(g.viewer, quote)
    return _render_thread(thread, page, pages, form)


def _render_thread(thread, page, pages, form, refused=None):
    rows = services.thread_page_keys(g.viewer, thread, page)
    moderator_ids = {row.author_id for row in rows if row.by_moderator}
    context = _thread_context(thread, [row.id for row in rows], page, pages, form, moderator_ids)
    if current_user.is_authenticated and context["is_member"] and not refused:
        refused = services.sanction_refusal(current_user, thread.community_id)
    context["refused"], context["standing_sentence"] = refused, services.STANDING
    posts_html = fragments.render_posts(rows, services.posts_by_id, context)
    move_targets = moderation_services.moderated_communities(g.viewer) if context["is_moderator"] else ()
    return render_template("forums/thread.html", posts_html=posts_html, move_targets=move_targets, **context)


def _identifiers_removed(form, community):
    """The composer's warning before anything is saved: False (and a warning on the form) when the
    text or a new thread's title has personal identifiers; "Remove and post" takes them out here.
    The worker's check still runs and redacts what this one misses."""
    fields = [f for f in (getattr(form, "title", None), form.body) if f is not None]
    found = {f.name: pipeline.composer_check(f.data or "", community).body_phi for f in fields}
    if not any(found.values()):
        return True
    if request.form.get("identifiers") == "remove":
        for f in fields:
            if found[f.name]:
                f.data = filters.redact(f.data, found[f.name])
        return True
    form.identifier_warning = pipeline.describe([s for spans in found.values() for s in spans])
    return False


def _form(cls):
    """Forms only for signed-in people: building one mints a CSRF token, which would give
    visitors a session cookie and make their pages uncacheable."""
    return cls() if current_user.is_authenticated else None


def _thread_context(thread, post_ids, page, pages, form, moderator_ids):
    reacted, bookmarked, ignored = services.viewer_post_state(g.viewer, post_ids)
    root = request.script_root
    return dict(
        thread=thread, community=thread.community, page=page, pages=pages, form=form,
        reacted=reacted, bookmarked=bookmarked, ignored=ignored,
        is_member=g.viewer.is_member(thread.community_id), is_moderator=g.viewer.is_moderator(thread.community_id),
        moderator_ids=moderator_ids,
        # Made once per page: per-post url_for() calls and CSRF fields were most of its render time.
        csrf=generate_csrf() if current_user.is_authenticated else "", viewer_id=g.viewer.user_id,
        thread_url=url_for("forums.thread", thread_id=thread.id), post_prefix=f"{root}/p/", user_prefix=f"{root}/u/",
        # Called by the template only for the author's own held post (rendered for them alone).
        typical_wait=moderation_services.typical_wait,
    )


@bp.route("/p/<int:post_id>/fragment")
@login_required
def post_fragment(post_id):
    """One post's HTML, for the author's page to swap in when moderation finishes."""
    post = services.get_post(g.viewer, post_id)
    thread = services.get_thread(g.viewer, post.thread_id)
    context = _thread_context(thread, [post.id], post.page, services.page_count(thread), None,
                              services.moderator_ids(thread.community_id))
    response = make_response(render_template("forums/_post.html", post=post, **context))
    response.headers["X-Moderation-Status"] = post.moderation_status
    return response


@bp.route("/t/<int:thread_id>/reply", methods=["POST"])
@login_required
@limiter.limit(POST_LIMIT)
def reply(thread_id):
    thread = services.get_thread(g.viewer, thread_id)
    form = ReplyForm()
    status = 422
    refused = None
    if form.validate_on_submit():
        try:
            # Who may reply is checked before the text is: someone who cannot post here never
            # makes the server run the identifier and crisis check.
            services.check_can_reply(current_user.id, thread.id)
            if _identifiers_removed(form, thread.community):
                post = services.reply(current_user.id, thread.id, form.body.data)
                return redirect(post_url(post))
        except ValidationFailed as exc:
            apply_errors(form, exc)
        except Forbidden as exc:
            # Not a member, email not confirmed, silenced, thread locked: the reason at the reply box
            # (the page lands there), with the text kept for the member to copy.
            refused = exc.message
            status = 403
    if getattr(form, "identifier_warning", None):
        status = 200
    page = services.page_count(thread)
    return _render_thread(thread, page, page, form, refused), status


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
@limiter.limit(POST_LIMIT, methods=["POST"])
def edit(post_id):
    post, _, community = services.check_can_edit(g.viewer, post_id)
    if post.state in ("deleted", "rejected"):
        # Same rule as services.edit_post: no empty editor for a post that can no longer be edited.
        raise Forbidden("This post can no longer be edited.")
    form = EditForm(body=post.body) if request.method == "GET" else EditForm()
    if form.validate_on_submit() and _identifiers_removed(form, community):
        try:
            post = services.edit_post(g.viewer, post_id, form.body.data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            flash("Your changes are saved.", "success")
            return redirect(post_url(post))
    return render_template("forums/edit.html", post=post, form=form), 422 if form.errors else 200


@bp.route("/p/<int:post_id>/history")
def history(post_id):
    post, rows, readable = services.revisions(g.viewer, post_id)
    mine = g.viewer.signed_in and post.author_id == g.viewer.user_id
    return render_template("forums/history.html", post=post, revisions=rows, readable=readable,
                           form=EmptyForm() if mine else None)


@bp.route("/p/<int:post_id>/history/<int:revision_id>/erase", methods=["POST"])
@login_required
def erase_revision(post_id, revision_id):
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.erase_revision(g.viewer, post_id, revision_id)
    flash("That earlier version is erased. The post still says it was edited, and when.", "success")
    return redirect(url_for("forums.history", post_id=post_id))


@bp.route("/p/<int:post_id>/delete", methods=["POST"])
@login_required
def delete(post_id):
    if EmptyForm().validate_on_submit():
        post = services.delete_post(g.viewer, post_id)
        flash("Your post was removed.", "info")
        return redirect(post_url(post))
    abort(400)


@bp.route("/p/<int:post_id>/react/<kind>", methods=["POST"])
@login_required
def react(post_id, kind):
    if kind not in REACTIONS:
        abort(404)
    if EmptyForm().validate_on_submit():
        on = request.form.get("on") == "1"
        post = services.set_reaction(g.viewer, post_id, kind, on)
        return redirect(post_url(post))
    abort(400)


@bp.route("/p/<int:post_id>/bookmark", methods=["POST"])
@login_required
def bookmark(post_id):
    if EmptyForm().validate_on_submit():
        on = request.form.get("on") == "1"
        services.set_bookmark(g.viewer, post_id, on)
        flash("Bookmarked." if on else "Bookmark removed.", "success")
        return redirect(post_url(services.get_post(g.viewer, post_id)))
    abort(400)


@bp.route("/bookmarks")
@login_required
def bookmarks():
    return render_template("forums/bookmarks.html", rows=services.bookmarks(g.viewer), form=EmptyForm())


@bp.route("/u/<int:user_id>")
def profile(user_id):
    try:
        user = services.user_profile(g.viewer, user_id)
    except Unauthorized:
        return current_app.login_manager.unauthorized()
    return render_template(
        "forums/profile.html", user=user, communities=services.shared_communities(g.viewer, user),
        ignoring=services.is_ignoring(g.viewer, user.id), form=EmptyForm(),
    )


@bp.route("/u/<int:user_id>/ignore", methods=["POST"])
@login_required
def ignore(user_id):
    if EmptyForm().validate_on_submit():
        on = request.form.get("on") == "1"
        try:
            services.set_ignore(g.viewer, user_id, on)
        except ValidationFailed as exc:
            flash(exc.message, "error")
        else:
            flash("You will no longer see their posts." if on else "You will see their posts again.", "success")
    return redirect(url_for("forums.profile", user_id=user_id))
