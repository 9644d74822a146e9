"""Controllers call the Qt-free core and turn each operation into exactly one outcome signal."""
