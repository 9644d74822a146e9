"""The Qt-free core: models, errors, validation, the RealtimeKit client, secrets.

Nothing in this package may import PySide6 or qasync (a test enforces it).
"""
