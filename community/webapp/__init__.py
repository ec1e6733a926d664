"""The installable app: web manifest, service worker and offline page."""
