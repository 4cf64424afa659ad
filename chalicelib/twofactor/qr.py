"""The enrolment QR code as inline SVG, built by us around segno's path data.

segno is imported on first use only, so it never loads on the authorizer's
cold-start path. Rather than trusting markup, we take only the `d` attribute
segno draws (checked to be path commands and numbers), and wrap it in an
`<svg>` we write ourselves: nothing user-controlled (the email inside the
otpauth URI) can reach the markup, so the page can embed it as-is.
"""

from __future__ import annotations

import re

BORDER = 4  # ISO/IEC 18004 §6.3.8: a quiet zone of four modules
SCALE = 5  # pixels per module at the default size
_PATH = re.compile(r'\sd="([MmHhVvZz0-9. \-]+)"')


class QrError(ValueError):
    """segno produced markup we do not recognise; refuse to embed it."""


def svg(data: str, label: str = "QR code for your authenticator app") -> str:
    """A standalone SVG document (also valid inline in HTML) encoding `data`."""
    import segno

    code = segno.make(data, micro=False)
    modules, _ = code.symbol_size(scale=1, border=BORDER)
    match = _PATH.search(code.svg_inline(scale=1, border=BORDER))
    if match is None:
        raise QrError("unexpected SVG from segno")
    size = modules * SCALE
    safe_label = "".join(c for c in label if c.isalnum() or c in " .,-")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="qr" role="img" aria-label="{safe_label}"'
            f' width="{size}" height="{size}" viewBox="0 0 {modules} {modules}"'
            f' shape-rendering="crispEdges"><rect width="{modules}" height="{modules}" fill="#fff"/>'
            f'<path stroke="#000" d="{match.group(1)}"/></svg>')
