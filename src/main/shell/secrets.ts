import type { SafeStorage } from 'electron';
import type { Logger } from '../core/util/logger.js';

const PREFIX = 'safe:v1:';

/** Encrypts the access token and secret env values for storage, with the OS keychain behind Electron's safeStorage. */
export interface SecretCipher {
  /** Which keychain is used ("basic_text" on Linux means a fixed key: obfuscation, not protection). */
  readonly backend: string;
  encrypt(plain: string): string;
  /** Values stored before encryption existed (no prefix) come back as they are. */
  decrypt(stored: string): string;
}

export function isEncryptedSecret(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** Needs `app.whenReady()`: on Linux safeStorage picks its keychain only then. */
export function createSecretCipher(
  safeStorage: SafeStorage,
  logger?: Logger,
  platform: NodeJS.Platform = process.platform,
): SecretCipher {
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  if (backend === 'basic_text') {
    logger?.warn(
      'no keychain found (gnome-keyring or KWallet): secrets are stored with a fixed key, which only hides them ' +
        'from a casual look; install and unlock a keychain to protect them',
    );
  }
  const unavailable = () =>
    Object.assign(new Error('Secrets cannot be encrypted on this system (no keychain is available).'), {
      kind: 'unavailable' as const,
    });
  return {
    backend,
    encrypt(plain) {
      if (!safeStorage.isEncryptionAvailable()) throw unavailable();
      return PREFIX + safeStorage.encryptString(plain).toString('base64');
    },
    decrypt(stored) {
      if (!isEncryptedSecret(stored)) return stored;
      if (!safeStorage.isEncryptionAvailable()) throw unavailable();
      return safeStorage.decryptString(Buffer.from(stored.slice(PREFIX.length), 'base64'));
    },
  };
}
