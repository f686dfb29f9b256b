"""Celery entry point: `celery -A worker worker` and `celery -A worker beat`.

The Flask app is built on first use of `worker.celery`, not on import, because the
web process imports worker.tasks too and must keep its own app.
"""


def __getattr__(name):
    if name in ("celery", "flask_app"):
        from community import create_app

        app = create_app()
        globals().update(flask_app=app, celery=app.extensions["celery"])
        return globals()[name]
    raise AttributeError(name)
