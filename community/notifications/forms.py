from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField

from ..forums.forms import SelectChoice  # WTForms' choice type, where it has one
from .models import DIGESTS, LEVELS, EMAIL_MODES

MODE_LABELS = {"off": "Off", "away": "Only when I'm away", "always": "Always"}
LEVEL_LABELS = {"muted": "Muted: never tell me", "normal": "Normal: replies to me and mentions",
                "tracking": "Tracking: replies to me and mentions", "watching": "Watching: every new post",
                "watching_first_post": "Watching first post: new threads only"}
KIND_LABELS = {"reply": "Replies to my threads", "mention": "Mentions of me", "quote": "Quotes of my posts",
               "posted": "New posts in threads and communities I watch", "new_thread": "New threads in communities I watch",
               "reaction": "Reactions to my posts", "moderation": "Moderation decisions about my posts",
               "appeal": "Appeals", "flag": "Flags (moderators)", "queue": "New review-queue items (moderators)"}


class WatchForm(FlaskForm):
    level = SelectField("Notifications", choices=[SelectChoice(lv, LEVEL_LABELS[lv]) for lv in LEVELS], validate_choice=False)


def settings_form(kinds):
    """The settings form, one e-mail choice per kind the member can change."""
    class SettingsForm(FlaskForm):
        digest = SelectField("Digest of unread notifications", choices=[SelectChoice(d, d.title()) for d in DIGESTS],
                             validate_choice=False)
        quiet_start = StringField("Quiet hours start", description="HH:MM, 24-hour, in your time zone. "
                                  "Leave both empty for none.", render_kw={"inputmode": "numeric", "placeholder": "22:00"})
        quiet_end = StringField("Quiet hours end", render_kw={"inputmode": "numeric", "placeholder": "07:00"})
        discreet_email = BooleanField("Discreet e-mail: say only that there is something new, with a link.",
                                      description="Recommended. Off: e-mail about public communities may name the "
                                      "community and thread and quote a line. Members-only communities, crisis "
                                      "posts and held posts are always discreet.")
        watch_community = SelectField("When I join a community", choices=[SelectChoice(lv, LEVEL_LABELS[lv]) for lv in LEVELS],
                                      validate_choice=False)
        watch_thread = SelectField("When I start or reply to a thread",
                                   choices=[SelectChoice(lv, LEVEL_LABELS[lv]) for lv in LEVELS], validate_choice=False)
        auto_watch = BooleanField("Set threads I start or reply to to the level above")

    for kind in kinds:
        setattr(SettingsForm, f"email_{kind}", SelectField(
            KIND_LABELS[kind], choices=[SelectChoice(m, MODE_LABELS[m]) for m in EMAIL_MODES], validate_choice=False))
    return SettingsForm
