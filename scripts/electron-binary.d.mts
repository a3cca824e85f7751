import type { Result } from '../src/shared/index.js';

/** The Electron executable's path, or why no Electron window can be opened here. */
export type ElectronLookup = Result<string, 'package_missing' | 'binary_missing' | 'no_display'>;

export function findElectron(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): ElectronLookup;
