"""MkDocs hooks (adapter): serve the offline build's web-worker shim from the site itself.

Material's offline plugin makes the site browsable from the file system and, for search there,
adds the iframe-worker shim from a CDN. No page of ours may load anything from a third-party
host, so the offline build uses the copy in overrides/assets (MIT, by Material's author).
"""

import os
import re

from mkdocs.plugins import event_priority

SHIM = "assets/javascripts/iframe-worker/shim.js"


def offline() -> bool:
    return os.environ.get("OFFLINE", "").lower() in ("1", "true", "yes")


@event_priority(100)  # before the offline plugin, which then sees a shim and adds none
def on_config(config):
    if offline():
        config.extra["polyfills"] = [SHIM]
    return config


ALTERNATE_LINK = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def on_post_page(output, page, config):
    """Offline, drop the <link rel="alternate"> tags: Material would fetch the other language's
    sitemap.xml through them, which a browser refuses from file://. The language menu stays,
    and site.js keeps the reader on the same page when it is used."""
    if offline():
        return ALTERNATE_LINK.sub("", output)
    return output
