import type { Logger } from '@nestjs/common';
import type { CommandBus } from '@nestjs/cqrs';
import { DomainError } from '@ledger/domain';
import type { CrossProvinceFindingNotice } from '@ledger/integration-events';
import { nationalHubContext, RecordCrossProvinceFindingCommand } from '../beneficiaries/cross-province-findings.commands.js';
import type { LedgerMetrics } from '../platform/metrics/ledger-metrics.js';

/**
 * One notice of the national hub, recorded on the person it names. A notice the ledger refuses by
 * its rules (a person it does not know, a notice that does not read, another province's) is logged
 * by its finding id and acknowledged: delivered again, it would be refused again, forever, and hold
 * up the notices behind it. Anything else (the store unreachable) is thrown, and JetStream delivers
 * the notice again.
 */
export async function recordFindingNotice(
  commands: CommandBus,
  notice: CrossProvinceFindingNotice,
  { province, metrics, logger }: { province: string; metrics: LedgerMetrics; logger: Logger },
): Promise<void> {
  const findingId = typeof notice?.findingId === 'string' ? notice.findingId.slice(0, 36) : 'without an id';
  if (notice?.province !== province) {
    metrics.findingNotices.inc({ outcome: 'refused' });
    logger.error(`cross-province finding ${findingId} refused: addressed to another province`);
    return;
  }
  try {
    const { recorded } = await commands.execute(
      new RecordCrossProvinceFindingCommand(
        {
          beneficiaryId: notice.beneficiaryRef,
          findingId: notice.findingId,
          kind: notice.kind,
          program: notice.program,
          ...(notice.period === undefined ? {} : { period: notice.period }),
          otherProvinces: notice.otherProvinces,
          foundAt: notice.foundAt,
        },
        nationalHubContext(notice.findingId),
      ),
    );
    metrics.findingNotices.inc({ outcome: 'recorded' });
    if (recorded) logger.log(`cross-province finding ${findingId} (${String(notice.kind)}) recorded`);
  } catch (error) {
    if (error instanceof DomainError) {
      metrics.findingNotices.inc({ outcome: 'refused' });
      logger.error(`cross-province finding ${findingId} refused: ${error.code}: ${error.message}`);
      return;
    }
    metrics.findingNotices.inc({ outcome: 'error' });
    throw error;
  }
}
