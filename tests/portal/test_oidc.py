"""Sign-in through an OpenID Connect provider (MitID through a broker) is configured by settings alone."""

from django.urls import reverse


def oidc_settings(server_url):
    return {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "mitid",
                    "name": "MitID",
                    "client_id": "hoeringsportal",
                    "secret": "hemmelig",
                    "settings": {"server_url": server_url},
                }
            ],
        }
    }


def test_off_by_default(db, client):
    html = client.get(reverse("account_login")).content.decode()
    assert "/konto/oidc/mitid/login/" not in html


def test_configured_provider_shows_on_the_login_page(db, client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = oidc_settings("https://broker.example.dk/realms/borger")
    html = client.get(reverse("account_login")).content.decode()
    assert "/konto/oidc/mitid/login/" in html
    assert "MitID" in html
