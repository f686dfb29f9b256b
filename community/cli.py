"""The `community` console script (a Flask FlaskGroup) and its commands."""
import sys

import click
from flask.cli import FlaskGroup, with_appcontext


def _create_app():
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def cli():
    """Patient Commons management commands."""


def init_db():
    """Create or upgrade the schema through the migrations."""
    from flask_migrate import upgrade

    upgrade()


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the database schema (runs the migrations)."""
    init_db()
    click.echo("Database is up to date.")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Add the demo communities, members and threads (does nothing if already there)."""
    from .forums.seed import seed_demo

    created = seed_demo()
    click.echo("Demo data added." if created else "Demo data already present; nothing changed.")
    print_demo_logins()


def print_demo_logins():
    from .forums.seed import DEMO_PASSWORD, DEMO_USERS

    from .forums.seed import DEMO_TOTP, demo_totp_uri, demo_two_factor_allowed

    two_factor = demo_two_factor_allowed()
    click.echo("Demo logins (password for all: %s):" % DEMO_PASSWORD)
    for username, role, _ in DEMO_USERS:
        click.echo(f"  {username:<10} {role}" + (", two-factor on" if two_factor and username in DEMO_TOTP else ""))
    if not two_factor:
        click.echo("Production: the demo staff get no demo two-factor secrets.")
        return
    click.echo("Demo-only two-factor secrets (public in the source: never use them on a real site).")
    click.echo("Add one to an authenticator app, or open the otpauth:// link on a phone:")
    for username, secret in DEMO_TOTP.items():
        click.echo(f"  {username:<10} secret {secret}  {demo_totp_uri(username)}")
    click.echo("  A code now, without an app: .venv/bin/python -c \"import pyotp; print(pyotp.TOTP('SECRET').now())\"")


@click.command("create-admin")
@click.option("--username", required=True)
@click.option("--email", required=True)
@with_appcontext
def create_admin_command(username, email):
    """Create an admin. The password is prompted for, or read from standard input."""
    from .accounts.services import create_admin
    from .errors import ValidationFailed

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        user = create_admin(username, email, password)
    except ValidationFailed as exc:
        for field, message in exc.fields.items():
            click.echo(f"{field}: {message}", err=True)
        raise SystemExit(1) from None
    click.echo(f"Admin {user.username} created. Sign in and turn on two-factor authentication to use admin powers.")


@click.command("relay-outbox")
@with_appcontext
def relay_outbox_command():
    """Publish background work that was never sent (what the beat task does)."""
    from .dispatch import relay

    click.echo(f"{relay()} outbox rows published.")


@click.command("periodic")
@click.option("--once", is_flag=True, help="Run each periodic task once, then exit.")
@with_appcontext
def periodic_command(once):
    """Run beat's schedule in this process: the relay, the stale sweep, crisis escalation.

    For the embedded default (`make run` starts it beside the server), where no beat or worker
    runs. A deployment with Redis runs `celery -A worker beat` and a worker instead.
    """
    from .periodic import run_schedule

    run_schedule(once=once)


def register_commands(app):
    from .moderation.cli import moderation_cli

    app.cli.add_command(init_db_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(relay_outbox_command)
    app.cli.add_command(periodic_command)
    app.cli.add_command(moderation_cli)
