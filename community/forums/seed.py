"""Demo data for a new site: idempotent, so `make run` can call it every time."""
from datetime import timedelta

import sqlalchemy as sa

from ..accounts.models import User
from ..accounts.services import hash_password
from ..extensions import db
from ..markdown import render
from ..models_base import utcnow
from . import search
from .conditions import CONDITIONS
from .models import Community, Membership, Moderator, Post, Thread

DEMO_PASSWORD = "demo-commons-2026"
# Fixed two-factor secrets so the demo staff can try the staff tools at once (`make run` prints
# them). Demo only: anyone who reads this file can sign in as them.
DEMO_TOTP = {"morgan": "DEMOONLYMORGANTOTPSECRETNOTREAL2", "admin": "DEMOONLYADMINTOTPSECRETNOTREAL22"}
DEMO_USERS = [
    ("alex", "member", "Living with type 2 diabetes since 2015. Walker, baker, tea drinker."),
    ("sam", "member", "MS, relapsing-remitting. Parent of two."),
    ("riley", "member", "Crohn's and fibro. Caregiver for my dad (COPD)."),
    ("morgan", "member (moderator of Type 2 diabetes and Multiple sclerosis)", "Volunteer moderator."),
    ("drlee", "clinician", "Family physician."),
    ("admin", "admin", "Site administrator."),
]

THREADS = [
    ("type-2-diabetes", "alex", "What helped you get used to checking your feet every day?", [
        ("alex", "My nurse keeps reminding me to check my feet, and I keep forgetting. "
                 "How did you build it into your day?"),
        ("riley", "I keep a small mirror by the bed and do it after I take my socks off. "
                  "Two minutes, and it's become automatic."),
        ("morgan", "Pairing it with something you already do is the trick. Mine happens while the kettle boils."),
    ]),
    ("type-2-diabetes", "morgan", "Welcome! Start here and say hello", [
        ("morgan", "Welcome to the **Type 2 diabetes** community. Introduce yourself if you like: "
                   "how long you've been living with it, what you'd like to talk about.\n\n"
                   "A reminder: what members share is experience, not medical advice."),
        ("alex", "Hi all, diagnosed 2015, still learning. Glad this place exists."),
    ]),
    ("multiple-sclerosis", "sam", "Heat sensitivity this summer: what are your tricks?", [
        ("sam", "The heat wipes me out. Cooling vest? Cold showers? What works for you?"),
        ("riley", "A damp scarf in the fridge, then round my neck. Cheap and it helps."),
        ("morgan", "Planning errands for early morning made the biggest difference for me."),
    ]),
    ("crohns-disease", "riley", "Telling a new employer about Crohn's", [
        ("riley", "Starting a new job next month. Did you tell your manager early, or wait?"),
        ("sam", "I told HR first and asked for a desk near the bathroom. They were kind about it."),
    ]),
    ("fibromyalgia", "riley", "Pacing: how do you plan a day with limited energy?", [
        ("riley", "I'm trying the 'spoons' idea. Do you plan the night before or on the day?"),
        ("alex", "Night before, with one flexible slot for bad days."),
    ]),
    ("long-covid", "sam", "Returning to work after long COVID", [
        ("sam", "Eighteen months on. Phased return starts next week. Any advice?"),
        ("drlee", "General information, not personal advice: phased returns work best when the plan can go "
                  "backwards as well as forwards. Agree a review point with your employer up front."),
    ]),
    ("asthma", "alex", "Spacer or no spacer?", [
        ("alex", "My pharmacist suggested a spacer for my inhaler. Do people find it makes a difference?"),
        ("riley", "Big difference for my dad. Ask your pharmacist or nurse to check your technique with it."),
    ]),
    ("migraine", "sam", "Tracking triggers: what do you log?", [
        ("sam", "Sleep, screen time, weather, food. It's a lot. What do you actually find useful?"),
        ("alex", "Sleep and skipped meals were the two that mattered for me."),
    ]),
]


