import pyotp
import segno
from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import TooManyAttempts, ValidationFailed
from ..extensions import db, limiter
from ..forums import services as forums
from ..security import auth_event
from ..views_util import apply_errors, safe_next
from . import services
from ..notifications import services as notifications
from .models import User
from .forms import (
    ChangeEmailForm, ChangePasswordForm, DisableTotpForm, EmptyForm, EnableTotpForm, LoginForm,
    NotificationPrefsForm, ProfileBasicsForm, ResetForm, ResetRequestForm, SignInLinkForm, SignupForm, TimeZoneForm,
    TwoFactorForm,
)

bp = Blueprint("accounts", __name__)

LOGIN_LIMIT = "10/minute;100/hour"


def _start_session(user, two_factor=False):
    token, session_id, first = services.create_session(
        user.id, request.headers.get("User-Agent", ""), request.remote_addr or "", two_factor=two_factor,
    )
    session.clear()
    session.permanent = True
    session["sid"] = token
    if first:
        session["first_visit"] = True  # the home page says "Welcome", not "Welcome back"
    login_user(user)
    g.session_id = session_id
    auth_event("login", user.id)


@bp.route("/signup", methods=["GET", "POST"])
# Ten sign-ups an hour from one address; a form sent back with a field error (422) does not count
# towards them, so a newcomer's typos cannot lock them out, but every attempt counts towards 40.
@limiter.limit("10/hour", methods=["POST"], deduct_when=lambda response: response.status_code != 422)
@limiter.limit("40/hour", methods=["POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = SignupForm()
    if form.validate_on_submit():
        if form.website.data:
            # A bot filled the hidden field: answer as if it worked, keep nothing.
            auth_event("signup_honeypot")
            return redirect(url_for("accounts.check_email"))
        try:
            user = services.register(
                form.username.data, form.email.data, form.password.data, form.birth_year.data,
                form.accept_guidelines.data, form.health_data_consent.data, time_zone=form.time_zone.data,
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            # The same answer whether the address was new or already had an account (which got
            # an e-mail saying so): no session yet, the new account signs in after confirming.
            auth_event("signup" if user else "signup_address_taken", user.id if user else None)
            return redirect(url_for("accounts.check_email"))
    elif request.method == "POST":
        for name in ("accept_guidelines", "health_data_consent"):
            if not getattr(form, name).data:
                getattr(form, name).errors = ["Please tick this box to continue."]
    return render_template("accounts/signup.html", form=form), 422 if form.errors else 200


@bp.route("/signup/check-email")
def check_email():
    return render_template("accounts/check_email.html")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    throttled = False
    if form.validate_on_submit():
        try:
            user, problem = services.authenticate(form.login.data, form.password.data)
        except TooManyAttempts as exc:
            # Keyed by the name typed, with or without an account: the same page for both.
            auth_event("login_throttled")
            flash(exc.message, "error")
            throttled = True
        else:
            if problem:
                auth_event("login_failed", user.id if user else None)
                flash("That username or password is not right.", "error")
            else:
                return _signed_in(user, safe_next() if user.onboarded_at else url_for("accounts.onboarding"))
    status = 429 if throttled else 422 if request.method == "POST" else 200
    return render_template("accounts/login.html", form=form, throttled=throttled,
                           link_form=SignInLinkForm(formdata=None, login=form.login.data)), status


def _signed_in(user, target):
    """The password (or a sign-in link) is through: ask for the code, or start the session."""
    if user.totp_enabled:
        session.clear()
        session["2fa"] = services.pending_login(user)
        session["2fa_next"] = target
        return redirect(url_for("accounts.login_2fa"))
    _start_session(user)
    return redirect(target)


@bp.route("/login/2fa", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login_2fa():
    # None once the password has changed or ten minutes have passed: the login starts again.
    user = services.pending_login_user(session.get("2fa"))
    if user is None:
        session.pop("2fa", None)
        return redirect(url_for("accounts.login"))
    form = TwoFactorForm()
    if form.validate_on_submit():
        try:
            problem = services.second_factor_problem(user.id, form.code.data)
        except TooManyAttempts as exc:
            problem = exc.message
        if problem is None:
            target = session.get("2fa_next") or url_for("core.home")
            _start_session(db.session.get(User, user.id), two_factor=True)
            return redirect(target)
        auth_event("2fa_failed", user.id)
        # Emptied, or the next code typed on a phone lands after the wrong one and fails too.
        form.code.data, form.code.raw_data = "", []
        form.code.errors = [problem if problem != services.CODE_WRONG
                            else "That code did not match. Try the newest code, or a recovery code."]
    return render_template("accounts/login_2fa.html", form=form), 422 if form.errors else 200


@bp.route("/login/link", methods=["GET", "POST"])
@limiter.limit("5/hour", methods=["POST"])
def sign_in_link_request():
    form = SignInLinkForm()
    if form.validate_on_submit():
        services.request_sign_in_link(form.login.data)
        flash("If that account exists, a sign-in link is on its way to its e-mail address. "
              "It works for 15 minutes, once.", "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/sign_in_link_request.html", form=form), 422 if form.errors else 200


@bp.route("/login/link/<token>", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def sign_in_link(token):
    """GET only shows a button: a mail scanner that opens links must not spend it or sign in."""
    form = EmptyForm()
    try:
        if not form.validate_on_submit():
            services.read_sign_in_link(token)
            return render_template("accounts/sign_in_link.html", form=form)
        user = services.use_sign_in_link(token)
    except ValidationFailed as exc:
        flash(exc.message, "error")
        return redirect(url_for("accounts.login"))
    auth_event("sign_in_link_used", user.id)
    return _signed_in(user, url_for("core.home") if user.onboarded_at else url_for("accounts.onboarding"))


@bp.route("/logout", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        auth_event("logout", current_user.id)
        services.revoke_session(current_user.id, g.get("session_id"))
        logout_user()
    session.clear()
    response = redirect(url_for("core.home"))
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    flash("You are logged out.", "info")
    return response


@bp.route("/verify/<token>")
def verify_email(token):
    try:
        services.verify_email(token)
    except ValidationFailed as exc:
        flash(exc.message, "error")
        return redirect(url_for("accounts.settings") if current_user.is_authenticated else url_for("core.home"))
    flash("Thank you, your email is confirmed." + ("" if current_user.is_authenticated else " Log in to start."),
          "success")
    return redirect(url_for("core.home") if current_user.is_authenticated else url_for("accounts.login"))


@bp.route("/verify/resend", methods=["POST"])
@login_required
@limiter.limit("5/hour")
def resend_verification():
    if EmptyForm().validate_on_submit():
        services.resend_verification(current_user.id)
        flash("We sent a new confirmation link.", "success")
    return redirect(safe_next("accounts.settings"))


@bp.route("/password/reset", methods=["GET", "POST"])
@limiter.limit("5/hour", methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash("If that address has an account, a reset link is on its way.", "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form), 422 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10/hour", methods=["POST"])
def reset_password(token):
    form = ResetForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            auth_event("password_reset", user.id)
            flash("Your password is changed and every session was signed out. Please log in.", "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), 422 if form.errors else 200


# ---------------------------------------------------------------- settings

def _settings_page(status=200, **forms):
    """The settings page, with any submitted form (and its errors) in place of a blank one."""
    forms.setdefault("password_form", ChangePasswordForm(formdata=None))
    forms.setdefault("email_form", ChangeEmailForm(formdata=None))
    forms.setdefault("prefs_form", ProfileBasicsForm(formdata=None, obj=current_user))
    forms.setdefault("zone_form", TimeZoneForm(formdata=None, obj=current_user))
    forms["zone_form"].time_zone.choices = services.time_zones()
    return render_template("accounts/settings.html", **forms), status


@bp.route("/settings", methods=["GET"])
@login_required
def settings():
    return _settings_page()


@bp.route("/settings/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user.id, form.current_password.data, form.new_password.data,
                                     g.get("session_id"))
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            auth_event("password_changed", current_user.id)
            flash("Password changed. Your other sessions were signed out.", "success")
            return redirect(url_for("accounts.settings"))
    return _settings_page(422, password_form=form)


@bp.route("/settings/email", methods=["POST"])
@login_required
@limiter.limit("5/hour")
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(current_user.id, form.password.data, form.email.data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            auth_event("email_change_requested", current_user.id)
            flash("Check your new inbox: the change takes effect when you follow the link.", "success")
            return redirect(url_for("accounts.settings"))
    return _settings_page(422, email_form=form)


@bp.route("/settings/preferences", methods=["POST"])
@login_required
def preferences():
    form = ProfileBasicsForm()
    zone = TimeZoneForm()
    if form.validate_on_submit():
        values = {"bio": (form.bio.data or "").strip(), "hide_memberships": form.hide_memberships.data,
                  "profile_public": form.profile_public.data}
        if "time_zone" in request.form:
            values["time_zone"] = zone.time_zone.data
        try:
            services.update_preferences(current_user.id, **values)
        except ValidationFailed as exc:
            apply_errors(zone, exc)
            return _settings_page(422, prefs_form=form, zone_form=zone)
        flash("Preferences saved.", "success")
    else:
        flash("Your bio can be at most 500 characters.", "error")
    return redirect(url_for("accounts.settings"))


@bp.route("/settings/memberships-notice", methods=["POST"])
@login_required
def dismiss_memberships_notice():
    if EmptyForm().validate_on_submit():
        services.dismiss_memberships_notice(current_user.id)
    return redirect(safe_next("core.home"))


@bp.route("/settings/sessions", methods=["GET", "POST"])
@login_required
def sessions():
    form = EmptyForm()
    if form.validate_on_submit():
        target = request.form.get("session_id", type=int)
        token_id = request.form.get("token_id", type=int)
        if token_id:
            if services.revoke_token(current_user.id, token_id):
                auth_event("api_token_revoked", current_user.id)
                flash("That token is revoked.", "success")
        elif request.form.get("all_others"):
            services.revoke_other_sessions(current_user.id, g.get("session_id"))
            flash("All your other sessions are signed out.", "success")
        elif target and services.revoke_session(current_user.id, target):
            auth_event("session_revoked", current_user.id)
            if target == g.get("session_id"):
                logout_user()
                session.clear()
                return redirect(url_for("accounts.login"))
            flash("That session is signed out.", "success")
        return redirect(url_for("accounts.sessions"))
    return render_template(
        "accounts/sessions.html", rows=services.list_sessions(current_user.id), current=g.get("session_id"),
        tokens=services.list_tokens(current_user.id), form=form,
    )


@bp.route("/settings/2fa", methods=["GET", "POST"])
@login_required
def two_factor():
    enable = EnableTotpForm()
    disable = DisableTotpForm()
    codes = None
    if current_user.totp_enabled:
        if request.method == "POST" and request.form.get("action") == "disable" and disable.validate_on_submit():
            try:
                services.disable_totp(current_user.id, disable.password.data, disable.code.data)
            except ValidationFailed as exc:
                apply_errors(disable, exc)
            else:
                auth_event("2fa_disabled", current_user.id)
                flash("Two-factor authentication is off.", "success")
                return redirect(url_for("accounts.two_factor"))
        elif request.method == "POST" and request.form.get("action") == "codes" and EmptyForm().validate_on_submit():
            codes = services.regenerate_recovery_codes(current_user.id)
            auth_event("2fa_codes_regenerated", current_user.id)
        return render_template("accounts/two_factor.html", disable=disable, codes=codes,
                               remaining=services.remaining_recovery_codes(current_user.id), empty=EmptyForm())
    if request.method == "POST" and enable.validate_on_submit():
        try:
            codes = services.confirm_totp(current_user.id, enable.code.data, g.get("session_id"))
        except ValidationFailed as exc:
            apply_errors(enable, exc)
        else:
            auth_event("2fa_enabled", current_user.id)
            flash("Two-factor authentication is on. Keep your recovery codes somewhere safe.", "success")
            # formdata=None: the "turn it off" form must not come back holding the code just used
            return render_template("accounts/two_factor.html", codes=codes, disable=DisableTotpForm(formdata=None),
                                   remaining=len(codes), empty=EmptyForm())
    secret = current_user.totp_secret
    if not secret or request.method == "GET":
        secret, _ = services.start_totp(current_user.id)
    uri = pyotp.TOTP(secret).provisioning_uri(name=current_user.username, issuer_name="Patient Commons")
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, dark="#1d2a33")
    return render_template("accounts/two_factor_setup.html", form=enable, secret=secret, qr=qr), \
        422 if enable.errors else 200


# ---------------------------------------------------------------- onboarding

@bp.route("/welcome", methods=["GET"])
@login_required
def onboarding():
    return render_template("accounts/onboarding_conditions.html",
                           communities=forums.list_communities(g.viewer), form=EmptyForm(), step=1)


@bp.route("/welcome/communities", methods=["POST"])
@login_required
def onboarding_communities():
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect(url_for("accounts.onboarding"))
    chosen = {int(x) for x in request.form.getlist("condition") if x.isdigit()}
    if request.form.get("join"):
        for community_id in {int(x) for x in request.form.getlist("community") if x.isdigit()}:
            forums.join(current_user.id, community_id)
        return redirect(url_for("accounts.onboarding_profile"))
    return render_template("accounts/onboarding_communities.html",
                           communities=forums.list_communities(g.viewer), chosen=chosen, form=form, step=2)


@bp.route("/welcome/profile", methods=["GET", "POST"])
@login_required
def onboarding_profile():
    form = ProfileBasicsForm(obj=current_user) if request.method == "GET" else ProfileBasicsForm()
    if form.validate_on_submit():
        services.update_preferences(current_user.id, bio=(form.bio.data or "").strip(),
                                    hide_memberships=form.hide_memberships.data)
        return redirect(url_for("accounts.onboarding_notifications"))
    return render_template("accounts/onboarding_profile.html", form=form, step=3)


@bp.route("/welcome/notifications", methods=["GET", "POST"])
@login_required
def onboarding_notifications():
    form = NotificationPrefsForm()
    if form.validate_on_submit():
        # The first of the notification settings (/settings/notifications has them all).
        mode = "away" if form.notify_replies_email.data else "off"
        notifications.update_settings(current_user.id, {"email": {"reply": mode, "mention": mode, "quote": mode}})
        services.finish_onboarding(current_user.id)
        flash("You are all set. Welcome to Patient Commons.", "success")
        return redirect(url_for("core.home"))
    return render_template("accounts/onboarding_notifications.html", form=form, step=4)


@bp.route("/welcome/done", methods=["POST"])
@login_required
def onboarding_done():
    """Skip the rest of onboarding."""
    if EmptyForm().validate_on_submit():
        services.finish_onboarding(current_user.id)
    return redirect(url_for("core.home"))
