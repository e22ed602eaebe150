from django.conf import settings


def tenant(request):
    """The tenant and the viewer's roles there, for the layout and navigation."""
    current = getattr(request, "tenant", None)
    context = {"tenant": current, "demo_mode": settings.DEMO, "two_factor_waived": settings.WAIVE_OFFICER_2FA}
    if current is not None:
        from balai.core.accounts.selectors import viewer_context
        context.update(viewer_context(request=request, tenant=current))
    return context
