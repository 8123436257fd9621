/** Profiles a simulated user can have; they decide the shape of the login answer. */
export const SimulatorProfile = {
  Supervisor: 'supervisor',
  Agent: 'agent',
} as const;
export type SimulatorProfile = (typeof SimulatorProfile)[keyof typeof SimulatorProfile];

/**
 * The login answer as uContact gives it: a supervisor or administrator gets an array (user, group,
 * then the token as last element), an agent an object with the token under `md5secret`.
 */
export function loginAnswer(user: string, profile: SimulatorProfile, token: string): string {
  if (profile === SimulatorProfile.Agent) {
    return JSON.stringify({
      name: user,
      mailbox: '',
      md5secret: token,
      pickupgroup: '',
      callgroup: '',
      context: 'agents',
    });
  }
  return JSON.stringify([
    {
      userid: user,
      password: Buffer.from(`hash-of-${user}`).toString('base64'),
      idgroup: 'SuperUser',
      enabled: true,
      lastchange: 'Feb 29, 2012 10:05:06 AM',
    },
    {
      idgroup: 'SuperUser',
      containers: '',
      queues: '',
      bigroups: '',
      description: 'Super Usuarios',
      allowdownloads: 1,
      managedialers: 1,
      managequality: 1,
    },
    token,
  ]);
}

/** A servlet container's error page, for 5xx answers and missing form fields. */
export function errorPage(status: number, reason: string): string {
  return (
    `<!doctype html><html lang="en"><head><title>HTTP Status ${status} – ${reason}</title></head>` +
    `<body><h1>HTTP Status ${status} – ${reason}</h1><hr class="line" /><h3>Apache Tomcat</h3></body></html>`
  );
}

/** What the `garbage` fault answers: a page where the API's answer should be. */
export const GARBAGE_PAGE =
  '<html><head><title>Mantenimiento</title></head><body><p>El sistema está en mantenimiento.</p></body></html>';
