#!/usr/bin/env bash
# Re-renders the PNG icons from the SVG sources (needs rsvg-convert, Debian: librsvg2-bin).
# 16 and 24 px come from a simplified drawing that stays legible at that size.
set -euo pipefail
cd "$(dirname "$0")/../resources/icons"
for size in 16 24; do
    rsvg-convert -w "$size" -h "$size" livestream-companion-small.svg -o "livestream-companion-$size.png"
done
for size in 32 48 64 128 256 512; do
    rsvg-convert -w "$size" -h "$size" livestream-companion.svg -o "livestream-companion-$size.png"
done
