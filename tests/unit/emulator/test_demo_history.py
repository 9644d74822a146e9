"""Demo mode's history: an earlier livestream whose sessions make the usage chart."""

from app.emulator import Emulator
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_HISTORY, seed_demo_history

NOW = 1_800_000_000.0


def test_demo_history_is_one_earlier_livestream_with_every_session():
    with Emulator(live_after=None) as emulator:  # playback URLs need its port
        seed_demo_history(emulator, now=NOW)
        [record] = emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID)
    sessions = record.broadcast.sessions()
    assert len(sessions) == len(DEMO_HISTORY)
    assert record.created_wall <= sessions[0].started_wall < NOW
    assert all(s.stopped_wall is not None and s.stopped_wall < NOW for s in sessions)
    assert [s.error_message for s in sessions if s.error_message] == [
        entry[4] for entry in DEMO_HISTORY if entry[4]
    ]
    assert record.status == "IDLE"
