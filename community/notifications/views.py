"""The notification centre, its header count and panel, settings, watch controls, unsubscribe."""
from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..accounts.forms import EmptyForm
from ..errors import ValidationFailed
from ..extensions import csrf
from ..forums import services as forums
from . import services
from .forms import KIND_LABELS, LEVEL_LABELS, WatchForm, settings_form
from .models import LEVELS

bp = Blueprint("notifications", __name__)
MEMBER_KINDS = ("reply", "mention", "quote", "posted", "new_thread", "reaction", "moderation", "appeal")
STAFF_KINDS = ("flag", "queue")


def watch_level(community_id=None, thread_id=None):
    community, thread = services.levels_for(current_user.id, community_id, thread_id)
    return thread if thread_id else community


@bp.app_context_processor
def _describe():
    return {"describe_notification": services.describe, "watch_level": watch_level,
            "WATCH_CHOICES": [(lv, LEVEL_LABELS[lv]) for lv in LEVELS]}


@bp.route("/notifications")
@login_required
def centre():
    unread = request.args.get("show") == "unread"
    before = request.args.get("before", type=int)
    before = before if before and 0 < before < 2**31 else None
    items, next_cursor = services.list_for(g.viewer, unread, before)
    return render_template("notifications/centre.html", items=items, next_cursor=next_cursor, unread=unread,
                           form=EmptyForm())


@bp.route("/notifications/panel")
@login_required
def panel():
    """The header panel's list (a fragment the header script puts in place)."""
    items, _ = services.list_for(g.viewer, limit=8)
    return render_template("notifications/_panel.html", items=items, form=EmptyForm())


@bp.route("/notifications/count")
@login_required
def count():
    response = jsonify(unread=services.unread_count(current_user.id))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/notifications/read", methods=["POST"])
@login_required
def read():
    if not EmptyForm().validate_on_submit():
        abort(400)
    ids = [int(x) for x in request.form.getlist("id") if x.isdigit() and 0 < int(x) < 2**31]
    services.mark_read(current_user.id, None if request.form.get("all") else ids)
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else url_for(".centre"))


def _kinds():
    staff = g.viewer.is_admin or g.viewer.moderates or g.viewer.moderator_waiting
    return MEMBER_KINDS + (STAFF_KINDS if staff else ())


@bp.route("/settings/notifications", methods=["GET", "POST"])
@login_required
def settings():
    kinds = _kinds()
    form_class = settings_form(kinds)
    current = services.settings_of(current_user.id)
    if request.method == "GET":
        quiet = current["quiet_hours"] or {}
        data = {"digest": current["digest"], "quiet_start": quiet.get("start", ""), "quiet_end": quiet.get("end", ""),
                "discreet_email": current["discreet_email"], "watch_community": current["watch_defaults"]["community"],
                "watch_thread": current["watch_defaults"]["thread"], "auto_watch": current["auto_watch_on_reply"],
                **{f"email_{k}": current["email"][k] for k in kinds}}
        form = form_class(data=data)
        return render_template("notifications/settings.html", form=form, kinds=kinds, labels=KIND_LABELS)
    form = form_class()
    if form.validate_on_submit():
        start, end = (form.quiet_start.data or "").strip(), (form.quiet_end.data or "").strip()
        data = {"email": {k: getattr(form, f"email_{k}").data for k in kinds}, "digest": form.digest.data,
                "quiet_hours": {"start": start, "end": end} if start or end else None,
                "discreet_email": form.discreet_email.data, "auto_watch_on_reply": form.auto_watch.data,
                "watch_defaults": {"community": form.watch_community.data, "thread": form.watch_thread.data}}
        try:
            services.update_settings(current_user.id, data)
        except ValidationFailed as exc:
            for name, message in exc.fields.items():
                target = {"quiet_hours": "quiet_start", "watch_defaults": "watch_community"}.get(name, name)
                if name == "email":
                    target = f"email_{kinds[0]}"
                getattr(form, target, form.digest).errors = [message]
            return render_template("notifications/settings.html", form=form, kinds=kinds, labels=KIND_LABELS), 422
        flash("Notification settings saved.", "success")
        return redirect(url_for(".settings"))
    return render_template("notifications/settings.html", form=form, kinds=kinds, labels=KIND_LABELS), 422


@bp.route("/notifications/watch/community/<slug>", methods=["POST"])
@login_required
def watch_community(slug):
    community = forums.get_community(g.viewer, slug)
    form = WatchForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.watch_community(g.viewer, community.id, form.level.data)
    except ValidationFailed as exc:
        flash(exc.message, "error")
        return redirect(url_for("forums.community", slug=slug))
    flash("Notification level saved for this community.", "success")
    return redirect(url_for("forums.community", slug=slug))


@bp.route("/notifications/watch/thread/<int:thread_id>", methods=["POST"])
@login_required
def watch_thread(thread_id):
    form = WatchForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.watch_thread(g.viewer, thread_id, form.level.data)
    except ValidationFailed as exc:
        flash(exc.message, "error")
        return redirect(url_for("forums.thread", thread_id=thread_id))
    flash("Notification level saved for this thread.", "success")
    return redirect(url_for("forums.thread", thread_id=thread_id))


@bp.route("/notifications/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt   # the signed token is the authority: RFC 8058's one-click POST comes from a mail client
def unsubscribe(token):
    """GET shows what the link stops and a button (link scanners fetch links; they must change
    nothing); POST, the button or a mail client's one-click, stops it."""
    try:
        user, kind = services.read_unsubscribe_token(token)
    except ValidationFailed as exc:
        return render_template("notifications/unsubscribe.html", problem=exc.message), 400
    what = "digests" if kind == "digest" else KIND_LABELS.get(kind, kind).lower()
    if request.method == "POST":
        services.unsubscribe(token)
        return render_template("notifications/unsubscribe.html", done=True, what=what)
    return render_template("notifications/unsubscribe.html", what=what, token=token)
