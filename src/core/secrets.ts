import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';

/** Secrets at rest (Slack tokens): AES-256-GCM under a key named by its id, so keys can be rotated. */
export type Sealed = { keyId: string; value: string };

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class KeyError extends Error {
  override name = 'KeyError';
}

/**
 * A 32-byte key: base64 (as `mlsd keys new` and `openssl rand -base64 32` print it) or 64 hex digits; a
 * passphrase of 32 characters or more is stretched into one with scrypt.
 */
export function parseKey(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-f]{64}$/i.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(trimmed)) return Buffer.from(trimmed, 'base64');
  if (trimmed.length >= 32) return scryptSync(trimmed, 'mlsd-bot encryption key', 32);
  throw new KeyError(
    'an encryption key must be 32 random bytes, base64-encoded (make one with `mlsd keys new` or `openssl rand -base64 32`)',
  );
}

/** A key's public name: stored beside every value it sealed (a hash prefix, never the key). */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('mlsd-key-id:').update(key).digest('hex').slice(0, 12);
}

/** A fresh random key, base64. */
export function newKey(): string {
  return randomBytes(32).toString('base64');
}

/**
 * Seals with the current key; opens with whichever key (current or older) a value names. `context` (the
 * row's own id) is authenticated with the value, so a sealed value copied onto another row does not open.
 */
export class Sealer {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(current: string, older: string[] = []) {
    const key = parseKey(current);
    this.currentKeyId = keyIdOf(key);
    this.keys.set(this.currentKeyId, key);
    for (const text of older) {
      const old = parseKey(text);
      this.keys.set(keyIdOf(old), old);
    }
  }

  seal(plaintext: string, context: string): Sealed {
    const key = this.keys.get(this.currentKeyId) as Buffer;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(`${this.currentKeyId}:${context}`));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      keyId: this.currentKeyId,
      value: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64'),
    };
  }

  open(sealed: Sealed, context: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key)
      throw new KeyError(
        `a stored secret is sealed with key ${sealed.keyId}, which is neither MLSD_ENCRYPTION_KEY nor in MLSD_ENCRYPTION_OLD_KEYS: add the key that sealed it to MLSD_ENCRYPTION_OLD_KEYS (then run \`mlsd keys rotate\`)`,
      );
    const raw = Buffer.from(sealed.value, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(`${sealed.keyId}:${context}`));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new KeyError(`a stored secret does not open with key ${sealed.keyId} (tampered or misplaced)`);
    }
  }

  /** Whether `sealed` was sealed with an older key and should be sealed again. */
  isStale(sealed: Sealed): boolean {
    return sealed.keyId !== this.currentKeyId;
  }
}
