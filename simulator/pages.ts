import { STATUS_CODES } from 'node:http';

/** What the simulator sends for one call: status, body, its media type and any extra headers. */
export interface Answer {
  readonly status: number;
  readonly body: string;
  /** Media type without charset; the body is always sent as UTF-8. */
  readonly type: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Where an authentication filter sends a caller whose session it does not accept. */
export const LOGIN_PAGE_PATH = '/ucontact/login.jsp';

const reason = (status: number) => STATUS_CODES[status] ?? 'Error';

/** A servlet container's (Tomcat's) error page, for 4xx and 5xx answers of the application. */
export function errorPage(status: number): string {
  const title = `HTTP Status ${status} – ${reason(status)}`;
  return (
    `<!doctype html><html lang="en"><head><title>${title}</title></head>` +
    `<body><h1>${title}</h1><hr class="line" /><h3>Apache Tomcat</h3></body></html>`
  );
}

/** A reverse proxy's (nginx's) error page: the application behind it failed or went away. */
export function proxyErrorPage(status: number): string {
  const title = `${status} ${reason(status)}`;
  return (
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n` +
    `<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  );
}

/** The short page a servlet container sends with a redirect. */
export function redirectPage(location: string): string {
  return `<html><head><title>Moved</title></head><body><p>This document has moved <a href="${location}">here</a>.</p></body></html>`;
}

/**
 * The login form an authentication filter serves, with status 200, in place of the API when the
 * session is not valid (container-managed form login: `j_security_check`).
 */
export const LOGIN_PAGE =
  '<!DOCTYPE html><html lang="es"><head><meta charset="UTF-8"><title>uContact - Ingreso</title></head>' +
  '<body><form method="post" action="j_security_check">' +
  '<label>Usuario <input type="text" name="j_username" autocomplete="username"></label>' +
  '<label>Contraseña <input type="password" name="j_password" autocomplete="current-password"></label>' +
  '<button type="submit">Ingresar</button></form></body></html>';

/** What the `garbage` fault answers: a page where the API's answer should be. */
export const GARBAGE_PAGE =
  '<html><head><title>Mantenimiento</title></head><body><p>El sistema está en mantenimiento.</p></body></html>';
