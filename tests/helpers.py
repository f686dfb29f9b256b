"""Builders for test data, going through the real services where it matters."""
import re

import sqlalchemy as sa

from community.accounts.models import OutgoingMail, User
from community.accounts.services import hash_password
from community.extensions import db
from community.forums import services as forums
from community.forums.models import Community, Membership, Moderator
from community.forums.visibility import bump_memberships
from community.models_base import utcnow

PASSWORD = "quiet-harbour-lantern-42"


def create_user(username, *, verified=True, role="member", totp=False, password=PASSWORD, **extra):
    now = utcnow()
    # An established member unless a test says otherwise: a new member's first posts wait for
    # approval (DESIGN.md's trust levels), which only the tests about that want.
    extra.setdefault("approved_posts", 2)
    user = User(
        username=username, email=f"{username.lower()}@example.org", password_hash=hash_password(password), role=role,
        birth_year=1980, email_verified_at=now if verified else None, guidelines_accepted_at=now,
        health_consent_at=now, onboarded_at=now, **extra,
    )
    if totp:
        import pyotp

        user.totp_secret = pyotp.random_base32()
        user.totp_enabled_at = now
    db.session.add(user)
    db.session.commit()
    return user


def create_community(slug="asthma", name=None, visibility="public", **extra):
    community = Community(slug=slug, name=name or slug.replace("-", " ").title(), visibility=visibility,
                          description=f"About {slug}.", **extra)
    db.session.add(community)
    db.session.commit()
    return community


def add_member(user, community):
    forums.join(user.id, community.id)


def add_moderator(user, community):
    db.session.add(Moderator(user_id=user.id, community_id=community.id))
    bump_memberships(user.id)
    db.session.commit()


def start_thread(user, community, title="A question", body="How do you manage mornings?"):
    """A published thread (the eager pipeline runs on commit)."""
    if not db.session.scalar(sa.select(Membership.id).where(Membership.user_id == user.id,
                                                             Membership.community_id == community.id)):
        add_member(user, community)
    thread, post = forums.create_thread(user.id, community.id, title, body)
    db.session.expire_all()
    return thread, post


def login(client, username, password=PASSWORD, follow=False):
    return client.post("/login", data={"login": username, "password": password}, follow_redirects=follow)


def last_mail(to=None):
    stmt = sa.select(OutgoingMail).order_by(OutgoingMail.id.desc())
    if to:
        stmt = stmt.where(OutgoingMail.to == to)
    return db.session.scalar(stmt)


def link_in(text, path_prefix):
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s]+)", text)
    assert match, f"no {path_prefix} link in {text!r}"
    return match.group(1)
