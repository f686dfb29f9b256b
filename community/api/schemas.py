"""Request and response shapes of the JSON API (the OpenAPI document is generated from these)."""
from marshmallow import Schema, ValidationError, fields, validate

from ..accounts.services import is_time_zone
from ..forums.models import REACTIONS
from ..models_base import MAX_ID
from ..moderation.models import FLAG_REASONS, KIND_NAMES, RULE_ACTIONS, RULE_MATCH_TYPES
from ..moderation.services import AGES, DECISIONS


def time_zone_name(name):
    # The same rule as PATCH /me and the settings form: an explicit zone that does not exist is refused.
    if not is_time_zone(name):
        raise ValidationError("Choose a time zone such as Europe/London (an IANA name).")


class ErrorBody(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields = fields.Dict(keys=fields.String(), values=fields.String())


class Error(Schema):
    error = fields.Nested(ErrorBody, required=True)


class CursorArgs(Schema):
    cursor = fields.String(load_default=None, validate=validate.Length(max=200))


class SearchArgs(Schema):
    q = fields.String(required=True, validate=validate.Length(min=1, max=200))
    cursor = fields.String(load_default=None, validate=validate.OneOf([str(n) for n in range(2, 51)]),
                           metadata={"description": "next_cursor of the previous page."})


class NewUser(Schema):
    username = fields.String(required=True, validate=validate.Length(max=100))
    email = fields.String(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, validate=validate.Length(max=200))
    birth_year = fields.Integer(required=True, strict=True)
    accept_guidelines = fields.Boolean(required=True)
    health_data_consent = fields.Boolean(required=True)
    time_zone = fields.String(load_default=None, validate=time_zone_name, metadata={
        "description": "An IANA name such as Europe/London; left out, UTC."})


class NewToken(Schema):
    username = fields.String(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, validate=validate.Length(max=200))
    totp_code = fields.String(load_default=None, validate=validate.Length(max=20))
    scopes = fields.List(fields.String(validate=validate.OneOf(("read", "write"))),
                         load_default=["read", "write"], validate=validate.Length(min=1, max=2))
    name = fields.String(load_default="", validate=validate.Length(max=100))


class Token(Schema):
    id = fields.Integer()
    token = fields.String(metadata={"description": "Shown once. Send as `Authorization: Bearer <token>`."})
    token_type = fields.String()
    scopes = fields.List(fields.String())
    expires_at = fields.DateTime()


class Author(Schema):
    id = fields.Integer()
    username = fields.String()
    badges = fields.List(fields.String())


class SignUpAccepted(Schema):
    message = fields.String()


class Me(Schema):
    id = fields.Integer()
    username = fields.String()
    email = fields.String()
    email_verified = fields.Boolean()
    role = fields.String()
    two_factor = fields.Boolean()
    communities = fields.List(fields.String(), metadata={"description": "Slugs of the communities joined."})
    time_zone = fields.String(metadata={"description": "IANA name; e-mails print times in it."})


class MeUpdate(Schema):
    time_zone = fields.String(required=True, validate=time_zone_name,
                              metadata={"description": "An IANA name such as Europe/London."})


class Community(Schema):
    slug = fields.String()
    name = fields.String()
    description = fields.String()
    icd10 = fields.String()
    visibility = fields.String()
    locale = fields.String()
    member_count = fields.Integer()
    thread_count = fields.Integer()
    is_member = fields.Boolean()
    url = fields.String()


class Moderation(Schema):
    status = fields.String()
    labels = fields.List(fields.String())


class Notice(Schema):
    kind = fields.String()
    text = fields.String()


class Post(Schema):
    id = fields.Integer()
    thread_id = fields.Integer()
    number = fields.Integer()
    author = fields.Nested(Author)
    body = fields.String()
    body_html = fields.String()
    created_at = fields.DateTime()
    edited_at = fields.DateTime(allow_none=True)
    state = fields.String()
    moderation = fields.Nested(Moderation)
    notices = fields.List(fields.Nested(Notice))
    reactions = fields.Dict(keys=fields.String(), values=fields.Integer())
    url = fields.String()


class Thread(Schema):
    id = fields.Integer()
    community = fields.String(metadata={"description": "The community's slug."})
    title = fields.String()
    author = fields.Nested(Author)
    state = fields.String()
    pinned = fields.Boolean()
    locked = fields.Boolean()
    reply_count = fields.Integer()
    created_at = fields.DateTime()
    last_activity_at = fields.DateTime()
    url = fields.String()


class PostPage(Schema):
    items = fields.List(fields.Nested(Post))
    next_cursor = fields.String(allow_none=True)


class ThreadWithPosts(Thread):
    posts = fields.Nested(PostPage)


class ThreadPage(Schema):
    items = fields.List(fields.Nested(Thread))
    next_cursor = fields.String(allow_none=True)


class CommunityPage(Schema):
    items = fields.List(fields.Nested(Community))
    next_cursor = fields.String(allow_none=True)


class SearchHit(Schema):
    post = fields.Nested(Post)
    thread_title = fields.String()
    community = fields.String()
    snippet_html = fields.String()


class SearchPage(Schema):
    items = fields.List(fields.Nested(SearchHit))
    next_cursor = fields.String(allow_none=True)


class NewThread(Schema):
    title = fields.String(required=True)
    body = fields.String(required=True)
    identifiers = fields.String(validate=validate.OneOf(["remove"]), metadata={
        "description": 'Send "remove" to post with the personal identifiers found taken out; '
                       "without it a body that holds some gets 422 naming them."})


class NewPost(Schema):
    body = fields.String(required=True)
    identifiers = NewThread._declared_fields["identifiers"]


class Membership(Schema):
    community = fields.String()
    member = fields.Boolean()


REACTION_KINDS = REACTIONS


# ---------------------------------------------------------------- moderation

Id = validate.Range(min=1, max=MAX_ID)


class QueueArgs(Schema):
    community = fields.String(load_default=None, validate=validate.Length(max=100),
                              metadata={"description": "A community's slug: only its items."})
    kind = fields.String(load_default=None, validate=validate.OneOf(tuple(KIND_NAMES)))
    age = fields.String(load_default=None, validate=validate.OneOf(tuple(AGES)),
                        metadata={"description": "Only items older than this (the neglected ones)."})


class QueuePost(Schema):
    id = fields.Integer()
    number = fields.Integer()
    state = fields.String()
    body = fields.String(metadata={"description": "The post's current text (after any redaction); "
                                                  "never the author's unredacted original."})
    labels = fields.List(fields.String())
    author = fields.Nested(Author)


class ReviewItem(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": list(KIND_NAMES)})
    kind_name = fields.String()
    priority = fields.Integer(metadata={"description": "0 first (crisis alerts and escalations)."})
    status = fields.String(metadata={"enum": ["open", "closed"]})
    outcome = fields.String()
    community = fields.String(metadata={"description": "The community's slug."})
    post_id = fields.Integer()
    thread_id = fields.Integer()
    thread_title = fields.String()
    post_state = fields.String()
    post = fields.Nested(QueuePost)
    reasons = fields.List(fields.String())
    spans = fields.List(fields.List(fields.Raw()), metadata={
        "description": "[start, end, kind] offsets into the judged text; never the matched text."})
    urgent = fields.Boolean()
    delivery = fields.String(metadata={"description": "Whom the alert was e-mailed to, in words (empty for other items)."})
    no_recipient = fields.Boolean(metadata={"description": "An alert that could be sent to nobody."})
    acknowledged = fields.Boolean()
    acknowledged_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)


class ReviewItemPage(Schema):
    items = fields.List(fields.Nested(ReviewItem))


class Decision(Schema):
    action = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    reason = fields.String(load_default="", validate=validate.Length(max=2000), metadata={
        "description": "Required for reject, hide and restore; goes to the staff log (and to the author "
                       "when a post is rejected or hidden)."})
    body = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=50_000), metadata={
        "description": "approve only: the corrected text to publish (edit, then approve)."})


