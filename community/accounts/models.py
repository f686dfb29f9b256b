from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import UTCDateTime, utcnow

ROLES = ("member", "clinician", "researcher", "admin")
# Roles whose powers wait until two-factor authentication is on.
POWER_ROLES = {"clinician", "researcher", "admin"}


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(32), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(16), default="member")
    birth_year: Mapped[Optional[int]] = mapped_column()
    email_verified_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    pending_email: Mapped[Optional[str]] = mapped_column(sa.String(254))
    guidelines_accepted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    health_consent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    totp_secret: Mapped[Optional[str]] = mapped_column(sa.String(64))
    totp_enabled_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[Optional[int]] = mapped_column()
    # Private unless the member chooses otherwise, whatever the sign-up path (DESIGN.md "Memberships").
    hide_memberships: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # Member pages are for signed-in members; a visitor sees one only when its member says so.
    profile_public: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Set by migration 0010 for members it switched to hidden: they are told once, then it is cleared.
    memberships_notice: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    bio: Mapped[str] = mapped_column(sa.String(500), default="")
    onboarded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    approved_posts: Mapped[int] = mapped_column(default=0)
    # Wrong second-factor codes in a row, and when the next may be tried (accounts.services.second_factor_problem).
    totp_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    totp_retry_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    # Set by the pipeline for a new account whose first post was certain spam; an admin lifts it.
    silenced_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    # Bumped when the member joins or leaves a community or becomes or stops being a moderator:
    # the key of the per-process cache of their Viewer (forums.visibility.viewer_for).
    memberships_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # An IANA name (accounts.services.clean_time_zone); pages still carry UTC and static/js/time.js
    # shows it in this zone, and e-mails print times in it (accounts.services.local_time).
    time_zone: Mapped[str] = mapped_column(sa.String(64), default="UTC", server_default="UTC")
    # None until the first sign-in: the home page greets a first visit with "Welcome", later ones "Welcome back".
    last_login_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def email_verified(self):
        return self.email_verified_at is not None

    @property
    def totp_enabled(self):
        return self.totp_enabled_at is not None

    @property
    def is_admin(self):
        # Admin powers need 2FA (DESIGN.md); an admin without it is treated as a member.
        return self.role == "admin" and self.totp_enabled

    @property
    def needs_2fa_for_powers(self):
        return self.role in POWER_ROLES and not self.totp_enabled

    @property
    def is_new(self):
        return (utcnow() - self.created_at).days < 7 or self.approved_posts < 2

    def __repr__(self):
        return f"<User {self.id}>"


class RecoveryCode(db.Model):
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())


class UserSession(db.Model):
    """Server-side session: the cookie holds a random id, this row decides if it is alive."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_agent: Mapped[str] = mapped_column(sa.String(200), default="")
    # "Firefox on Windows": named once, when the session starts (accounts.devices).
    device: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    ip: Mapped[str] = mapped_column(sa.String(45), default="")
    # Whether this sign-in passed the second factor: staff powers need it, not only 2FA on the account.
    two_factor: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    @property
    def device_name(self):
        from .devices import device_label

        return self.device or device_label(self.user_agent)


class OutgoingMail(db.Model):
    """An email waiting for the mail task; the task gets only this row's id."""

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    # the HTML part, when there is one; extra headers (List-Unsubscribe, RFC 8058)
    html: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    headers: Mapped[Optional[dict]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())


class ApiToken(db.Model):
    """A bearer token for the JSON API: stored hashed, scoped, expiring, revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="")
    scopes: Mapped[str] = mapped_column(sa.String(100), default="read")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    # Made with a TOTP code: staff powers need it, as they do for sessions.
    two_factor: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    @property
    def scope_set(self):
        return set(self.scopes.split())


class LoginThrottle(db.Model):
    """Failed sign-ins in a row for one login name (username or e-mail, as typed), keyed by a keyed
    hash of it: names with and without an account are slowed alike, so the wait tells nothing."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    # No attempt under this name is checked before this moment.
    retry_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class MailRequest(db.Model):
    """An e-mail asked for by someone who may have no account (a reset link, a sign-in link, the
    notice of failed sign-ins). The request writes this row whether or not the account exists, and
    the worker looks the account up: both answers take the same work and time."""

    __tablename__ = "mail_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    login: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
