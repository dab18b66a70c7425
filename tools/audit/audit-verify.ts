/**
 * `npm run audit:verify -- --records FILE --checkpoints FILE --public-key FILE`: verifies an
 * export of the decision log with nothing but files, offline: every record's hash and link, every
 * checkpoint's signature, that each checkpoint's hash is the exported record's at its seq, and that
 * the export reaches the latest checkpoint. Needs no database, no API, no configuration.
 *
 *   --records      GET /audit/export (NDJSON, one record a line), streamed: any size
 *   --checkpoints  the worker's append-only file (NDJSON, one checkpoint a line), or the JSON of
 *                  GET /audit/checkpoints ({ items: [...] }); several files may be given
 *   --public-key   the JSON of GET /audit/public-key ({ current, previous }), or PEM public keys
 *                  (one or several in one file); several files may be given. Key ids are computed
 *                  from the keys, never read from the file.
 *
 * Exit codes: 0 verified, 1 not verified (the report says why), 2 bad arguments or unreadable files.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { chainedRecordOf, checkpointLines, ExportVerifier, keyring, type Checkpoint, type ExportedRecord, type ExportVerification } from '../../libs/persistence/src/audit-checkpoint';

export const USAGE = `Uso / usage: npm run audit:verify -- --records FILE --checkpoints FILE [--checkpoints FILE...] --public-key FILE [--public-key FILE...]

  --records      GET /api/v1/audit/export (NDJSON)
  --checkpoints  the worker's AUDIT_CHECKPOINTS_FILE (npm start: DATA_DIR/audit/checkpoints.ndjson), or the JSON of GET /api/v1/audit/checkpoints
  --public-key   the JSON of GET /api/v1/audit/public-key, or PEM public keys`;

/** The operator's mistake: exit 2. */
export class UsageError extends Error {}

export interface AuditVerifyArgs {
  records: string;
  checkpoints: string[];
  publicKeys: string[];
}

export function parseAuditVerifyArgs(argv: string[]): AuditVerifyArgs | 'help' {
  const given: Record<'records' | 'checkpoints' | 'public-key', string[]> = { records: [], checkpoints: [], 'public-key': [] };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') return 'help';
    const key = flag.slice(2);
    if (!flag.startsWith('--') || !(key in given)) throw new UsageError(`unknown argument ${flag}`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a file`);
    given[key as keyof typeof given].push(value);
    i += 1;
  }
  if (given.records.length !== 1) throw new UsageError('--records names one file');
  if (!given.checkpoints.length) throw new UsageError('--checkpoints is required');
  if (!given['public-key'].length) throw new UsageError('--public-key is required');
  return { records: given.records[0], checkpoints: given.checkpoints, publicKeys: given['public-key'] };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** PEMs from the JSON of GET /audit/public-key, or the PEM blocks of a file. */
export function publicKeyPems(text: string, file: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const parsed = JSON.parse(trimmed) as { current?: { pem?: string } | null; previous?: { pem?: string }[] };
    return [parsed.current?.pem, ...(parsed.previous ?? []).map((k) => k.pem)].filter((pem): pem is string => typeof pem === 'string');
  }
  const pems = trimmed.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? [];
  if (!pems.length) throw new UsageError(`${file} holds no public key (PEM "BEGIN PUBLIC KEY", or the JSON of GET /audit/public-key)`);
  return pems;
}

/** Checkpoints from NDJSON (the worker's file) or the JSON of GET /audit/checkpoints. */
export function parseCheckpoints(text: string, file: string): Checkpoint[] {
  const lines = text.split('\n').filter((line) => line.trim());
  try {
    if (lines.length === 1 || !text.trim().startsWith('{"seq"')) {
      const whole = JSON.parse(text) as { items?: Checkpoint[] } & Partial<Checkpoint>;
      if (Array.isArray(whole.items)) return whole.items;
    }
    return checkpointLines(text);
  } catch (error) {
    throw new UsageError(`${file}: not checkpoints (NDJSON or the JSON of GET /audit/checkpoints): ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function verifyAuditFiles(args: AuditVerifyArgs): Promise<ExportVerification> {
  const keys = keyring(args.publicKeys.flatMap((file) => publicKeyPems(readText(file), file)));
  const checkpoints = args.checkpoints.flatMap((file) => parseCheckpoints(readText(file), file));
  const verifier = new ExportVerifier(checkpoints, keys);
  readText(args.records);
  const lines = createInterface({ input: createReadStream(args.records, 'utf8'), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    if (!line.trim()) continue;
    let record: ExportedRecord;
    try {
      record = JSON.parse(line) as ExportedRecord;
    } catch {
      throw new UsageError(`${args.records} line ${lineNo} is not JSON`);
    }
    verifier.feed(chainedRecordOf(record));
  }
  return verifier.result();
}

/** The report, Spanish first, then English; every problem named. */
export function auditReport(result: ExportVerification): string {
  const range = result.firstSeq === null ? 'ningún registro / no records' : `seq ${result.firstSeq}–${result.lastSeq}`;
  const lines = [
    result.ok ? 'VERIFICADO: la exportación es íntegra y llega al último punto de control firmado.' : 'NO VERIFICADO: la exportación no coincide con lo firmado.',
    result.ok ? 'VERIFIED: the export is intact and reaches the latest signed checkpoint.' : 'NOT VERIFIED: the export does not match what was signed.',
    `  registros / records: ${result.chain.records} (${range})`,
    `  puntos de control / checkpoints: ${result.checkpoints.verified} de / of ${result.checkpoints.total} con firma válida / with a valid signature; último / latest seq ${result.checkpoints.latestSeq ?? '-'}`,
    ...result.problems.map((problem) => `  - ${problem}`),
  ];
  return lines.join('\n');
}

/** The command: prints the report and answers its exit code. */
export async function runAuditVerify(argv: string[], out: (text: string) => void = (text) => console.log(text)): Promise<number> {
  try {
    const args = parseAuditVerifyArgs(argv);
    if (args === 'help') {
      out(USAGE);
      return 0;
    }
    const result = await verifyAuditFiles(args);
    out(auditReport(result));
    return result.ok ? 0 : 1;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    out(`audit:verify: ${message}`);
    if (error instanceof UsageError) {
      out(USAGE);
      return 2;
    }
    return 1;
  }
}
