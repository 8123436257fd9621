import { UnusableFileError } from './errors.js';
import { maskPhonesInText } from './mask-phone.js';
import { type ColumnMapping, ColumnRole } from './options.js';
import { isPhoneDigit, isPhoneFormatting } from './phone-characters.js';
import { FileRejectionCode } from './reason-codes.js';

/** How one column of a headered file was read, as the summary and the manifest report it. */
export interface ColumnReading {
  readonly header: string;
  /** A mapping role: phone, alternate, priority, agentphone, campaign, `variable:<name>` or ignore. */
  readonly role: string;
}

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
  /** Every column in order, with the role it was given in the end. */
  readonly columns: readonly ColumnReading[];
}

/** Whole header names (letters and digits only, accents folded) that name a phone column. */
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

/** Words that name a phone by themselves, wherever they stand in a header. */
const PHONE_WORDS: ReadonlySet<string> = new Set([
  ...['telefono', 'telefonos', 'tel', 'telf', 'tlf', 'tfno', 'fono'],
  ...['phone', 'phones', 'telephone', 'cellphone', 'mobilephone', 'msisdn'],
  ...['celular', 'celulares', 'cel', 'cell', 'movil', 'moviles', 'mobile', 'mobiles'],
]);
/** `Numero de contacto`, `Contact number`: a number word names a phone only beside one of these. */
const NUMBER_WORDS: ReadonlySet<string> = new Set([
  ...['numero', 'numeros', 'number', 'numbers', 'nro', 'num'],
]);
const CONTACT_WORDS: ReadonlySet<string> = new Set(['contacto', 'contact']);
/** Words that make a phone header an alternate: `Telefono alternativo`, `Other phone`. */
const ALTERNATE_WORDS: ReadonlySet<string> = new Set([
  ...['alternativo', 'alternativos', 'alternativa', 'alternativas', 'alterno', 'alterna'],
  ...['alternate', 'alternates', 'alternative', 'alternatives', 'alt'],
  ...['otro', 'otros', 'otra', 'otras', 'other', 'others', 'adicional', 'adicionales'],
  ...['additional', 'secundario', 'secundaria', 'secondary', 'segundo', 'segunda', 'second'],
  ...['tercero', 'tercer', 'tercera', 'third', 'fijo', 'fija', 'landline', 'respaldo', 'backup'],
]);
/**
 * Words that say a header is about a phone rather than the phone itself (`Phone type`, `Tipo de
 * telefono`, `Titular del telefono`), or is a fax, or names another role (`Phone extension`): such
 * a header is a variable, whatever phone word it holds.
 */
const STOP_WORDS: ReadonlySet<string> = new Set([
  ...['tipo', 'type', 'estado', 'status', 'valido', 'valida', 'valid', 'verificado', 'verified'],
  ...['nombre', 'name', 'titular', 'owner', 'operador', 'operadora', 'operator', 'carrier'],
  ...['compania', 'company', 'pais', 'country', 'codigo', 'code', 'prefijo', 'prefix', 'area'],
  ...['fecha', 'date', 'cantidad', 'count', 'id', 'fax'],
  ...['prioridad', 'priority', 'campana', 'campania', 'campaign'],
  ...['interno', 'extension', 'ext', 'anexo', 'agente', 'agent'],
]);
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

/**
 * A header's words: accents folded, lower case, split at anything but a letter or digit, between
 * letters and digits, and where a lower-case letter meets an upper-case one
 * (`Nro. de Celular` -> nro, de, celular; `ContactPhone2` -> contact, phone, 2).
 */
export function headerWords(header: string): string[] {
  return foldAccents(header)
    .replace(/([a-z])(?=[A-Z])/g, '$1 ')
    .toLowerCase()
    .split(/[^a-z0-9]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])/)
    .filter((word) => word !== '');
}

/**
 * The role a header's name suggests; Variable when it names nothing known. A whole known name
 * decides first (`Teléfono`, `telefono2`, `Prioridad`, `Agent phone`); otherwise the header's
 * words do (see phoneRoleOfWords).
 */
export function guessRole(header: string): ColumnRole {
  const key = headerKey(header);
  const named = NAMED_ROLES.get(key);
  if (named) return named;
  const numbered = NUMBERED_PHONE.exec(key);
  if (numbered && NAMED_ROLES.get(numbered[1]!) === ColumnRole.Phone) {
    return numbered[2] === '1' ? ColumnRole.Phone : ColumnRole.Alternate;
  }
  return phoneRoleOfWords(headerWords(header));
}

