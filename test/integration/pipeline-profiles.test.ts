import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { nativeLines, type PipelineStack, startPipelineStack } from './pipeline-stack.js';

let stack: PipelineStack;
afterEach(async () => {
  await stack?.close();
});

const PROFILES_KEY = 'config/campaigns.json';
const PARTNER_URL = new URL('../fixtures/contacts/profile-partner.csv', import.meta.url);
const PARTNER = readFileSync(PARTNER_URL);

const PROFILES = {
  strict: true,
  defaults: { defaultPriority: 9999 },
  campaigns: {
    'ventas-norte': {
      campaign: 'Ventas Norte<-',
      mapping: { columns: { 'Nro. Celular Titular': 'phone', Zona: 'variable:region' } },
      phone: { minDigits: 8, maxDigits: 9, prefixes: ['09', '2', '4'] },
      defaultPriority: 5000,
    },
    cobranzas: { campaign: 'Cobranzas->' },
  },
};

const putProfiles = (profiles: unknown) =>
  stack.put(PROFILES_KEY, typeof profiles === 'string' ? profiles : JSON.stringify(profiles));

describe('campaign profiles in the bucket', () => {
  it("loads a folder's drops with its profile: mapping, phone rules, priority, dialer campaign", async () => {
    stack = await startPipelineStack({ keepText: true });
    const profiles = await putProfiles(PROFILES);
    const object = await stack.put('incoming/ventas-norte/lista.csv', PARTNER);

    const response = await stack.handler()(stack.eventFor(object));

    expect(response.batchItemFailures).toEqual([]);
    const manifest = await stack.manifestOf(object);
    expect(manifest).toMatchObject({
      status: 'succeeded',
      campaign: 'Ventas Norte<-',
      counts: { rows: 4, accepted: 2, rejected: 2, uploaded: 2 },
      profile: { name: 'ventas-norte', source: 'campaign', version: profiles.eTag },
    });
    expect(manifest?.rejections).toEqual([
      {
        line: 3,
        code: 'PHONE_RULE',
        message: expect.stringMatching(/31\*+67 does not start with 09, 2 or 4/),
      },
      {
        line: 4,
        code: 'PHONE_RULE',
        message: expect.stringMatching(/09\*+34 has 7 digits, fewer than 8/),
      },
    ]);
    const [base] = stack.simulator.state().bases;
    expect(base?.campaign).toBe('Ventas Norte<-');
    expect(base?.text).toBe(
      'Ventas Norte<-;099111222;Cliente=Ana:region=Norte;;5000;\n' +
        'Ventas Norte<-;26012345;Cliente=Juan:region=Este;;5000;',
    );
  });

  it('refuses a drop into a folder the strict profiles do not configure, before any uContact call', async () => {
    stack = await startPipelineStack();
    await putProfiles(PROFILES);
    const object = await stack.put('incoming/Ventas Nrte/lista.csv', nativeLines(3, 'Ventas Nrte'));

    const response = await stack.handler()(stack.eventFor(object));

    expect(response.batchItemFailures).toEqual([]);
    expect(await stack.manifestOf(object)).toMatchObject({
      status: 'rejected',
      error: {
        code: 'CAMPAIGN_NOT_CONFIGURED',
        message: expect.stringContaining('the folder "Ventas Nrte" has no profile'),
      },
      profile: { name: null, source: 'none' },
      uploads: [],
      session: null,
    });
    expect(stack.simulator.state().calls).toEqual({ login: 0, uploadbase: 0, endsession: 0 });
    expect(stack.metrics.FilesRejected).toBe(1);
  });

  it('fails every drop while the profiles file is broken, not retried, and loads once it is fixed', async () => {
    stack = await startPipelineStack();
    const broken = await putProfiles({
      strict: true,
      campaigns: { cobranzas: { phone: { minDigits: 'ocho' } } },
    });
    const handler = stack.handler();
    const first = await stack.put('incoming/cobranzas/a.csv', nativeLines(3, 'Cobranzas->'));

    expect((await handler(stack.eventFor(first))).batchItemFailures).toEqual([]);

    expect(await stack.manifestOf(first)).toMatchObject({
      status: 'failed',
      error: {
        code: 'PROFILES_INVALID',
        message: expect.stringContaining(
          '$.campaigns.cobranzas.phone.minDigits: must be a whole number from 1 to 15',
        ),
      },
      profile: { name: null, source: 'none', version: broken.eTag },
      uploads: [],
    });
    expect(stack.simulator.state().calls.login).toBe(0);
    expect(stack.metrics).toMatchObject({ ProfilesInvalid: 1, FilesFailed: 1 });

    await putProfiles(PROFILES);
    const again = await stack.put('incoming/cobranzas/b.csv', nativeLines(3, 'Cobranzas->'));
    expect((await handler(stack.eventFor(again))).batchItemFailures).toEqual([]);
    expect(await stack.manifestOf(again)).toMatchObject({
      status: 'succeeded',
      campaign: 'Cobranzas->',
      counts: { uploaded: 3 },
      error: null,
    });
  });

  it('fails a drop into an unreadable file as PROFILES_INVALID, saying where the JSON breaks', async () => {
    stack = await startPipelineStack();
    await putProfiles('{"strict": true,\n "campaigns": {,}}');
    const object = await stack.put('incoming/cobranzas/a.csv', nativeLines(1, 'Cobranzas->'));

    await stack.handler()(stack.eventFor(object));

    expect((await stack.manifestOf(object))?.error).toEqual({
      code: 'PROFILES_INVALID',
      message: expect.stringMatching(/\$: not valid JSON at line 2, column \d+/),
    });
  });

  it('applies a profiles file changed between two drops to the second, without a restart', async () => {
    stack = await startPipelineStack();
    const handler = stack.handler();
    const before = await putProfiles(PROFILES);
    const first = await stack.put('incoming/cobranzas/a.csv', nativeLines(2, 'Cobranzas->'));
    await handler(stack.eventFor(first));

    const renamed = { ...PROFILES, campaigns: { cobranzas: { campaign: 'Cobranzas 2025->' } } };
    const after = await putProfiles(renamed);
    const second = await stack.put('incoming/cobranzas/b.csv', nativeLines(2, 'Cobranzas 2025->'));
    await handler(stack.eventFor(second));

    expect(before.eTag).not.toBe(after.eTag);
    expect((await stack.manifestOf(first))?.profile?.version).toBe(before.eTag);
    expect(await stack.manifestOf(second)).toMatchObject({
      status: 'succeeded',
      campaign: 'Cobranzas 2025->',
      profile: { name: 'cobranzas', version: after.eTag },
    });
    expect(stack.simulator.state().bases.map((b) => b.campaign)).toEqual([
      'Cobranzas->',
      'Cobranzas 2025->',
    ]);
  });

  it('gives unknown folders the defaults when not strict, and records no profile without a file', async () => {
    stack = await startPipelineStack();
    const handler = stack.handler();
    const plain = await stack.put('incoming/Ventas/a.csv', nativeLines(2));
    await handler(stack.eventFor(plain));
    expect(await stack.manifestOf(plain)).toMatchObject({ status: 'succeeded', profile: null });

    await putProfiles({ strict: false, defaults: { defaultPriority: 7 } });
    const other = await stack.put('incoming/Ventas/b.csv', 'telefono\n099123456\n');
    await handler(stack.eventFor(other));
    expect(await stack.manifestOf(other)).toMatchObject({
      status: 'succeeded',
      campaign: 'Ventas',
      profile: { name: null, source: 'defaults' },
    });
    expect(stack.simulator.state().bases.at(-1)?.records).toBe(1);
  });
});

