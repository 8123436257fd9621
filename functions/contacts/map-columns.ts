import { UnusableFileError } from './errors.js';
import { maskPhonesInText } from './mask-phone.js';
import { type ColumnMapping, ColumnRole } from './options.js';
import { FileRejectionCode } from './reason-codes.js';

/** How each column of a headered file is used, by position. */
export interface ColumnPlan {
  readonly headers: readonly string[];
  readonly phone: number;
  /** Columns holding alternate numbers, in column order (later phone columns included). */
  readonly alternates: readonly number[];
  readonly variables: ReadonlyArray<{ readonly column: number; readonly name: string }>;
  /** -1 when the file has no such column. */
  readonly campaign: number;
  readonly priority: number;
  readonly agentphone: number;
}

const PHONE_NAMES = [
  'telefono',
  'phone',
  'celular',
  'cel',
  'cell',
  'cellphone',
  'movil',
  'mobile',
  'mobilephone',
  'numero',
  'number',
  'tel',
  'telephone',
  'phonenumber',
  'numerotelefono',
  'numerodetelefono',
  'nrotelefono',
  'telefonocelular',
  'telefonomovil',
  'msisdn',
];
const ALTERNATE_NAMES = [
  'alternativo',
  'alternativos',
  'alternativa',
  'alternativas',
  'alterno',
  'alternate',
  'alternates',
  'alternative',
  'alternatives',
  'altphone',
  'alternatephone',
  'secondaryphone',
  'otrotelefono',
  'telefonoalternativo',
  'fijo',
  'telefonofijo',
  'landline',
];
const NAMED_ROLES: ReadonlyMap<string, ColumnRole> = new Map<string, ColumnRole>([
  ...PHONE_NAMES.map((name) => [name, ColumnRole.Phone] as const),
  ...ALTERNATE_NAMES.map((name) => [name, ColumnRole.Alternate] as const),
  ...['prioridad', 'priority'].map((name) => [name, ColumnRole.Priority] as const),
  ...['interno', 'agentphone', 'extension', 'anexo', 'ext'].map(
    (name) => [name, ColumnRole.Agentphone] as const,
  ),
  ...['campana', 'campania', 'campaign'].map((name) => [name, ColumnRole.Campaign] as const),
]);
/** `telefono2`, `phone_3`, `cel 2`...: a phone name and a number. */
const NUMBERED_PHONE = /^([a-z]+?)(\d+)$/;
const MAPPED_VARIABLE = /^variable:(.*)$/s;
const ROLES: ReadonlySet<string> = new Set(Object.values(ColumnRole));
const SINGLE_ROLES = [ColumnRole.Campaign, ColumnRole.Priority, ColumnRole.Agentphone] as const;

/** Removes accents: `Teléfono` -> `Telefono`, `Campaña` -> `Campana`. */
export function foldAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '');
}

