"""gunicorn settings: `gunicorn -c python:community.gunicorn_conf 'community:create_app()'`."""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "sync"
# A request lives at most this long; an idempotency reservation older than 35 s is a dead one's.
timeout = 30
# %(U)s is the path without the query string: search terms stay out of access logs.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)ss "%({x-request-id}o)s"'
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def _drop_query_strings():
    import logging

    from community.security import _DROP_QUERY_STRINGS

    logging.getLogger("gunicorn.error").addFilter(_DROP_QUERY_STRINGS)


# The master and every worker write gunicorn's error log, which quotes bad request lines.
def on_starting(server):
    _drop_query_strings()


def post_fork(server, worker):
    _drop_query_strings()
