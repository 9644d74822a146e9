"""Files the app loads at run time: icons and the demo HLS loop.

A package, so that `importlib.resources` finds them in a checkout, an installed wheel and
the PyInstaller bundle alike (see app/resource_files.py); screenshots and the script that
made the segments stay out of the wheel.
"""
