import { TokenBucket } from '../gateway/rate-limit.js';

/**
 * Caps how many stderr lines per second reach the logs. stderr is always drained (the child never blocks on it);
 * past the cap lines are counted, and the count is reported with the next line that gets through.
 */
export class StderrLimiter {
  private readonly bucket: TokenBucket;
  private dropped = 0;

  constructor(
    perSecond: number,
    private readonly write: (line: string, dropped: number) => void,
  ) {
    this.bucket = new TokenBucket(perSecond, perSecond * 2);
  }

  line(text: string): void {
    if (!this.bucket.take()) {
      this.dropped++;
      return;
    }
    const dropped = this.dropped;
    this.dropped = 0;
    this.write(text, dropped);
  }
}
