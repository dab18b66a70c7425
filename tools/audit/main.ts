import { runAuditVerify } from './audit-verify';

void runAuditVerify(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
