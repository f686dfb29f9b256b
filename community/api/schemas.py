"""Request and response shapes of the JSON API (the OpenAPI document is generated from these)."""
from marshmallow import Schema, fields, validate

from ..forums.models import REACTIONS


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


class Me(Schema):
    id = fields.Integer()
    username = fields.String()
    email = fields.String()
    email_verified = fields.Boolean()
    role = fields.String()
    two_factor = fields.Boolean()
    communities = fields.List(fields.String(), metadata={"description": "Slugs of the communities joined."})


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


class NewPost(Schema):
    body = fields.String(required=True)


class Membership(Schema):
    community = fields.String()
    member = fields.Boolean()


REACTION_KINDS = REACTIONS
