#!/usr/bin/env bash
# Builds the one-folder bundle for the OS this runs on into dist/livestream-companion/
# (on macOS also "dist/Livestream Companion.app"). On Linux it adds the desktop entry,
# AppStream metadata, hicolor icons and install.sh, and packs
# dist/livestream-companion-<version>-linux-<arch>.tar.gz.
# Needs the venv from scripts/install.sh; installs PyInstaller into it when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
python=.venv/bin/python
[ -x "$python" ] || python=.venv/Scripts/python.exe  # Git Bash on Windows

# Build-time only, so not among the app's dependencies. Pillow turns the PNG icon into
# the .ico/.icns that Windows and macOS want.
build_requirements=("pyinstaller>=6.10,<7")
case "$(uname -s)" in Linux) ;; *) build_requirements+=("pillow>=10") ;; esac
if ! "$python" -c "import PyInstaller" 2>/dev/null || \
   { [ "${#build_requirements[@]}" -gt 1 ] && ! "$python" -c "import PIL" 2>/dev/null; }; then
    "$python" -m pip install -q --disable-pip-version-check "${build_requirements[@]}"
fi

read -r app_id command_name version < <(
    "$python" -c "from app import about; print(about.APP_ID, about.COMMAND_NAME, about.VERSION)"
)
start=$(date +%s)
"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/livestream-companion.spec

bundle="dist/$command_name"
if [ "$(uname -s)" = Linux ]; then
    # A source-built Python carries ~18 MB of debug info in libpython; only that file is
    # stripped (a full strip breaks Qt's FFmpeg libraries).
    for lib in "$bundle"/_internal/libpython3*.so*; do
        if [ -f "$lib" ] && [ ! -L "$lib" ] && command -v strip >/dev/null; then
            strip --strip-debug "$lib"
        fi
    done
    share="$bundle/share"
    rm -rf "$share"
    install -Dm644 "packaging/linux/$app_id.desktop" "$share/applications/$app_id.desktop"
    install -Dm644 "packaging/linux/$app_id.metainfo.xml" "$share/metainfo/$app_id.metainfo.xml"
    for size in 16 24 32 48 64 128 256 512; do
        install -Dm644 "resources/icons/livestream-companion-$size.png" \
            "$share/icons/hicolor/${size}x${size}/apps/$app_id.png"
    done
    install -Dm644 resources/icons/livestream-companion.svg \
        "$share/icons/hicolor/scalable/apps/$app_id.svg"
    install -m755 packaging/linux/install.sh "$bundle/install.sh"
    archive="dist/$command_name-$version-linux-$(uname -m).tar.gz"
    tar -C dist -czf "$archive" "$command_name"
fi

echo "Built $bundle in $(( $(date +%s) - start )) s: $(du -sh "$bundle" | cut -f1)"
[ -n "${archive:-}" ] && echo "Archive $archive: $(du -sh "$archive" | cut -f1)"
exit 0
