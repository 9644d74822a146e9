"""Widgets render state and emit intent; they never call the network or the keyring."""
