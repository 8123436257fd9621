import type { ReportManifest } from './report-manifest.js';

/**
 * What to do next, per alarm, per code and per status, in the languages of the report page.
 * The English texts are the README's (its alarm table and the `what to do` columns of its code
 * tables, compared by a unit test), so the page and the README cannot drift apart.
 */

export const ReportLanguage = { Spanish: 'es', English: 'en' } as const;
export type ReportLanguage = (typeof ReportLanguage)[keyof typeof ReportLanguage];

export type Localized = { readonly [L in ReportLanguage]: string };

export interface AlarmAdvice {
  readonly means: Localized;
  readonly todo: Localized;
}

/** The stack's alarms, in the README's order: what each means and what to do. */
export const ALARM_ADVICE = {
  DeadLetterQueueNotEmpty: {
    means: {
      en: 'an event failed five times and was set aside',
      es: 'un evento falló cinco veces y quedó apartado',
    },
    todo: {
      en: "find its key in the function's logs, fix the cause, then redrive it from the SQS console (Start DLQ redrive)",
      es: 'busque su clave en los registros de la función, corrija la causa y vuelva a enviarlo desde la consola de SQS (Start DLQ redrive)',
    },
  },
  FunctionErrors: {
    means: { en: 'the function crashed or timed out', es: 'la función se cayó o agotó su tiempo' },
    todo: {
      en: 'read its log group; SQS retries the file, and a load resumes after the last accepted chunk',
      es: 'lea su grupo de registros; SQS reintenta el archivo y la carga sigue después de la última parte aceptada',
    },
  },
  FunctionThrottles: {
    means: {
      en: 'Lambda refused to start the function (account concurrency used up)',
      es: 'Lambda no pudo iniciar la función (concurrencia de la cuenta agotada)',
    },
    todo: {
      en: "files wait in the queue; raise the account's concurrency quota if it lasts",
      es: 'los archivos esperan en la cola; si dura, aumente la cuota de concurrencia de la cuenta',
    },
  },
  RecursiveInvocationsDropped: {
    means: {
      en: 'Lambda stopped a loop in which the function triggered itself',
      es: 'Lambda cortó un ciclo en el que la función se invocaba a sí misma',
    },
    todo: {
      en: "check that nothing writes under `incoming/` on the function's behalf",
      es: 'compruebe que nada escriba en `incoming/` en nombre de la función',
    },
  },
  FilesFailed: {
    means: {
      en: 'a file could not be loaded (manifest `failed`)',
      es: 'un archivo no se pudo cargar (manifiesto `failed`)',
    },
    todo: {
      en: "read the manifest's `error`: credentials, campaign, uContact unreachable",
      es: 'lea el `error` del manifiesto: credenciales, campaña, uContact inaccesible',
    },
  },
  FilesPartial: {
    means: {
      en: 'only some chunks were loaded (manifest `partial`)',
      es: 'solo se cargaron algunas partes (manifiesto `partial`)',
    },
    todo: {
      en: "the manifest's `uploads` give each chunk's outcome; `failed` chunks were not taken and may be sent again. Dropping the same file again loads it all again, accepted chunks included",
      es: 'las `uploads` del manifiesto dan el resultado de cada parte; las partes `failed` no se tomaron y pueden enviarse de nuevo. Dejar el mismo archivo otra vez lo carga entero de nuevo, partes aceptadas incluidas',
    },
  },
  ChunksUnknown: {
    means: {
      en: 'uContact did not answer whether a chunk was loaded',
      es: 'uContact no respondió si una parte se cargó',
    },
    todo: {
      en: 'check the campaign in uContact before sending that chunk again: it is never resent automatically',
      es: 'revise la campaña en uContact antes de enviar esa parte otra vez: nunca se reenvía sola',
    },
  },
  SessionsLeftOpen: {
    means: {
      en: 'EndSession failed or a run died: its session may still be open on the dialer',
      es: 'EndSession falló o una ejecución murió: su sesión puede seguir abierta en el discador',
    },
    todo: {
      en: "the manifest's `session` says which (`error`, or `previousSessionMayBeOpen`: a run died with it open); end the session in uContact (or let it expire)",
      es: 'el `session` del manifiesto dice cuál (`error`, o `previousSessionMayBeOpen`: una ejecución murió con ella abierta); cierre la sesión en uContact (o deje que expire)',
    },
  },

  ProfilesInvalid: {
    means: {
      en: 'the campaign profiles file is invalid: every drop fails with `PROFILES_INVALID`',
      es: 'el archivo de perfiles de campaña no es válido: cada archivo dejado falla con `PROFILES_INVALID`',
    },
    todo: {
      en: "the manifest's `error.message` names the first problems; run `profiles check` on the file, fix it, put it again, then drop the failed files again",
      es: 'el `error.message` del manifiesto nombra los primeros problemas; ejecute `profiles check` sobre el archivo, corríjalo, vuelva a subirlo y deje otra vez los archivos que fallaron',
    },
  },
} as const satisfies Record<string, AlarmAdvice>;
export type AlarmName = keyof typeof ALARM_ADVICE;

