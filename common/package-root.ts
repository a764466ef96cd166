/**
 * Sky Eye's package root: the nearest folder above this module with Sky Eye's package.json. The
 * same path from the sources (tsx, tests) and from the production bundle (dist/server, `npm run
 * build:server`), where every module's import.meta.url is the bundle's. Files read or run as they
 * are at run time (migrations, the threads' modules) are found from it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'skyeye') return dir;
    if (dirname(dir) === dir) throw new Error(`Sky Eye's package.json was not found above ${from}`);
  }
}

export const PACKAGE_ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));