/**
 * The word rule: a header holding a stop word is a variable; otherwise one holding a phone word
 * (or a number word beside a contact or an alternate word) is a phone, and an alternate when it
 * also holds an alternate word or ends in a number of 2 or more. Anything else is a variable.
 */
function phoneRoleOfWords(words: readonly string[]): ColumnRole {
  if (words.some((word) => STOP_WORDS.has(word))) return ColumnRole.Variable;
  const alternate = words.some((word) => ALTERNATE_WORDS.has(word));
  const phone =
    words.some((word) => PHONE_WORDS.has(word)) ||
    (words.some((word) => NUMBER_WORDS.has(word)) &&
      (alternate || words.some((word) => CONTACT_WORDS.has(word))));
  if (!phone) return ColumnRole.Variable;
  const last = words.at(-1)!;
  return alternate || (/^\d+$/.test(last) && Number(last) >= 2)
    ? ColumnRole.Alternate
    : ColumnRole.Phone;
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
    columns: [] as ColumnReading[],
  };
  const usedNames = new Set<string>();
  // Ties: the first phone column is the number to dial, later ones are alternates in column
  // order; a second campaign, priority or agentphone column is a variable.
  roles.forEach((role, column) => {
    let read: string = role;
    if (role === ColumnRole.Phone && plan.phone === -1) plan.phone = column;
    else if (role === ColumnRole.Phone || role === ColumnRole.Alternate) {
      plan.alternates.push(column);
      read = ColumnRole.Alternate;
    } else if (role !== ColumnRole.Variable && role !== ColumnRole.Ignore && plan[role] === -1) {
      plan[role] = column;
    } else if (role !== ColumnRole.Ignore) {
      const name = uniqueName(names[column]!, usedNames);
      plan.variables.push({ column, name });
      read = `${ColumnRole.Variable}:${name}`;
    }
    plan.columns.push({ header: headers[column]!, role: read });
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
    const problem = mappingRoleProblem(header, value);
    if (problem !== undefined) throw badMapping(problem);
    const renamed = MAPPED_VARIABLE.exec(String(value).trim());
    if (renamed) {
      roles[column] = ColumnRole.Variable;
      names[column] = variableName(renamed[1]!);
      continue;
    }
    const role = String(value).trim().toLowerCase();
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

/**
 * What is wrong with `value` as the role a mapping gives the column `header`, or undefined when
 * it is a role (`phone`... in any case, or `variable:<name>` naming a variable). Never throws.
 */
export function mappingRoleProblem(header: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return `the role of "${header}" must be a string`;
  const renamed = MAPPED_VARIABLE.exec(value.trim());
  if (renamed) {
    return variableName(renamed[1]!)
      ? undefined
      : `"${value}" does not name a variable (letters, digits and _)`;
  }
  if (ROLES.has(value.trim().toLowerCase())) return undefined;
  return `"${value}" (for "${header}") is not a role: use one of ${[...ROLES].join(', ')} or variable:<name>`;
}

/**
 * Column readings as they are shown (summary, manifest): phone numbers masked in headers and in
 * the variable names made of them, as a "header" row may be data. Null stays null (a native file
 * has no columns).
 */
export function maskedColumns(columns: readonly ColumnReading[] | null): ColumnReading[] | null {
  return (
    columns?.map(({ header, role }) => ({
      header: maskPhonesInText(header),
      role: maskPhonesInText(role),
    })) ?? null
  );
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

const SCIENTIFIC = /^\d(?:[.,]\d+)?e\+?\d+$/i;
const LEAST_PHONE_DIGITS = 6;

/**
 * Whether a cell looks like a phone number (six digits or more, with the formatting the engine
 * strips and a leading `+`) or Excel's scientific form of one.
 */
export function looksLikePhone(cell: string): boolean {
  const text = cell.trim();
  let digits = 0;
  let plus = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isPhoneDigit(c)) digits++;
    else if (c === 0x2b && !plus && digits === 0) plus = true;
    else if (!isPhoneFormatting(c)) return SCIENTIFIC.test(text);
  }
  return digits >= LEAST_PHONE_DIGITS;
}

function badMapping(reason: string): UnusableFileError {
  return new UnusableFileError(
    FileRejectionCode.BadMapping,
    `The column mapping is invalid: ${reason}.`,
  );
}
