/**
 * `npm run verify -- --package FILE.zip [--public-key FILE]` (dispatched from the verify CLI):
 * prints the report as JSON and each problem on stderr; exit 0 intact, 1 anything wrong.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '@config/schema';
import { verifyPackage } from './package-verify';
import { SIGNING_KEY_FILE, signingKeyFrom } from './signing-key';
import { parseEd25519PrivateKey } from '@config/schema';

/** The deployment's public key, when this machine has one (never creates one). */
function deploymentKey(config: Config | null): string | null {
  if (!config) return null;
  if (config.security.evidenceSigningKey) return signingKeyFrom(parseEd25519PrivateKey(config.security.evidenceSigningKey)).publicKeyPem;
  const file = join(config.dataDir, SIGNING_KEY_FILE);
  return existsSync(file) ? signingKeyFrom(parseEd25519PrivateKey(readFileSync(file, 'utf8'))).publicKeyPem : null;
}

export async function verifyPackageCli(file: string, publicKeyFile: string | undefined, config: () => Config | null): Promise<number> {
  if (!existsSync(file)) {
    process.stderr.write(`no such file: ${file}\n`);
    return 2;
  }
  const key = publicKeyFile ? readFileSync(publicKeyFile, 'utf8') : deploymentKey(config());
  const report = await verifyPackage(file, key);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  if (report.keySource === 'package') process.stderr.write('note: checked against the public key inside the package; pass --public-key to check who signed it\n');
  for (const p of report.problems) process.stderr.write(`FAILED: ${p.problem}\n`);
  process.stderr.write(report.ok ? `OK: signature valid, ${report.items} items, ${report.files} files intact\n` : `package verification FAILED (${report.problems.length} problems)\n`);
  return report.ok ? 0 : 1;
}
