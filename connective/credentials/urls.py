"""Credentials URLs: statements, the issuer document, its keys, the status list, the verify page."""

from django.urls import URLPattern, URLResolver, path

from connective.credentials.views import issuer, statements

app_name = "credentials"
urlpatterns: list[URLPattern | URLResolver] = [
    path("statements/issuer/", issuer.issuer_document, name="issuer"),
    path("statements/issuer/jwks.json", issuer.jwks, name="jwks"),
    path("statements/status/revocation/", issuer.status_list, name="status_list"),
    path("statements/verify/", statements.verify, name="verify"),
    path("statements/<str:public_id>/", statements.statement, name="statement"),
    path(
        "statements/<str:public_id>/credential.json",
        statements.download_json,
        name="download_json",
    ),
    path("statements/<str:public_id>/credential.jwt", statements.download_jwt, name="download_jwt"),
    path("statements/<str:public_id>/badge.png", statements.badge_png, name="badge_png"),
]
