import type { ReportLanguage } from './next-steps.js';

/** The words of the report page, per language. */
export interface ReportText {
  readonly locale: string;
  readonly title: string;
  readonly status: Readonly<Record<string, string>>;
  /** The banner of a file that was checked, not loaded (`validate --html`). */
  readonly checked: string;
  readonly checkedNote: string;
  readonly details: string;
  readonly file: string;
  readonly bucket: string;
  readonly campaign: string;
  readonly noCampaign: string;
  readonly profile: string;
  readonly profileSource: string;
  readonly profileVersion: string;
  readonly suppression: string;
  readonly reloadWindow: string;
  readonly read: string;
  readonly sheet: string;
  readonly delimiter: string;
  readonly started: string;
  readonly finished: string;
  readonly duration: string;
  readonly size: string;
  readonly counts: string;
  readonly count: Readonly<Record<string, string>>;
  readonly chartLabel: string;
  readonly nextSteps: string;
  readonly error: string;
  readonly warnings: string;
  readonly session: string;
  readonly endSession: Readonly<Record<string, string>>;
  readonly chunks: string;
  readonly checkChunks: string;
  readonly noChunks: string;
  readonly chunkColumns: readonly [string, string, string, string, string, string, string];
  readonly checkChunkColumns: readonly [string, string, string, string];
  readonly outcome: Readonly<Record<string, string>>;
  readonly columnsRead: string;
  readonly columnColumns: readonly [string, string];
  readonly emptyHeader: string;
  readonly rejections: string;
  readonly rejectionColumns: readonly [string, string, string];
  readonly firstOf: (shown: string, total: string) => string;
  readonly rejectedLink: string;
  readonly footer: (version: number) => string;
  readonly checkFooter: string;
}

const es: ReportText = {
  locale: 'es-UY',
  title: 'Resultado de la carga',
  status: {
    succeeded: 'Cargado',
    partial: 'Cargado en parte',
    failed: 'No se cargó',
    rejected: 'Rechazado',
    skipped: 'Omitido',
  },
  checked: 'Revisado, sin cargar',
  checkedNote: 'Revisión local: no se envió nada a uContact.',
  details: 'Archivo',
  file: 'Archivo',
  bucket: 'Bucket',
  campaign: 'Campaña',
  noCampaign: '(carpeta de campaña rechazada)',
  profile: 'Perfil',
  profileSource: 'origen',
  profileVersion: 'versión',
  suppression: 'Listas de no llamar',
  reloadWindow: 'Ventana de recarga',
  read: 'Lectura',
  sheet: 'hoja',
  delimiter: 'separador',
  started: 'Inicio',
  finished: 'Fin',
  duration: 'Duración',
  size: 'Tamaño',
  counts: 'Cuentas',
  count: {
    rows: 'Filas',
    accepted: 'Aceptadas',
    rejected: 'Rechazadas',
    duplicates: 'Duplicadas',
    modified: 'Modificadas',
    uploaded: 'Cargadas',
    suppressed: 'En listas de no llamar',
    recentlyLoaded: 'Cargadas hace poco',
    lines: 'Líneas',
    header: 'Encabezado',
    blank: 'En blanco',
    joined: 'Unidas',
  },
  chartLabel: 'Filas por resultado',
  nextSteps: 'Qué hacer ahora',
  error: 'Error',
  warnings: 'Avisos',
  session: 'Sesión de uContact',
  endSession: {
    ok: 'cerrada',
    failed: 'puede seguir abierta',
    'not-needed': 'no hacía falta cerrarla',
  },
  chunks: 'Partes enviadas',
  checkChunks: 'Partes que se enviarían',
  noChunks: 'No se envió ninguna parte.',
  chunkColumns: ['Parte', 'Nombre', 'Resultado', 'Contactos', 'Bytes', 'Intentos', 'Tiempo'],
  checkChunkColumns: ['Parte', 'Nombre', 'Contactos', 'Bytes'],
  outcome: { accepted: 'aceptada', failed: 'fallida', unknown: 'desconocido' },
  columnsRead: 'Columnas leídas',
  columnColumns: ['Encabezado', 'Uso'],
  emptyHeader: '(vacío)',
  rejections: 'Primeras filas rechazadas',
  rejectionColumns: ['Línea', 'Código', 'Motivo'],
  firstOf: (shown, total) => `Se muestran ${shown} de ${total}.`,
  rejectedLink: 'Todas las filas rechazadas',
  footer: (version) => `Generado a partir de manifest.json (esquema ${version}).`,
  checkFooter: 'Generado por ucontact-loader validate.',
};

const en: ReportText = {
  locale: 'en-US',
  title: 'Load result',
  status: {
    succeeded: 'Loaded',
    partial: 'Partly loaded',
    failed: 'Not loaded',
    rejected: 'Rejected',
    skipped: 'Skipped',
  },
  checked: 'Checked, not loaded',
  checkedNote: 'A local check: nothing was sent to uContact.',
  details: 'File',
  file: 'File',
  bucket: 'Bucket',
  campaign: 'Campaign',
  noCampaign: '(campaign folder refused)',
  profile: 'Profile',
  profileSource: 'from',
  profileVersion: 'version',
  suppression: 'Do-not-call lists',
  reloadWindow: 'Reload window',
  read: 'Read as',
  sheet: 'sheet',
  delimiter: 'delimiter',
  started: 'Started',
  finished: 'Finished',
  duration: 'Duration',
  size: 'Size',
  counts: 'Counts',
  count: {
    rows: 'Rows',
    accepted: 'Accepted',
    rejected: 'Refused',
    duplicates: 'Duplicates',
    modified: 'Modified',
    uploaded: 'Uploaded',
    suppressed: 'Suppressed',
    recentlyLoaded: 'Recently loaded',
    lines: 'Lines',
    header: 'Header',
    blank: 'Blank',
    joined: 'Joined',
  },
  chartLabel: 'Rows by outcome',
  nextSteps: 'What to do next',
  error: 'Error',
  warnings: 'Warnings',
  session: 'uContact session',
  endSession: { ok: 'ended', failed: 'may still be open', 'not-needed': 'nothing to end' },
  chunks: 'Chunks',
  checkChunks: 'Chunks an upload would send',
  noChunks: 'No chunk was sent.',
  chunkColumns: ['Part', 'Name', 'Outcome', 'Contacts', 'Bytes', 'Attempts', 'Time'],
  checkChunkColumns: ['Part', 'Name', 'Contacts', 'Bytes'],
  outcome: { accepted: 'accepted', failed: 'failed', unknown: 'unknown' },
  columnsRead: 'Columns read',
  columnColumns: ['Header', 'Read as'],
  emptyHeader: '(empty)',
  rejections: 'First refused rows',
  rejectionColumns: ['Line', 'Code', 'Reason'],
  firstOf: (shown, total) => `${shown} of ${total} shown.`,
  rejectedLink: 'Every refused row',
  footer: (version) => `Made from manifest.json (schema ${version}).`,
  checkFooter: 'Made by ucontact-loader validate.',
};

export const REPORT_TEXT: { readonly [L in ReportLanguage]: ReportText } = { es, en };
