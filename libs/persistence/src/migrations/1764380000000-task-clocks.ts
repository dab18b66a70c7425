import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the evaluation now measures of each task: the working days it was open (for cycle times
 * per stage in working days) and how many times its clock ran out (escalations for nobody
 * eligible are not breaches).
 */
export class TaskClocks1764380000000 implements MigrationInterface {
  name = 'TaskClocks1764380000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks ADD COLUMN working_days numeric`);
    await q.query(`ALTER TABLE tasks ADD COLUMN breaches int NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks DROP COLUMN breaches`);
    await q.query(`ALTER TABLE tasks DROP COLUMN working_days`);
  }
}
