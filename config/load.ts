/** Loads, merges and validates configuration once at start-up; fails naming the key. */
import { readFileSync } from 'node:fs';
import { configSchema, type Config } from './schema';
import { ENV_KEYS, SECRET_KEYS } from './env';

export class ConfigError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

type Tree = Record<string, unknown>;

function setPath(tree: Tree, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = tree;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Tree;
  }
  node[parts[parts.length - 1]!] = value;
}

function getPath(tree: Tree, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Tree)[part] : undefined), tree);
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Overrides applied last (tests). */
  overrides?: Tree;
}

function deepMerge(base: Tree, extra: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && typeof out[k] === 'object' ? deepMerge(out[k] as Tree, v as Tree) : v;
  }
  return out;
}

export function loadConfig(opts: LoadOptions = {}): Config {
  const env = opts.env ?? process.env;
  let tree: Tree = {};
  const file = env.SKYEYE_CONFIG;
  if (file) {
    try {
      tree = JSON.parse(readFileSync(file, 'utf8')) as Tree;
    } catch (e) {
      throw new ConfigError([`SKYEYE_CONFIG (${file}): ${(e as Error).message}`]);
    }
    const secretsInFile = SECRET_KEYS.filter((k) => getPath(tree, k) !== undefined);
    if (secretsInFile.length) {
      throw new ConfigError(secretsInFile.map((k) => `${k}: secrets may not be written in the config file; set ${envNameOf(k)} instead`));
    }
  }
  for (const [name, path] of Object.entries(ENV_KEYS)) {
    const value = env[name] || (SECRET_KEYS.includes(path) ? secretFromFile(name, env[`${name}_FILE`]) : undefined);
    if (value !== undefined && value !== '') setPath(tree, path, value);
  }
  if (opts.overrides) tree = deepMerge(tree, opts.overrides);
  // One allowed-ranges rule for every address Sky Eye dials: either key, when only one is set, sets both.
  const net = getPath(tree, 'network.allowedRanges');
  const disc = getPath(tree, 'discovery.allowedRanges');
  if (net !== undefined && disc === undefined) setPath(tree, 'discovery.allowedRanges', net);
  if (disc !== undefined && net === undefined) setPath(tree, 'network.allowedRanges', disc);
  const parsed = configSchema.safeParse(tree);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const key = i.path.join('.') || '(root)';
        const envName = envNameOf(key);
        const extra = i.code === 'unrecognized_keys' ? ` ${i.keys.join(', ')}` : '';
        return `${key}${envName ? ` (${envName})` : ''}: ${i.message}${extra}`;
      }),
    );
  }
  return parsed.data;
}

/** Secrets may also come from a file named by <NAME>_FILE (Docker/Kubernetes secrets). */
function secretFromFile(name: string, file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new ConfigError([`${name}_FILE (${file}): ${(e as Error).message}`]);
  }
}

function envNameOf(path: string): string | undefined {
  return Object.entries(ENV_KEYS).find(([, p]) => p === path)?.[0];
}
