// The live stream (Server-Sent Events). The browser reconnects a dropped stream by itself; a stream that was
// refused (the session is over) or has gone silent past a few heartbeats is reopened here, after asking the
// API who is signed in (which notices an expired session and shows the sign-in card).
import { api } from './api.js';

export function connectLive({ heartbeatMs, onReady, onDown, onEvent, onExpired }) {
  let source;
  let watchdog;
  let stopped = false;

  const arm = () => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => restart(), heartbeatMs * 2.5);
  };

  const restart = async () => {
    source?.close();
    onDown();
    if (stopped) return;
    try {
      await api('GET', '/desk/api/me', undefined, { background: true });
    } catch (e) {
      if (e.code === 'SESSION_EXPIRED' || e.code === 'UNAUTHORIZED') return stop();
    }
    setTimeout(() => !stopped && open(), 3000);
  };

  const open = () => {
    source = new EventSource('/desk/events');
    source.addEventListener('ready', () => {
      arm();
      onReady();
    });
    source.addEventListener('ping', arm);
    source.addEventListener('handoff', (e) => {
      arm();
      onEvent(JSON.parse(e.data));
    });
    source.addEventListener('expired', () => {
      stop();
      onExpired();
    });
    source.onerror = () => {
      onDown();
      if (source.readyState === EventSource.CLOSED) void restart();
    };
  };

  const stop = () => {
    stopped = true;
    clearTimeout(watchdog);
    source?.close();
  };

  open();
  return { close: stop };
}
