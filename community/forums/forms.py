from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from .services import BODY_MAX, TITLE_MAX

try:  # WTForms 3.3+ deprecates (value, label) tuples as choices.
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover - older WTForms take plain tuples
    def SelectChoice(value, label):  # noqa: N802
        return (value, label)


def one_newline(text):
    """Browsers send a textarea's line breaks as CRLF; the composer's count (and a person) sees one
    character per break, so the limit counts them as one too."""
    return text.replace("\r\n", "\n") if isinstance(text, str) else text


class MaxLength(Length):
    """Length with both counts written as people read them (50,000), as the services write them."""

    def __init__(self, limit, what):
        super().__init__(max=limit)
        self.what = what

    def __call__(self, form, field):
        length = len(field.data or "")
        if length > self.max:
            raise ValidationError(f"{self.what} can be at most {self.max:,} characters (this one has {length:,}).")


TITLE_LENGTH = MaxLength(TITLE_MAX, "Titles")
BODY_LENGTH = MaxLength(BODY_MAX, "Posts")


class ThreadForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(message="Give your thread a title."), TITLE_LENGTH])
    body = TextAreaField("Your post", validators=[DataRequired(message="Write something first."), BODY_LENGTH],
                         filters=[one_newline], description="Markdown works: **bold**, *italic*, > quote, - lists.")


class ReplyForm(FlaskForm):
    body = TextAreaField("Your reply", validators=[DataRequired(message="Write something first."), BODY_LENGTH],
                         filters=[one_newline], description="Markdown works: **bold**, *italic*, > quote, - lists.")


class EditForm(FlaskForm):
    body = TextAreaField("Edit your post", validators=[DataRequired(message="Write something first."),
                                                       BODY_LENGTH], filters=[one_newline])


class CommunityForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(2, 100)])
    slug = StringField("Address", validators=[DataRequired(), Length(max=64)],
                       description="Used in links: lowercase letters, digits and dashes.")
    icd10 = StringField("ICD-10 codes", validators=[Optional(), Length(max=40)])
    description = TextAreaField("Plain-language description", validators=[Optional(), Length(max=500)])
    visibility = SelectField("Who can read", choices=[SelectChoice("public", "Anyone (public)"),
                                                      SelectChoice("members", "Members of this community only")])
    locale = StringField("Locale", default="en", validators=[DataRequired(), Length(max=10)])
    phone_regions = StringField("Phone regions", default="US,GB,CA,AU,IE,NZ",
                                validators=[DataRequired(), Length(max=100)],
                                description="Country codes used to recognise phone numbers in posts.")
    rules = TextAreaField("Rules (Markdown)", validators=[Optional(), Length(max=20_000)])
    indexing = BooleanField("Let search engines index this community (public communities only)")
