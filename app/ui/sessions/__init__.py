"""Sessions and usage in the window: the shown livestream's session on its card, its past
sessions in a table, and the app's use per day in a chart."""
