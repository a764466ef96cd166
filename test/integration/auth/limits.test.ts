/**
 * Password-guess limits hold under parallel requests: the attempt is counted before the password
 * is checked, so N parallel guesses from several addresses get at most `loginMaxAttempts` checks
 * per user name (and `5 × loginMaxAttempts` per address); the password-change endpoint shares it.
 */
import { expect } from 'chai';
import { startWorld, login, type World } from '@test/helpers/api';
import { TEST_BACKEND } from '@test/helpers/database';
import { postJsonFrom, type Answer } from '@test/helpers/http-from';

const MAX = 4;
const ADDRESSES = Array.from({ length: 10 }, (_, i) => `127.0.0.${i + 2}`);

const countBy = (answers: Answer[]) => answers.reduce<Record<number, number>>((m, a) => ({ ...m, [a.status]: (m[a.status] ?? 0) + 1 }), {});

describe(`password-guess limits under parallel requests (${TEST_BACKEND})`, function () {
  this.timeout(180_000);
  let w: World;
  before(async () => {
    w = await startWorld({ security: { loginMaxAttempts: MAX } });
  });
  after(async () => {
    await w?.srv.close();
  });
  const loginUrl = () => `${w.srv.url}/api/v1/auth/login`;

  it('200 parallel wrong guesses over 10 addresses: at most the limit reach the password check, and the right password after the limit is refused', async () => {
    await w.as.admin.json('POST', '/api/v1/users', { username: 'target', password: 'Target-pass-word-1', role: 'operator' });
    let firstRefusal!: () => void;
    const refused = new Promise<void>((r) => (firstRefusal = r));
    const guesses = Array.from({ length: 200 }, (_, i) =>
      postJsonFrom(ADDRESSES[i % ADDRESSES.length]!, loginUrl(), { username: 'target', password: `Wrong-guess-${i}` }).then((a) => {
        if (a.status === 429) firstRefusal();
        return a;
      }),
    );
    const all = Promise.all(guesses);
    // The right password, sent once the limit has been seen (other guesses still in flight), or after all of them.
    await Promise.race([refused, all]);
    const right = await postJsonFrom(ADDRESSES[0]!, loginUrl(), { username: 'target', password: 'Target-pass-word-1' });
    const counts = countBy(await all);
    expect(counts[200] ?? 0, 'no wrong guess signs in').to.equal(0);
    expect(counts[401] ?? 0, 'password checks').to.be.at.most(MAX);
    expect(counts[429] ?? 0).to.equal(200 - (counts[401] ?? 0));
    expect(right.status, 'the right password after the limit').to.equal(429);
    expect(Number(right.headers['retry-after'])).to.be.greaterThan(0);
  });

  it('one address guessing many user names in parallel gets at most 5 × the limit checked', async () => {
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => postJsonFrom('127.0.0.20', loginUrl(), { username: `nobody-${i}`, password: 'Wrong-guess-x' })),
    );
    const counts = countBy(answers);
    expect(counts[401] ?? 0).to.be.at.most(5 * MAX);
    expect(counts[429] ?? 0).to.be.at.least(60 - 5 * MAX);
    // Another address is not affected.
    expect((await postJsonFrom('127.0.0.21', loginUrl(), { username: 'operator', password: 'operator-Pass-word-1' })).status).to.equal(200);
  });

  it('the password-change endpoint has the same limit: parallel wrong current passwords, then the right one, are refused', async () => {
    await w.as.admin.json('POST', '/api/v1/users', { username: 'changer', password: 'Changer-pass-word-1', role: 'investigator' });
    const token = await login(w.srv, 'changer', 'Changer-pass-word-1');
    const change = (from: string, currentPassword: string) =>
      postJsonFrom(from, `${w.srv.url}/api/v1/auth/password`, { currentPassword, newPassword: 'Changer-new-pass-2' }, { Authorization: `Bearer ${token}` });
    const counts = countBy(await Promise.all(Array.from({ length: 60 }, (_, i) => change(ADDRESSES[i % ADDRESSES.length]!, `Wrong-current-${i}`))));
    expect(counts[204] ?? 0).to.equal(0);
    expect(counts[400] ?? 0, 'password checks').to.be.at.most(MAX);
    expect(counts[429] ?? 0).to.equal(60 - (counts[400] ?? 0));
    const right = await change(ADDRESSES[1]!, 'Changer-pass-word-1');
    expect(right.status).to.equal(429);
    expect(Number(right.headers['retry-after'])).to.be.greaterThan(0);
    // The user name is limited for sign-in too: the stolen session cannot be used to guess around it.
    expect((await postJsonFrom('127.0.0.30', loginUrl(), { username: 'changer', password: 'Changer-pass-word-1' })).status).to.equal(429);
  });
});