class NewFlag(Schema):
    reason = fields.String(required=True, validate=validate.OneOf(tuple(FLAG_REASONS)))
    message = fields.String(load_default="", validate=validate.Length(max=500),
                            metadata={"description": "Required when the reason is `other`."})


class Flag(Schema):
    id = fields.Integer()
    post_id = fields.Integer()
    reason = fields.String()
    message = fields.String()
    created_at = fields.DateTime()


class NewRule(Schema):
    match_type = fields.String(load_default="word", validate=validate.OneOf(RULE_MATCH_TYPES))
    pattern = fields.String(required=True, validate=validate.Length(max=300))
    action = fields.String(required=True, validate=validate.OneOf(RULE_ACTIONS))
    mode = fields.String(load_default="enforce", validate=validate.OneOf(("enforce", "shadow")),
                         metadata={"description": "shadow: counted and shown in tests, not enforced."})
    case_sensitive = fields.Boolean(load_default=False)
    message = fields.String(load_default="", validate=validate.Length(max=300),
                            metadata={"description": "The notice's text (required for action `notice`)."})
    enabled = fields.Boolean(load_default=True)


class Rule(Schema):
    id = fields.Integer()
    community = fields.String(allow_none=True, metadata={"description": "Slug; null for a site-wide rule."})
    match_type = fields.String()
    pattern = fields.String()
    action = fields.String()
    mode = fields.String()
    case_sensitive = fields.Boolean()
    message = fields.String()
    enabled = fields.Boolean()
    hit_count = fields.Integer()
    last_hit_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class RulePage(Schema):
    items = fields.List(fields.Nested(Rule))


