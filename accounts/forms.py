"""allauth's sign-up form with the limits of our user model."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.core.validators import MaxLengthValidator

from .models import User

EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length


class SignupForm(AllauthSignupForm):
    """allauth fits an e-mail address to the model by cutting it (a 300-character address became a
    254-character one without its domain); refuse it with the field's error instead."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.max_length = EMAIL_MAX_LENGTH
        email.validators.append(MaxLengthValidator(EMAIL_MAX_LENGTH))
        email.widget.attrs["maxlength"] = str(EMAIL_MAX_LENGTH)
