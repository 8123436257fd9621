import type { EngineOptions, PhoneRules } from '../contacts/options.js';
import type { ProfileRules } from './resolve-profile.js';

/** The engine options a profile sets; each one given replaces the caller's (settings or flags). */
export type ProfileEngineOptions = Pick<
  EngineOptions,
  'mapping' | 'phoneRules' | 'phonePrefix' | 'defaultPriority' | 'sheet'
>;

/**
 * What a profile asks of the engine: its mapping, number rules, prefix policy, default priority
 * and sheet; fields the profile leaves out are absent, so the caller's own apply. Never throws
 * (the profile was checked when its file was parsed).
 */
export function profileEngineOptions(profile: ProfileRules): Partial<ProfileEngineOptions> {
  const { minDigits, maxDigits, prefixes, prefix } = profile.phone ?? {};
  const rules: PhoneRules = {
    ...(minDigits === undefined ? {} : { minDigits }),
    ...(maxDigits === undefined ? {} : { maxDigits }),
    ...(prefixes === undefined ? {} : { prefixes }),
  };
  return {
    ...(profile.mapping ? { mapping: profile.mapping } : {}),
    ...(Object.keys(rules).length > 0 ? { phoneRules: rules } : {}),
    ...(prefix === undefined ? {} : { phonePrefix: prefix }),
    ...(profile.defaultPriority === undefined
      ? {}
      : { defaultPriority: String(profile.defaultPriority) }),
    ...(profile.sheet === undefined ? {} : { sheet: profile.sheet }),
  };
}
