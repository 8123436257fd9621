import { namesSameCampaign } from './campaign-name.js';
import type { Contact, RawContact } from './contact.js';
import { InvalidOptionsError } from './errors.js';
import { maskPhonesInText } from './mask-phone.js';
import { isCanonicalPhone, normalizePhone } from './normalize-phone.js';
import { areCanonicalVariables, normalizeVariables } from './normalize-variables.js';
import { ColumnRole, type EngineOptions } from './options.js';
import { ChangeKind, RejectionCode } from './reason-codes.js';
import { describeStray, findStray } from './stray-characters.js';

export type ValidationResult =
  | { readonly ok: true; readonly contact: Contact }
  | { readonly ok: false; readonly code: RejectionCode; readonly message: string };

const NO_CHANGES: readonly ChangeKind[] = Object.freeze([]);
const PRIORITY_DEFAULTED: readonly ChangeKind[] = Object.freeze([ChangeKind.PriorityDefaulted]);
const MAX_PRIORITY = 9999;
/** Retries in a typed alternate (`H=0=999555555`): one or two digits. */
const TYPED_ALTERNATE = /^\s*([MWHmwh])\s*=\s*(\d{1,2})\s*=(.*)$/s;

/**
 * Checks one record against uContact's line rules and normalizes it. A record that cannot be
 * made to fit is returned as a refusal with a RejectionCode (no duplicate check here); every
 * change made to fit is listed once in `contact.changes`. Throws InvalidOptionsError only when
 * `options.replacement` is itself reserved or `options.defaultPriority` is not a valid priority.
 */
export function validateContact(raw: RawContact, options: EngineOptions): ValidationResult {
  const canonical = canonicalContact(raw, options);
  return canonical ? { ok: true, contact: canonical } : validateSlowly(raw, options);
}

function isDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isCanonicalPriority(text: string, defaultPriority: string): boolean {
  const n = text.length;
  if (n === 0) return defaultPriority === '';
  return n <= 4 && text.charCodeAt(0) !== 48 && isDigits(text);
}

/** The number inside a canonical alternate (plain or typed), or undefined when it is not canonical. */
function canonicalAlternateNumber(text: string, options: EngineOptions): string | undefined {
  const c0 = text.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57) return isCanonicalPhone(text, options) ? text : undefined;
  if ((c0 !== 0x4d && c0 !== 0x57 && c0 !== 0x48) || text.charCodeAt(1) !== 0x3d) return undefined;
  // `T=r=` or `T=rr=`, the two-digit form without a leading zero.
  const sep = text.charCodeAt(3) === 0x3d ? 3 : text.charCodeAt(4) === 0x3d ? 4 : -1;
  if (sep < 0 || (sep === 4 && text.charCodeAt(2) === 48)) return undefined;
  if (!isDigits(text.slice(2, sep))) return undefined;
  const number = text.slice(sep + 1);
  return isCanonicalPhone(number, options) ? number : undefined;
}

/**
 * The changes `validateContact` makes to a record whose variables are canonical: none when the
 * rest of it is canonical too, PRIORITY_DEFAULTED when only its priority is empty and takes a
 * valid default (most spreadsheet rows); undefined when the record needs the full path. Never
 * throws.
 */
export function canonicalChanges(
  raw: RawContact,
  options: EngineOptions,
): readonly ChangeKind[] | undefined {
  if (raw.campaign !== options.campaign || !isCanonicalPhone(raw.main, options)) return undefined;
  const { defaultPriority } = options;
  // An invalid default is left to the full path, which throws for it.
  const defaulted =
    raw.priority === '' && defaultPriority !== '' && isCanonicalPriority(defaultPriority, '');
  if (!defaulted && !isCanonicalPriority(raw.priority, defaultPriority)) return undefined;
  if (!isDigits(raw.agentphone)) return undefined;
  const alternates = raw.alternates;
  for (let i = 0; i < alternates.length; i++) {
    const number = canonicalAlternateNumber(alternates[i]!, options);
    if (number === undefined || number === raw.main) return undefined;
    for (let j = 0; j < i; j++) {
      if (canonicalAlternateNumber(alternates[j]!, options) === number) return undefined;
    }
  }
  return defaulted ? PRIORITY_DEFAULTED : NO_CHANGES;
}

