"""`community periodic`: beat and a worker in one small process, for the embedded default.

Each entry of celery's beat_schedule runs in-process (eager: the tasks it queues run here too),
first at start, then every `schedule` seconds. A failure is logged and the loop goes on.
"""
import logging
import time

from .extensions import celery, db

log = logging.getLogger(__name__)


def run_schedule(once=False, sleep=time.sleep):
    entries = {name: entry for name, entry in celery.conf.beat_schedule.items()}
    due = dict.fromkeys(entries, time.monotonic())
    log.info("periodic: running %s", ", ".join(sorted(entries)))
    while True:
        for name, entry in entries.items():
            if time.monotonic() < due[name]:
                continue
            try:
                done = celery.tasks[entry["task"]].apply().get()
                if done:
                    log.info("periodic: %s did %s", name, done)
            except Exception:
                log.exception("periodic: %s failed; next try in %s s", name, entry["schedule"])
            finally:
                db.session.remove()
            due[name] = time.monotonic() + float(entry["schedule"])
        if once:
            return
        sleep(max(0.1, min(due.values()) - time.monotonic()))
