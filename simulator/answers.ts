import type { Answer } from './pages.js';

/** Profiles a simulated user can have; they decide the shape of the login answer. */
export const SimulatorProfile = {
  /** Supervisor or administrator without a phone: an array, the token as its last element. */
  Supervisor: 'supervisor',
  /** Supervisor with a phone: an array whose phone object holds the token under `md5secret`. */
  SupervisorPhone: 'supervisor-phone',
  /** Agent: an object with the token under `md5secret`. */
  Agent: 'agent',
} as const;
export type SimulatorProfile = (typeof SimulatorProfile)[keyof typeof SimulatorProfile];

/** How the login answer carries the token. */
export const TokenFormat = {
  /** The JSON shape of the user's profile. */
  Json: 'json',
  /** The token alone as plain text, as getUserToken answers some clients. */
  Text: 'text',
} as const;
export type TokenFormat = (typeof TokenFormat)[keyof typeof TokenFormat];

const userRecord = (user: string) => ({
  userid: user,
  password: Buffer.from(`hash-of-${user}`).toString('base64'),
  idgroup: 'SuperUser',
  enabled: true,
  lastchange: 'Feb 29, 2012 10:05:06 AM',
});

const GROUP_RECORD = {
  idgroup: 'SuperUser',
  containers: '',
  queues: '',
  bigroups: '',
  description: 'Super Usuarios',
  allowdownloads: 1,
  managedialers: 1,
  managequality: 1,
};

/** The JSON body of a successful login, by profile (the vendor's shapes). */
function loginJson(user: string, profile: SimulatorProfile, token: string): unknown {
  if (profile === SimulatorProfile.Agent) {
    return {
      name: user,
      mailbox: '',
      md5secret: token,
      pickupgroup: '',
      callgroup: '',
      context: 'agents',
    };
  }
  if (profile === SimulatorProfile.SupervisorPhone) {
    const phone = {
      name: '1001',
      callerid: `${user} <1001>`,
      mailbox: '1001@default',
      md5secret: token,
      context: 'from-internal',
      type: 'friend',
      host: 'dynamic',
    };
    return [userRecord(user), GROUP_RECORD, phone];
  }
  return [userRecord(user), GROUP_RECORD, token];
}

/** The answer to a successful login as uContact gives it, in the user's profile's shape. */
export function loginAnswer(
  user: string,
  profile: SimulatorProfile,
  token: string,
  format: TokenFormat = TokenFormat.Json,
): Answer {
  if (format === TokenFormat.Text) return { status: 200, body: `${token}\n`, type: 'text/plain' };
  const body = JSON.stringify(loginJson(user, profile, token));
  return { status: 200, body, type: 'application/json' };
}
