"""The sign-in form (GOV.UK pattern: specific messages, never saying which detail was wrong)."""

from typing import Any

from django import forms

TOO_MANY_ATTEMPTS = (
    "Too many wrong attempts. Wait 15 minutes, or ask your hub administrator to unlock "
    "your account."
)
WRONG_DETAILS = "The username or password is wrong"


class SignInForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={
            "required": "Enter your username",
            "max_length": "Username must be 150 characters or fewer",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=4096,
        error_messages={
            "required": "Enter your password",
            "max_length": "Password must be 4096 characters or fewer",
        },
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["class"] = "govuk-!-width-one-half"
        self.fields["password"].widget.attrs["class"] = "govuk-!-width-one-half"

    def too_many_attempts(self) -> None:
        self.add_error(None, TOO_MANY_ATTEMPTS)

    def wrong_details(self) -> None:
        """Add the one message for a failed sign-in: it never says which detail was wrong."""
        self.add_error(None, WRONG_DETAILS)
