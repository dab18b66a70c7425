import { InitialSchema1764300000000 } from './1764300000000-initial-schema';

/** In order. A migration is a reviewed file; the schema is never synchronised from entities. */
export const MIGRATIONS = [InitialSchema1764300000000];
