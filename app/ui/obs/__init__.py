"""Send to OBS in the window: `mount.create_obs_send_widget` builds the whole row."""
