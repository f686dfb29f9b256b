from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, EmailField, HiddenField, IntegerField, PasswordField, SelectField, StringField, TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional


class EmptyForm(FlaskForm):
    """For POST-only buttons, so CSRF covers them too."""


class SignupForm(FlaskForm):
    # Rules live in the service (shared with the API); the form only asks for presence.
    username = StringField("Username", validators=[DataRequired(message="Choose a username.")],
                           description="Shown on your posts. Pick a nickname; no real name needed.")
    email = EmailField("Email", validators=[DataRequired(message="Enter your email address.")],
                       description="Never shown to other members.")
    password = PasswordField("Password", validators=[DataRequired(message="Choose a password.")],
                             description="At least 12 characters. A few unrelated words work well.")
    birth_year = IntegerField("Year of birth", validators=[DataRequired(message="Enter the year you were born.")],
                              description="You need to be 16 or older. Kept private.")
    accept_guidelines = BooleanField("I have read and accept the community guidelines")
    health_data_consent = BooleanField(
        "I consent to Patient Commons storing the health information I choose to share"
    )
    # Honeypot: hidden from people, filled in by bots.
    website = StringField("Leave this field empty", validators=[Optional()])
    # Filled by static/js/time.js from the browser; the service falls back to UTC.
    time_zone = HiddenField(validators=[Optional()])


class LoginForm(FlaskForm):
    login = StringField("Username or email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=128)])


class SignInLinkForm(FlaskForm):
    login = StringField("Username or email", validators=[DataRequired(), Length(max=254)])


class TwoFactorForm(FlaskForm):
    code = StringField("Code from your app, or a recovery code", validators=[DataRequired(), Length(max=20)])


class ResetRequestForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])


class ResetForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(), Length(max=128)])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField("New password", validators=[DataRequired(), Length(max=128)])


class ChangeEmailForm(FlaskForm):
    email = EmailField("New email", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Current password", validators=[DataRequired()])


class EnableTotpForm(FlaskForm):
    code = StringField("6-digit code from your app", validators=[DataRequired(), Length(6, 7)])


class DisableTotpForm(FlaskForm):
    password = PasswordField("Current password", validators=[DataRequired()])
    code = StringField("Code from your app, or a recovery code", validators=[DataRequired(), Length(max=20)])


class ProfileBasicsForm(FlaskForm):
    bio = TextAreaField("A few words about you (optional)", validators=[Optional(), Length(max=500)],
                        description="Shown on your profile to signed-in members.")
    hide_memberships = BooleanField("Hide which communities I belong to from my profile", default=True)
    profile_public = BooleanField("Let people who are not signed in see my profile page", default=False,
                                  description="Your username, bio and the date you joined. Off by default.")


class NotificationPrefsForm(FlaskForm):
    notify_replies_email = BooleanField("E-mail me when someone replies to me or mentions me, if I am not on the site",
                                        default=True, description="The e-mail says only that there is something new, "
                                        "with a link: never who, where or what.")


class TimeZoneForm(FlaskForm):
    # The service checks the name (zoneinfo); the list is given by the view.
    time_zone = SelectField("Time zone", validate_choice=False,
                            description="Times on the site and in our e-mails are shown in this zone.")
