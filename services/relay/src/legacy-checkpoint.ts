import { checkLegacyCheckpoint, saveCheckpoint, START } from '@l2o/event-store';
import type { Queryable } from '@l2o/event-store';
import type { Logger } from '@l2o/service-kit';

/**
 * Run once the relay leads, before it publishes: a cursor saved by a release that sorted the feed's
 * transaction ids as text may have passed events it never published. Such a cursor goes back to the
 * start, which re-publishes what it may have skipped; consumers drop what they already applied by
 * stream version. A cursor that could not have skipped is kept and marked checked.
 */
export async function settleLegacyCheckpoint(options: { db: Queryable; name: string; logger: Logger }): Promise<void> {
  const { db, name, logger } = options;
  const check = await checkLegacyCheckpoint(db, name);
  if (check.verdict === 'safe') {
    await saveCheckpoint(db, name, check.cursor);
    logger.info(
      { cursor: check.cursor },
      'relay cursor from an earlier release checked: no event can have been skipped',
    );
  } else if (check.verdict === 'may-have-skipped') {
    await saveCheckpoint(db, name, START);
    logger.warn(
      { cursor: check.cursor, republishing: check.eventsBefore },
      'relay cursor from an earlier release (feed sorted as text) may have skipped events: re-publishing the feed ' +
        'from the start; consumers de-duplicate by stream version (see docs/design/feed-order-upgrade.md)',
    );
  }
}
