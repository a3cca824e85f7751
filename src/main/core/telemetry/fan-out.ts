import type { FrameEvent, FrameObserver } from './frame.js';

/**
 * The router takes one observer; this hands each frame to several (metrics, traffic recorder). An observer that
 * throws is reported and skipped, never allowed to break routing: telemetry must not take traffic down with it.
 */
export class FanOutObserver implements FrameObserver {
  private readonly observers: FrameObserver[];

  constructor(
    observers: Iterable<FrameObserver>,
    private readonly onError: (err: unknown, observer: FrameObserver) => void = () => {},
  ) {
    this.observers = [...observers];
  }

  onFrame(frame: FrameEvent): void {
    for (let i = 0; i < this.observers.length; i++) {
      try {
        this.observers[i].onFrame(frame);
      } catch (err) {
        this.onError(err, this.observers[i]);
      }
    }
  }

  onSessionClosed(session: string, server: string): void {
    for (const o of this.observers) {
      try {
        o.onSessionClosed?.(session, server);
      } catch (err) {
        this.onError(err, o);
      }
    }
  }
}
