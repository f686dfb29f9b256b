"""Seed our app with the same data shape as the FlaskBB anchor (shared/bench/flaskbb/seed_flaskbb.py).

  * community "Type 1 diabetes" (slug type-1-diabetes); with --all-communities the
    whole condition catalogue as on a real site (the home page then lists ~20)
  * 50 threads; thread #1 has 200 posts, every other thread 3 (opening post included)
  * 20 members patient00..patient19 author the posts round-robin, as in FlaskBB's seed
  * post bodies: FlaskBB's paragraphs with the same RNG seed, so the Markdown is identical
  * every post published, body_html from community.markdown.render, in the search index,
    and thread/community/user counters set as the moderation pipeline would leave them
  * one member for signed-in runs (bench / BENCH_PASSWORD): email verified, onboarded, joined

Run with the bench venv against a fresh instance folder (the schema is made by the migrations):

  COMMUNITY_INSTANCE_PATH=/tmp/anchors/ours-data python bench/seed_bench.py > seed.json

Prints one JSON line with the paths to bench (home, community, thread first page).
"""
import argparse
import json
import random
import sys
import time
from datetime import timedelta

# Copied from seed_flaskbb.py (same order, same RNG use) so both forums hold the same text.
PARAGRAPHS = [
    "My HbA1c came back at **7.1%** this quarter, down from 7.8%. "
    "The main change was moving my basal dose to the evening.",
    "Has anyone tried a CGM with the new *predictive low* alerts? "
    "I keep getting false alarms at night when I sleep on the sensor.",
    "Tips that helped me:\n\n- pre-bolus 15 minutes before meals\n"
    "- log exercise, not only food\n- keep glucose tabs in every bag",
    "Talk to your endocrinologist before changing ratios. "
    "See the [patient guide](https://example.org/guide) for the basics.",
    "Fatigue is the symptom nobody warns you about. Some days I "
    "need a nap after lunch even when my numbers look fine.",
    "> Remember that every body is different.\n\nThat quote from my "
    "nurse educator stuck with me for years.",
    "Insurance finally approved the pump after two appeals. "
    "Keep copies of *everything* and ask for the denial reason in writing.",
    "Question: how do you handle sick days? My readings climb even "
    "when I barely eat.",
]

BENCH_USER = "bench"
BENCH_PASSWORD = "bench-member-pass-2026"
SLUG = "type-1-diabetes"


def make_content(rng):
    n = rng.randint(2, 4)
    return "\n\n".join(rng.choice(PARAGRAPHS) for _ in range(n))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--topics", type=int, default=50)
    ap.add_argument("--big-posts", type=int, default=200)
    ap.add_argument("--posts-per-topic", type=int, default=3)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--all-communities", action="store_true",
                    help="also create the rest of the condition catalogue (empty communities)")
    args = ap.parse_args()

    import sqlalchemy as sa
    from flask_migrate import upgrade

    from community import create_app
    from community.accounts.models import User
    from community.accounts.services import hash_password
    from community.extensions import db
    from community.forums import search
    from community.forums.conditions import CONDITIONS
    from community.forums.models import Community, Membership, Post, Thread
    from community.forums.seed import seed_communities
    from community.markdown import render
    from community.models_base import utcnow

    rng = random.Random(args.seed)
    app = create_app()
    t0 = time.time()
    with app.app_context():
        upgrade()  # what `community init-db` does
        if db.session.scalar(sa.select(User.id).where(User.username == BENCH_USER)):
            print("already seeded; delete the instance folder and run again", file=sys.stderr)
            return 2
        if args.all_communities:
            seed_communities()
        community = db.session.scalar(sa.select(Community).where(Community.slug == SLUG))
        if community is None:
            name, slug, icd10, description = next(c for c in CONDITIONS if c[1] == SLUG)
            rules = "Be kind. Share experience, not prescriptions. Talk with your clinician before changing any treatment."
            community = Community(name=name, slug=slug, icd10=icd10, description=description,
                                  rules=rules, rules_html=render(rules))
            db.session.add(community)
            db.session.flush()

        now = utcnow()
        # One argon2 hash for everyone: hashing is deliberately slow and irrelevant here.
        pw_hash = hash_password(BENCH_PASSWORD)
        profile = dict(password_hash=pw_hash, role="member", birth_year=1980, email_verified_at=now,
                       guidelines_accepted_at=now, health_consent_at=now, onboarded_at=now,
                       created_at=now - timedelta(days=200))
        users = [User(username=f"patient{i:02d}", email=f"patient{i:02d}@example.org", **profile)
                 for i in range(args.users)]
        # An established member: a new member's first posts would wait for a moderator.
        member = User(username=BENCH_USER, email="bench@example.org", approved_posts=25, **profile)
        db.session.add_all(users + [member])
        db.session.flush()
        for u in users + [member]:
            db.session.add(Membership(user_id=u.id, community_id=community.id))
        community.member_count = len(users) + 1

        # Timestamps move forward post by post, like FlaskBB's sequential seed:
        # the big thread is the oldest by last activity, thread 50 the newest.
        clock = [now - timedelta(days=30)]

        def tick():
            clock[0] += timedelta(minutes=3)
            return clock[0]

        approved = {u.id: 0 for u in users}

        def new_thread(idx, n_posts):
            author = users[idx % len(users)]
            title = f"Benchmark topic {idx:03d} daily management"
            started = tick()
            thread = Thread(community_id=community.id, author_id=author.id, title=title, state="published",
                            created_at=started, last_activity_at=started, last_post_number=n_posts,
                            reply_count=n_posts - 1)
            db.session.add(thread)
            db.session.flush()
            for n in range(1, n_posts + 1):
                who = author if n == 1 else users[(idx + n - 1) % len(users)]
                body = make_content(rng)
                at = started if n == 1 else tick()
                post = Post(thread_id=thread.id, author_id=who.id, number=n, body=body, body_html=render(body),
                            state="published", moderation_status="done", created_at=at)
                db.session.add(post)
                db.session.flush()
                search.index(post.id, title if n == 1 else "", post.body_html)
                thread.last_activity_at = at
                approved[who.id] += 1
            return thread

        big = new_thread(1, args.big_posts)
        for i in range(2, args.topics + 1):
            new_thread(i, args.posts_per_topic)
        community.thread_count = args.topics
        for u in users:
            u.approved_posts = approved[u.id]
        db.session.commit()

        post_count = db.session.scalar(
            sa.select(sa.func.count(Post.id)).join(Thread).where(Thread.community_id == community.id))
        indexed = db.session.scalar(sa.text("SELECT count(*) FROM post_search"))
        other = db.session.scalar(sa.select(Thread.id).where(Thread.id != big.id).order_by(Thread.id))
        out = {
            "community_id": community.id,
            "home_path": "/",
            "community_path": f"/c/{community.slug}",
            "thread_path": f"/t/{big.id}",  # first page: posts 1-20
            "small_thread_path": f"/t/{other}",
            "big_thread_id": big.id,
            "thread_count": community.thread_count,
            "post_count": post_count,
            "indexed_posts": indexed,
            "big_thread_posts": big.last_post_number,
            "member_login": BENCH_USER,
            "member_password": BENCH_PASSWORD,
            "instance_path": app.instance_path,
            "seconds": round(time.time() - t0, 1),
        }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
