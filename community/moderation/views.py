"""Moderator pages: the queue, items, appeals, rules, the staff log, thread and member tools;
and the member's own standing page with their appeals. Services check every permission."""
from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_login import login_required

from ..accounts.forms import EmptyForm
from ..errors import ServiceError, ValidationFailed
from ..forums import services as forums
from ..views_util import safe_path
from . import appeals, flags, log, misses, pipeline, rules, services, tools
from .models import FLAG_REASONS, KIND_NAMES, RULE_ACTIONS, RULE_MATCH_TYPES

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
MISS_SAVED = "Thank you. The miss is saved: it joins the filters' training data and regression tests."
LABEL_NAMES = {"crisis": "Crisis", "consult_reminder": "Consult reminder", "phi": "Identifiers", "spam": "Spam",
               "abuse": "Abuse"}
member_bp = Blueprint("standing", __name__)


@bp.before_request
@login_required
def _signed_in():
    services.require_moderator(g.viewer)


def _csrf_ok():
    if EmptyForm().validate_on_submit():
        return True
    flash("The form expired; please try again.", "error")
    return False


def _int_arg(name):
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@bp.route("")
def queue():
    community_id, kind, age = _int_arg("community"), request.args.get("kind") or None, request.args.get("age") or None
    try:
        rows = services.queue(g.viewer, community_id, kind, age)
    except ValidationFailed as exc:
        flash(exc.message, "error")
        rows = services.queue(g.viewer)
    return render_template("moderation/queue.html", rows=rows, form=EmptyForm(), kinds=KIND_NAMES,
                           communities=services.moderated_communities(g.viewer),
                           chosen={"community": community_id, "kind": kind, "age": age},
                           appeal_count=len(appeals.open_appeals(g.viewer)))


@bp.route("/items/<int:item_id>")
def item(item_id):
    return _item_page(services.get_item(g.viewer, item_id), {})


def _item_page(row, errors, edited=None, miss=None):
    # Offsets point into the text the filters judged: only drawn while the post still has that text.
    spans_current = pipeline.text_hash(row.Post.body) == row.ReviewItem.text_hash
    return render_template("moderation/item.html", row=row, form=EmptyForm(), kinds=KIND_NAMES, edited=edited,
                           flags=services.flags_of(row.Post.id), flag_reasons=FLAG_REASONS, errors=errors,
                           spans_current=spans_current, closed_by=services.closer_of(row.ReviewItem),
                           label_names=LABEL_NAMES, found_labels=row.Post.labels or [], miss=miss), \
        422 if errors else 200


DONE = {"approve": "Approved and published.", "reject": "Rejected; the author is told why.", "hide": "Hidden.",
        "restore": "Restored.", "acknowledge": "Alert acknowledged. Thank you for checking on them.",
        "close": "Review closed."}


@bp.route("/items/<int:item_id>/miss", methods=["POST"])
def item_miss(item_id):
    if _csrf_ok():
        try:
            misses.report_item(g.viewer, item_id, request.form.getlist("expected"), request.form.get("note"))
        except ValidationFailed as exc:
            return _item_page(services.get_item(g.viewer, item_id), {"miss_" + k: v for k, v in exc.fields.items()},
                              miss=request.form)
        flash(MISS_SAVED, "success")
    return redirect(url_for(".item", item_id=item_id))


@bp.route("/items/<int:item_id>/<action>", methods=["POST"])
def act(item_id, action):
    if not _csrf_ok():
        return redirect(url_for(".item", item_id=item_id))
    body = request.form.get("body") if action == "approve" else None
    # Read before deciding: nothing about the answer may fail once the decision is saved.
    then = safe_path(request.form.get("next"), "/moderation") or url_for(".queue")
    row = services.get_item(g.viewer, item_id)
    kept = action == "approve" and row.ReviewItem.kind == "flagged" and row.Post.state == "published"
    try:
        services.decide(g.viewer, item_id, action, request.form.get("reason", ""), body)
    except ValidationFailed as exc:
        flash(exc.message, "error")
        # The moderator's edit comes back in the box, never the original in its place.
        return _item_page(services.get_item(g.viewer, item_id), exc.fields, edited=body)
    flash("Kept up; the flags are dismissed." if kept else DONE[action], "success")
    return redirect(then)


@bp.route("/posts/<int:post_id>/<action>", methods=["POST"])
def post_action(post_id, action):
    """Hide or restore a post, or remove one of its notices, from the post's moderation page."""
    if _csrf_ok():
        try:
            if action == "remove-notice":
                services.remove_notice(g.viewer, post_id, request.form.get("kind", ""), request.form.get("reason"))
                flash("Notice removed; the reason is in the staff log.", "success")
            else:
                services.moderate_post_directly(g.viewer, post_id, action, request.form.get("reason"))
                flash("Post hidden; its author is told why." if action == "hide" else "Post restored.", "success")
        except ValidationFailed as exc:
            flash(" ".join(exc.fields.values()) or exc.message, "error")
    return redirect(url_for("standing.flag", post_id=post_id))