/** A header reduced to lower-case letters and digits, for matching against known names. */
export function headerKey(header: string): string {
  return foldAccents(header)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** The role a header's name suggests; Variable when it names nothing known. */
export function guessRole(header: string): ColumnRole {
  const key = headerKey(header);
  const named = NAMED_ROLES.get(key);
  if (named) return named;
  const numbered = NUMBERED_PHONE.exec(key);
  if (numbered && NAMED_ROLES.get(numbered[1]!) === ColumnRole.Phone) {
    return numbered[2] === '1' ? ColumnRole.Phone : ColumnRole.Alternate;
  }
  return ColumnRole.Variable;
}

/** A workflow variable name from a header: letters, digits and `_` only, accents folded. */
export function variableName(header: string): string {
  return foldAccents(header)
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * Decides how each column is used, from the header names and an optional mapping that overrides
 * the guesses; columns with an empty header are ignored unless the mapping names them. Throws UnusableFileError BAD_MAPPING for a mapping that does not fit the file, and
 * NO_PHONE_COLUMN when no column holds the main number.
 */
export function planColumns(headers: readonly string[], mapping?: ColumnMapping): ColumnPlan {
  // A column without a header name (spreadsheets export trailing empty ones) is left out, unless
  // the mapping names it.
  const roles = headers.map((header) =>
    header.trim() === '' ? ColumnRole.Ignore : guessRole(header),
  );
  const names = headers.map((header, i) => variableName(header) || `column_${i + 1}`);
  if (mapping) applyMapping(mapping, headers, roles, names);
  const plan = {
    headers,
    phone: -1,
    alternates: [] as number[],
    variables: [] as Array<{ column: number; name: string }>,
    campaign: -1,
    priority: -1,
    agentphone: -1,
  };
  const usedNames = new Set<string>();
  roles.forEach((role, column) => {
    if (role === ColumnRole.Phone && plan.phone === -1) plan.phone = column;
    else if (role === ColumnRole.Phone || role === ColumnRole.Alternate) {
      plan.alternates.push(column);
    } else if (role !== ColumnRole.Variable && role !== ColumnRole.Ignore && plan[role] === -1) {
      plan[role] = column;
    } else if (role !== ColumnRole.Ignore) {
      plan.variables.push({ column, name: uniqueName(names[column]!, usedNames) });
    }
  });
  if (plan.phone === -1) throw noPhoneColumn(headers);
  return plan;
}

function applyMapping(
  mapping: ColumnMapping,
  headers: readonly string[],
  roles: ColumnRole[],
  names: string[],
): void {
  const columns = (mapping as { columns?: unknown } | null)?.columns;
  if (typeof columns !== 'object' || columns === null || Array.isArray(columns)) {
    throw badMapping('it must be a JSON object like {"columns": {"Celular": "phone"}}');
  }
  const byKey = new Map(headers.map((header, i) => [matchKey(header), i]));
  const mappedSingles = new Map<ColumnRole, string>();
  let mappedPhone = false;
  for (const [header, value] of Object.entries(columns)) {
    const column = byKey.get(matchKey(header));
    if (column === undefined) {
      throw badMapping(
        `the file has no column "${header}" (headers found: ${listHeaders(headers)})`,
      );
    }
    if (typeof value !== 'string') throw badMapping(`the role of "${header}" must be a string`);
    const renamed = MAPPED_VARIABLE.exec(value.trim());
    if (renamed) {
      const name = variableName(renamed[1]!);
      if (!name) throw badMapping(`"${value}" does not name a variable (letters, digits and _)`);
      roles[column] = ColumnRole.Variable;
      names[column] = name;
      continue;
    }
    const role = value.trim().toLowerCase();
    if (!ROLES.has(role)) {
      throw badMapping(
        `"${value}" (for "${header}") is not a role: use one of ${[...ROLES].join(', ')} or variable:<name>`,
      );
    }
    const single = SINGLE_ROLES.find((r) => r === role);
    if (single) {
      const earlier = mappedSingles.get(single);
      if (earlier !== undefined) {
        throw badMapping(`both "${earlier}" and "${header}" are mapped to ${single}`);
      }
      mappedSingles.set(single, header);
      // The mapping's choice replaces a guessed column with the same role.
      roles.forEach((r, i) => {
        if (r === single) roles[i] = ColumnRole.Variable;
      });
    }
    if (role === ColumnRole.Phone && !mappedPhone) {
      mappedPhone = true;
      // A column the mapping names as the phone is the main number; guessed ones become alternates.
      roles.forEach((r, i) => {
        if (r === ColumnRole.Phone) roles[i] = ColumnRole.Alternate;
      });
    }
    roles[column] = role as ColumnRole;
  }
}

/** Mapping keys match headers case- and accent-insensitively, spacing ignored at the ends. */
function matchKey(header: string): string {
  return foldAccents(header).toLowerCase().trim().replace(/\s+/g, ' ');
}

function uniqueName(name: string, used: Set<string>): string {
  let unique = name;
  for (let n = 2; used.has(unique); n++) unique = `${name}_${n}`;
  used.add(unique);
  return unique;
}

/** Headers as a short, readable list; digits runs masked in case the "header" is really data. */
function listHeaders(headers: readonly string[]): string {
  const shown = headers.slice(0, 12).map((h) => (h === '' ? '(empty)' : h));
  const more = headers.length > shown.length ? `, ... (${headers.length} columns)` : '';
  return maskPhonesInText(shown.join(', ')) + more;
}

function noPhoneColumn(headers: readonly string[]): UnusableFileError {
  const found = `headers found: ${listHeaders(headers)}`;
  const message = headers.some(looksLikePhone)
    ? `The first row looks like data, not a header (${found}): add a header row naming the ` +
      'columns, the phone column "telefono" or "phone".'
    : `No column holds the phone number (${found}). ` +
      'Name that column "telefono" or "phone", or give a mapping file.';
  return new UnusableFileError(FileRejectionCode.NoPhoneColumn, message);
}

const PHONE_FORMATTING = /[\s().\-/]/g;
const PHONE_DIGITS = /^\+?\d{6,}$/;
const SCIENTIFIC = /^\d(?:[.,]\d+)?e\+?\d+$/i;

/** Whether a cell looks like a phone number (formatting allowed) or Excel's scientific form of one. */
export function looksLikePhone(cell: string): boolean {
  const text = cell.trim();
  return PHONE_DIGITS.test(text.replace(PHONE_FORMATTING, '')) || SCIENTIFIC.test(text);
}

function badMapping(reason: string): UnusableFileError {
  return new UnusableFileError(
    FileRejectionCode.BadMapping,
    `The column mapping is invalid: ${reason}.`,
  );
}
