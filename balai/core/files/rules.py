"""Who may download a stored file, and which files may be deleted: decided by the module that owns them.

A module registers, from its `AppConfig.ready()`, a download rule for the purposes it owns:

    register_download_rule("permits.", lambda user, tenant, f: permit_file_visible(user, tenant, f))

The rule with the longest matching purpose prefix decides. Before any rule, the person who uploaded a
file may always download it. A purpose without a rule falls back to DEFAULT_DOWNLOAD_PERM: officers
of the tenant (every officer role holds "dashboard.view") may download it, nobody else may. Everyone
refused gets the same 404 as for a file that does not exist.

Deletion guards work the same way: `register_delete_guard(callable(stored_file) -> str | None)`; a
guard that returns a reason stops `file_delete`. Files of issued documents are never deleted.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from balai.core.accounts.selectors import user_has_perm

DownloadRule = Callable[..., bool]
DeleteGuard = Callable[..., object]

# Until a dedicated permission exists, officers are recognised by the permission every officer role holds.
DEFAULT_DOWNLOAD_PERM = "dashboard.view"
# Purposes whose files are evidence of what was issued: their bytes must outlive any module's wish.
PROTECTED_PURPOSE_PREFIXES = ("documents.",)

_download_rules: dict[str, DownloadRule] = {}
_delete_guards: list[DeleteGuard] = []


def register_download_rule(purpose_prefix: str, rule: DownloadRule) -> None:
    """Let `rule(user, tenant, stored_file) -> bool` decide downloads of purposes starting with the prefix."""
    if not purpose_prefix:
        raise ValueError("A download rule needs a purpose prefix such as 'permits.'.")
    _download_rules[purpose_prefix] = rule


def unregister_download_rule(purpose_prefix: str) -> None:
    _download_rules.pop(purpose_prefix, None)


def register_delete_guard(guard: DeleteGuard) -> None:
    """Add `guard(stored_file) -> reason | None`; a reason stops the deletion of that file."""
    if guard not in _delete_guards:
        _delete_guards.append(guard)


def unregister_delete_guard(guard: DeleteGuard) -> None:
    if guard in _delete_guards:
        _delete_guards.remove(guard)


def download_rule_for(purpose: str) -> DownloadRule | None:
    matches = [prefix for prefix in _download_rules if purpose.startswith(prefix)]
    return _download_rules[max(matches, key=len)] if matches else None


def may_download(*, user, tenant, stored_file) -> bool:
    if user is None or not user.is_authenticated or stored_file.tenant_id != tenant.pk:
        return False
    if stored_file.uploaded_by_id is not None and stored_file.uploaded_by_id == user.pk:
        return True
    rule = download_rule_for(stored_file.purpose)
    if rule is not None:
        return bool(rule(user, tenant, stored_file))
    return user_has_perm(user=user, tenant=tenant, perm=DEFAULT_DOWNLOAD_PERM)


def delete_refusal(stored_file) -> object | None:
    """The reason this file must not be deleted, or None."""
    if stored_file.purpose.startswith(PROTECTED_PURPOSE_PREFIXES):
        return _("Berkas ini bagian dari dokumen yang sudah diterbitkan dan tidak boleh dihapus.")
    for guard in _delete_guards:
        reason = guard(stored_file)
        if reason:
            return reason
    return None