def _user(username, role, bio, now):
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        user = User(
            username=username, email=f"{username}@example.org", password_hash=hash_password(DEMO_PASSWORD),
            role="admin" if role == "admin" else ("clinician" if role == "clinician" else "member"),
            birth_year=1975, email_verified_at=now, guidelines_accepted_at=now, health_consent_at=now,
            onboarded_at=now, bio=bio, created_at=now - timedelta(days=120), approved_posts=25,
        )
        db.session.add(user)
        db.session.flush()
    return user


def demo_totp_uri(username):
    import pyotp

    return pyotp.TOTP(DEMO_TOTP[username]).provisioning_uri(name=username, issuer_name="Patient Commons (demo)")


def demo_two_factor_allowed():
    # Secrets in the source would hand out admin powers on a real site.
    from flask import current_app

    return not current_app.config.get("ENV_PRODUCTION")


def _demo_two_factor(now):
    """Turn 2FA on for the demo staff (also on a demo site seeded before they had it); an account
    that has since set up its own authenticator keeps it. Never in production."""
    if not demo_two_factor_allowed():
        return
    for username, secret in DEMO_TOTP.items():
        user = db.session.scalar(sa.select(User).where(User.username == username,
                                                       User.email == f"{username}@example.org"))
        if user is not None and user.totp_enabled_at is None:
            user.totp_secret, user.totp_enabled_at = secret, now


def seed_communities():
    existing = set(db.session.scalars(sa.select(Community.slug)))
    for name, slug, icd10, description in CONDITIONS:
        if slug not in existing:
            rules = ("Be kind. Share experience, not prescriptions. Talk with your clinician before changing "
                     "any treatment. No selling or promotion. Keep other people's details private.")
            db.session.add(Community(name=name, slug=slug, icd10=icd10, description=description,
                                     rules=rules, rules_html=render(rules)))
    db.session.flush()


def seed_demo():
    """Returns True if anything was added."""
    if db.session.scalar(sa.select(User.id).where(User.username == "alex")):
        seed_communities()
        _demo_two_factor(utcnow())
        db.session.commit()
        return False
    now = utcnow()
    seed_communities()
    users = {name: _user(name, role, bio, now) for name, role, bio in DEMO_USERS}
    _demo_two_factor(now)
    communities = {c.slug: c for c in db.session.scalars(sa.select(Community))}
    joined = {
        "alex": ["type-2-diabetes", "asthma", "fibromyalgia"], "sam": ["multiple-sclerosis", "long-covid", "migraine", "crohns-disease"],
        "riley": ["crohns-disease", "fibromyalgia", "copd", "multiple-sclerosis", "type-2-diabetes", "asthma"],
        "morgan": ["type-2-diabetes", "multiple-sclerosis"], "drlee": ["long-covid", "type-2-diabetes"],
    }
    for username, slugs in joined.items():
        for slug in slugs:
            db.session.add(Membership(user_id=users[username].id, community_id=communities[slug].id))
            communities[slug].member_count += 1
    for slug in ("type-2-diabetes", "multiple-sclerosis"):
        db.session.add(Moderator(user_id=users["morgan"].id, community_id=communities[slug].id))
    for i, (slug, starter, title, posts) in enumerate(THREADS):
        community = communities[slug]
        started = now - timedelta(days=20 - i, hours=3)
        thread = Thread(community_id=community.id, author_id=users[starter].id, title=title, state="published",
                        pinned=title.startswith("Welcome"), created_at=started, last_activity_at=started,
                        last_post_number=len(posts), reply_count=len(posts) - 1)
        db.session.add(thread)
        db.session.flush()
        for n, (author, body) in enumerate(posts, start=1):
            at = started + timedelta(hours=5 * (n - 1))
            post = Post(thread_id=thread.id, author_id=users[author].id, number=n, body=body, body_html=render(body),
                        state="published", moderation_status="done", created_at=at)
            db.session.add(post)
            db.session.flush()
            search.index(post.id, title if n == 1 else "", post.body_html)
            thread.last_activity_at = at
        community.thread_count += 1
    db.session.commit()
    return True
