from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import login_required

from ..accounts.forms import EmptyForm
from ..errors import ValidationFailed
from . import services

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


@bp.before_request
@login_required
def _signed_in():
    pass


@bp.route("")
def queue():
    return render_template("moderation/queue.html", rows=services.queue(g.viewer), form=EmptyForm())


@bp.route("/items/<int:item_id>")
def item(item_id):
    row = services.get_item(g.viewer, item_id)
    return render_template("moderation/item.html", row=row, form=EmptyForm())


ACTIONS = {
    "acknowledge": (services.acknowledge, "Alert acknowledged. Thank you for checking on them."),
    "approve": (services.approve, "Approved and published."),
    "close": (services.close_review, "Review closed; the original text is destroyed."),
}


@bp.route("/items/<int:item_id>/<action>", methods=["POST"])
def act(item_id, action):
    form = EmptyForm()
    if not form.validate_on_submit():
        flash("The form expired; please try again.", "error")
        return redirect(url_for(".item", item_id=item_id))
    try:
        if action == "reject":
            services.reject(g.viewer, item_id, request.form.get("reason"))
            flash("Rejected.", "success")
        elif action in ACTIONS:
            do, message = ACTIONS[action]
            do(g.viewer, item_id)
            flash(message, "success")
        else:
            return redirect(url_for(".item", item_id=item_id))
    except ValidationFailed as exc:
        flash(exc.message, "error")
        return redirect(url_for(".item", item_id=item_id))
    return redirect(url_for(".queue"))
