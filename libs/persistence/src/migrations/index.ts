import { InitialSchema1764300000000 } from './1764300000000-initial-schema';
import { TasksAndOutcomes1764310000000 } from './1764310000000-tasks-and-outcomes';
import { IdempotencyKeys1764320000000 } from './1764320000000-idempotency-keys';
import { OversightIndexes1764330000000 } from './1764330000000-oversight-indexes';
import { ReadIndexes1764340000000 } from './1764340000000-read-indexes';
import { OutcomeFigures1764350000000 } from './1764350000000-outcome-figures';
import { InboxIndexes1764360000000 } from './1764360000000-inbox-indexes';
import { LoginFailures1764370000000 } from './1764370000000-login-failures';
import { TaskClocks1764380000000 } from './1764380000000-task-clocks';
import { AuditCheckpoints1764390000000 } from './1764390000000-audit-checkpoints';
import { RequestLimits1764400000000 } from './1764400000000-request-limits';
import { ExternalIdentities1764410000000 } from './1764410000000-external-identities';
import { MailOutbox1764420000000 } from './1764420000000-mail-outbox';

/** In order. A migration is a reviewed file; the schema is never synchronised from entities. */
export const MIGRATIONS = [InitialSchema1764300000000, TasksAndOutcomes1764310000000, IdempotencyKeys1764320000000, OversightIndexes1764330000000, ReadIndexes1764340000000, OutcomeFigures1764350000000, InboxIndexes1764360000000, LoginFailures1764370000000, TaskClocks1764380000000, AuditCheckpoints1764390000000, RequestLimits1764400000000, ExternalIdentities1764410000000, MailOutbox1764420000000];
