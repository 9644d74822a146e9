"""The embedded live preview: panel, player wrapper and the standalone preview window."""
