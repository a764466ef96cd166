import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { backoffMs, signBody, WebhookOutbox, type WebhookDeps } from '@server/alarms/webhook';
import type { OutboxRow } from '@server/alarms/repository';

const quiet = { warn: () => undefined, debug: () => undefined };

function fakeRepo(events: OutboxRow[]) {
  const delivered: string[] = [];
  const failed: Array<{ id: string; wait: number; error: string }> = [];
  const repo: WebhookDeps['repo'] = {
    claimHead: () => {
      const head = events.find((e) => !delivered.includes(e.id));
      if (!head) return Promise.resolve(null);
      head.attempts++;
      return Promise.resolve({ ...head });
    },
    delivered: (id) => {
      delivered.push(id);
      return Promise.resolve();
    },
    failed: (id, _h, wait, error) => {
      failed.push({ id, wait, error });
      return Promise.resolve();
    },
    pruneDelivered: () => Promise.resolve(),
  };
  return { repo, delivered, failed };
}

describe('alarms: webhook', () => {
  it('signs the raw body with HMAC-SHA256', () => {
    expect(signBody('k'.repeat(16), '{"a":1}')).to.equal(`sha256=${createHmac('sha256', 'k'.repeat(16)).update('{"a":1}').digest('hex')}`);
  });

  it('backs off 1 s doubling, capped', () => {
    expect([1, 2, 3, 4, 10, 50].map((a) => backoffMs(a, 30_000))).to.deep.equal([1000, 2000, 4000, 8000, 30_000, 30_000]);
  });

  it('sends in order and stops at the first failure (the rest wait behind it); never puts the secret in the error', async () => {
    const events: OutboxRow[] = ['1', '2', '3'].map((id) => ({ id, event: 'alarm.raised', payload: { type: 'alarm.raised' }, attempts: 0 }));
    const { repo, delivered, failed } = fakeRepo(events);
    const sent: Array<{ id: string; sig: string; body: string }> = [];
    let up = false;
    const secret = 's'.repeat(20);
    const outbox = new WebhookOutbox({
      repo,
      poster: {
        post: (_url, body, headers) => {
          sent.push({ id: headers['X-SkyEye-Delivery']!, sig: headers['X-SkyEye-Signature']!, body });
          return up || sent.length === 1 ? Promise.resolve(204) : Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
        },
      },
      url: 'http://127.0.0.1:1/x?token=abc',
      secret,
      timeoutMs: 1000,
      retryMaxMs: 5000,
      holder: 'me',
      log: quiet,
    });
    expect(await outbox.pass()).to.equal(1);
    expect(delivered).to.deep.equal(['1']);
    expect(failed).to.deep.equal([{ id: '2', wait: 1000, error: 'ECONNREFUSED' }]);
    up = true;
    expect(await outbox.pass()).to.equal(2);
    expect(delivered).to.deep.equal(['1', '2', '3']);
    expect(sent.map((s) => s.id)).to.deep.equal(['1', '2', '2', '3']);
    for (const s of sent) expect(s.sig).to.equal(signBody(secret, s.body));
    expect(JSON.stringify(failed)).to.not.include(secret);
  });
});