/** What to do about a refused row, per code (the README's row code table). */
export const ROW_CODE_ADVICE: Readonly<Record<string, Localized>> = {
  MISSING_PHONE: { en: 'fill in the phone column', es: 'complete la columna del teléfono' },
  INVALID_PHONE: {
    en: 'correct the number; for a decimal, format the column as text in the spreadsheet and export again',
    es: 'corrija el número; si es un decimal, dé formato de texto a la columna en la planilla y exporte de nuevo',
  },
  SUPPRESSED: {
    en: 'nothing: the number must not be called; ask for it to be removed from the list if that is a mistake',
    es: 'nada: ese número no debe ser llamado; pida que lo quiten de la lista si es un error',
  },
  PHONE_RULE: {
    en: "correct the number, or the profile's rule if the number is right",
    es: 'corrija el número, o la regla del perfil si el número es correcto',
  },
  RECENTLY_LOADED: {
    en: 'nothing, if calling it again can wait; or load it by hand',
    es: 'nada, si volver a llamarlo puede esperar; o cárguelo a mano',
  },
  SCIENTIFIC_NOTATION: {
    en: 'format the column as text in the spreadsheet and export again',
    es: 'dé formato de texto a la columna en la planilla y exporte de nuevo',
  },
  DUPLICATE: {
    en: 'remove the repeated row, or merge the two',
    es: 'quite la fila repetida, o una las dos',
  },
  CAMPAIGN_MISMATCH: {
    en: "put the file in the right campaign's folder, or fix the column",
    es: 'ponga el archivo en la carpeta de la campaña correcta, o corrija la columna',
  },
  TOO_MANY_FIELDS: {
    en: 'remove the `;` from the value, or quote it in a headered file',
    es: 'quite el `;` del valor, o póngalo entre comillas en un archivo con encabezado',
  },
  BAD_PRIORITY: {
    en: 'correct it, or leave it empty for the default',
    es: 'corríjala, o déjela vacía para usar la predeterminada',
  },
  BAD_AGENTPHONE: { en: 'correct it, or leave it empty', es: 'corríjalo, o déjelo vacío' },
  LINE_TOO_LONG: {
    en: 'shorten the row, or close the quote',
    es: 'acorte la fila, o cierre las comillas',
  },
  BAD_ENCODING: {
    en: 'save the whole file again as "CSV UTF-8"',
    es: 'guarde todo el archivo de nuevo como "CSV UTF-8"',
  },
  MALFORMED_ROW: {
    en: "fix the row's structure, or close or remove the quote",
    es: 'corrija la estructura de la fila, o cierre o quite las comillas',
  },
  CONTROL_CHARACTER: {
    en: 'remove the character (a spreadsheet may not show it), or export the file again',
    es: 'quite el carácter (una planilla puede no mostrarlo), o exporte el archivo de nuevo',
  },
};

