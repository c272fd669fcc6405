"""URL path converters shared by the apps."""


class HandleConverter:
    """`ana` for a local person, `ana@example.org` for a remote one."""

    regex = r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,63}(?:@[A-Za-z0-9.\-]{1,253}(?::[0-9]{1,5})?)?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class TopicKeyConverter:
    """A normalised topic key: letters and digits of any script."""

    regex = r"[^/]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ProfileTabConverter:
    """The tabs of a profile page; anything else under /@handle/ belongs to other apps."""

    regex = r"posts|blog|resources|courses"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
