"""The licences a resource can carry, with their names and deeds."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    """One licence: stable code, short label, full name, deed URL ('' for all rights reserved)."""

    code: str
    label: str
    name: str
    url: str


LICENCES: dict[str, Licence] = {
    lic.code: lic
    for lic in [
        Licence(
            "cc0",
            "CC0 1.0",
            "CC0 1.0 Universal (public domain dedication)",
            "https://creativecommons.org/publicdomain/zero/1.0/",
        ),
        Licence(
            "cc-by",
            "CC BY 4.0",
            "Creative Commons Attribution 4.0",
            "https://creativecommons.org/licenses/by/4.0/",
        ),
        Licence(
            "cc-by-sa",
            "CC BY-SA 4.0",
            "Creative Commons Attribution-ShareAlike 4.0",
            "https://creativecommons.org/licenses/by-sa/4.0/",
        ),
        Licence(
            "cc-by-nc",
            "CC BY-NC 4.0",
            "Creative Commons Attribution-NonCommercial 4.0",
            "https://creativecommons.org/licenses/by-nc/4.0/",
        ),
        Licence(
            "cc-by-nc-sa",
            "CC BY-NC-SA 4.0",
            "Creative Commons Attribution-NonCommercial-ShareAlike 4.0",
            "https://creativecommons.org/licenses/by-nc-sa/4.0/",
        ),
        Licence(
            "cc-by-nd",
            "CC BY-ND 4.0",
            "Creative Commons Attribution-NoDerivatives 4.0",
            "https://creativecommons.org/licenses/by-nd/4.0/",
        ),
        Licence(
            "cc-by-nc-nd",
            "CC BY-NC-ND 4.0",
            "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0",
            "https://creativecommons.org/licenses/by-nc-nd/4.0/",
        ),
        Licence(
            "pdm",
            "Public Domain",
            "Public Domain Mark 1.0",
            "https://creativecommons.org/publicdomain/mark/1.0/",
        ),
        Licence("arr", "All rights reserved", "All rights reserved", ""),
    ]
}
LICENCE_CHOICES = [(lic.code, lic.label) for lic in LICENCES.values()]
DEFAULT_LICENCE = "cc-by"


def licence_for(code: str) -> Licence | None:
    """The licence with this code, or None."""
    return LICENCES.get(code)


def licence_by_url(url: str) -> Licence | None:
    """The licence whose deed is at `url` (http or https, with or without a trailing slash)."""
    wanted = url.strip().replace("http://", "https://").rstrip("/")
    for lic in LICENCES.values():
        if lic.url and lic.url.rstrip("/") == wanted:
            return lic
    return None