describe('ucontact-loader local --put', () => {
  it('puts the profiles file before the drop, so the deployed path runs with its profile', async () => {
    const { runLocal } = await import('../../local-aws/local-run.js');
    const example = fileURLToPath(new URL('../../schemas/campaigns.example.json', import.meta.url));
    const partner = fileURLToPath(PARTNER_URL);
    const result = await runLocal({
      puts: [{ key: PROFILES_KEY, file: example }],
      drops: [
        { file: partner, key: 'incoming/ventas-norte/lista.csv' },
        { file: partner, key: 'incoming/Ventas Nrte/lista.csv' },
      ],
    });
    const byKey = Object.fromEntries(
      result.manifests.map((m) => [m.manifest.source.key, m.manifest]),
    );
    expect(byKey['incoming/ventas-norte/lista.csv']).toMatchObject({
      status: 'succeeded',
      campaign: 'Ventas Norte<-',
      profile: { name: 'ventas-norte', source: 'campaign' },
      counts: { uploaded: 2 },
    });
    expect(byKey['incoming/Ventas Nrte/lista.csv']).toMatchObject({
      status: 'rejected',
      error: { code: 'CAMPAIGN_NOT_CONFIGURED' },
    });
    expect(result.dialer.bases.map((b) => b.campaign)).toEqual(['Ventas Norte<-']);
    expect(result.dialer.calls.login).toBe(1);
  });
});