const SAVE_AS_CSV = { en: 'save it as "CSV UTF-8"', es: 'guárdelo como "CSV UTF-8"' } as const;
const SPLIT = { en: 'split it into smaller files', es: 'divídalo en archivos más chicos' } as const;

/** What to do about a file refused as a whole, per code (the README's file code table). */
export const FILE_CODE_ADVICE: Readonly<Record<string, Localized>> = {
  EMPTY_FILE: { en: 'send the file with its contacts', es: 'envíe el archivo con sus contactos' },
  FILE_TOO_LARGE: SPLIT,
  TOO_MANY_CONTACTS: {
    en: 'split it into smaller files; if its message says the suppression lists leave no room, give the function more memory or apply fewer lists',
    es: 'divídalo en archivos más chicos; si el mensaje dice que las listas de supresión no dejan lugar, dé más memoria a la función o aplique menos listas',
  },
  BINARY_FILE: {
    en: 'open it in the spreadsheet program and save it as "CSV UTF-8"',
    es: 'ábralo en la planilla de cálculo y guárdelo como "CSV UTF-8"',
  },
  BAD_ENCODING: SAVE_AS_CSV,
  BAD_COMPRESSION: {
    en: 'compress it again, or send it uncompressed',
    es: 'comprímalo de nuevo, o envíelo sin comprimir',
  },
  NO_PHONE_COLUMN: {
    en: 'name the column `telefono` or `phone`, add a header row, or give a mapping',
    es: 'llame a la columna `telefono` o `phone`, agregue una fila de encabezado, o dé un mapeo',
  },
  BAD_MAPPING: { en: 'correct the mapping', es: 'corrija el mapeo' },
  WORKBOOK_CORRUPT: {
    en: 'open it in Excel and save it again, or save it as "CSV UTF-8"',
    es: 'ábralo en Excel y guárdelo de nuevo, o guárdelo como "CSV UTF-8"',
  },
  WORKBOOK_ENCRYPTED: {
    en: 'remove the password (File > Info > Protect Workbook) and save it again',
    es: 'quite la contraseña (Archivo > Información > Proteger libro) y guárdelo de nuevo',
  },
  XLS_NOT_SUPPORTED: {
    en: 'save it as "Excel Workbook (.xlsx)" or "CSV UTF-8"',
    es: 'guárdelo como "Libro de Excel (.xlsx)" o "CSV UTF-8"',
  },
  SEVERAL_SHEETS: {
    en: 'keep the contacts on one sheet, or name it with `--sheet`',
    es: 'deje los contactos en una sola hoja, o nómbrela con `--sheet`',
  },
  SHEET_NOT_FOUND: { en: 'name one of its sheets', es: 'nombre una de sus hojas' },
};

/** Advice for the cases no table above covers: the page's own words. */
const PAGE_ADVICE = {
  succeeded: {
    en: 'nothing to do: every accepted contact is in the campaign',
    es: 'nada que hacer: todos los contactos aceptados están en la campaña',
  },
  refusedRows: {
    en: 'the refused rows are in `rejected.csv`: correct them and send them in a new file',
    es: 'las filas rechazadas están en `rejected.csv`: corríjalas y envíelas en un archivo nuevo',
  },
  skipped: {
    en: 'nothing was loaded; send the file again if it was not meant to be empty or replaced',
    es: 'no se cargó nada; envíe el archivo de nuevo si no debía estar vacío ni ser reemplazado',
  },
  noValidContacts: {
    en: 'no row can be loaded: `rejected.csv` says why, row by row',
    es: 'ninguna fila se puede cargar: `rejected.csv` dice por qué, fila por fila',
  },
  campaignFolder: {
    en: 'drop the file again under `incoming/<campaign>/`, in a folder named as the uContact campaign',
    es: 'deje el archivo de nuevo en `incoming/<campaña>/`, en una carpeta con el nombre de la campaña de uContact',
  },
  authFailed: {
    en: 'correct the user or password in the secret, then drop the file again',
    es: 'corrija el usuario o la contraseña en el secreto y deje el archivo de nuevo',
  },
  retried: {
    en: 'the file is retried on its own, resuming after the last accepted chunk; nothing to do unless it keeps failing',
    es: 'el archivo se reintenta solo, desde la última parte aceptada; nada que hacer salvo que siga fallando',
  },
  checked: {
    en: 'nothing was sent: drop the file, or run `upload`, to load the accepted contacts',
    es: 'no se envió nada: deje el archivo, o use `upload`, para cargar los contactos aceptados',
  },
  campaignBusy: {
    en: 'another file of the same campaign was being loaded: this one is retried on its own once that one is done; nothing to do',
    es: 'se estaba cargando otro archivo de la misma campaña: este se reintenta solo cuando aquel termine; nada que hacer',
  },
  truncated: {
    en: '`rejected.csv` holds only the first refused rows: it stops at 100 MiB',
    es: '`rejected.csv` tiene solo las primeras filas rechazadas: se corta en 100 MiB',
  },
} as const satisfies Record<string, Localized>;

