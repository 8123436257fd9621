import { UnusableFileError } from './errors.js';
import { FileRejectionCode } from './reason-codes.js';

/** What holds a file's contacts, told from its first bytes, never from its name. */
export const Container = {
  /** Text (CSV, uContact lines), maybe gzipped: decode.ts reads it. */
  Text: 'text',
  /** A zip archive: an Excel workbook (.xlsx, .xlsm) if it holds the parts of one. */
  Zip: 'zip',
  /** An OLE compound file: an Excel 97-2003 workbook (.xls) or a password-protected workbook. */
  CompoundFile: 'compound-file',
} as const;
export type Container = (typeof Container)[keyof typeof Container];

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
const COMPOUND_FILE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Bytes `detectContainer` needs to see, when the file has them. */
export const CONTAINER_SIGNATURE_BYTES = COMPOUND_FILE_SIGNATURE.length;

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

/** The container of a file starting with `head`. Never throws. */
export function detectContainer(head: Uint8Array): Container {
  if (startsWith(head, ZIP_SIGNATURE)) return Container.Zip;
  if (startsWith(head, COMPOUND_FILE_SIGNATURE)) return Container.CompoundFile;
  return Container.Text;
}

/**
 * A compound file's directory is an array of 128-byte entries in 512- or 4096-byte sectors after
 * a 512-byte header, so every entry starts at a multiple of 128. An entry holds its name in
 * UTF-16LE (64 bytes), the name's length in bytes with its NUL (2 bytes) and its type (1: storage,
 * 2: stream, 5: root).
 */
const ENTRY_BYTES = 128;
const HEADER_BYTES = 512;
const NAME_LENGTH_AT = 0x40;
const TYPE_AT = 0x42;
const STREAM = 2;
/** The stream Office writes, beside `EncryptedPackage`, into a workbook saved with a password. */
const ENCRYPTION_INFO = Buffer.from('EncryptionInfo\0', 'utf16le');

function isEncryptionInfo(entry: Buffer): boolean {
  return (
    entry.readUInt16LE(NAME_LENGTH_AT) === ENCRYPTION_INFO.length &&
    entry[TYPE_AT] === STREAM &&
    entry.subarray(0, ENCRYPTION_INFO.length).equals(ENCRYPTION_INFO)
  );
}

/**
 * Refuses a compound file: WORKBOOK_ENCRYPTED when one of its directory entries is an
 * `EncryptionInfo` stream (a workbook saved with a password to open it), XLS_NOT_SUPPORTED
 * otherwise (an Excel 97-2003 workbook or another old Office file). The directory may lie anywhere
 * in the file, so the bytes are read through, one entry's worth held at a time. Always throws
 * (an UnusableFileError, or what reading `bytes` throws).
 */
export async function refuseCompoundFile(bytes: AsyncIterable<Uint8Array>): Promise<never> {
  let offset = 0;
  let held = Buffer.alloc(0);
  for await (const chunk of bytes) {
    const all = held.length === 0 ? Buffer.from(chunk) : Buffer.concat([held, chunk]);
    let at = 0;
    for (; at + ENTRY_BYTES <= all.length; at += ENTRY_BYTES) {
      if (offset + at >= HEADER_BYTES && isEncryptionInfo(all.subarray(at, at + ENTRY_BYTES))) {
        throw new UnusableFileError(
          FileRejectionCode.WorkbookEncrypted,
          'The workbook is protected with a password: open it in Excel, remove the password ' +
            '(File > Info > Protect Workbook > Encrypt with Password) and save it again, or save it as "CSV UTF-8".',
        );
      }
    }
    offset += at;
    held = Buffer.from(all.subarray(at));
  }
  throw new UnusableFileError(
    FileRejectionCode.XlsNotSupported,
    'The file is an Excel 97-2003 workbook (.xls) or another old Office file: open it in Excel ' +
      'and save it as "Excel Workbook (.xlsx)" or "CSV UTF-8".',
  );
}
