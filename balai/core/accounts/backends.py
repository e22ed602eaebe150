from django.contrib.auth.backends import ModelBackend

from .models import User
from .phone import normalize_phone


class EmailOrPhoneBackend(ModelBackend):
    """Log in with an e-mail address or an Indonesian mobile number (08..., +628..., 628...)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        identifier = username.strip()
        if "@" in identifier:
            user = User.objects.filter(email__iexact=identifier).first()
        else:
            phone = normalize_phone(identifier)
            user = User.objects.filter(phone=phone).first() if phone else None
        if user is None:
            User().set_password(password)  # same work as a real check, so timing does not reveal accounts
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