/** Error codes after which the pipeline delivers the file again by itself. */
const RETRIED_CODES = new Set([
  'NETWORK',
  'TIMEOUT',
  'HTTP_STATUS',
  'NOT_ATTEMPTED',
  'OUT_OF_TIME',
  'CREDENTIALS_UNAVAILABLE',
  'STORAGE',
  'INTERNAL',
]);

/** What to do about the error of a rejected or failed file, when its code says more. */
function errorAdvice(manifest: ReportManifest): Localized[] {
  const code = manifest.error?.code;
  if (code === undefined) return [];
  const fileAdvice = FILE_CODE_ADVICE[code];
  if (manifest.status === 'rejected' && fileAdvice) return [fileAdvice];
  if (code === 'NO_VALID_CONTACTS') return [PAGE_ADVICE.noValidContacts];
  // Not a folder problem, though its name starts like one.
  if (code === 'CAMPAIGN_BUSY') return [PAGE_ADVICE.campaignBusy];
  if (code === 'NO_CAMPAIGN_FOLDER' || code.startsWith('CAMPAIGN_') || code === 'EMPTY_CAMPAIGN')
    return [PAGE_ADVICE.campaignFolder];
  if (code === 'AUTH_FAILED') return [PAGE_ADVICE.authFailed];
  if (RETRIED_CODES.has(code)) return [PAGE_ADVICE.retried];
  return [];
}

/** The alarms the file's result raised (the same rules as the function's metrics). */
export function alarmsRaised(manifest: ReportManifest): AlarmName[] {
  const alarms: AlarmName[] = [];
  if (manifest.status === 'failed') alarms.push('FilesFailed');
  if (manifest.status === 'partial') alarms.push('FilesPartial');
  if (manifest.uploads.some((u) => u.outcome === 'unknown')) alarms.push('ChunksUnknown');
  if (manifest.session?.endSession === 'failed') alarms.push('SessionsLeftOpen');
  return alarms;
}

/**
 * What to do next about this file, most pressing first, in `language`; backquotes mark code.
 * Never empty: a file with nothing to fix says so. `checkOnly`: the file was checked, not loaded.
 */
export function nextSteps(
  manifest: ReportManifest,
  language: ReportLanguage,
  checkOnly = false,
): string[] {
  const steps: Localized[] = [...errorAdvice(manifest)];
  for (const alarm of alarmsRaised(manifest)) steps.push(ALARM_ADVICE[alarm].todo);
  if (manifest.status === 'skipped') steps.push(PAGE_ADVICE.skipped);
  if (manifest.status === 'succeeded')
    steps.push(checkOnly ? PAGE_ADVICE.checked : PAGE_ADVICE.succeeded);
  if (manifest.counts.rejected > 0 && manifest.error?.code !== 'NO_VALID_CONTACTS')
    steps.push(PAGE_ADVICE.refusedRows);
  if (manifest.rejectedFileTruncated) steps.push(PAGE_ADVICE.truncated);
  return [...new Set(steps.map((step) => step[language]))];
}
