import { basename } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  type ChunkCeilings,
  type ColumnMapping,
  checkEngineOptions,
  DEFAULT_CHUNK_CEILINGS,
  DEFAULT_ENGINE_OPTIONS,
  type EngineOptions,
  PhonePrefixPolicy,
} from '../functions/contacts/options.js';
import {
  type ProfileEngineOptions,
  profileEngineOptions,
} from '../functions/profiles/engine-options.js';
import { describeFsError, UsageError } from './errors.js';
import { folderProfile } from './profiles-file.js';
import { readInputText } from './text-file.js';

const MIB = 1024 * 1024;

/** Each option as the command line names it, for the engine's problem lines. */
const FLAG_NAMES = {
  campaign: '--campaign',
  sheet: '--sheet',
  phonePrefix: '--phone-prefix',
  minPhoneDigits: '--min-phone-digits',
  maxPhoneDigits: '--max-phone-digits',
  replacement: '--replacement',
  defaultPriority: '--default-priority',
  maxFileBytes: '--max-file-mb',
  memoryMb: '--memory-mb',
  maxLineLength: '--max-line-length',
  maxFields: '--max-fields',
  maxRequestBytes: '--max-request-bytes',
  maxRecords: '--max-records',
} as const;

/** The parsed values of the flags `addEngineFlags` adds (commander's camelCase names). */
export interface EngineFlags {
  campaign?: string;
  profiles?: string;
  folder?: string;
  campaignSuffix: string;
  mapping?: string;
  sheet?: string;
  phonePrefix: PhonePrefixPolicy;
  minPhoneDigits: number;
  maxPhoneDigits: number;
  replacement: string;
  defaultPriority: string;
  maxLineLength: number;
  maxFields: number;
  maxFileMb: number;
  memoryMb: number;
  maxRequestBytes: number;
  maxRecords: number;
}

/** Adds `--campaign` and a flag for every engine option and chunk ceiling, defaults from options.ts. */
export function addEngineFlags(command: Command): Command {
  const d = DEFAULT_ENGINE_OPTIONS;
  return command
    .option('-c, --campaign <name>', 'the uContact campaign the file is for')
    .option('--profiles <file>', 'campaign profiles file (config/campaigns.json), with --folder')
    .option('--folder <name>', 'the drop folder under incoming/ whose profile applies')
    .option(
      '--campaign-suffix <suffix>',
      "with --folder: the function's CAMPAIGN_SUFFIX (<-, -> or empty)",
      '',
    )
    .option('--mapping <file>', 'JSON file naming column roles: {"columns": {"Celular": "phone"}}')
    .option('--sheet <name>', 'the sheet of an Excel workbook to read (default: the one with data)')
    .addOption(
      new Option('--phone-prefix <policy>', 'what to do with a + or 00 international prefix')
        .choices(Object.values(PhonePrefixPolicy))
        .default(d.phonePrefix),
    )
    .addOption(
      wholeNumberOption('--min-phone-digits <n>', 'fewest digits in a number', d.minPhoneDigits),
    )
    .addOption(
      wholeNumberOption('--max-phone-digits <n>', 'most digits in a number', d.maxPhoneDigits),
    )
    .option(
      '--replacement <char>',
      'written instead of ; : = line breaks and control characters inside variables',
      d.replacement,
    )
    .option(
      '--default-priority <n>',
      'priority given to a contact without one ("" leaves it empty)',
      d.defaultPriority,
    )
    .addOption(
      wholeNumberOption('--max-line-length <n>', 'longest row, in characters', d.maxLineLength),
    )
    .addOption(wholeNumberOption('--max-fields <n>', 'most cells in a row', d.maxFields))
    .addOption(
      wholeNumberOption(
        '--max-file-mb <n>',
        'largest file in MiB, after decompression',
        d.maxFileBytes / MIB,
      ),
    )
    .addOption(
      wholeNumberOption(
        '--memory-mb <n>',
        'memory of the process in MB: past what 75 % of it can check for duplicates, the file is refused',
        d.memoryMb,
      ),
    )
    .addOption(
      wholeNumberOption(
        '--max-request-bytes <n>',
        'largest upload request of one chunk, in bytes',
        DEFAULT_CHUNK_CEILINGS.maxRequestBytes,
      ),
    )
    .addOption(
      wholeNumberOption(
        '--max-records <n>',
        'most contacts in one chunk',
        DEFAULT_CHUNK_CEILINGS.maxRecords,
      ),
    );
}

