#!/usr/bin/env bash
# Installs this Livestream Companion bundle with its menu entry and icons.
#   ./install.sh                      for the current user, under ~/.local
#   sudo ./install.sh --prefix /usr/local
#   ./install.sh --uninstall [--prefix DIR]
# The ids come from the bundled desktop entry, so this script names nothing itself.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
prefix="$HOME/.local"
action=install
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
        --uninstall) action=uninstall; shift ;;
        -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done

desktop_file=$(ls "$here"/share/applications/*.desktop)
app_id=$(basename "$desktop_file" .desktop)
command_name=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop_file" | head -n 1)
libdir="$prefix/lib/$command_name"
bindir="$prefix/bin"
sharedir="$prefix/share"
icon_files=$(cd "$here/share/icons" && find . -name "$app_id.*" | sed 's|^\./||')

refresh_caches() {  # best effort: desktops also notice new files by themselves
    command -v update-desktop-database >/dev/null && \
        update-desktop-database -q "$sharedir/applications" 2>/dev/null || true
    command -v gtk-update-icon-cache >/dev/null && \
        gtk-update-icon-cache -q -t "$sharedir/icons/hicolor" 2>/dev/null || true
}

if [ "$action" = uninstall ]; then
    rm -f "$bindir/$command_name" "$sharedir/applications/$app_id.desktop" \
          "$sharedir/metainfo/$app_id.metainfo.xml"
    for icon in $icon_files; do rm -f "$sharedir/icons/$icon"; done
    rm -rf "$libdir"
    refresh_caches
    echo "Removed $command_name from $prefix"
    exit 0
fi

if [ "$here" != "$(cd "$libdir" 2>/dev/null && pwd)" ]; then
    rm -rf "$libdir"
    mkdir -p "$libdir"
    cp -a "$here/." "$libdir/"
fi
# A wrapper rather than a symlink: the bundle finds its libraries next to the real executable.
mkdir -p "$bindir"
printf '#!/bin/sh\nexec "%s/%s" "$@"\n' "$libdir" "$command_name" > "$bindir/$command_name"
chmod 755 "$bindir/$command_name"

mkdir -p "$sharedir/applications" "$sharedir/metainfo"
sed -e "s|^Exec=$command_name|Exec=$bindir/$command_name|" \
    -e "s|^TryExec=$command_name|TryExec=$bindir/$command_name|" \
    "$desktop_file" > "$sharedir/applications/$app_id.desktop"
cp "$here/share/metainfo/$app_id.metainfo.xml" "$sharedir/metainfo/"
for icon in $icon_files; do
    install -Dm644 "$here/share/icons/$icon" "$sharedir/icons/$icon"
done
refresh_caches
echo "Installed $command_name in $libdir; run it from the applications menu or as $bindir/$command_name"