/** The record as given (but for a defaulted priority) when `canonicalChanges` allows it. */
function canonicalContact(raw: RawContact, options: EngineOptions): Contact | undefined {
  const changes = canonicalChanges(raw, options);
  if (changes === undefined || !areCanonicalVariables(raw.variables)) return undefined;
  return {
    line: raw.line,
    campaign: raw.campaign,
    main: raw.main,
    variables: raw.variables as Contact['variables'],
    alternates: raw.alternates,
    priority: changes === NO_CHANGES ? raw.priority : options.defaultPriority,
    agentphone: raw.agentphone,
    fieldCount: raw.fieldCount,
    changes,
  };
}

/** Quotes a field's text for a message: bounded, control characters visible, phones masked. */
function quote(text: string): string {
  // Masked before it is cut: a cut through a number would leave its first digits too short a
  // run to be taken for one.
  const masked = maskPhonesInText(text);
  if (masked.length <= 40) return JSON.stringify(masked);
  // Never half of a surrogate pair (an emoji): the cut falls before it.
  const high = masked.charCodeAt(39);
  const end = high >= 0xd800 && high < 0xdc00 ? 39 : 40;
  return JSON.stringify(`${masked.slice(0, end)}...`);
}

function refuse(code: RejectionCode, message: string): ValidationResult {
  return { ok: false, code, message };
}

interface Alternate {
  readonly text: string;
  readonly number: string;
}

/** A plain or typed alternate, normalized; undefined when it is not a usable number. */
function normalizeAlternate(
  text: string,
  options: EngineOptions,
  changes: Set<ChangeKind>,
): Alternate | undefined {
  // A plain number needs neither the pattern nor a copy.
  if (isCanonicalPhone(text, options)) return { text, number: text };
  const typed = TYPED_ALTERNATE.exec(text);
  const phone = normalizePhone(typed ? typed[3]! : text, options);
  if (!phone.ok) return undefined;
  for (const kind of phone.changes) changes.add(kind);
  if (!typed) return { text: phone.digits, number: phone.digits };
  const head = `${typed[1]!.toUpperCase()}=${Number(typed[2])}=`;
  if (text.slice(0, text.length - typed[3]!.length) !== head)
    changes.add(ChangeKind.PhoneFormatting);
  return { text: head + phone.digits, number: phone.digits };
}

/** Where each field of a native line is, as uContact splits it. */
const NATIVE_COLUMNS: Readonly<Record<ColumnRole, string>> = {
  campaign: 'column 1 (campaign)',
  phone: 'column 2 (phone)',
  variable: 'column 3 (variables)',
  alternate: 'column 4 (alternates)',
  priority: 'column 5 (priority)',
  agentphone: 'column 6 (agentphone)',
  ignore: 'a column not read',
};

/** The refusal of a stray character in the field of `role` (`text`), or undefined when none. */
function strayIn(raw: RawContact, role: ColumnRole, text: string): ValidationResult | undefined {
  const at = findStray(text);
  if (at === -1) return undefined;
  const column = raw.columnOf?.(role, text) ?? NATIVE_COLUMNS[role];
  return refuse(
    RejectionCode.ControlCharacter,
    `The row holds ${describeStray(text.charCodeAt(at))} in ${column}, where it has no place: ` +
      'remove it (a spreadsheet may not show it)',
  );
}

/**
 * The refusal of a record holding a stray character (stray-characters.ts) in a field the dialer
 * reads, or undefined; the variables are left to be cleaned. The campaign is looked at only when
 * it is not the target's own name.
 */
function strayFieldRefusal(raw: RawContact, campaign: string): ValidationResult | undefined {
  const refusal =
    (raw.campaign === campaign ? undefined : strayIn(raw, ColumnRole.Campaign, raw.campaign)) ??
    strayIn(raw, ColumnRole.Phone, raw.main);
  if (refusal) return refusal;
  for (const alternate of raw.alternates) {
    const found = strayIn(raw, ColumnRole.Alternate, alternate);
    if (found) return found;
  }
  return (
    strayIn(raw, ColumnRole.Priority, raw.priority) ??
    strayIn(raw, ColumnRole.Agentphone, raw.agentphone)
  );
}

/** The alternates' texts in order, leaving out the main number and repeats (each a change). */
function distinctAlternates(
  candidates: readonly Alternate[],
  main: string,
  changes: Set<ChangeKind>,
): string[] {
  const alternates: string[] = [];
  const seen = new Set<string>([main]);
  for (const alternate of candidates) {
    if (seen.has(alternate.number)) changes.add(ChangeKind.AlternateDropped);
    else {
      seen.add(alternate.number);
      alternates.push(alternate.text);
    }
  }
  return alternates;
}

