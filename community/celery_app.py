"""Celery bound to the Flask app: every task runs inside an app context."""
from .extensions import celery


def celery_init_app(app):
    # A new app (tests build many) may name another broker: forget pooled connections.
    celery._pool = None
    if "amqp" in celery.__dict__:
        celery.amqp._producer_pool = None
    celery.flask_app = app
    celery.main = app.import_name
    celery.config_from_object(app.config["CELERY"], force=True)
    # Expiring ticks do not pile up while workers are down; exactly one beat runs them.
    celery.conf.beat_schedule = {
        # Rows whose after-commit publish failed (Redis down): sent within ~20 s of its return.
        "relay-outbox": {"task": "periodic.relay_outbox", "schedule": 10.0, "options": {"expires": 10}},
        # Posts whose worker died come back within a minute (see forums/maintenance.py).
        "requeue-stale-pending": {"task": "periodic.requeue_stale_pending", "schedule": 15.0,
                                  "options": {"expires": 15}},
        # Unacknowledged crisis alerts: escalated after 30 min and repeated (see moderation/alerts.py).
        "escalate-crisis-alerts": {"task": "periodic.escalate_crisis_alerts", "schedule": 60.0,
                                   "options": {"expires": 60}},
        # Sent e-mail bodies after 7 days, session IPs and user agents after 30 (PRIVACY.md).
        "apply-retention": {"task": "periodic.apply_retention", "schedule": 3600.0, "options": {"expires": 3600}},
        # Notification e-mail held for "when away" or quiet hours, and the daily and weekly digests.
        "notification-email": {"task": "periodic.notification_email", "schedule": 60.0, "options": {"expires": 60}},
        "notification-digests": {"task": "periodic.notification_digests", "schedule": 3600.0,
                                 "options": {"expires": 3600}},
        # Sign-in throttles of names quiet for a day (see accounts/services.py).
        "purge-login-throttles": {"task": "periodic.purge_login_throttles", "schedule": 3600.0,
                                  "options": {"expires": 3600}},
    }
    celery.set_default()
    app.extensions["celery"] = celery
    # Registers the tasks here too, so eager mode in the web process finds them.
    import worker.tasks  # noqa: F401
    return celery
