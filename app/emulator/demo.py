"""The fixed account, app and tokens the emulator knows from the start.

None of these is a secret: they only open the local emulator, never Cloudflare.
"""

DEMO_ACCOUNT_ID = "2ea9331e8cca6ff4e4e98f2401efeef7"
DEMO_APP_ID = "41dd2e3b-37ee-4e58-8239-a2be45a2c7da"
DEMO_APP_NAME = "livestream-companion-demo"
# Shaped like Cloudflare API tokens (40 characters of [A-Za-z0-9_-]).
DEMO_TOKEN = "Mo_cKfqMhLeRG02wDrI9155afIdvX18VQ3KTPyaU"
# Verifies as active, but lacks the Realtime permission: every RealtimeKit call is refused.
NO_PERMISSION_TOKEN = "btOfod7Z72dpMSTUutGgP0xz0Ls0mFx4832X8SBR"
