"""Telling the streamer what changed while they look elsewhere: notifications and the tray."""
