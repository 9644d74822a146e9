"""Account IDs for the token tests (any 32 hexadecimal characters)."""

ACCOUNT_ID = "0123456789abcdef0123456789abcdef"
OTHER_ACCOUNT_ID = "fedcba9876543210fedcba9876543210"
