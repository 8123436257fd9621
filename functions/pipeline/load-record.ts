import { createHash } from 'node:crypto';
import { MAX_PACKED_DIGITS, PhoneSet } from '../contacts/phone-set.js';
import { StorageError } from './errors.js';
import type { S3ObjectRef } from './read-event.js';
import { objectIdentity } from './result-location.js';

/**
 * The record of what a campaign was sent, for its reload window: one object per uploaded part,
 * `<state>loaded/<campaign id>/<object id>/<part>.bin`, holding the part's main numbers (packed,
 * 8 bytes each), the file's key and when it was loaded. Keys are deterministic, so a redelivery
 * or a takeover that writes a part again replaces it and never counts a number twice.
 */

const MAGIC = Buffer.from('UCLOAD1\n', 'latin1');
const SEMICOLON = 0x3b;
const LF = 0x0a;

/** Where one campaign's record, and one object version's share of it, are kept. */
export interface LoadRecordPlace {
  /** Every record of the campaign; ends with `/`. */
  readonly campaignPrefix: string;
  /** This object version's parts; ends with `/`. */
  readonly objectPrefix: string;
  /** The lease that lets one file of the campaign load at a time. */
  readonly leaseKey: string;
}

/** A path-safe id for a dialer campaign: its name may hold spaces, accents and `<-`. */
export function campaignId(campaign: string): string {
  return createHash('sha256').update(campaign.normalize('NFC')).digest('hex').slice(0, 32);
}

/**
 * The record's place for an object version in a campaign. The object id joins a hash of the key
 * to the version identity: in an unversioned bucket two keys with the same bytes share an ETag,
 * and must not share a record. Throws MissingObjectIdentityError as objectIdentity does.
 */
export function loadRecordPlace(
  statePrefix: string,
  campaign: string,
  object: Pick<S3ObjectRef, 'key' | 'versionId' | 'eTag'>,
): LoadRecordPlace {
  const id = campaignId(campaign);
  const campaignPrefix = `${statePrefix}loaded/${id}/`;
  const keyHash = createHash('sha256').update(object.key).digest('hex').slice(0, 16);
  return {
    campaignPrefix,
    objectPrefix: `${campaignPrefix}${keyHash}.${objectIdentity(object)}/`,
    leaseKey: `${statePrefix}leases/${id}.json`,
  };
}

/** The key of one part's record. */
export function partKey(place: LoadRecordPlace, part: number): string {
  return `${place.objectPrefix}${String(part).padStart(5, '0')}.bin`;
}

/** The main numbers of a chunk, packed as PhoneSet packs them; longer ones as digits. */
export interface PackedNumbers {
  readonly keys: Float64Array;
  readonly long: readonly string[];
}

/** One part's record. */
export interface LoadRecord extends PackedNumbers {
  readonly campaign: string;
  /** The dropped file's key. */
  readonly source: string;
  readonly part: number;
  /** When the part was sent (ISO 8601). */
  readonly loadedAt: string;
  /**
   * The oldest load the run's window counted (ISO 8601): a resumed run counts from the same
   * moment, so it refuses the same rows and cuts the same chunks as the run it resumes.
   */
  readonly windowStart: string;
}

/**
 * The main number (second field) of every line of a chunk's text, read from the bytes: the lines
 * are the engine's native output, so the field holds digits only. Never throws.
 */
export function mainNumbersOf(text: Uint8Array): PackedNumbers {
  const keys: number[] = [];
  const long: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf(LF, at);
    if (end === -1) end = text.length;
    const start = text.indexOf(SEMICOLON, at) + 1;
    const stop = start > 0 && start < end ? text.indexOf(SEMICOLON, start) : -1;
    if (stop > start && stop <= end) {
      if (stop - start <= MAX_PACKED_DIGITS) {
        const digits = Buffer.from(text.buffer, text.byteOffset + start, stop - start);
        const key = PhoneSet.keyOf(digits.toString('latin1'), 0, stop - start);
        if (key > 0) keys.push(key);
      } else long.push(Buffer.from(text.subarray(start, stop)).toString('latin1'));
    }
    at = end + 1;
  }
  return { keys: Float64Array.from(keys), long };
}

/** The bytes of a record: a marker, a JSON header, then the packed numbers (little-endian). */
export function encodeLoadRecord(record: LoadRecord): Buffer {
  const { keys, ...rest } = record;
  const header = Buffer.from(JSON.stringify({ schemaVersion: 1, ...rest, count: keys.length }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const numbers = Buffer.alloc(keys.length * 8);
  for (let i = 0; i < keys.length; i++) numbers.writeDoubleLE(keys[i]!, i * 8);
  return Buffer.concat([MAGIC, length, header, numbers]);
}

/** Reads a record's bytes. Throws StorageError naming `key` when they are not a record. */
export function decodeLoadRecord(bytes: Buffer, key: string): LoadRecord {
  const bad = (why: string) => new StorageError(`s3://…/${key} is not a load record: ${why}`);
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC))
    throw bad('it does not start as one');
  const headerEnd = MAGIC.length + 4 + bytes.readUInt32LE(MAGIC.length);
  let header: Omit<LoadRecord, 'keys'> & { count: number };
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length + 4, headerEnd).toString('utf8'));
  } catch (error) {
    throw new StorageError(`s3://…/${key} is not a load record: its header is not JSON`, {
      cause: error,
    });
  }
  if (bytes.length !== headerEnd + header.count * 8) throw bad('its length is wrong');
  const keys = new Float64Array(header.count);
  for (let i = 0; i < keys.length; i++) keys[i] = bytes.readDoubleLE(headerEnd + i * 8);
  const { count: _count, ...fields } = header;
  return { ...fields, long: fields.long ?? [], keys };
}
