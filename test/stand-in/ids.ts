import { createHash, randomBytes } from 'node:crypto';

/** RFC 4648 base32: the alphabet AWS uses for the 16 characters after an id's prefix. */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function base32Decode(text: string): Uint8Array | undefined {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text) {
    const index = BASE32.indexOf(char);
    if (index < 0) return undefined;
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(bytes);
}

/**
 * Unique ids of users (`AIDA`), roles (`AROA`) and managed policies (`ANPA`): prefix + 16
 * base32 characters.
 */
export function uniqueId(prefix: 'AIDA' | 'AROA' | 'ANPA'): string {
  return prefix + base32(randomBytes(10));
}

/** The same id for the same seed: for principals named in seeded events but never created. */
export function stableId(prefix: 'AIDA' | 'AROA', seed: string): string {
  return prefix + base32(createHash('sha256').update(seed).digest().subarray(0, 10));
}

/**
 * Access key ids as AWS mints them since 2019: bits 1..40 of the base32-decoded suffix carry the
 * account id (see `accountOfKeyId`), so a key names its account even outside the stand-in.
 */
export function accessKeyId(prefix: 'AKIA' | 'ASIA', accountId: string): string {
  const bytes = randomBytes(10);
  const packed = (BigInt(accountId) << 7n) | BigInt((bytes[5] ?? 0) & 0x7f);
  for (let i = 0; i < 6; i++) bytes[i] = Number((packed >> BigInt(8 * (5 - i))) & 0xffn);
  return prefix + base32(bytes);
}

/**
 * The account an access key id belongs to, decoded as AWS's own encoding allows. Ids that are not
 * base32 (e.g. `test`) get a stable account hashed from the id: real STS answers some account for
 * any well-formed id, and tests only need it to be stable.
 */
export function accountOfKeyId(keyId: string): string {
  const decoded = base32Decode(keyId.slice(4, 20));
  let account: bigint;
  if (decoded && decoded.length >= 6) {
    let packed = 0n;
    for (const byte of decoded.subarray(0, 6)) packed = (packed << 8n) | BigInt(byte);
    account = (packed & 0x7fffffffff80n) >> 7n;
  } else {
    account = BigInt(`0x${createHash('sha256').update(keyId).digest('hex').slice(0, 12)}`);
  }
  return (account % 1_000_000_000_000n).toString().padStart(12, '0');
}

/** 40 characters, like a real secret access key. */
export function secretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

/** Opaque, long and base64 like real session tokens; only ever compared for equality. */
export function sessionToken(): string {
  return `IQoJb3JpZ2luX2VjE${randomBytes(240).toString('base64')}`;
}
