from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.core import registry
from balai.core.tenants.models import Tenant


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """One account per person across the whole platform; what they may do is per tenant (Membership)."""

    email = models.EmailField(_("alamat surel"), max_length=254, unique=True)  # stored lower-case
    phone = models.CharField(_("nomor ponsel"), max_length=20, null=True, blank=True, unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    nik = models.CharField(_("NIK"), max_length=16, null=True, blank=True, unique=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    email_verified_at = models.DateTimeField(_("surel terverifikasi"), null=True, blank=True)
    preferred_language = models.CharField(_("bahasa"), max_length=8, default="id")
    is_active = models.BooleanField(_("aktif"), default=True)
    is_staff = models.BooleanField(_("staf platform"), default=False)
    date_joined = models.DateTimeField(_("terdaftar"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def masked_nik(self) -> str:
        return f"{self.nik[:4]}********{self.nik[-4:]}" if self.nik else ""

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class Membership(models.Model):
    """The roles a person holds in one tenant."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    roles = models.JSONField(_("peran"), default=list)
    is_active = models.BooleanField(_("aktif"), default=True)
    # When the person agreed that this Pemda processes their personal data (UU 27/2022); None for officers
    # added by an administrator, whose data the Pemda processes as their employer.
    data_consent_at = models.DateTimeField(_("persetujuan pemrosesan data pribadi"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "user"], name="membership_unique")]
        indexes = [models.Index(fields=["tenant", "user"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.tenant.slug}: {', '.join(self.roles)}"

    @property
    def permissions(self) -> frozenset[str]:
        return registry.permissions_of(self.roles) if self.is_active else frozenset()

    @property
    def is_officer(self) -> bool:
        known = registry.roles()
        return self.is_active and any(known[r].officer for r in self.roles if r in known)

    def role_labels(self) -> list[str]:
        known = registry.roles()
        return [str(known[r].label) for r in self.roles if r in known]