class RuleTest(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=20_000))
    community = fields.String(required=True, validate=validate.Length(min=1, max=100),
                              metadata={"description": "A community's slug, or `global` for the site-wide rules."})
    rule = fields.Nested(NewRule, load_default=None, allow_none=True,
                         metadata={"description": "An unsaved rule to try along with the saved ones."})


class FilterHit(Schema):
    filter = fields.String()
    labels = fields.List(fields.String())
    actions = fields.List(fields.String())
    reasons = fields.List(fields.String())
    spans = fields.List(fields.List(fields.Raw()))


class RuleHit(Schema):
    id = fields.Integer(allow_none=True, metadata={"description": "null for the unsaved rule."})
    action = fields.String()
    mode = fields.String()
    reason = fields.String()
    spans = fields.List(fields.List(fields.Integer()))


class RuleTestResult(Schema):
    labels = fields.List(fields.String())
    filters = fields.List(fields.Nested(FilterHit))
    rules = fields.List(fields.Nested(RuleHit))
    outcome = fields.String()


class NoticeArgs(Schema):
    reason = fields.String(load_default=None, validate=validate.Length(max=2000),
                           metadata={"description": "Required (here or as `reason` in a JSON body): "
                                                    "it goes to the staff log."})


class Notices(Schema):
    post_id = fields.Integer()
    notices = fields.List(fields.Nested(Notice))


class NewAppeal(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(("rejection", "sanction")))
    target_id = fields.Integer(required=True, strict=True, validate=Id,
                               metadata={"description": "The rejected post's id, or the sanction's."})
    message = fields.String(required=True, validate=validate.Length(max=1000))


class Appeal(Schema):
    id = fields.Integer()
    kind = fields.String()
    target_id = fields.Integer()
    status = fields.String()
    message = fields.String()
    created_at = fields.DateTime()


class LogArgs(Schema):
    community = fields.String(load_default=None, validate=validate.Length(max=100),
                              metadata={"description": "A community's slug."})
    action = fields.String(load_default=None, validate=validate.Length(max=40),
                           metadata={"description": "e.g. post.reject, flag.create, rule.create."})
    before = fields.Integer(load_default=None, validate=Id,
                            metadata={"description": "Entries older than this id (next_before of the previous page)."})


class LogCommunity(Schema):
    slug = fields.String()
    name = fields.String()


class LogEntry(Schema):
    id = fields.Integer()
    actor = fields.String(allow_none=True, metadata={"description": "The username; null for the pipeline."})
    action = fields.String()
    target_type = fields.String()
    target_id = fields.Integer(allow_none=True)
    community = fields.Nested(LogCommunity, allow_none=True)
    reason = fields.String()
    created_at = fields.DateTime()


class LogPage(Schema):
    items = fields.List(fields.Nested(LogEntry))
    next_before = fields.Integer(allow_none=True)


# ---------------------------------------------------------------- notifications (issue 14)

class NotificationArgs(Schema):
    unread = fields.Boolean(load_default=False)
    cursor = fields.Integer(load_default=None, validate=Id, metadata={"description": "next_cursor of the previous page."})


class Notification(Schema):
    id = fields.Integer()
    kind = fields.String()
    created_at = fields.DateTime()
    read = fields.Boolean()
    url = fields.String(metadata={"description": "The exact post (by anchor), or the page the item is about."})
    actor = fields.String(allow_none=True)
    thread_id = fields.Integer(allow_none=True)
    post_id = fields.Integer(allow_none=True)
    title = fields.String(allow_none=True)
    count = fields.Integer(metadata={"description": "How many events a batched item stands for (reactions, queue)."})


class NotificationPage(Schema):
    items = fields.List(fields.Nested(Notification))
    next_cursor = fields.Integer(allow_none=True)
    unread = fields.Integer(metadata={"description": "Unread count (100 means 100 or more)."})


class MarkRead(Schema):
    ids = fields.List(fields.Integer(strict=True, validate=Id), validate=validate.Length(max=500),
                      metadata={"description": "Omit to mark all read. Ids of other members are ignored."})


class MarkedRead(Schema):
    marked = fields.Integer()
    unread = fields.Integer()


class NotificationSettings(Schema):
    """Every field optional on PUT; the service checks each and saves nothing unless all are right."""
    email = fields.Raw(metadata={"description": 'kind: "off" | "away" | "always"'})
    digest = fields.Raw(metadata={"description": '"off" | "daily" | "weekly"'})
    quiet_hours = fields.Raw(allow_none=True, metadata={"description": '{"start": "22:00", "end": "07:00"} or null'})
    timezone = fields.Raw()
    discreet_email = fields.Raw()
    watch_defaults = fields.Raw(metadata={"description": '{"community": level, "thread": level}'})
    auto_watch_on_reply = fields.Raw()


class Watch(Schema):
    level = fields.String(required=True, metadata={
        "description": "muted | normal | tracking | watching | watching_first_post"})
