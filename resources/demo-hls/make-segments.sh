#!/usr/bin/env bash
# Makes the emulator's live HLS test pattern: one 16 s loop cut into eight 2 s MPEG-TS segments
# (H.264 640x360 25 fps, a keyframe at the start of every segment, AAC 48 kHz mono tone).
#
# The emulator serves the loop over and over, shifting timestamps by one loop length each time,
# so the loop must be seamless in time: 16 s holds exactly 400 video frames and exactly 750 AAC
# frames of 1024 samples at 48 kHz (hence 16 s and 48 kHz: shorter loops don't divide evenly).
#
# Needs Debian's ffmpeg (with libx264 and libfreetype). Run from anywhere; writes beside itself.
set -euo pipefail
cd "$(dirname "$0")"

LOOP_SECONDS=16
SEGMENT_SECONDS=2
FPS=25
AUDIO_RATE=48000
AUDIO_FRAMES=$((LOOP_SECONDS * AUDIO_RATE / 1024))
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf

label=""
if [[ -f "$FONT" ]]; then
    label=",drawtext=fontfile=$FONT:text='Livestream Companion demo':fontsize=28:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=8:x=(w-text_w)/2:y=h-text_h-24"
fi

rm -f segment-*.ts loop.m3u8
ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc2=size=640x360:rate=$FPS:duration=$LOOP_SECONDS$label" \
    -f lavfi -i "sine=frequency=440:beep_factor=4:sample_rate=$AUDIO_RATE:duration=$((LOOP_SECONDS + 1))" \
    -map 0:v -map 1:a \
    -c:v libx264 -preset slow -profile:v main -pix_fmt yuv420p -bf 0 \
    -g $((FPS * SEGMENT_SECONDS)) -keyint_min $((FPS * SEGMENT_SECONDS)) -sc_threshold 0 \
    -b:v 450k -maxrate 600k -bufsize 900k \
    -c:a aac -b:a 48k -ac 1 -ar $AUDIO_RATE -frames:a "$AUDIO_FRAMES" \
    -f hls -hls_time $SEGMENT_SECONDS -hls_list_size 0 -hls_playlist_type vod \
    -hls_flags independent_segments -hls_segment_filename 'segment-%d.ts' loop.m3u8

ls -l segment-*.ts loop.m3u8
du -ch segment-*.ts | tail -n 1
