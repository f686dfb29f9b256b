"""Keep less (PRIVACY.md): what the site no longer needs is thinned out by a periodic task.

- a sent e-mail's body goes after 7 days; the row (to, subject, when) stays for the log;
- a session's IP address is cut to its /24 (IPv4) or /48 (IPv6) network after 30 days, and the
  raw user-agent string goes (the device label, "Firefox on Windows", stays for the sessions page).
"""
import ipaddress
from datetime import timedelta

import sqlalchemy as sa

from .accounts.models import OutgoingMail, UserSession
from .extensions import db
from .models_base import utcnow

MAIL_BODY_DAYS = 7
SESSION_DETAIL_DAYS = 30
BATCH = 1000


def network_of(ip):
    """'203.0.113.7' -> '203.0.113.0/24', '2001:db8:1:2::5' -> '2001:db8:1::/48'; '' for junk."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def apply_retention(now=None):
    """One pass, in batches; returns what it did (a dict of counts), for the periodic log line."""
    now = now or utcnow()
    mails = db.session.execute(
        sa.update(OutgoingMail)
        .where(OutgoingMail.sent_at < now - timedelta(days=MAIL_BODY_DAYS), OutgoingMail.body != "")
        .values(body="")
    ).rowcount
    sessions = 0
    old = sa.select(UserSession).where(
        UserSession.created_at < now - timedelta(days=SESSION_DETAIL_DAYS),
        sa.or_(UserSession.user_agent != "", sa.and_(UserSession.ip != "", ~UserSession.ip.contains("/"))),
    ).limit(BATCH)
    while True:
        rows = db.session.scalars(old).all()
        for row in rows:
            if "/" not in row.ip:
                row.ip = network_of(row.ip)
            if row.user_agent:
                row.device = row.device_name
                row.user_agent = ""
        db.session.commit()
        sessions += len(rows)
        if len(rows) < BATCH:
            break
    from .notifications.services import prune

    notifications = prune(now)
    done = {"mail_bodies": mails, "sessions": sessions, "notifications": notifications}
    return {k: v for k, v in done.items() if v} or None
