import { DataSource, type EntityManager } from 'typeorm';

/**
 * What a repository is built on: the data source (each statement on its own), or a
 * transaction's manager (every statement inside that transaction). Repositories take it in
 * their constructor and no method takes a transaction argument: the evaluation ledger builds
 * transaction-bound repositories when it needs several writes to commit together.
 */
export type Db = DataSource | EntityManager;

export function managerOf(db: Db): EntityManager {
  return db instanceof DataSource ? db.manager : db;
}
