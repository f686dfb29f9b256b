"""Thin tasks: load by id, call a service. Arguments are ids, never content."""
from smtplib import SMTPException

from celery import shared_task
from celery.signals import worker_init
from sqlalchemy.exc import InterfaceError, OperationalError

# Transient failures, retried with jittered backoff: the broker or SMTP unreachable, and the
# database's OperationalError (deadlock, serialization failure, a dropped or killed connection;
# SQLite's "database is locked"). The pool drops a dead connection, so the retry gets a new one.
RETRY = dict(
    autoretry_for=(ConnectionError, TimeoutError, OSError, SMTPException, OperationalError, InterfaceError),
    retry_backoff=True, retry_backoff_max=600, retry_jitter=True, max_retries=5,
)


@shared_task(name="moderation.moderate_post", **RETRY)
def moderate_post(post_id):
    from community.moderation.pipeline import moderate_post as moderate

    moderate(post_id)


@shared_task(name="notifications.send_mail", **RETRY)
def send_mail(mail_id):
    from community.notifications.mail import deliver_mail

    deliver_mail(mail_id)


@shared_task(name="notifications.account_mail", **RETRY)
def account_mail(request_id):
    from community.accounts.services import answer_mail_request

    answer_mail_request(request_id)


@shared_task(name="notifications.post_published", **RETRY)
def post_published(post_id):
    from community.notifications.services import post_published as fan_out

    return fan_out(post_id)


@shared_task(name="notifications.reacted", **RETRY)
def reacted(post_id):
    from community.notifications.services import reacted as batch

    return batch(post_id)


@shared_task(name="notifications.plan_email", **RETRY)
def plan_email():
    from community.notifications.services import plan_email as plan

    return plan()


@shared_task(name="notifications.deliver_email", **RETRY)
def deliver_email():
    from community.notifications.services import deliver_email as deliver

    return deliver()


@shared_task(name="periodic.notification_email")
def notification_email():
    """Mail held for "when away" and quiet hours becomes due with time: looked at every minute."""
    from community.notifications.services import deliver_email as deliver
    from community.notifications.services import plan_email as plan

    return (plan() or 0) + (deliver() or 0)


@shared_task(name="periodic.notification_digests")
def notification_digests():
    from community.notifications.services import send_digests

    return send_digests()


@shared_task(name="periodic.purge_login_throttles")
def purge_login_throttles():
    from community.accounts.services import purge_login_throttles as purge

    return purge()


@shared_task(name="periodic.relay_outbox")
def relay_outbox():
    from community.dispatch import relay

    return relay()


@shared_task(name="periodic.escalate_crisis_alerts")
def escalate_crisis_alerts():
    from community.moderation.alerts import escalate_unacknowledged

    return escalate_unacknowledged()


@shared_task(name="periodic.requeue_stale_pending")
def requeue_stale_pending():
    from community.forums.maintenance import requeue_stale_pending as sweep

    return sweep()


@shared_task(name="periodic.apply_retention")
def apply_retention():
    from community.retention import apply_retention as thin_out

    return thin_out()


@worker_init.connect
def _warm_filters(**_):
    # The filters' lexicons take about a second to load: pay it when the worker starts (prefork
    # children inherit it), not inside the first post's moderation.
    from community.moderation.filters import warm

    warm()