/** The chunk ceilings the flags ask for. */
export function chunkCeilingsFrom(flags: EngineFlags): ChunkCeilings {
  return { maxRequestBytes: flags.maxRequestBytes, maxRecords: flags.maxRecords };
}

/** An option taking a whole number of at least 1 (anything else is a usage error). */
export function wholeNumberOption(
  flags: string,
  description: string,
  defaultValue: number,
): Option {
  return new Option(flags, description).argParser(wholeNumber).default(defaultValue);
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1');
  }
  return n;
}

/**
 * EngineOptions for `file` from the flags, checked with the engine's own rules (chunk ceilings
 * and the campaign-name rule included; the campaign NFC-normalized); reads the mapping file.
 * Throws UsageError naming every wrong flag (a refused campaign with its code), or when the
 * mapping cannot be read.
 */
export async function engineOptionsFrom(file: string, flags: EngineFlags): Promise<EngineOptions> {
  const target = await targetOf(flags);
  const options: EngineOptions = {
    // The name uContact knows: a name typed or pasted in another Unicode form is the same one.
    campaign: target.campaign.normalize('NFC'),
    sourceName: basename(file),
    phonePrefix: flags.phonePrefix,
    minPhoneDigits: flags.minPhoneDigits,
    maxPhoneDigits: flags.maxPhoneDigits,
    replacement: flags.replacement,
    defaultPriority: flags.defaultPriority,
    maxLineLength: flags.maxLineLength,
    maxFields: flags.maxFields,
    maxFileBytes: flags.maxFileMb * MIB,
    ...(flags.sheet === undefined ? {} : { sheet: flags.sheet }),
    memoryMb: flags.memoryMb,
    // A profile's fields win over the flags, as over the function's settings.
    ...target.engine,
  };
  const problems = checkEngineOptions({ ...options, ...chunkCeilingsFrom(flags) }, FLAG_NAMES);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  if (flags.mapping === undefined) return options;
  return { ...options, mapping: await readMapping(flags.mapping) };
}

/**
 * The campaign, and the engine options of the profile, that `--campaign` or `--profiles` with
 * `--folder` name. Throws UsageError for flags that do not go together, a refused folder name or a
 * profiles file that is unreadable or invalid (its problems listed), and InputError when the
 * profiles refuse the folder (CAMPAIGN_NOT_CONFIGURED), as the function would.
 */
async function targetOf(
  flags: EngineFlags,
): Promise<{ campaign: string; engine: Partial<ProfileEngineOptions> }> {
  if (flags.profiles === undefined && flags.folder === undefined) {
    if (flags.campaign === undefined) {
      throw new UsageError('--campaign is required (or --profiles with --folder)');
    }
    return { campaign: flags.campaign, engine: {} };
  }
  if (flags.profiles === undefined || flags.folder === undefined) {
    throw new UsageError('--profiles and --folder go together: the folder picks the profile');
  }
  for (const [flag, value] of [
    ['--campaign', flags.campaign],
    ['--mapping', flags.mapping],
  ]) {
    if (value !== undefined)
      throw new UsageError(`${flag} cannot go with --profiles: the profile decides it`);
  }
  const verdict = await folderProfile(flags.profiles, flags.folder, flags.campaignSuffix);
  return { campaign: verdict.campaign, engine: profileEngineOptions(verdict.profile) };
}

async function readMapping(file: string): Promise<ColumnMapping> {
  const text = await readInputText(file, 'the mapping file');
  try {
    return JSON.parse(text) as ColumnMapping;
  } catch (error) {
    throw new UsageError(`the mapping file ${file} is not valid JSON`, { cause: error });
  }
}

export { describeFsError };
