import { describe, expect, it } from 'vitest';
import { apartAtMost, atMost } from '../bench/report.js';

describe('benchmark verdicts', () => {
  it('are taken at the precision the report prints, so +15.0 % meets a +15 % goal', () => {
    // A real median round: 156.4 against 136.0 µs per call prints as +15.0 % and is 0.15000000000000013 in floats.
    expect(apartAtMost(156.4 / 136.0 - 1, 0.15)).toEqual({ met: true });
    expect(apartAtMost(0.1506, 0.15)).toEqual({ met: false, shortfall: 'over by 0.1 points' });
    expect(apartAtMost(0.2, 0.15)).toEqual({ met: false, shortfall: 'over by 5.0 points' });
    expect(apartAtMost(NaN, 0.15)).toEqual({ met: false, shortfall: 'not measured' });
  });

  it('say by what percent a ceiling is missed', () => {
    expect(atMost(2.0, 2)).toEqual({ met: true });
    expect(atMost(2.05, 2)).toEqual({ met: false, shortfall: '2.5 % over' });
    expect(atMost(100.3, 100)).toEqual({ met: false, shortfall: '0.3 % over' });
  });
});
