import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isPublishedSecret, PUBLISHED_SECRETS } from './published-secrets';

const ROOT = join(__dirname, '..', '..', '..');

/** A setting that holds a secret, by its name: JWT_SECRET, DEMO_PASSWORD, POSTGRES_PWD, TEMPORAL_CODEC_KEYS... */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|PWD|TOKEN|CODEC_KEYS?|PRIVATE_KEY)$/;

/** A value that is not written out: empty, a placeholder (`...`, `<key>`), or made elsewhere (`${VAR:?...}`, `k1:$(openssl ...)`). */
function written(value: string): string | null {
  const bare = value.trim().replace(/^(['"])(.*)\1$/, '$2');
  // A switch named like a secret (TEMPORAL_CODEC_PASS_ACCESS_TOKEN=true) holds no secret.
  return bare && !/\$|^<|^\.\.\.$|^(true|false)$/.test(bare) ? bare : null;
}

/**
 * Every secret-looking value written out in a text: `NAME=value` and `NAME: value` of a
 * secret-looking name, the default of `${NAME:-value}`, and the password of `scheme://user:password@`.
 * In source code only quoted literals count (anything else is an expression), and URLs are built.
 */
export function secretLookingValues(text: string, kind: 'settings' | 'code' = 'settings'): string[] {
  const found: string[] = [];
  const add = (value: string | undefined) => {
    const bare = value === undefined ? null : written(value);
    if (bare) found.push(bare);
  };
  const value = kind === 'code' ? String.raw`(['"][^'"\n]*['"])(?=\s*[,;)}\n])` : String.raw`(['"][^'"\n]*['"]|[^\s,}#\`)]*)`;
  for (const [, name, v] of text.matchAll(new RegExp(String.raw`\b([A-Z][A-Z0-9_]*)\s*(?:=|:(?!-))[ \t]*${value}`, 'g'))) if (SECRET_NAME.test(name)) add(v);
  for (const [, name, v] of text.matchAll(/\$\{([A-Z][A-Z0-9_]*):?-([^}]*)\}/g)) if (SECRET_NAME.test(name)) add(v);
  if (kind === 'settings') for (const [, v] of text.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:([^@\s]+)@/g)) add(v);
  return found;
}

function filesUnder(dir: string, extensions: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'results' ? [] : filesUnder(path, extensions);
    return extensions.test(name) ? [path] : [];
  });
}

describe('the published secrets', () => {
  it('finds what a secret looks like', () => {
    const sample = [
      'JWT_SECRET=change-me # comment',
      'EMPTY_SECRET=',
      '  POSTGRES_PWD: ${TEMPORAL_DB_PASSWORD:-temporal}',
      '  JWT_SECRET: ${JWT_SECRET:?set JWT_SECRET}',
      "export DEMO_PASSWORD='choose-a-password'",
      'export JWT_SECRET="$(openssl rand -base64 48)"',
      'TEMPORAL_CODEC_KEYS=k1:$(openssl rand -base64 32)',
      'DATABASE_URL: postgres://appraise:hunter2@postgres:5432/appraise',
      'DATABASE_URL: postgres://appraise:${APPRAISE_DB_PASSWORD:?set it}@postgres:5432/appraise',
      "    JWT_SECRET: 'test-secret',",
      'TEMPORAL_TLS_KEY_FILE=/tls/client-key.pem',
      'JWT_SECRET=... DEMO_PASSWORD=<password> docker compose up',
      'the UI passes it (`TEMPORAL_CODEC_PASS_ACCESS_TOKEN=true`), or (`APP_TOKEN=s3cr3t`)',
    ].join('\n');
    expect(secretLookingValues(sample)).toEqual(['change-me', 'choose-a-password', 'test-secret', 's3cr3t', 'temporal', 'hunter2']);
    expect(secretLookingValues("JWT_SECRET: randomBytes(32).toString('hex'),\n  JWT_SECRET: 'x'.repeat(31),\n  JWT_SECRET: 'chaos-secret',", 'code')).toEqual(['chaos-secret']);
  });

  // A value written in one of these files is public: a production process must refuse it.
  const code = (dir: string) => filesUnder(join(ROOT, dir), /\.(ts|js)$/).map((f) => relative(ROOT, f));
  const published: [string, 'settings' | 'code'][] = [
    ...['.env.example', 'docker/compose.yaml', 'docker/README.md', 'README.md', 'tools/devstack/README.md'].map((f): [string, 'settings'] => [f, 'settings']),
    ...[...code('test'), ...code('tools')].map((f): [string, 'code'] => [f, 'code']),
  ];

  it.each(published)('lists every secret-looking value of %s', (file, kind) => {
    const unlisted = secretLookingValues(readFileSync(join(ROOT, file), 'utf8'), kind).filter((value) => !isPublishedSecret(value));
    expect(unlisted).toEqual([]);
  });

  it('still sees the demo password of .env.example (the scan is not blind)', () => {
    expect(secretLookingValues(readFileSync(join(ROOT, '.env.example'), 'utf8'))).toContain('demo-password');
    expect(PUBLISHED_SECRETS).toContain('demo-password');
  });
});
