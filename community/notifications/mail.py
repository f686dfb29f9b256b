"""Every e-mail the platform sends: stored, then sent by the worker (only the row's id travels)."""
import logging
import smtplib
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app

from .. import dispatch
from ..accounts.models import OutgoingMail
from ..extensions import db
from ..models_base import utcnow

log = logging.getLogger(__name__)


def queue_mail(to, subject, body, html="", headers=None):
    """Store the message and send it from the worker after commit."""
    mail = OutgoingMail(to=to, subject=subject, body=body, html=html, headers=headers or {})
    db.session.add(mail)
    db.session.flush()
    dispatch.enqueue("notifications.send_mail", mail.id)
    return mail


def message_of(mail):
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    for name, value in (mail.headers or {}).items():
        msg[name] = value
    msg.set_content(mail.body)
    if mail.html:
        msg.add_alternative(mail.html, subtype="html")
    return msg


def deliver_mail(mail_id):
    """Send a stored message once; a second run of the task does nothing."""
    mail = db.session.get(OutgoingMail, mail_id)
    if mail is None or mail.sent_at is not None:
        return False
    msg = message_of(mail)
    url = current_app.config.get("MAIL_URL")
    if url:
        smtp_send(url, msg)
    else:
        # Embedded default: no mail server, so the developer reads the link in the log.
        log.info("mail (not sent, MAIL_URL unset) id=%s subject=%r\n%s", mail.id, mail.subject, mail.body)
    mail.sent_at = utcnow()
    mail.body = mail.html = ""  # links in it are secrets; nothing to keep once sent
    db.session.commit()
    return True


def smtp_send(url, msg):
    """MAIL_URL: smtp://user:pass@host:port (STARTTLS if offered) or smtps://host:465."""
    parts = urlsplit(url)
    cls = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with cls(parts.hostname, parts.port or (465 if parts.scheme == "smtps" else 25), timeout=10) as smtp:
        if parts.scheme == "smtp":
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls()
                smtp.ehlo()
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(msg)
