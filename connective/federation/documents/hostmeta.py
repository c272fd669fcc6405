"""host-meta (RFC 6415): the XRD that points older clients at our WebFinger endpoint."""

from xml.sax.saxutils import quoteattr

from connective.core.uris import absolute_uri


def host_meta_xml() -> str:
    """The XRD document with the WebFinger template."""
    template = absolute_uri("/.well-known/webfinger") + "?resource={uri}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
        f'  <Link rel="lrdd" type="application/jrd+json" template={quoteattr(template)}/>\n'
        "</XRD>\n"
    )
