import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/log.ts';
import { KeyError, keyIdOf, newKey, parseKey, Sealer } from '../../src/core/secrets.ts';

describe('sealed secrets', () => {
  it('seals with the current key and opens only with a key it names, for the row it was sealed for', () => {
    const sealer = new Sealer(newKey());
    const sealed = sealer.seal('{"bot":{"token":"xoxb-1-2-3"}}', 'T:T0ACME');
    expect(sealed.keyId).toBe(sealer.currentKeyId);
    expect(sealed.value).not.toContain('xoxb');
    expect(sealer.open(sealed, 'T:T0ACME')).toBe('{"bot":{"token":"xoxb-1-2-3"}}');
    // Copied onto another workspace's row, or altered, it does not open.
    expect(() => sealer.open(sealed, 'T:T0OTHER')).toThrow(KeyError);
    const tampered = { ...sealed, value: `${sealed.value.slice(0, -4)}AAAA` };
    expect(() => sealer.open(tampered, 'T:T0ACME')).toThrow(KeyError);
    // Another key cannot open it at all.
    expect(() => new Sealer(newKey()).open(sealed, 'T:T0ACME')).toThrow(/neither MLSD_ENCRYPTION_KEY/);
  });

  it('rotates: the new key opens what the old one sealed while the old is listed, and reseals it', () => {
    const oldKey = newKey();
    const sealed = new Sealer(oldKey).seal('secret', 'T:T1');
    const rotated = new Sealer(newKey(), [oldKey]);
    expect(rotated.isStale(sealed)).toBe(true);
    const again = rotated.seal(rotated.open(sealed, 'T:T1'), 'T:T1');
    expect(rotated.isStale(again)).toBe(false);
    expect(again.keyId).not.toBe(keyIdOf(parseKey(oldKey)));
  });

  it('refuses a key that is not 32 bytes, saying how to make one', () => {
    expect(() => parseKey('too-short')).toThrow(/mlsd keys new/);
    expect(parseKey('a'.repeat(64))).toHaveLength(32);
    // A long passphrase is stretched into a key, the same one each time.
    expect(parseKey('correct horse battery staple, twice over')).toEqual(
      parseKey('correct horse battery staple, twice over'),
    );
  });
});

describe('logs', () => {
  it('never carry a token, in a message, a field or an error', () => {
    const lines: string[] = [];
    const log = createLogger('trace', {
      pretty: false,
      destination: { write: (line: string) => void lines.push(line) },
    });
    const token = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';
    log.info(`calling with ${token}`);
    log.warn(
      { headers: { authorization: `Bearer ${token}` }, nested: [{ refresh: 'xoxe-1-My0xLTEyMzQ1Njc4OTA' }] },
      'x',
    );
    log.error({ err: new Error(`invalid_auth for ${token}`) }, 'failed');
    log.info({ discord: 'MTE5ODc2NTQzMjEwOTg3NjU0.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789' }, 'gateway');
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line).not.toMatch(/xox[bpe]-1/);
      expect(line).not.toContain('GaBcDe');
    }
    expect(lines.join('\n')).toContain('[token]');
  });
});
