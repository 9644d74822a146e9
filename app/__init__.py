"""Livestream Companion: create Cloudflare RealtimeKit livestreams and watch them go live."""

from app.about import VERSION as __version__

__all__ = ["__version__"]
