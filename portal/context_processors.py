from django.conf import settings
from django.urls import reverse


def site(request):
    """What every page's frame needs: the portal's name and the accessibility statement."""
    return {
        "portal_name": settings.PORTAL_NAME,
        "accessibility_statement_url": settings.ACCESSIBILITY_STATEMENT_URL or reverse("accessibility"),
    }
