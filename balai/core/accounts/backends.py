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


def axes_username(request, credentials=None) -> str | None:
    """The key django-axes counts failures under: the account's e-mail, however the person spelled it.

    Without it, `0812...`, `+62812...`, `62812...` and the e-mail address would each get their own five
    attempts. Wire it with `AXES_USERNAME_CALLABLE = "balai.core.accounts.backends.axes_username"`.
    """
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = getattr(request, "POST", {}).get("username")
    if not raw:
        return raw
    identifier = raw.strip()
    if "@" in identifier:
        return identifier.lower()
    phone = normalize_phone(identifier)
    if phone is None:
        return identifier
    user = User.objects.filter(phone=phone).only("email").first()
    return user.email if user else phone