function validateSlowly(raw: RawContact, options: EngineOptions): ValidationResult {
  const stray = strayFieldRefusal(raw, options.campaign);
  if (stray) return stray;
  const changes = new Set<ChangeKind>();

  const campaign = options.campaign;
  if (raw.campaign !== campaign && !matchCampaign(raw.campaign, campaign, changes)) {
    return refuse(
      RejectionCode.CampaignMismatch,
      `The campaign column says ${quote(raw.campaign)} but the file is for campaign ${JSON.stringify(campaign)}`,
    );
  }

  const main = normalizePhone(raw.main, options);
  if (!main.ok && main.code !== RejectionCode.MissingPhone) {
    return refuse(main.code, `Main number: ${main.message}`);
  }

  const candidates: Alternate[] = [];
  for (const text of raw.alternates) {
    const alternate = normalizeAlternate(text, options, changes);
    if (alternate) candidates.push(alternate);
    else if (text !== '' || raw.alternates.length > 1) changes.add(ChangeKind.AlternateDropped);
  }

  let mainDigits: string;
  if (main.ok) {
    mainDigits = main.digits;
    for (const kind of main.changes) changes.add(kind);
  } else {
    const promoted = candidates.shift();
    if (!promoted) {
      const why = raw.alternates.length > 0 ? ' and no alternate number is usable' : '';
      return refuse(RejectionCode.MissingPhone, `The main number is empty${why}`);
    }
    mainDigits = promoted.number;
    changes.add(ChangeKind.AlternatePromoted);
  }

  const alternates = distinctAlternates(candidates, mainDigits, changes);

  const priority = normalizePriority(raw.priority, options.defaultPriority, changes);
  if (priority === undefined) {
    return refuse(
      RejectionCode.BadPriority,
      `The priority ${quote(raw.priority)} is not an integer from 1 to ${MAX_PRIORITY}`,
    );
  }

  const agentphone = raw.agentphone.trim();
  if (!isDigits(agentphone)) {
    return refuse(
      RejectionCode.BadAgentphone,
      `The agent phone ${quote(raw.agentphone)} is not an extension made of digits`,
    );
  }
  if (agentphone !== raw.agentphone) changes.add(ChangeKind.FieldTrimmed);

  const variables = normalizeVariables(raw.variables, options.replacement);
  for (const kind of variables.changes) changes.add(kind);

  return {
    ok: true,
    contact: {
      line: raw.line,
      campaign,
      main: mainDigits,
      variables: variables.variables,
      alternates,
      priority,
      agentphone,
      fieldCount: raw.fieldCount,
      changes: changes.size === 0 ? NO_CHANGES : [...changes],
    },
  };
}

/**
 * True when a record's campaign field names the target `campaign` (NFC-normalized, see
 * campaign-name.ts): empty, the same but for spaces around it or its Unicode form, or the same
 * with or without a dialer suffix (`Ventas<-` and `Ventas->` are two campaigns). Adds the changes
 * writing the target instead makes.
 */
function matchCampaign(field: string, campaign: string, changes: Set<ChangeKind>): boolean {
  const trimmed = field.trim();
  if (trimmed === '') {
    changes.add(ChangeKind.CampaignFilled);
    return true;
  }
  const name = trimmed.normalize('NFC');
  const normalized = name !== trimmed;
  if (name === campaign) {
    if (trimmed !== field) changes.add(ChangeKind.FieldTrimmed);
  } else if (namesSameCampaign(name, campaign)) changes.add(ChangeKind.CampaignSuffix);
  else return false;
  if (normalized) changes.add(ChangeKind.CampaignNormalized);
  return true;
}

/** The priority to write, or undefined when it is not an integer from 1 to 9999. */
function normalizePriority(
  text: string,
  defaultPriority: string,
  changes: Set<ChangeKind>,
): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') {
    if (defaultPriority !== '' && !isCanonicalPriority(defaultPriority, '')) {
      throw new InvalidOptionsError(
        `The default priority ${JSON.stringify(defaultPriority)} must be empty or an integer from 1 to ${MAX_PRIORITY}`,
      );
    }
    if (defaultPriority !== '') changes.add(ChangeKind.PriorityDefaulted);
    else if (text !== '') changes.add(ChangeKind.FieldTrimmed);
    return defaultPriority;
  }
  if (trimmed.length > 8 || !isDigits(trimmed)) return undefined;
  const value = Number(trimmed);
  if (value < 1 || value > MAX_PRIORITY) return undefined;
  const canonical = String(value);
  if (canonical !== text) changes.add(ChangeKind.FieldTrimmed);
  return canonical;
}