@bp.route("/threads/<int:thread_id>/<action>", methods=["POST"])
def thread_action(thread_id, action):
    if _csrf_ok():
        try:
            thread = tools.thread_action(g.viewer, thread_id, action, request.form.get("reason", ""),
                                         request.form.get("target"))
        except ValidationFailed as exc:
            flash(" ".join(exc.fields.values()) or exc.message, "error")
        else:
            flash({"lock": "Locked.", "unlock": "Unlocked.", "pin": "Pinned.", "unpin": "Unpinned.",
                   "move": "Moved.", "merge": "Merged."}[action], "success")
            return redirect(url_for("forums.thread", thread_id=thread.id))
    return redirect(url_for("forums.thread", thread_id=thread_id))


def _member_page(user_id, community_id, errors=None):
    community, user, sanctions, messages, notes = tools.member_record(g.viewer, user_id, community_id)
    return render_template("moderation/member.html", community=community, member=user, sanctions=sanctions,
                           messages=messages, notes=notes, form=EmptyForm(), durations=tools.DURATIONS,
                           errors=errors or {}), 422 if errors else 200


@bp.route("/members/<int:user_id>")
def member(user_id):
    return _member_page(user_id, _int_arg("community"))


@bp.route("/members/<int:user_id>/<action>", methods=["POST"])
def member_action(user_id, action):
    community_id = request.form.get("community", type=int)
    if _csrf_ok():
        try:
            if action == "note":
                tools.add_note(g.viewer, user_id, community_id, request.form.get("body"))
                flash("Note added.", "success")
            elif action == "sanction":
                kind = request.form.get("kind", "")
                tools.sanction(g.viewer, user_id, community_id, kind, request.form.get("rule"),
                               request.form.get("message"), request.form.get("duration", "7d"))
                flash({"message": "Message sent.", "warn": "Warning sent.", "silence": "Silenced in this community.",
                       "suspend": "Account suspended."}.get(kind, "Done."), "success")
            elif action == "lift":
                tools.lift(g.viewer, request.form.get("sanction", type=int), request.form.get("reason"))
                flash("Lifted.", "success")
        except ValidationFailed as exc:
            flash(exc.message, "error")
            return _member_page(user_id, community_id, exc.fields)
    return redirect(url_for(".member", user_id=user_id, community=community_id))


@bp.route("/appeals")
def appeal_list():
    return render_template("moderation/appeals.html", rows=appeals.open_appeals(g.viewer))


@bp.route("/appeals/<int:appeal_id>", methods=["GET", "POST"])
def appeal(appeal_id):
    found = appeals.get(g.viewer, appeal_id)
    errors = {}
    if request.method == "POST" and _csrf_ok():
        try:
            appeals.decide(g.viewer, appeal_id, request.form.get("outcome"), request.form.get("reason"))
        except ValidationFailed as exc:
            errors = exc.fields
        else:
            flash("Appeal decided; the member is told.", "success")
            return redirect(url_for(".appeal_list"))
    return render_template("moderation/appeal.html", appeal=found, about=appeals.details(found), form=EmptyForm(),
                           errors=errors, chosen=request.form), 422 if errors else 200


@bp.route("/log")
def staff_log():
    action = (request.args.get("action") or "").strip()[:40] or None
    rows = log.entries(g.viewer, _int_arg("community"), action, _int_arg("before"))
    return render_template("moderation/log.html", rows=rows, communities=services.moderated_communities(g.viewer),
                           chosen=_int_arg("community"), action=action or "", actions=log.ACTIONS)


def _rules_scope():
    """The community (by id) whose rules are shown; 'global' (no id) is the site-wide list."""
    community_id = _int_arg("community") or request.form.get("community", type=int)
    communities = services.moderated_communities(g.viewer)
    if community_id is None and not g.viewer.is_admin and communities:
        community_id = communities[0].id
    return community_id, communities


def _rules_page(community_id, communities, errors=None, values=None, result=None, status=200):
    return render_template(
        "moderation/rules.html", rules=rules.list_rules(g.viewer, community_id), community_id=community_id,
        communities=communities, form=EmptyForm(), errors=errors or {}, values=values or {}, result=result,
        match_types=RULE_MATCH_TYPES, actions=RULE_ACTIONS, action_names=rules.ACTION_NAMES,
        label_names=LABEL_NAMES), status


@bp.route("/rules", methods=["GET", "POST"])
def rules_page():
    community_id, communities = _rules_scope()
    if request.method == "POST" and _csrf_ok():
        try:
            rules.create(g.viewer, community_id, request.form)
        except ValidationFailed as exc:
            return _rules_page(community_id, communities, exc.fields, request.form, status=422)
        flash("Rule saved.", "success")
        return redirect(url_for(".rules_page", community=community_id))
    return _rules_page(community_id, communities)


