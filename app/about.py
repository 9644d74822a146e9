"""The one source of the application's identity: version, ids and names."""

VERSION = "0.1.0"
DISPLAY_NAME = "Livestream Companion"
# Reverse-DNS id shared by the desktop entry, AppStream metadata, the keyring
# service name and the bundle identifiers.
APP_ID = "org.livestreamcompanion.LivestreamCompanion"
COMMAND_NAME = "livestream-companion"
ORGANIZATION_NAME = "Livestream Companion"
ORGANIZATION_DOMAIN = "livestreamcompanion.org"
USER_AGENT = f"{COMMAND_NAME}/{VERSION}"
