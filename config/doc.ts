/** `npm run config:doc`: prints README's configuration table from the schema (the one source). */
import { z } from 'zod';
import { configSchema } from './schema';
import { ENV_KEYS, SECRET_KEYS } from './env';

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
}

export function configRows(): string[][] {
  const root = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const envOf = (key: string) => Object.entries(ENV_KEYS).find(([, p]) => p === key)?.[0] ?? '';
  const rows: string[][] = [];
  const walk = (node: JsonSchema, prefix: string) => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const key = prefix ? `${prefix}.${name}` : name;
      if (child.properties) {
        walk(child, key);
        continue;
      }
      const def = child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``;
      const secret = SECRET_KEYS.includes(key) ? ' **Secret.**' : '';
      rows.push([`\`${key}\``, envOf(key) ? `\`${envOf(key)}\`` : '', def, (child.description ?? '') + secret]);
    }
  };
  walk(root, '');
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lines = ['| key | environment | default | meaning |', '|---|---|---|---|', ...configRows().map((r) => `| ${r.join(' | ')} |`)];
  process.stdout.write(lines.join('\n') + '\n');
}
