import sqlalchemy as sa
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import login_required

from ..errors import Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..forums import services as forums
from ..forums.forms import CommunityForm
from ..forums.models import BY_NAME, Community
from ..moderation import alerts, tools
from ..views_util import apply_errors

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _admins_only():
    if not g.viewer.is_admin:
        raise Forbidden("Admin pages need an admin account with two-factor authentication turned on.")


@bp.route("/")
def index():
    # People type /admin; the admin pages start at the communities list.
    return redirect(url_for("admin.communities"))


@bp.route("/communities")
def communities():
    rows = db.session.scalars(sa.select(Community).order_by(*BY_NAME)).all()
    return render_template("admin/communities.html", communities=rows)


@bp.route("/coverage")
def coverage():
    rows, admins = alerts.coverage(g.viewer)
    return render_template("admin/coverage.html", rows=rows, admins=admins,
                           uncovered=sum(1 for _, _, covered in rows if not covered))


@bp.route("/communities/new", methods=["GET", "POST"])
@bp.route("/communities/<int:community_id>/edit", methods=["GET", "POST"])
def edit_community(community_id=None):
    community = db.session.get(Community, community_id) if community_id else None
    if community_id and community is None:
        raise NotFound("No such community.")
    form = CommunityForm(obj=community)
    if form.validate_on_submit():
        try:
            saved = forums.save_community(g.viewer, form.data, community_id)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            flash(f"{saved.name} saved.", "success")
            return redirect(url_for("admin.communities"))
    return render_template("admin/community_form.html", form=form, community=community), 422 if form.errors else 200


@bp.route("/communities/<int:community_id>/moderators", methods=["GET", "POST"])
def moderators(community_id):
    community = db.session.get(Community, community_id)
    if community is None:
        raise NotFound("No such community.")
    errors = {}
    if request.method == "POST":
        from ..accounts.forms import EmptyForm

        if EmptyForm().validate_on_submit():
            try:
                if request.form.get("remove"):
                    tools.dismiss(g.viewer, community.id, request.form.get("remove", type=int), request.form.get("reason"))
                    flash("Moderator removed.", "success")
                elif request.form.get("confirm") != "1":
                    # The first step only looks: the admin confirms on a second page with the member's record.
                    check = tools.appointment_check(g.viewer, community.id, request.form.get("username"))
                    return render_template("admin/moderator_confirm.html", form=EmptyForm(), reason=request.form.get("reason", ""),
                                           **check)
                else:
                    user = tools.appoint(g.viewer, community.id, request.form.get("username"), request.form.get("reason"))
                    flash(f"{user.username} now moderates {community.name}. They have been e-mailed."
                          + ("" if user.totp_enabled else " Their powers wait until they turn on two-factor authentication."),
                          "success")
                return redirect(url_for("admin.moderators", community_id=community.id))
            except ValidationFailed as exc:
                errors = exc.fields
    from ..accounts.forms import EmptyForm

    return render_template("admin/moderators.html", community=community, form=EmptyForm(), errors=errors,
                           moderators=tools.moderators(g.viewer, community.id)), 422 if errors else 200
