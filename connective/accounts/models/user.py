"""The login account of a local person."""

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A local login; `username` is the person's handle. Remote people have no User."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
