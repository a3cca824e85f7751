import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ProcessSampler, parseRss, parseStat } from './process-sampler.js';

describe('procfs parsing', () => {
  it('reads pgrp and CPU ticks after the last parenthesis, whatever the command name holds', () => {
    const stat = '4242 (my (odd) name) S 1 4200 4200 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0 100 1000 2000';
    expect(parseStat(stat)).toEqual({ pgrp: 4200, cpuTicks: 300 });
    expect(parseStat('garbage')).toBeNull();
  });

  it('reads VmRSS in bytes', () => {
    expect(parseRss('Name:\tnode\nVmRSS:\t   51200 kB\nThreads:\t11\n')).toBe(51200 * 1024);
    expect(parseRss('Name:\tzombie\n')).toBeNull();
  });
});

describe('ProcessSampler', () => {
  it('is empty, not failing, where there is no procfs', async () => {
    const sampler = new ProcessSampler({ platform: 'darwin' });
    expect(sampler.supported).toBe(false);
    expect((await sampler.sample([process.pid])).size).toBe(0);
  });

  it.runIf(process.platform === 'linux')('sums a whole process group, grandchildren included', async () => {
    // A group leader (like npx) whose child does the work.
    const script = `require('child_process').spawn(process.execPath, ['-e', 'setInterval(()=>{},1000)'], {stdio:'inherit'});
      setInterval(()=>{},1000); console.log('ready')`;
    const leader = spawn(process.execPath, ['-e', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await new Promise((r) => leader.stdout!.once('data', r));
      await new Promise((r) => setTimeout(r, 200));
      const usage = (await new ProcessSampler().sample([leader.pid!])).get(leader.pid!);
      expect(usage?.processes).toBe(2);
      expect(usage!.rssBytes).toBeGreaterThan(2 * 10 * 1024 * 1024);
      expect(usage!.cpuSeconds).toBeGreaterThan(0);
      expect((await new ProcessSampler().sample([999_999_999])).size).toBe(0);
    } finally {
      process.kill(-leader.pid!, 'SIGKILL');
    }
  });
});
