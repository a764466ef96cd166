/** Configuration: defaults < config file < environment, validated once, errors naming the key. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '@config/load';

describe('config/load', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'skyeye-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = (content: unknown) => {
    const p = join(dir, 'config.json');
    writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
    return p;
  };

  it('has working defaults: role all, 127.0.0.1:8080, ./data, 8 simulated cameras', () => {
    const c = loadConfig({ env: {} });
    expect(c.role).to.equal('all');
    expect(c.http).to.include({ host: '127.0.0.1', port: 8080 });
    expect(c.dataDir).to.match(/data$/);
    expect(c.sim.cameras).to.equal(8);
    expect(c.database.url).to.equal(undefined);
  });

  it('environment beats the config file, which beats defaults; units are parsed', () => {
    const f = file({ http: { port: 9000 }, log: { level: 'warn' }, security: { sessionTtl: '2h' } });
    const c = loadConfig({ env: { SKYEYE_CONFIG: f, SKYEYE_HTTP_PORT: '9100' } });
    expect(c.http.port).to.equal(9100);
    expect(c.log.level).to.equal('warn');
    expect(c.security.sessionTtl).to.equal(2 * 3600_000);
  });

  it('invalid values fail with a message naming the key and its environment variable', () => {
    expect(() => loadConfig({ env: { SKYEYE_HTTP_PORT: 'eighty' } })).to.throw(ConfigError, /http\.port \(SKYEYE_HTTP_PORT\)/);
    expect(() => loadConfig({ env: { SKYEYE_ROLE: 'boss' } })).to.throw(ConfigError, /role \(SKYEYE_ROLE\)/);
    expect(() => loadConfig({ env: { SKYEYE_CONFIG: file({ htp: {} }) } })).to.throw(ConfigError, /htp/);
    expect(() => loadConfig({ env: { SKYEYE_CONFIG: file('{not json') } })).to.throw(ConfigError, /SKYEYE_CONFIG/);
    expect(() => loadConfig({ env: { SKYEYE_CONFIG: file({ archive: { multipartPartSize: '1MB' } }) } })).to.throw(ConfigError, /archive\.multipartPartSize.*between 5MB and 5GB/);
  });

  it('map.tileCoords: wgs84 by default, gcj02 from the environment or the file, anything else refused naming the key', () => {
    expect(loadConfig({ env: {} }).map.tileCoords).to.equal('wgs84');
    expect(loadConfig({ env: { SKYEYE_MAP_TILE_COORDS: 'gcj02' } }).map.tileCoords).to.equal('gcj02');
    expect(loadConfig({ env: { SKYEYE_CONFIG: file({ map: { tileCoords: 'gcj02' } }) } }).map.tileCoords).to.equal('gcj02');
    expect(() => loadConfig({ env: { SKYEYE_MAP_TILE_COORDS: 'bd09' } })).to.throw(ConfigError, /map\.tileCoords \(SKYEYE_MAP_TILE_COORDS\)/);
    expect(() => loadConfig({ env: { SKYEYE_CONFIG: file({ map: { tileCoords: 'GCJ02' } }) } })).to.throw(ConfigError, /map\.tileCoords/);
  });

  it('refuses secrets written in the config file and takes them from the environment or <NAME>_FILE', () => {
    expect(() => loadConfig({ env: { SKYEYE_CONFIG: file({ admin: { password: 'in-the-file-1' } }) } })).to.throw(ConfigError, /admin\.password: secrets may not be written in the config file; set SKYEYE_ADMIN_PASSWORD/);
    expect(loadConfig({ env: { SKYEYE_ADMIN_PASSWORD: 'from-env-pass-1' } }).admin.password).to.equal('from-env-pass-1');
    const secret = join(dir, 'admin-password');
    writeFileSync(secret, 'from-file-pass-1\n');
    expect(loadConfig({ env: { SKYEYE_ADMIN_PASSWORD_FILE: secret } }).admin.password).to.equal('from-file-pass-1');
    expect(() => loadConfig({ env: { SKYEYE_ADMIN_PASSWORD_FILE: join(dir, 'missing') } })).to.throw(ConfigError, /SKYEYE_ADMIN_PASSWORD_FILE/);
  });

  it('the error message never echoes a secret value', () => {
    try {
      loadConfig({ env: { SKYEYE_ADMIN_PASSWORD: 'Xq7z' } });
      expect.fail('should throw');
    } catch (e) {
      expect((e as Error).message).to.match(/admin\.password/).and.not.include('Xq7z');
    }
  });

  it('http.processes > 1 (the api cluster) needs role api, a PostgreSQL server and Redis, each refused naming its key', () => {
    const full = { SKYEYE_HTTP_PROCESSES: '2', SKYEYE_ROLE: 'api', DATABASE_URL: 'postgres://127.0.0.1/x', SKYEYE_REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(loadConfig({ env: full }).http.processes).to.equal(2);
    expect(loadConfig({ env: {} }).http.processes).to.equal(1);
    const refused = (env: Record<string, string>) => {
      try {
        loadConfig({ env });
      } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return (e as ConfigError).issues.join('\n');
      }
      throw new Error('accepted');
    };
    expect(refused({ ...full, SKYEYE_ROLE: 'all' })).to.match(/^http\.processes \(SKYEYE_HTTP_PROCESSES\): more than 1 needs role "api"/);
    expect(refused({ ...full, DATABASE_URL: '' })).to.match(/^database\.url \(DATABASE_URL\): required when http\.processes/);
    expect(refused({ ...full, SKYEYE_REDIS_URL: '' })).to.match(/^redis\.url \(SKYEYE_REDIS_URL\): required when http\.processes/);
    expect(refused({ ...full, SKYEYE_HTTP_PROCESSES: '0' })).to.match(/^http\.processes/);
  });
});
