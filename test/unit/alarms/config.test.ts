/** alarms.* configuration: SKYEYE_ALARM_AFTER validated like every duration; the webhook needs its secret, which only the environment may carry. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '@config/load';

describe('alarms: configuration', () => {
  it('SKYEYE_ALARM_AFTER defaults to 30s and takes units', () => {
    expect(loadConfig({ env: {} }).alarms.after).to.equal(30_000);
    expect(loadConfig({ env: { SKYEYE_ALARM_AFTER: '2m' } }).alarms.after).to.equal(120_000);
    expect(loadConfig({ env: { SKYEYE_ALARM_AFTER: '500ms' } }).alarms.after).to.equal(500);
  });

  it('a bad SKYEYE_ALARM_AFTER fails naming the key and variable', () => {
    expect(() => loadConfig({ env: { SKYEYE_ALARM_AFTER: 'soon' } })).to.throw(ConfigError, /alarms\.after \(SKYEYE_ALARM_AFTER\)/);
  });

  it('a webhook URL needs a secret; the secret is refused in the config file', () => {
    expect(() => loadConfig({ env: { SKYEYE_ALARM_WEBHOOK_URL: 'https://hooks.example/x' } })).to.throw(ConfigError, /alarms\.webhookSecret/);
    expect(() => loadConfig({ env: { SKYEYE_ALARM_WEBHOOK_URL: 'ftp://hooks.example/x', SKYEYE_ALARM_WEBHOOK_SECRET: 'x'.repeat(16) } })).to.throw(ConfigError, /alarms\.webhookUrl/);
    const c = loadConfig({ env: { SKYEYE_ALARM_WEBHOOK_URL: 'https://hooks.example/x', SKYEYE_ALARM_WEBHOOK_SECRET: 'x'.repeat(16) } });
    expect(c.alarms).to.include({ webhookUrl: 'https://hooks.example/x', webhookRetryMax: 300_000 });
    const dir = mkdtempSync(join(tmpdir(), 'skyeye-alarms-config-'));
    try {
      const f = join(dir, 'config.json');
      writeFileSync(f, JSON.stringify({ alarms: { webhookSecret: 'y'.repeat(16) } }));
      expect(() => loadConfig({ env: { SKYEYE_CONFIG: f } })).to.throw(ConfigError, /alarms\.webhookSecret: secrets may not be written in the config file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
