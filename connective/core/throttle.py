"""Per-client and per-account rate limits on our own actions (SECURITY.md T-33).

They reuse the limiter django-allauth applies to logins and sign-ups (a sliding window per
client address or account in the cache, the address as the allauth adapter reads it, IPv6 by
/64), with our own actions and rates. A client over its rate gets a 429 with Retry-After (the
window's length). Each rate is a setting so an admin can loosen it, in allauth's notation
(`<count>/<period>/<ip|user>`, several separated by commas):

- `webfinger`: `CONNECTIVE_WEBFINGER_RATE`, 120 a minute per address;
- `lookup`: `CONNECTIVE_LOOKUP_RATE`, 30 a minute per address and 20 per account (each lookup
  may fetch from other servers);
- `feed_item_post`: `CONNECTIVE_FEED_ITEM_POST_RATE`, 60 a minute per account (acting on an item
  from the web that nobody acted on yet, or sharing one as a resource, makes a post).
"""

from __future__ import annotations

import logging

from allauth.core.internal import ratelimit
from django.conf import settings
from django.http import HttpRequest

log = logging.getLogger("connective.core")

APP = "connective"
# action → (setting, default rates)
ACTIONS = {
    "webfinger": ("CONNECTIVE_WEBFINGER_RATE", "120/m/ip"),
    "lookup": ("CONNECTIVE_LOOKUP_RATE", "30/m/ip,20/m/user"),
    "feed_item_post": ("CONNECTIVE_FEED_ITEM_POST_RATE", "60/m/user"),
}


def _config(action: str, *, signed_in: bool = True) -> dict[str, str]:
    """The action's rates; per-account rates only count for a signed-in user."""
    setting, default = ACTIONS[action]
    rates = str(getattr(settings, setting, default))
    kept = [r.strip() for r in rates.split(",") if signed_in or not r.strip().endswith("/user")]
    return {action: ",".join(kept)}


def retry_after(action: str) -> int:
    """Seconds a throttled client should wait: the longest window among the action's rates."""
    rates = ratelimit.parse_rates(_config(action)[action])
    return max((int(rate.duration) for rate in rates), default=60)


def throttled(request: HttpRequest, action: str) -> bool:
    """Count this request against the action's rates; True when the client is over one."""
    user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    config = _config(action, signed_in=user is not None)
    allowed = ratelimit.consume(
        request, app=APP, action=action, config=config, user=user, limit_get=True
    )
    if allowed is None:
        log.info("%s throttled for %s", action, ratelimit.get_ip(request))
        return True
    return False