@bp.route("/rules/test", methods=["POST"])
def rules_test():
    community_id, communities = _rules_scope()
    if not _csrf_ok():
        return redirect(url_for(".rules_page", community=community_id))
    extra = request.form if request.form.get("pattern") else None
    try:
        result = rules.test(g.viewer, community_id, request.form.get("text"), extra)
    except ValidationFailed as exc:
        return _rules_page(community_id, communities, exc.fields, request.form, status=422)
    return _rules_page(community_id, communities, values=request.form, result=result)


@bp.route("/misses", methods=["POST"])
def report_miss():
    community_id, communities = _rules_scope()
    if not _csrf_ok():
        return redirect(url_for(".rules_page", community=community_id))
    try:
        misses.report_text(g.viewer, community_id, request.form.get("text"), request.form.getlist("expected"),
                           request.form.get("note"))
    except ValidationFailed as exc:
        result = rules.test(g.viewer, community_id, request.form.get("text")) if (request.form.get("text") or "").strip() else None
        return _rules_page(community_id, communities, {"miss_" + k: v for k, v in exc.fields.items()}, request.form,
                           result=result, status=422)
    flash(MISS_SAVED, "success")
    return redirect(url_for(".rules_page", community=community_id))


@bp.route("/rules/<int:rule_id>/<action>", methods=["POST"])
def rule_action(rule_id, action):
    community_id = request.form.get("community", type=int)
    if _csrf_ok():
        try:
            if action == "delete":
                rules.delete(g.viewer, rule_id)
                flash("Rule deleted.", "success")
            elif action in ("enforce", "shadow", "disable", "enable"):
                rule = rules.rule_for(g.viewer, rule_id)
                data = {f: getattr(rule, f) for f in rules.CSV_FIELDS}
                if action in ("enforce", "shadow"):
                    data["mode"] = action
                else:
                    data["enabled"] = action == "enable"
                rules.update(g.viewer, rule_id, data)
                flash("Rule updated.", "success")
        except ValidationFailed as exc:
            flash(exc.message, "error")
    return redirect(url_for(".rules_page", community=community_id))


@bp.route("/rules/export.csv")
def rules_export():
    community_id, _ = _rules_scope()
    text = rules.export_csv(g.viewer, community_id)
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=rules-{community_id or 'global'}.csv"})


@bp.route("/rules/import", methods=["POST"])
def rules_import():
    community_id, communities = _rules_scope()
    if _csrf_ok():
        upload = request.files.get("file")
        text = upload.read(1_000_000).decode("utf-8", "replace") if upload else ""
        try:
            count = rules.import_csv(g.viewer, community_id, text)
        except ValidationFailed as exc:
            return _rules_page(community_id, communities, exc.fields, status=422)
        imported, skipped = count
        flash(f"{imported} rule{'' if imported == 1 else 's'} imported"
              + (f"; {skipped} already there, skipped." if skipped else "."), "success")
    return redirect(url_for(".rules_page", community=community_id))


# ---------------------------------------------------------------- members' side

@member_bp.route("/account/standing", methods=["GET", "POST"])
@login_required
def standing():
    errors, status = {}, 200
    if request.method == "POST" and _csrf_ok():
        try:
            appeal = appeals.create(g.viewer, request.form.get("kind"), request.form.get("target", type=int),
                                    request.form.get("message"))
        except ServiceError as exc:
            errors, status = exc.fields or {"message": exc.message}, exc.status
            flash(exc.message, "error")
        else:
            if appeals.deciders(appeal):
                flash("Appeal sent. A moderator who did not make the decision will look at it.", "success")
            else:
                flash("Appeal saved. Right now nobody but the person who made the decision could review it, so it "
                      "waits for another moderator or admin; it stays open until then.", "info")
            return redirect(url_for(".standing"))
    sanctions, posts = tools.standing(g.viewer.user_id)
    mine = {(a.kind, a.target_id): a for a in appeals.mine(g.viewer.user_id)}
    return render_template("moderation/standing.html", sanctions=sanctions, posts=posts, appeals=mine,
                           form=EmptyForm(), errors=errors, chosen=request.form), status


@member_bp.route("/p/<int:post_id>/flag", methods=["GET", "POST"])
@login_required
def flag(post_id):
    post, thread, community = forums.post_row(g.viewer, post_id)
    errors, status = {}, 200
    if request.method == "POST" and _csrf_ok():
        try:
            flags.flag_post(g.viewer, post_id, request.form.get("reason"), request.form.get("message"))
        except ServiceError as exc:
            errors, status = exc.fields or {"reason": exc.message}, exc.status
        else:
            flash("Thank you. The moderators will look at it; the author is not told who flagged.", "success")
            return redirect(url_for("forums.thread", thread_id=thread.id, _anchor=f"p{post.id}"))
    return render_template("moderation/flag.html", post=post, thread=thread, community=community,
                           reasons=FLAG_REASONS, form=EmptyForm(), errors=errors, chosen=request.form,
                           is_moderator=g.viewer.is_moderator(community.id)), status
